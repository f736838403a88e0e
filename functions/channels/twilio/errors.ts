import { SendError, type FailureMeaning } from '../model.ts';

/**
 * Twilio error codes a WhatsApp send meets, whether the REST call refuses it at once or a status callback
 * reports it later (https://www.twilio.com/docs/api/errors).
 */
const TWILIO_FAILURES: Readonly<Record<string, FailureMeaning>> = {
  '63016': { kind: 'window_closed', reason: 'Outside the 24-hour window: only an approved template can be sent' },
  '63018': { kind: 'tier_limit', reason: "The sender's WhatsApp messaging-limit tier is used up for the last 24 hours" },
  '63038': { kind: 'tier_limit', reason: "The account's daily message limit is used up" },
  '21610': { kind: 'opted_out', reason: 'The recipient opted out (replied STOP) and cannot be written to' },
  '63019': { kind: 'permanent', reason: 'WhatsApp could not download the media of the message' },
  '21211': { kind: 'invalid_recipient', reason: 'The recipient is not a valid phone number' },
  '21614': { kind: 'invalid_recipient', reason: 'The recipient is not a valid mobile number' },
  '63003': { kind: 'invalid_recipient', reason: 'The recipient is not on WhatsApp' },
  '63024': { kind: 'invalid_recipient', reason: 'The recipient cannot receive this message' },
  '30003': { kind: 'invalid_recipient', reason: "The recipient's phone is unreachable" },
  '30005': { kind: 'invalid_recipient', reason: 'The recipient number is unknown or no longer exists' },
  '30006': { kind: 'invalid_recipient', reason: 'The recipient is a landline or unreachable carrier' },
  '63032': { kind: 'permanent', reason: "WhatsApp did not deliver the message because of the user's region or settings" },
  '63049': { kind: 'permanent', reason: 'WhatsApp chose not to deliver this marketing message' },
  '63005': { kind: 'permanent', reason: 'WhatsApp did not accept the content of the message' },
  '63021': { kind: 'permanent', reason: 'The message content is invalid for WhatsApp' },
  '63027': { kind: 'permanent', reason: 'The template does not exist or is not approved for this language' },
  '21656': { kind: 'permanent', reason: 'The template variables are invalid' },
  '63007': { kind: 'permanent', reason: 'The WhatsApp sender is not set up on this Twilio account' },
  '20003': { kind: 'permanent', reason: 'Twilio refused the credentials' },
  '20429': { kind: 'transient', reason: 'Twilio is rate limiting requests' },
  '30001': { kind: 'transient', reason: 'The sender queue overflowed' },
  '30008': { kind: 'transient', reason: 'Twilio reported an unknown delivery error' },
};

/** What a Twilio error code means; unknown codes are final, with the provider's own message when it gave one. */
export function twilioFailure(code: string, providerMessage?: string): FailureMeaning {
  return TWILIO_FAILURES[code] ?? { kind: 'permanent', reason: providerMessage?.trim() || `Twilio error ${code}` };
}

/**
 * A failed `messages.create` call as a SendError: the REST exception's code decides when Twilio gave one,
 * otherwise the HTTP status does (429 and 5xx are worth retrying); no response at all is a network failure.
 */
export function sendErrorFromTwilio(error: unknown): SendError {
  const status = numberField(error, 'status');
  if (status === undefined) {
    return new SendError('transient', undefined, `Twilio could not be reached: ${error instanceof Error ? error.message : String(error)}`);
  }
  const code = numberField(error, 'code');
  if (code !== undefined && TWILIO_FAILURES[String(code)]) {
    const meaning = twilioFailure(String(code));
    return new SendError(meaning.kind, String(code), meaning.reason);
  }
  const providerMessage = error instanceof Error && error.message ? error.message : `HTTP ${status}`;
  const kind = status === 429 || status >= 500 ? 'transient' : 'permanent';
  return new SendError(kind, code === undefined ? undefined : String(code), `Twilio refused the message: ${providerMessage}`);
}

function numberField(value: unknown, key: string): number | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const field = (value as Record<string, unknown>)[key];
  return typeof field === 'number' ? field : undefined;
}
