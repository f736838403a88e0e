import { z } from 'zod';
import { formMessages, type FormLanguage, type FormMessageKey } from './messages.ts';

/**
 * The application form: ONE zod schema for the console's `/apply/<token>` page (browser) and for the server
 * (functions/forms: form submissions and `POST /webhooks/form`). It lives in the console's tree so both the
 * console's and the functions' builds can import it. Browser-safe: imports nothing but zod and the message
 * catalogue. Every issue's message is a key of `formMessages`; `formFieldErrors` turns them into per-field
 * texts in the aspirant's language.
 */

export const formLanguages = ['es', 'en', 'pt'] as const satisfies readonly FormLanguage[];
/** The GraphQL Weekday and ShiftWindow enums' values. */
export const formWeekdays = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const;
export const formShiftWindows = ['MORNING', 'AFTERNOON', 'EVENING', 'NIGHT'] as const;
type Weekday = (typeof formWeekdays)[number];
type ShiftWindow = (typeof formShiftWindows)[number];

/** WhatsApp's own minimum age: younger applicants are a typing mistake or should not be writing to us. */
export const MIN_APPLICANT_AGE = 13;
export const MAX_APPLICANT_AGE = 100;
const MAX_SHIFTS = formWeekdays.length * formShiftWindows.length;

const message = (key: FormMessageKey) => ({ error: key });

// Browser forms send every value as a string; webhooks send JSON numbers. Both parse; '' means "not given".
const optionalNumber = (schema: z.ZodNumber) =>
  z.preprocess((value) => (value === '' || value === null ? undefined : typeof value === 'string' ? Number(value.replace(',', '.')) : value), schema.optional());

const optionalText = (max: number, key: FormMessageKey) =>
  z.preprocess((value) => (typeof value === 'string' && value.trim() === '' ? undefined : value), z.string(message(key)).trim().max(max, message(key)).optional());

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whole years from a YYYY-MM-DD date of birth to `today` (UTC), or undefined when the date does not exist. */
function ageOn(dateOfBirth: string, today: Date): number | undefined {
  const match = ISO_DATE.exec(dateOfBirth);
  if (match === null) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  const birthdayPassed =
    today.getUTCMonth() > month - 1 || (today.getUTCMonth() === month - 1 && today.getUTCDate() >= day);
  return today.getUTCFullYear() - year - (birthdayPassed ? 0 : 1);
}

/** Under 18 on `today` (UTC). */
export const isMinor = (dateOfBirth: string, today: Date): boolean => (ageOn(dateOfBirth, today) ?? 0) < 18;

/** The schema as of `today`, which bounds the date of birth. Pass the clock on the server; the browser's is fine. */
export function applicationFormSchema(today: Date = new Date()) {
  return z.object({
    language: z.enum(formLanguages, message('language.invalid')).optional(),
    fullName: z
      .string(message('fullName.required'))
      .trim()
      .min(1, message('fullName.required'))
      .min(3, message('fullName.tooShort'))
      .max(120, message('fullName.tooLong'))
      .refine((name) => /\p{L}/u.test(name), message('fullName.invalid')),
    dateOfBirth: z
      .string(message('dateOfBirth.required'))
      .trim()
      .min(1, message('dateOfBirth.required'))
      .superRefine((value, ctx) => {
        const age = ageOn(value, today);
        if (age === undefined) ctx.addIssue({ code: 'custom', message: 'dateOfBirth.invalid' });
        else if (age < 0) ctx.addIssue({ code: 'custom', message: 'dateOfBirth.future' });
        else if (age < MIN_APPLICANT_AGE) ctx.addIssue({ code: 'custom', message: 'dateOfBirth.tooYoung' });
        else if (age > MAX_APPLICANT_AGE) ctx.addIssue({ code: 'custom', message: 'dateOfBirth.invalid' });
      }),
    city: z.string(message('city.required')).trim().min(1, message('city.required')).min(2, message('city.invalid')).max(80, message('city.invalid')),
    heightCm: z.preprocess(
      (value) => (value === '' || value === null ? undefined : typeof value === 'string' ? Number(value) : value),
      z.number({ error: (issue) => (issue.input === undefined ? 'heightCm.required' : 'heightCm.range') }).int(message('heightCm.range')).min(100, message('heightCm.range')).max(230, message('heightCm.range')),
    ),
    bustCm: optionalNumber(z.number(message('measurement.range')).int(message('measurement.range')).min(40, message('measurement.range')).max(200, message('measurement.range'))),
    waistCm: optionalNumber(z.number(message('measurement.range')).int(message('measurement.range')).min(40, message('measurement.range')).max(200, message('measurement.range'))),
    hipsCm: optionalNumber(z.number(message('measurement.range')).int(message('measurement.range')).min(40, message('measurement.range')).max(200, message('measurement.range'))),
    shoeSizeEu: optionalNumber(
      z.number(message('shoeSizeEu.range')).min(30, message('shoeSizeEu.range')).max(50, message('shoeSizeEu.range'))
        .refine((size) => Number.isInteger(size * 2), message('shoeSizeEu.range')),
    ),
    experience: optionalText(1000, 'experience.tooLong'),
    portfolioUrl: z.preprocess(
      (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
      z.string(message('portfolioUrl.invalid')).trim().max(500, message('portfolioUrl.invalid'))
        .refine((url) => /^https?:\/\/[^\s/]+\.[^\s]+$/i.test(url) && URL.canParse(url), message('portfolioUrl.invalid'))
        .optional(),
    ),
    instagram: z.preprocess(
      (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
      z.string(message('instagram.invalid')).trim()
        .transform((handle) => handle.replace(/^@/, '').replace(/^https?:\/\/(www\.)?instagram\.com\//i, '').replace(/\/+$/, ''))
        .refine((handle) => /^[A-Za-z0-9._]{1,30}$/.test(handle), message('instagram.invalid'))
        .optional(),
    ),
    shiftPreferences: z
      .array(z.object({ day: z.enum(formWeekdays, message('shiftPreferences.invalid')), window: z.enum(formShiftWindows, message('shiftPreferences.invalid')) }), message('shiftPreferences.required'))
      .min(1, message('shiftPreferences.required'))
      .max(MAX_SHIFTS * 2, message('shiftPreferences.invalid'))
      // The grid may post a cell twice (double tap); keep each day and window once, in grid order.
      .transform((shifts) =>
        formWeekdays.flatMap((day) => formShiftWindows.filter((window) => shifts.some((shift) => shift.day === day && shift.window === window)).map((window) => ({ day, window }))),
      ),
    consents: z.object(
      {
        dataProcessing: z.literal(true, message('consents.dataProcessing')),
        whatsappContact: z.literal(true, message('consents.whatsappContact')),
      },
      message('consents.dataProcessing'),
    ),
  });
}

export type ApplicationForm = z.output<ReturnType<typeof applicationFormSchema>>;
/** What a browser or webhook may send: numbers may arrive as strings. */
export type ApplicationFormInput = z.input<ReturnType<typeof applicationFormSchema>>;

export type FormFieldErrors = Partial<Record<string, string>>;

export type ParsedApplicationForm =
  | { readonly ok: true; readonly form: ApplicationForm }
  | { readonly ok: false; readonly errors: FormFieldErrors };

/**
 * Validates a submission; on failure, one message per field (the first issue of each) in `language`. Fields are
 * named as in the form (`consents.dataProcessing`, `shiftPreferences`); `form` covers a body that is not an object.
 */
export function parseApplicationForm(input: unknown, options: { today?: Date; language?: FormLanguage } = {}): ParsedApplicationForm {
  const result = applicationFormSchema(options.today).safeParse(input);
  if (result.success) return { ok: true, form: result.data };
  return { ok: false, errors: formFieldErrors(result.error, options.language ?? 'es') };
}

/** Per-field texts for a failed parse: the issue's message key looked up in `language`. */
export function formFieldErrors(error: z.ZodError, language: FormLanguage): FormFieldErrors {
  const errors: FormFieldErrors = {};
  for (const issue of error.issues) {
    // A grid cell's error belongs to the grid: the path stops at the first array index.
    const firstIndex = issue.path.findIndex((part) => typeof part !== 'string');
    const field = (firstIndex === -1 ? issue.path : issue.path.slice(0, firstIndex)).join('.') || 'form';
    const key = (Object.hasOwn(formMessages, issue.message) ? issue.message : field === 'form' ? 'form.invalid' : 'field.invalid') as FormMessageKey;
    errors[field] ??= formMessages[key][language];
  }
  return errors;
}

/** A shift as stored in aspirants.shift_preferences: `{"day": "mon", "window": "evening"}` (lower case). */
export interface StoredShift {
  readonly day: Lowercase<Weekday>;
  readonly window: Lowercase<ShiftWindow>;
}

export const toStoredShifts = (shifts: readonly { day: Weekday; window: ShiftWindow }[]): StoredShift[] =>
  shifts.map((shift) => ({ day: shift.day.toLowerCase() as StoredShift['day'], window: shift.window.toLowerCase() as StoredShift['window'] }));
