/**
 * Where stored media lives. Two adapters: local files under DATA_DIR (the embedded default, with HMAC-signed
 * URLs the local host serves) and S3 (AWS or any S3-compatible endpoint, with presigned GETs).
 */
export interface StoredBlob {
  readonly bytes: Uint8Array;
  readonly contentType: string;
}

export interface BlobStore {
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** Undefined when no blob has the key. */
  get(key: string): Promise<StoredBlob | undefined>;
  /** Deleting a missing key is not an error. */
  delete(key: string): Promise<void>;
  /** A URL anyone holding it can GET the blob with until it expires. */
  signedUrl(key: string, ttlSeconds: number): Promise<string>;
}

export class InvalidBlobKeyError extends Error {
  override readonly name = 'InvalidBlobKeyError';
}

// Slash-separated segments of letters, digits, '.', '_' and '-', each starting with a letter or digit: no
// empty, '.' or '..' segment, no absolute path, nothing a URL or a file system would reinterpret.
const BLOB_KEY = /^[A-Za-z0-9][A-Za-z0-9._-]*(?:\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;
const MAX_BLOB_KEY_LENGTH = 512;

/** Throws `InvalidBlobKeyError` unless the key is safe as both a file path below a root and an S3 key. */
export function assertBlobKey(key: string): void {
  if (key.length > MAX_BLOB_KEY_LENGTH || !BLOB_KEY.test(key)) {
    throw new InvalidBlobKeyError(`invalid blob key "${key.slice(0, 80)}"`);
  }
}

/** Shortest and longest lifetime of a signed URL: long enough to load a page, short enough to die with the session. */
export const SIGNED_URL_TTL_LIMITS = { min: 1, max: 7 * 24 * 3600 } as const;

export function assertTtl(ttlSeconds: number): void {
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < SIGNED_URL_TTL_LIMITS.min || ttlSeconds > SIGNED_URL_TTL_LIMITS.max) {
    throw new RangeError(`signed URL lifetime must be a whole number of seconds from ${SIGNED_URL_TTL_LIMITS.min} to ${SIGNED_URL_TTL_LIMITS.max}`);
  }
}
