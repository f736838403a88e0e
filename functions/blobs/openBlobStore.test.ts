import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalBlobStore } from './localBlobStore.ts';
import { openBlobStore } from './openBlobStore.ts';
import { S3BlobStore } from './s3BlobStore.ts';

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'open-blobs-'));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

describe('openBlobStore', () => {
  it('uses local files with a secret generated and kept under DATA_DIR when no bucket is configured', async () => {
    const store = await openBlobStore({ dataDir, publicUrl: 'http://localhost:4000', region: 'ap-south-1' });
    expect(store).toBeInstanceOf(LocalBlobStore);
    const url = new URL(await store.signedUrl('media/a.jpg', 60));
    const secret = await readFile(join(dataDir, 'media-url-secret'), 'utf8');
    const sameSecret = new LocalBlobStore({ dataDir, publicUrl: 'http://localhost:4000', urlSecret: secret });
    expect(sameSecret.verifySignedUrl(`${url.pathname}${url.search}`)).toEqual({ ok: true, key: 'media/a.jpg' });
  });

  it('uses MEDIA_URL_SECRET when it is given', async () => {
    const secret = 'configured-secret-of-sufficient-length-0123';
    const store = (await openBlobStore({ dataDir, publicUrl: 'http://localhost:4000', region: 'ap-south-1', mediaUrlSecret: secret })) as LocalBlobStore;
    const url = new URL(await store.signedUrl('media/a.jpg', 60));
    const withConfigured = new LocalBlobStore({ dataDir, publicUrl: 'http://localhost:4000', urlSecret: secret });
    expect(withConfigured.verifySignedUrl(`${url.pathname}${url.search}`).ok).toBe(true);
  });

  it('uses S3 when a bucket is configured', async () => {
    const store = await openBlobStore({ dataDir, publicUrl: 'http://localhost:4000', region: 'ap-south-1', s3Bucket: 'media', s3Endpoint: 'http://127.0.0.1:9', s3ForcePathStyle: true });
    expect(store).toBeInstanceOf(S3BlobStore);
  });
});
