import type { QuietHours } from './clock.ts';
import type { BotLanguage } from './language.ts';
import type { ChecklistKind } from './texts.ts';

/** The bot's configuration, as the flow takes it: `config().bot` (functions/shared/config.ts parses the variables). */
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
