import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalS3, type LocalS3Server } from '../../infra/local/s3/server.ts';
import { LocalBlobStore } from '../blobs/localBlobStore.ts';
import { S3BlobStore } from '../blobs/s3BlobStore.ts';
import { TransientMediaError } from './errors.ts';
import type { FetchMediaOptions } from './fetchMedia.ts';
import { processMedia, type ProcessMediaInput } from './pipeline.ts';
import { oggOpusVoiceNote, pdf, phonePhotoWithGps, solidImage, withJpegComment, zipArchive } from './testing/samples.ts';
import { startTestServer, type TestServer } from './testing/servers.ts';

/** Files the fake provider serves, by path, with the Content-Type it claims (which must not matter). */
const files = new Map<string, { bytes: Buffer; contentType: string }>();

function serveFiles(request: IncomingMessage, response: ServerResponse): void {
  const url = new URL(request.url ?? '/', 'http://provider');
  if (url.pathname === '/unavailable') {
    response.writeHead(503).end();
    return;
  }
  if (url.pathname === '/to-metadata') {
    response.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
    return;
  }
  const file = files.get(url.pathname);
  if (!file) {
    response.writeHead(404).end();
    return;
  }
  response.writeHead(200, { 'content-type': file.contentType, 'content-length': file.bytes.length }).end(file.bytes);
}

let provider: TestServer;
let dataDir: string;
let blobStore: LocalBlobStore;

beforeAll(async () => {
  provider = await startTestServer(serveFiles);
  dataDir = await mkdtemp(join(tmpdir(), 'media-pipeline-'));
  blobStore = new LocalBlobStore({ dataDir, publicUrl: 'http://localhost:4000', urlSecret: 'pipeline-test-secret-long-enough-for-hmac' });
  files.set('/photo', { bytes: await phonePhotoWithGps(6), contentType: 'image/jpeg' });
  files.set('/voice', { bytes: oggOpusVoiceNote(4.2), contentType: 'audio/ogg; codecs=opus' });
  files.set('/cv', { bytes: pdf(), contentType: 'application/octet-stream' });
  files.set('/gifar', { bytes: Buffer.concat([await solidImage('gif'), zipArchive()]), contentType: 'image/gif' });
  files.set('/page', { bytes: Buffer.from('<!doctype html><script>alert(1)</script>'), contentType: 'image/jpeg' });
  // Over 5 MB but under 16: an image is refused whether or not the provider said it was one.
  let large = await solidImage('jpeg');
  while (large.length <= 5 * 1024 * 1024) large = withJpegComment(large, Buffer.alloc(65_000, 0x41));
  files.set('/large-photo', { bytes: large, contentType: 'image/jpeg' });
  files.set('/large-photo-undeclared', { bytes: large, contentType: 'application/octet-stream' });
});

afterAll(async () => {
  await provider.close();
  await rm(dataDir, { recursive: true, force: true });
});

const fetchOptions = (): FetchMediaOptions => ({
  hosts: { download: [provider.host], redirect: [] },
  testOnly: { allowLoopbackOrigins: [provider.origin] },
});

function input(path: string, contentType?: string, overrides: Partial<ProcessMediaInput> = {}): ProcessMediaInput {
  return {
    download: { url: `${provider.origin}${path}`, headers: { authorization: 'Basic provider' }, ...(contentType ? { contentType } : {}) },
    fetchOptions: fetchOptions(),
    blobStore,
    keyPrefix: 'media/0b7c1e54-3f0e-4a57-9a57-5d8f2a1c9e01',
    ...overrides,
  };
}

describe('processMedia', () => {
  it('stores a phone photo re-encoded, upright and without GPS, with a thumbnail', async () => {
    const result = await processMedia(input('/photo', 'image/jpeg'));
    expect(result).toMatchObject({ status: 'stored', kind: 'image', contentType: 'image/jpeg', width: 100, height: 200 });
    if (result.status !== 'stored') throw new Error('unreachable');
    expect(result.blobKey).toMatch(/^media\/0b7c1e54-3f0e-4a57-9a57-5d8f2a1c9e01\/[0-9a-f-]{36}\.jpg$/);
    expect(result.thumbnailKey).toMatch(/^media\/0b7c1e54-3f0e-4a57-9a57-5d8f2a1c9e01\/[0-9a-f-]{36}\.thumb\.jpg$/);

    const stored = await blobStore.get(result.blobKey);
    expect(stored!.contentType).toBe('image/jpeg');
    expect(result.sizeBytes).toBe(stored!.bytes.length);
    const metadata = await sharp(stored!.bytes).metadata();
    expect(metadata.exif).toBeUndefined();
    expect(metadata.orientation).toBeUndefined();
    expect(await blobStore.get(result.thumbnailKey!)).toBeDefined();
  });

  it('stores a voice note as it came, typed by its bytes, with its duration', async () => {
    const result = await processMedia(input('/voice', 'audio/ogg'));
    expect(result).toMatchObject({ status: 'stored', kind: 'audio', contentType: 'audio/ogg', sizeBytes: files.get('/voice')!.bytes.length });
    if (result.status !== 'stored') throw new Error('unreachable');
    expect(result.durationSeconds).toBeCloseTo(4.2, 6);
    expect(result.blobKey).toMatch(/\.ogg$/);
    expect(Buffer.from((await blobStore.get(result.blobKey))!.bytes).equals(files.get('/voice')!.bytes)).toBe(true);
  });

  it('stores a document announced with a generic type as the PDF it is', async () => {
    const result = await processMedia(input('/cv', 'application/octet-stream'));
    expect(result).toMatchObject({ status: 'stored', kind: 'document', contentType: 'application/pdf' });
  });

  it.each([
    ['a GIFAR', '/gifar', 'image/gif', /follow the end of the GIF data/],
    ['HTML announced as a photo', '/page', 'image/jpeg', /the file type is not recognized/],
    ['an image over 5 MB announced as one (stopped while streaming)', '/large-photo', 'image/jpeg', /^the file is larger than 5 MB/],
    ['an image over 5 MB announced as something else', '/large-photo-undeclared', 'application/octet-stream', /^the image is larger than 5 MB$/],
    ['a missing file', '/missing', undefined, /answered 404/],
    ['a redirect to the metadata service', '/to-metadata', undefined, /^refused http:\/\/169\.254\.169\.254: only https/],
  ])('rejects %s with a reason and stores nothing', async (_name, path, contentType, reason) => {
    const keyPrefix = `media/rejected-${path.slice(1)}`;
    const result = await processMedia(input(path, contentType, { keyPrefix }));
    expect(result.status).toBe('rejected');
    if (result.status !== 'rejected') throw new Error('unreachable');
    expect(result.reason).toMatch(reason);
    expect(existsSync(join(dataDir, 'blobs', 'objects', keyPrefix))).toBe(false);
  });

  it('throws a transient error when the provider is unavailable, so the job retries', async () => {
    await expect(processMedia(input('/unavailable'))).rejects.toThrow(TransientMediaError);
  });

  describe('with S3 storage', () => {
    let s3: LocalS3Server;
    const credentials = { accessKeyId: 'AKIDPIPELINE', secretAccessKey: 'pipeline-secret' };
    beforeAll(async () => {
      s3 = await startLocalS3({ credentials: { [credentials.accessKeyId]: credentials.secretAccessKey }, buckets: ['media'] });
    });
    afterAll(() => s3.close());
    const s3Store = (bucket: string) => new S3BlobStore({ bucket, region: s3.region, endpoint: s3.endpoint, forcePathStyle: true, credentials });

    it('stores the photo and its thumbnail as encrypted objects', async () => {
      const result = await processMedia(input('/photo', 'image/jpeg', { blobStore: s3Store('media') }));
      if (result.status !== 'stored') throw new Error(`expected stored, got ${JSON.stringify(result)}`);
      expect(s3.objects.get(`media/${result.blobKey}`)).toMatchObject({ contentType: 'image/jpeg', serverSideEncryption: 'AES256' });
      expect(s3.objects.get(`media/${result.thumbnailKey}`)).toBeDefined();
    });

    it('throws a transient error when storage fails, so the attachment is not lost', async () => {
      await expect(processMedia(input('/voice', 'audio/ogg', { blobStore: s3Store('missing-bucket') }))).rejects.toThrow(
        new TransientMediaError('could not store the media: The specified bucket does not exist'),
      );
    });
  });
});
