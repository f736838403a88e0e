import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidBlobKeyError } from './blobStore.ts';
import { LocalBlobStore, loadOrCreateMediaUrlSecret } from './localBlobStore.ts';

const SECRET = 'a-test-secret-that-is-long-enough-for-hmac';
let dataDir: string;
let clock = Date.parse('2025-06-01T12:00:00Z');
let store: LocalBlobStore;
let server: http.Server;
let origin: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'blobs-'));
  // The local host's media route, reduced to what it does: hand the request target to the store.
  server = http.createServer(async (request, response) => {
    const answer = await store.serve(request.url ?? '/');
    response.writeHead(answer.status, answer.headers).end(answer.body);
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  store = new LocalBlobStore({ dataDir, publicUrl: `${origin}/`, urlSecret: SECRET, now: () => clock });
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rm(dataDir, { recursive: true, force: true });
});

async function filesUnder(directory: string): Promise<string[]> {
  return (await readdir(directory, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

describe('LocalBlobStore', () => {
  it('stores, returns, replaces and deletes a blob with its content type', async () => {
    await store.put('media/conv-1/photo.jpg', Buffer.from('first'), 'image/jpeg');
    await store.put('media/conv-1/photo.jpg', Buffer.from('second'), 'image/webp');
    const blob = await store.get('media/conv-1/photo.jpg');
    expect(Buffer.from(blob!.bytes).toString()).toBe('second');
    expect(blob!.contentType).toBe('image/webp');
    await store.delete('media/conv-1/photo.jpg');
    expect(await store.get('media/conv-1/photo.jpg')).toBeUndefined();
    await expect(store.delete('media/conv-1/photo.jpg')).resolves.toBeUndefined();
    expect(await filesUnder(join(dataDir, 'blobs', 'tmp'))).toEqual([]);
  });

  it('refuses keys that could escape the blob folder and writes nothing', async () => {
    const before = await filesUnder(dataDir);
    for (const key of ['../escape', 'a/../../escape', '/etc/passwd', 'a//b', '.hidden', 'a/./b', 'a\\b', '%2e%2e/x', '', 'a/', 'x'.repeat(513)]) {
      await expect(store.put(key, Buffer.from('x'), 'text/plain'), key).rejects.toThrow(InvalidBlobKeyError);
      await expect(store.get(key), key).rejects.toThrow(InvalidBlobKeyError);
      await expect(store.signedUrl(key, 60), key).rejects.toThrow(InvalidBlobKeyError);
    }
    expect(await filesUnder(dataDir)).toEqual(before);
  });

  it('serves a blob through its signed URL until the URL expires', async () => {
    await store.put('media/conv-2/voice.ogg', Buffer.from('OggS voice'), 'audio/ogg');
    const url = await store.signedUrl('media/conv-2/voice.ogg', 300);
    expect(url.startsWith(`${origin}/media/media/conv-2/voice.ogg?exp=`)).toBe(true);

    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('OggS voice');
    expect(response.headers.get('content-type')).toBe('audio/ogg');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');

    clock += 299_000;
    expect((await fetch(url)).status).toBe(200);
    clock += 1_000;
    const expired = await fetch(url);
    expect(expired.status).toBe(403);
    expect(await expired.text()).toBe('the URL has expired');
  });

  it('refuses tampered, foreign and unsigned URLs', async () => {
    await store.put('media/conv-3/a.pdf', Buffer.from('%PDF-a'), 'application/pdf');
    await store.put('media/conv-3/b.pdf', Buffer.from('%PDF-b'), 'application/pdf');
    const genuine = new URL(await store.signedUrl('media/conv-3/a.pdf', 60));
    const exp = genuine.searchParams.get('exp')!;
    const sig = genuine.searchParams.get('sig')!;
    const foreign = new URL(
      await new LocalBlobStore({ dataDir, publicUrl: origin, urlSecret: `${SECRET}-other`, now: () => clock }).signedUrl('media/conv-3/a.pdf', 60),
    );
    const attempts: Array<[string, string]> = [
      [`/media/media/conv-3/b.pdf?exp=${exp}&sig=${sig}`, 'the signature does not match'],
      [`/media/media/conv-3/a.pdf?exp=${Number(exp) + 3600}&sig=${sig}`, 'the signature does not match'],
      [`/media/media/conv-3/a.pdf?exp=${exp}&sig=${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`, 'the signature does not match'],
      [`${foreign.pathname}${foreign.search}`, 'the signature does not match'],
      ['/media/media/conv-3/a.pdf', 'the URL is not signed'],
      [`/media/media%2Fconv-3%2F..%2F..%2Fescape?exp=${exp}&sig=${sig}`, 'invalid media key'],
      [`/media/%E0%A4%A?exp=${exp}&sig=${sig}`, 'invalid media key'],
    ];
    for (const [target, reason] of attempts) {
      const response = await fetch(`${origin}${target}`);
      expect(response.status, target).toBe(403);
      expect(await response.text(), target).toBe(reason);
    }
    expect((await fetch(genuine)).status).toBe(200);
  });

  it('answers 404 for a validly signed URL of a deleted blob', async () => {
    await store.put('media/conv-4/gone.jpg', Buffer.from('x'), 'image/jpeg');
    const url = await store.signedUrl('media/conv-4/gone.jpg', 60);
    await store.delete('media/conv-4/gone.jpg');
    expect((await fetch(url)).status).toBe(404);
  });

  it('refuses short secrets and out-of-range lifetimes', async () => {
    expect(() => new LocalBlobStore({ dataDir, publicUrl: origin, urlSecret: 'short' })).toThrow(/at least 32 characters/);
    await expect(store.signedUrl('media/x.jpg', 0)).rejects.toThrow(RangeError);
    await expect(store.signedUrl('media/x.jpg', 8 * 24 * 3600)).rejects.toThrow(RangeError);
  });
});

describe('loadOrCreateMediaUrlSecret', () => {
  it('creates one owner-only secret that concurrent and later starts all get', async () => {
    const directory = join(dataDir, 'fresh-data-dir');
    const secrets = await Promise.all(Array.from({ length: 8 }, () => loadOrCreateMediaUrlSecret(directory)));
    expect(new Set(secrets).size).toBe(1);
    expect(secrets[0]!.length).toBeGreaterThanOrEqual(32);
    expect(await loadOrCreateMediaUrlSecret(directory)).toBe(secrets[0]);
    expect((await stat(join(directory, 'media-url-secret'))).mode & 0o777).toBe(0o600);
    expect(await readdir(directory)).toEqual(['media-url-secret']);
  });
});
