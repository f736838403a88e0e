import type { FormFieldErrors } from './form/schema.ts';
import type { FormLanguage } from './form/messages.ts';

/**
 * The form page's API on the host (functions/forms/http.ts), reached without login: the signed token in the
 * path is the key. Opening records the link as opened; a refused token answers 403 (altered, unknown) or 410
 * (expired, revoked) with the reason.
 */
export type RefusalReason = 'malformed' | 'bad_signature' | 'unknown_link' | 'expired' | 'revoked' | 'unavailable';

export type OpenedForm =
  | { readonly ok: true; readonly language: FormLanguage; readonly previous: Record<string, unknown> | null }
  | { readonly ok: false; readonly reason: RefusalReason };

export type SubmitResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly errors: FormFieldErrors }
  | { readonly ok: false; readonly reason: RefusalReason };

const formUrl = (token: string) => `/api/forms/${encodeURIComponent(token)}`;

async function refusalOf(response: Response): Promise<RefusalReason> {
  const body = (await response.json().catch(() => ({}))) as { error?: string };
  const known: readonly RefusalReason[] = ['malformed', 'bad_signature', 'unknown_link', 'expired', 'revoked'];
  return known.find((reason) => reason === body.error) ?? 'unavailable';
}

export async function openForm(token: string): Promise<OpenedForm> {
  const response = await fetch(formUrl(token), { headers: { accept: 'application/json' } }).catch(() => undefined);
  if (response === undefined) return { ok: false, reason: 'unavailable' };
  if (!response.ok) return { ok: false, reason: await refusalOf(response) };
  const body = (await response.json()) as { language: FormLanguage; previous: Record<string, unknown> | null };
  return { ok: true, language: body.language, previous: body.previous };
}

export async function submitForm(token: string, values: unknown): Promise<SubmitResult> {
  const response = await fetch(formUrl(token), {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(values),
  }).catch(() => undefined);
  if (response === undefined) return { ok: false, reason: 'unavailable' };
  if (response.ok) return { ok: true };
  if (response.status === 400) return { ok: false, errors: ((await response.json()) as { errors: FormFieldErrors }).errors };
  return { ok: false, reason: await refusalOf(response) };
}
