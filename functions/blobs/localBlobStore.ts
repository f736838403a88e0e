import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { loadOrCreateLocalSecret } from '../shared/localSecrets.ts';
import { assertBlobKey, assertTtl, type BlobStore, type StoredBlob } from './blobStore.ts';

/** Path prefix of the signed URLs; the local host routes it to `LocalBlobStore.serve`. */
export const LOCAL_MEDIA_PATH = '/media/';
const MIN_SECRET_LENGTH = 32;
const SECRET_FILE = 'media-url-secret';

export interface LocalBlobStoreOptions {
  /** DATA_DIR; blobs live under `<dataDir>/blobs`. */
  readonly dataDir: string;
  /** PUBLIC_URL: where the local host answers, the base of every signed URL. */
  readonly publicUrl: string;
  /** MEDIA_URL_SECRET, or the one `loadOrCreateMediaUrlSecret` keeps under DATA_DIR. */
  readonly urlSecret: string;
  /** Milliseconds since the epoch; tests move it. */
  readonly now?: () => number;
}

export type SignedUrlCheck = { readonly ok: true; readonly key: string } | { readonly ok: false; readonly reason: string };

export interface MediaResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array | string;
}

/**
 * Blobs as files under DATA_DIR: the embedded default. Writes go to a temporary file first and are renamed into
 * place, so a crash never leaves half a blob. Signed URLs are `/media/<key>?exp=<unix seconds>&sig=<HMAC-SHA256
 * of key and expiry, base64url>`.
 */
export class LocalBlobStore implements BlobStore {
  private readonly objectsDir: string;
  private readonly typesDir: string;
  private readonly tempDir: string;
  private readonly publicUrl: string;
  private readonly urlSecret: string;
  private readonly now: () => number;

  constructor(options: LocalBlobStoreOptions) {
    if (options.urlSecret.length < MIN_SECRET_LENGTH) {
      throw new RangeError(`MEDIA_URL_SECRET must be at least ${MIN_SECRET_LENGTH} characters`);
    }
    const root = join(options.dataDir, 'blobs');
    this.objectsDir = join(root, 'objects');
    this.typesDir = join(root, 'types');
    this.tempDir = join(root, 'tmp');
    this.publicUrl = options.publicUrl.replace(/\/+$/, '');
    this.urlSecret = options.urlSecret;
    this.now = options.now ?? Date.now;
  }

  async put(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
    assertBlobKey(key);
    await this.writeAtomically(join(this.typesDir, key), contentType);
    await this.writeAtomically(join(this.objectsDir, key), bytes);
  }

  async get(key: string): Promise<StoredBlob | undefined> {
    assertBlobKey(key);
    const bytes = await readIfExists(join(this.objectsDir, key));
    if (!bytes) return undefined;
    const contentType = (await readIfExists(join(this.typesDir, key)))?.toString('utf8') ?? 'application/octet-stream';
    return { bytes, contentType };
  }

  async delete(key: string): Promise<void> {
    assertBlobKey(key);
    await rm(join(this.objectsDir, key), { force: true });
    await rm(join(this.typesDir, key), { force: true });
  }

  async signedUrl(key: string, ttlSeconds: number): Promise<string> {
    assertBlobKey(key);
    assertTtl(ttlSeconds);
    const expires = Math.floor(this.now() / 1000) + ttlSeconds;
    return `${this.publicUrl}${LOCAL_MEDIA_PATH}${key}?exp=${expires}&sig=${this.signature(key, expires)}`;
  }

  /** Checks a request target (path and query, as the HTTP server received it) against its signature and expiry. */
  verifySignedUrl(requestTarget: string): SignedUrlCheck {
    const url = new URL(requestTarget, 'http://local.invalid');
    if (!url.pathname.startsWith(LOCAL_MEDIA_PATH)) return { ok: false, reason: 'not a media URL' };
    let key: string;
    try {
      key = decodeURIComponent(url.pathname.slice(LOCAL_MEDIA_PATH.length));
      assertBlobKey(key);
    } catch {
      return { ok: false, reason: 'invalid media key' };
    }
    const expires = url.searchParams.get('exp') ?? '';
    const signature = Buffer.from(url.searchParams.get('sig') ?? '');
    if (!/^\d{1,12}$/.test(expires) || signature.length === 0) return { ok: false, reason: 'the URL is not signed' };
    const expected = Buffer.from(this.signature(key, Number(expires)));
    if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) {
      return { ok: false, reason: 'the signature does not match' };
    }
    if (Number(expires) * 1000 <= this.now()) return { ok: false, reason: 'the URL has expired' };
    return { ok: true, key };
  }

  /** The local host's answer to a GET of a signed media URL. */
  async serve(requestTarget: string): Promise<MediaResponse> {
    const check = this.verifySignedUrl(requestTarget);
    if (!check.ok) return { status: 403, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: check.reason };
    const blob = await this.get(check.key);
    if (!blob) return { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'no such media' };
    const playable = /^(image|audio|video)\//.test(blob.contentType);
    return {
      status: 200,
      headers: {
        'content-type': blob.contentType,
        'content-length': String(blob.bytes.length),
        'content-disposition': playable ? 'inline' : 'attachment',
        'cache-control': 'private, max-age=300',
        'x-content-type-options': 'nosniff',
        'content-security-policy': "default-src 'none'; sandbox",
      },
      body: blob.bytes,
    };
  }

  private signature(key: string, expires: number): string {
    return createHmac('sha256', this.urlSecret).update(`${key}\n${expires}`).digest('base64url');
  }

  private async writeAtomically(path: string, data: Uint8Array | string): Promise<void> {
    await mkdir(this.tempDir, { recursive: true });
    await mkdir(dirname(path), { recursive: true });
    const temporary = join(this.tempDir, randomUUID());
    await writeFile(temporary, data);
    await rename(temporary, path);
  }
}

async function readIfExists(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * The secret for local signed URLs when MEDIA_URL_SECRET is unset: made once, kept in `<dataDir>/media-url-secret`
 * (owner-only), so URLs stay valid across restarts. Concurrent first starts agree on one secret.
 */
export const loadOrCreateMediaUrlSecret = (dataDir: string): Promise<string> => loadOrCreateLocalSecret(dataDir, SECRET_FILE);
