import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalS3, type LocalS3Server } from '../../infra/local/s3/server.ts';
import { InvalidBlobKeyError } from './blobStore.ts';
import { S3BlobStore, type S3BlobStoreOptions } from './s3BlobStore.ts';

const CREDENTIALS = { accessKeyId: 'AKIDLOCALTEST', secretAccessKey: 'local-test-secret-access-key' };
const BUCKET = 'wasaprecruit-media';
let s3: LocalS3Server;
let clock: number | undefined;

beforeAll(async () => {
  s3 = await startLocalS3({
    credentials: { [CREDENTIALS.accessKeyId]: CREDENTIALS.secretAccessKey },
    buckets: [BUCKET],
    region: 'ap-south-1',
    now: () => clock ?? Date.now(),
  });
});

afterAll(() => s3.close());

function store(overrides: Partial<S3BlobStoreOptions> = {}): S3BlobStore {
  return new S3BlobStore({ bucket: BUCKET, region: 'ap-south-1', endpoint: s3.endpoint, forcePathStyle: true, credentials: CREDENTIALS, ...overrides });
}

describe('S3BlobStore against an S3-compatible endpoint', () => {
  it('puts an object encrypted with SSE, gets it back and deletes it', async () => {
    const blobs = store();
    const bytes = randomBytes(300_000);
    await blobs.put('media/conv-1/photo.jpg', bytes, 'image/jpeg');

    const stored = s3.objects.get(`${BUCKET}/media/conv-1/photo.jpg`)!;
    expect(stored.bytes.equals(bytes)).toBe(true);
    expect(stored).toMatchObject({ contentType: 'image/jpeg', serverSideEncryption: 'AES256' });

    const blob = await blobs.get('media/conv-1/photo.jpg');
    expect(Buffer.from(blob!.bytes).equals(bytes)).toBe(true);
    expect(blob!.contentType).toBe('image/jpeg');

    await blobs.delete('media/conv-1/photo.jpg');
    expect(await blobs.get('media/conv-1/photo.jpg')).toBeUndefined();
    await expect(blobs.delete('media/conv-1/photo.jpg')).resolves.toBeUndefined();
    expect(s3.requests.every((request) => request.signedBy === 'header')).toBe(true);
  });

  it('asks for KMS encryption with the configured key when chosen', async () => {
    await store({ encryption: { mode: 'aws:kms', kmsKeyId: 'alias/wasaprecruit-media' } }).put('media/kms.pdf', Buffer.from('%PDF-1.7'), 'application/pdf');
    expect(s3.objects.get(`${BUCKET}/media/kms.pdf`)).toMatchObject({ serverSideEncryption: 'aws:kms', kmsKeyId: 'alias/wasaprecruit-media' });
  });

  it('gives a presigned URL that fetches the object until it expires', async () => {
    const blobs = store();
    await blobs.put('media/conv-2/voice.ogg', Buffer.from('OggS voice note'), 'audio/ogg');
    clock = Date.now();
    const url = await blobs.signedUrl('media/conv-2/voice.ogg', 60);
    expect(new URL(url).searchParams.get('X-Amz-Expires')).toBe('60');

    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('OggS voice note');
    expect(response.headers.get('content-type')).toBe('audio/ogg');
    expect(s3.requests.at(-1)).toMatchObject({ method: 'GET', signedBy: 'query', status: 200 });

    clock += 61_000;
    const expired = await fetch(url);
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain('Request has expired');
    clock = undefined;
  });

  it('refuses presigned URLs that were altered', async () => {
    const blobs = store();
    await blobs.put('media/conv-3/a.jpg', Buffer.from('a'), 'image/jpeg');
    await blobs.put('media/conv-3/b.jpg', Buffer.from('b'), 'image/jpeg');
    const url = new URL(await blobs.signedUrl('media/conv-3/a.jpg', 60));

    const otherKey = new URL(url);
    otherKey.pathname = otherKey.pathname.replace('a.jpg', 'b.jpg');
    const longerLife = new URL(url);
    longerLife.searchParams.set('X-Amz-Expires', '3600');
    for (const altered of [otherKey, longerLife]) {
      const response = await fetch(altered);
      expect(response.status, altered.href).toBe(403);
      expect(await response.text()).toContain('SignatureDoesNotMatch');
    }
    expect((await fetch(url)).status).toBe(200);
  });

  it('fails without storing when the credentials are wrong, and refuses unsigned requests', async () => {
    const impostor = store({ credentials: { ...CREDENTIALS, secretAccessKey: 'not-the-secret' } });
    await expect(impostor.put('media/impostor.jpg', Buffer.from('x'), 'image/jpeg')).rejects.toThrow(/signature/i);
    expect(s3.objects.has(`${BUCKET}/media/impostor.jpg`)).toBe(false);
    const anonymous = await fetch(`${s3.endpoint}/${BUCKET}/media/conv-3/a.jpg`);
    expect(anonymous.status).toBe(403);
  });

  it('refuses unsafe keys before any request is made', async () => {
    const before = s3.requests.length;
    await expect(store().put('../escape', Buffer.from('x'), 'text/plain')).rejects.toThrow(InvalidBlobKeyError);
    await expect(store().signedUrl('a//b', 60)).rejects.toThrow(InvalidBlobKeyError);
    expect(s3.requests.length).toBe(before);
  });
});
