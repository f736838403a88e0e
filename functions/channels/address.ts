import { normalizePhone } from '../domain/phone.ts';
import { WebhookPayloadError } from './model.ts';

const E164_SHAPE = /^\+[1-9]\d{6,14}$/;

/**
 * A WhatsApp address in E.164, so one person is one aspirant whichever provider carried the message: Twilio
 * writes `whatsapp:+5215512345678`, Meta bare digits (`5215512345678`). A number libphonenumber's metadata
 * does not know yet (new ranges, Meta's 1555… test numbers) is kept as written when it has E.164's shape:
 * a message must not be lost because the metadata lags, and the same person still maps to the same string.
 * `label` names the field in the error.
 */
export function whatsappAddressToE164(address: string, label: string): string {
  const text = address.trim().replace(/^whatsapp:/i, '');
  const withPlus = /^\d+$/.test(text) ? `+${text}` : text;
  try {
    return normalizePhone(withPlus);
  } catch {
    if (E164_SHAPE.test(withPlus)) return withPlus;
    throw new WebhookPayloadError(`${label}: "${address}" is not a phone number`);
  }
}
