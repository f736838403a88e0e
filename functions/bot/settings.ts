import { z } from 'zod';
import { assertTimeZone, parseQuietHours, type QuietHours } from './clock.ts';
import { botLanguages, type BotLanguage } from './language.ts';
import { type ChecklistKind, checklistKinds } from './texts.ts';

/** The bot's configuration, as the flow takes it. Read from the environment once, by the lead's config. */
export interface BotSettings {
  /** AGENCY_TIME_ZONE: IANA zone for quiet hours and the daily cap's day. */
  readonly timeZone: string;
  /** QUIET_HOURS: no proactive message (reminders, resumes) in this local period; null for none. */
  readonly quietHours: QuietHours | null;
  /** BOT_DAILY_MESSAGE_CAP: automated messages per aspirant per local day. */
  readonly dailyMessageCap: number;
  /** FORM_REMINDER_DELAY_HOURS: reminder n is due n × this after the form link, while the window is open. */
  readonly formReminderDelayHours: number;
  /** At most this many form reminders. */
  readonly maxFormReminders: number;
  /** PHOTO_CHECKLIST: the photos asked for, in order. */
  readonly photoChecklist: readonly ChecklistKind[];
  /** The language before the aspirant's is known. */
  readonly defaultLanguage: BotLanguage;
}

const rawSettingsSchema = z.object({
  AGENCY_TIME_ZONE: z.string().min(1).default('UTC'),
  QUIET_HOURS: z.string().default('21:00-08:00'),
  BOT_DAILY_MESSAGE_CAP: z.coerce.number().int().min(1).max(100).default(10),
  FORM_REMINDER_DELAY_HOURS: z.coerce.number().positive().max(23).default(4),
  FORM_REMINDER_MAX: z.coerce.number().int().min(0).max(5).default(2),
  PHOTO_CHECKLIST: z
    .string()
    .default(checklistKinds.join(','))
    .transform((list) => list.split(',').map((kind) => kind.trim()).filter(Boolean))
    .pipe(z.array(z.enum(checklistKinds)).min(1).refine((kinds) => new Set(kinds).size === kinds.length, 'each photo kind once')),
  BOT_DEFAULT_LANGUAGE: z.enum(botLanguages).default('es'),
});

/**
 * Parses the bot's variables from an environment-like record (defaults: UTC, 21:00-08:00, 10 a day, a reminder
 * every 4 h up to 2, headshot,full_body,profile, es). Throws with the offending variable's name.
 */
export function parseBotSettings(env: Readonly<Record<string, string | undefined>>): BotSettings {
  const result = rawSettingsSchema.safeParse(env);
  if (!result.success) {
    throw new RangeError(`invalid bot configuration — ${result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  }
  const raw = result.data;
  assertTimeZone(raw.AGENCY_TIME_ZONE);
  return {
    timeZone: raw.AGENCY_TIME_ZONE,
    quietHours: parseQuietHours(raw.QUIET_HOURS),
    dailyMessageCap: raw.BOT_DAILY_MESSAGE_CAP,
    formReminderDelayHours: raw.FORM_REMINDER_DELAY_HOURS,
    maxFormReminders: raw.FORM_REMINDER_MAX,
    photoChecklist: raw.PHOTO_CHECKLIST,
    defaultLanguage: raw.BOT_DEFAULT_LANGUAGE,
  };
}
