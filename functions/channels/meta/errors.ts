import { SendError, type FailureMeaning } from '../model.ts';

/**
 * Cloud API error codes, as the Graph API answers a send and as failed statuses report them
 * (https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes).
 */
const META_FAILURES: Readonly<Record<string, FailureMeaning>> = {
  '131047': { kind: 'window_closed', reason: 'Outside the 24-hour window: only an approved template can be sent' },
  '131050': { kind: 'opted_out', reason: 'The recipient stopped marketing messages from this business' },
  '131026': { kind: 'invalid_recipient', reason: 'The message is undeliverable: the recipient is not on WhatsApp or cannot receive it' },
  '131021': { kind: 'invalid_recipient', reason: 'The recipient is our own sender number' },
  '131048': { kind: 'tier_limit', reason: "The sender number's messaging limit is reached (spam-rate restriction)" },
  '130429': { kind: 'transient', reason: 'Meta is rate limiting this number (throughput limit)' },
  '131056': { kind: 'transient', reason: 'Too many messages to this recipient in a short time' },
  '131049': { kind: 'permanent', reason: 'WhatsApp chose not to deliver this marketing message' },
  '130472': { kind: 'permanent', reason: "WhatsApp did not deliver the message: the recipient's number is part of an experiment" },
  '131052': { kind: 'permanent', reason: 'WhatsApp could not download the media of the message' },
  '131053': { kind: 'permanent', reason: 'WhatsApp could not upload the media of the message' },
  '131051': { kind: 'permanent', reason: 'WhatsApp does not support this message type' },
  '131008': { kind: 'permanent', reason: 'A required message parameter is missing' },
  '131009': { kind: 'permanent', reason: 'A message parameter is not valid' },
  '132000': { kind: 'permanent', reason: 'The template variables do not match the template' },
  '132001': { kind: 'permanent', reason: 'The template does not exist or is not approved for this language' },
  '132015': { kind: 'permanent', reason: 'The template is paused for low quality' },
  '132016': { kind: 'permanent', reason: 'The template is disabled for low quality' },
  '133010': { kind: 'permanent', reason: 'The sender number is not registered with the Cloud API' },
  '131031': { kind: 'permanent', reason: 'The WhatsApp Business account is locked' },
  '131042': { kind: 'permanent', reason: 'The WhatsApp Business account has a payment problem' },
  '368': { kind: 'permanent', reason: 'The account is temporarily blocked for policy violations' },
  '190': { kind: 'permanent', reason: 'The Meta access token has expired or is invalid' },
  '10': { kind: 'permanent', reason: 'The Meta access token lacks the WhatsApp permissions' },
  '100': { kind: 'permanent', reason: 'Meta refused a parameter of the request' },
  '131000': { kind: 'transient', reason: 'Meta reported an unknown error' },
  '131016': { kind: 'transient', reason: 'The Cloud API is temporarily unavailable' },
  '131057': { kind: 'transient', reason: 'The WhatsApp Business account is in maintenance mode' },
  '133004': { kind: 'transient', reason: 'The Cloud API server is temporarily unavailable' },
  '1': { kind: 'transient', reason: 'The Graph API had an unknown problem' },
  '2': { kind: 'transient', reason: 'The Graph API is temporarily unavailable' },
  '4': { kind: 'transient', reason: 'The app made too many Graph API calls' },
  '80007': { kind: 'transient', reason: 'The WhatsApp Business account hit its API rate limit' },
};

/** What a Meta error code means; unknown codes are final, with the provider's own text when it gave one. */
export function metaFailure(code: string, providerMessage?: string): FailureMeaning {
  return META_FAILURES[code] ?? { kind: 'permanent', reason: providerMessage?.trim() || `Meta error ${code}` };
}

/** The Graph API's error body: `{ error: { message, type, code, error_subcode, is_transient, error_data } }`. */
export interface GraphErrorBody {
  readonly error?: {
    readonly message?: string;
    readonly code?: number;
    readonly is_transient?: boolean;
    readonly error_data?: { readonly details?: string };
  };
}

/**
 * A refused Graph API call as a SendError: a known code decides; otherwise Meta's `is_transient` flag, 429
 * and 5xx mean retry, and anything else is final.
 */
export function sendErrorFromGraph(httpStatus: number, body: GraphErrorBody | undefined, retryAfterSeconds?: number): SendError {
  const error = body?.error;
  const code = error?.code === undefined ? undefined : String(error.code);
  const providerMessage = error?.error_data?.details ?? error?.message;
  if (code !== undefined && META_FAILURES[code]) {
    const meaning = metaFailure(code);
    return new SendError(meaning.kind, code, meaning.reason, retryAfterSeconds);
  }
  const kind = error?.is_transient || httpStatus === 429 || httpStatus >= 500 ? 'transient' : 'permanent';
  return new SendError(kind, code, `Meta refused the message: ${providerMessage ?? `HTTP ${httpStatus}`}`, retryAfterSeconds);
}
