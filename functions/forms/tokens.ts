import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The aspirant's personal form-link token: `<payload>.<signature>`, both base64url. The payload is binary to
 * keep the WhatsApp link short: a version byte, the form link's id and the aspirant's id (16 bytes each, from
 * their uuids) and the expiry in unix seconds (4 bytes, big-endian); the signature is HMAC-SHA256 of the
 * payload bytes with FORM_LINK_SECRET. The same link always gets the same token, so a URL can be rebuilt from
 * the form_links row. Revocation lives in the database (form_links.revoked_at): see links.ts.
 */
export interface FormLinkClaims {
  readonly formLinkId: string;
  readonly aspirantId: string;
  /** When the link stops working. Whole seconds: the token carries unix seconds. */
  readonly expiresAt: Date;
}

export type FormTokenErrorKind = 'malformed' | 'bad_signature' | 'expired' | 'revoked' | 'unknown_link';

/** Why a token is refused; the form page shows a clear message per kind and stores nothing. */
export class FormTokenError extends Error {
  override readonly name = 'FormTokenError';

  constructor(readonly kind: FormTokenErrorKind, message: string) {
    super(message);
  }
}

const MIN_FORM_LINK_SECRET_LENGTH = 32;
const VERSION = 1;
const PAYLOAD_BYTES = 1 + 16 + 16 + 4;
const SIGNATURE_BYTES = 32;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function assertSecret(secret: string): void {
  if (secret.length < MIN_FORM_LINK_SECRET_LENGTH) {
    throw new RangeError(`FORM_LINK_SECRET must be at least ${MIN_FORM_LINK_SECRET_LENGTH} characters`);
  }
}

const sign = (payload: Buffer, secret: string): Buffer => createHmac('sha256', secret).update(payload).digest();

const uuidBytes = (uuid: string, name: string): Buffer => {
  if (!UUID.test(uuid)) throw new TypeError(`${name} must be a uuid`);
  return Buffer.from(uuid.replaceAll('-', ''), 'hex');
};

const bytesUuid = (bytes: Buffer): string => {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

export function signFormLinkToken(claims: FormLinkClaims, secret: string): string {
  assertSecret(secret);
  const expiresAtSeconds = Math.floor(claims.expiresAt.getTime() / 1000);
  if (!Number.isInteger(expiresAtSeconds) || expiresAtSeconds < 0 || expiresAtSeconds > 0xffff_ffff) {
    throw new RangeError('expiresAt must be a valid date before 2106');
  }
  const payload = Buffer.alloc(PAYLOAD_BYTES);
  payload.writeUInt8(VERSION, 0);
  uuidBytes(claims.formLinkId, 'formLinkId').copy(payload, 1);
  uuidBytes(claims.aspirantId, 'aspirantId').copy(payload, 17);
  payload.writeUInt32BE(expiresAtSeconds, 33);
  return `${payload.toString('base64url')}.${sign(payload, secret).toString('base64url')}`;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * The claims of a genuine, unexpired token. Throws `FormTokenError` ('malformed', 'bad_signature', 'expired');
 * the signature is compared in constant time and checked before anything in the payload is believed.
 */
export function verifyFormLinkToken(token: string, secret: string, now: Date): FormLinkClaims {
  assertSecret(secret);
  const parts = token.split('.');
  if (parts.length !== 2 || !parts.every((part) => BASE64URL.test(part))) throw new FormTokenError('malformed', 'the form link is incomplete or malformed');
  const payload = Buffer.from(parts[0]!, 'base64url');
  const signature = Buffer.from(parts[1]!, 'base64url');
  if (payload.length !== PAYLOAD_BYTES || signature.length !== SIGNATURE_BYTES || payload.toString('base64url') !== parts[0] || signature.toString('base64url') !== parts[1]) {
    throw new FormTokenError('malformed', 'the form link is incomplete or malformed');
  }
  if (!timingSafeEqual(signature, sign(payload, secret))) throw new FormTokenError('bad_signature', 'the form link was altered or is not ours');
  if (payload.readUInt8(0) !== VERSION) throw new FormTokenError('malformed', 'the form link has an unknown version');
  const expiresAt = new Date(payload.readUInt32BE(33) * 1000);
  if (now.getTime() >= expiresAt.getTime()) throw new FormTokenError('expired', 'the form link has expired');
  return { formLinkId: bytesUuid(payload.subarray(1, 17)), aspirantId: bytesUuid(payload.subarray(17, 33)), expiresAt };
}
