import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Queryable } from '../data/db.ts';
import { normalizePhone } from '../domain/phone.ts';
import { resolveFormLink } from './links.ts';
import { FormTokenError } from './tokens.ts';
import { type FormFieldErrors, parseApplicationForm } from '../../web/src/features/apply/form/schema.ts';
import { languageOf, recordSubmission, type RecordedSubmission } from './submissions.ts';

/**
 * `POST /webhooks/form`: external form tools post the same form as the `/apply` page. The body is signed with
 * HMAC-SHA256 over the raw bytes with FORM_WEBHOOK_SECRET, sent as `X-Form-Signature-256: sha256=<hex>` (the
 * GitHub/Meta convention most tools can produce). The body names the aspirant by their form-link token
 * (a hidden field filled from the link) or by phone number:
 *   { "token": "<form link token>", "form": { ...fields } }   or   { "phone": "+34…", "form": { ... } }
 */
export const FORM_WEBHOOK_SIGNATURE_HEADER = 'x-form-signature-256';
export const MAX_FORM_WEBHOOK_BYTES = 64 * 1024;

/** Whether `signature` is the HMAC-SHA256 of exactly these bytes; constant-time. */
export function verifyFormWebhookSignature(rawBody: Uint8Array | string, signature: string | null | undefined, secret: string): boolean {
  if (secret.length === 0 || !signature) return false;
  const match = /^sha256=([0-9a-f]{64})$/i.exec(signature.trim());
  if (match === null) return false;
  const expected = createHmac('sha256', secret).update(typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody).digest();
  return timingSafeEqual(Buffer.from(match[1]!, 'hex'), expected);
}

/** The header value for a body: for tests and for documenting the contract to form-tool integrators. */
export const signFormWebhook = (rawBody: Uint8Array | string, secret: string): string =>
  `sha256=${createHmac('sha256', secret).update(typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody).digest('hex')}`;

const envelopeSchema = z.union([
  z.object({ token: z.string().min(1).max(200), form: z.unknown() }).strict(),
  z.object({ phone: z.string().min(1).max(40), form: z.unknown() }).strict(),
]);

export type FormWebhookOutcome =
  | { readonly status: 200; readonly submission: RecordedSubmission }
  | { readonly status: 400; readonly reason: string; readonly errors?: FormFieldErrors }
  | { readonly status: 401; readonly reason: string }
  | { readonly status: 404; readonly reason: string };

/**
 * Everything `POST /webhooks/form` decides, as an HTTP status: 401 unsigned or badly signed (checked first,
 * before the body is even parsed), 400 malformed or invalid (with per-field errors), 404 when no live link or
 * aspirant matches, 200 once recorded. Nothing is written unless the answer is 200.
 */
export async function acceptFormWebhook(
  q: Queryable,
  input: { rawBody: Uint8Array | string; signature: string | null | undefined; webhookSecret: string; linkSecret: string; now: Date },
): Promise<FormWebhookOutcome> {
  if (!verifyFormWebhookSignature(input.rawBody, input.signature, input.webhookSecret)) return { status: 401, reason: 'missing or invalid signature' };
  const text = typeof input.rawBody === 'string' ? input.rawBody : Buffer.from(input.rawBody).toString('utf8');
  if (Buffer.byteLength(text) > MAX_FORM_WEBHOOK_BYTES) return { status: 400, reason: `body larger than ${MAX_FORM_WEBHOOK_BYTES} bytes` };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { status: 400, reason: 'body is not JSON' };
  }
  const envelope = envelopeSchema.safeParse(json);
  if (!envelope.success) return { status: 400, reason: 'body must be {"token"|"phone", "form"}' };
  const parsed = parseApplicationForm(envelope.data.form, { today: input.now, language: languageOf(envelope.data.form) });
  if (!parsed.ok) return { status: 400, reason: 'invalid form fields', errors: parsed.errors };

  let target: { aspirantId: string; formLinkId: string | null };
  if ('token' in envelope.data) {
    try {
      const link = await resolveFormLink(q, envelope.data.token, input.linkSecret, input.now);
      target = { aspirantId: link.aspirantId, formLinkId: link.id };
    } catch (error) {
      if (error instanceof FormTokenError) return { status: error.kind === 'malformed' || error.kind === 'bad_signature' ? 400 : 404, reason: error.message };
      throw error;
    }
  } else {
    let phone: string;
    try {
      phone = normalizePhone(envelope.data.phone);
    } catch {
      return { status: 400, reason: 'phone: not a valid phone number' };
    }
    const [aspirant] = await q.query<{ id: string }>('SELECT id FROM aspirants WHERE phone = :phone', { phone });
    if (aspirant === undefined) return { status: 404, reason: 'no aspirant has this phone number' };
    target = { aspirantId: aspirant.id, formLinkId: null };
  }
  return { status: 200, submission: await recordSubmission(q, { ...target, source: 'webhook', form: parsed.form, now: input.now }) };
}
