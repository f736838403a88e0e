import type { Queryable } from '../data/db.ts';
import type { AspirantProfile } from '../generated/graphql.ts';
import { NotFoundError } from '../shared/errors.ts';
import { resolveFormLink } from './links.ts';
import type { FormLanguage } from '../../web/src/features/apply/form/messages.ts';
import { type ApplicationForm, type FormFieldErrors, formLanguages, isMinor, parseApplicationForm, type StoredShift, toStoredShifts } from '../../web/src/features/apply/form/schema.ts';

/** What a valid form writes on the aspirant's row. profile uses the GraphQL field names (functions/domain/aspirants.ts). */
export interface AspirantFormColumns {
  readonly fullName: string;
  readonly dateOfBirth: string;
  /** The form's language, when the page sent one: it wins over the language detected from chat. */
  readonly language: FormLanguage | null;
  readonly profile: AspirantProfile;
  readonly shiftPreferences: StoredShift[];
}

export function toAspirantColumns(form: ApplicationForm): AspirantFormColumns {
  return {
    fullName: form.fullName,
    dateOfBirth: form.dateOfBirth,
    language: form.language ?? null,
    profile: {
      city: form.city,
      heightCm: form.heightCm,
      bustCm: form.bustCm ?? null,
      waistCm: form.waistCm ?? null,
      hipsCm: form.hipsCm ?? null,
      shoeSizeEu: form.shoeSizeEu ?? null,
      experience: form.experience ?? null,
      portfolioUrl: form.portfolioUrl ?? null,
      instagram: form.instagram ?? null,
    },
    shiftPreferences: toStoredShifts(form.shiftPreferences),
  };
}

export type SubmissionSource = 'web' | 'webhook';

export interface RecordedSubmission {
  readonly submissionId: string;
  readonly aspirantId: string;
  readonly formLinkId: string | null;
  readonly submittedAt: string;
  readonly dateOfBirth: string;
  /** Under 18 today: the bot asks for guardian consent and requests no photos. */
  readonly minor: boolean;
  readonly language: FormLanguage | null;
}

/**
 * Writes a valid form: the aspirant's columns (a resubmission overwrites them), a form_submissions row with the
 * data exactly as validated, and the link's submitted_at. Run it in the transaction that also publishes the
 * aspirant and enqueues the bot's "form submitted" event. Throws NotFoundError for an unknown aspirant.
 */
export async function recordSubmission(
  q: Queryable,
  input: { aspirantId: string; formLinkId: string | null; source: SubmissionSource; form: ApplicationForm; now: Date },
): Promise<RecordedSubmission> {
  const columns = toAspirantColumns(input.form);
  const now = input.now.toISOString();
  const updated = await q.query(
    `UPDATE aspirants
        SET full_name = :fullName, date_of_birth = :dateOfBirth::date, language = coalesce(:language, language),
            profile = :profile::jsonb, shift_preferences = :shifts::jsonb, updated_at = :now::timestamptz
      WHERE id = :aspirantId::uuid
      RETURNING id`,
    {
      aspirantId: input.aspirantId,
      fullName: columns.fullName,
      dateOfBirth: columns.dateOfBirth,
      language: columns.language,
      profile: JSON.stringify(columns.profile),
      shifts: JSON.stringify(columns.shiftPreferences),
      now,
    },
  );
  if (updated.length === 0) throw new NotFoundError('aspirant: no aspirant has this id');
  const [submission] = await q.query<{ id: string; submittedAt: string }>(
    `INSERT INTO form_submissions (aspirant_id, form_link_id, source, data, submitted_at)
     VALUES (:aspirantId::uuid, :formLinkId::uuid, :source, :data::jsonb, :now::timestamptz)
     RETURNING id, submitted_at`,
    { aspirantId: input.aspirantId, formLinkId: input.formLinkId, source: input.source, data: JSON.stringify(input.form), now },
  );
  if (input.formLinkId !== null) {
    await q.query('UPDATE form_links SET submitted_at = :now::timestamptz WHERE id = :id::uuid', { id: input.formLinkId, now });
  }
  return {
    submissionId: submission!.id,
    aspirantId: input.aspirantId,
    formLinkId: input.formLinkId,
    submittedAt: submission!.submittedAt,
    dateOfBirth: columns.dateOfBirth,
    minor: isMinor(columns.dateOfBirth, input.now),
    language: columns.language,
  };
}

export type FormSubmitResult =
  | { readonly ok: true; readonly submission: RecordedSubmission }
  | { readonly ok: false; readonly errors: FormFieldErrors };

/**
 * The `/apply/<token>` POST: the token must name a live link (else `FormTokenError`, nothing stored); invalid
 * fields come back as per-field errors in `language` (nothing stored); a valid form is recorded.
 */
export async function submitFormLink(
  q: Queryable,
  input: { token: string; body: unknown; secret: string; now: Date; language?: FormLanguage },
): Promise<FormSubmitResult> {
  const link = await resolveFormLink(q, input.token, input.secret, input.now);
  const parsed = parseApplicationForm(input.body, { today: input.now, language: input.language ?? languageOf(input.body) });
  if (!parsed.ok) return parsed;
  return { ok: true, submission: await recordSubmission(q, { aspirantId: link.aspirantId, formLinkId: link.id, source: 'web', form: parsed.form, now: input.now }) };
}

/** The language a submission asked for, so its errors come back in it; Spanish otherwise. */
export function languageOf(body: unknown): FormLanguage {
  const language = (body as { language?: unknown } | null)?.language;
  return formLanguages.find((candidate) => candidate === language) ?? 'es';
}
