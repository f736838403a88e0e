import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { BadRequestError } from '../shared/errors.ts';

/**
 * A phone number in E.164 (`+5215512345678` → `+525512345678`), so one person is one aspirant whichever way
 * the number was written. Accepts the `whatsapp:` prefix Twilio puts on addresses. Numbers without a country
 * code need `defaultCountry`. Invalid numbers are a BadRequest.
 */
export function normalizePhone(raw: string, defaultCountry?: CountryCode): string {
  const text = raw.trim().replace(/^whatsapp:/i, '');
  const parsed = parsePhoneNumberFromString(text, defaultCountry);
  if (parsed?.isValid()) return parsed.number;
  // WhatsApp still reports Mexican mobiles with the "1" Mexico dropped in 2019 (+52 1 55…): drop it.
  if (parsed?.countryCallingCode === '52' && /^1\d{10}$/.test(parsed.nationalNumber)) {
    const withoutMobilePrefix = parsePhoneNumberFromString(`+52${parsed.nationalNumber.slice(1)}`);
    if (withoutMobilePrefix?.isValid()) return withoutMobilePrefix.number;
  }
  throw new BadRequestError('phone: not a valid phone number');
}
