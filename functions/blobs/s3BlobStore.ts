import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client, S3ServiceException, type S3ClientConfig } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { assertBlobKey, assertTtl, type BlobStore, type StoredBlob } from './blobStore.ts';

export type S3Encryption = { readonly mode: 'AES256' } | { readonly mode: 'aws:kms'; readonly kmsKeyId?: string };

export interface S3BlobStoreOptions {
  /** S3_BUCKET */
  readonly bucket: string;
  readonly region: string;
  /** S3_ENDPOINT: any S3-compatible server; unset means AWS. */
  readonly endpoint?: string;
  /** S3_FORCE_PATH_STYLE: `<endpoint>/<bucket>/<key>` addressing, which most S3-compatible servers need. */
  readonly forcePathStyle?: boolean;
  /** Server-side encryption of every object written; AES256 (SSE-S3) unless KMS is chosen. */
  readonly encryption?: S3Encryption;
  /** Explicit credentials; by default the SDK's provider chain (the Lambda role on AWS). */
  readonly credentials?: S3ClientConfig['credentials'];
}

/** Blobs as S3 objects, encrypted at rest, read back through short-lived presigned GETs. */
export class S3BlobStore implements BlobStore {
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly encryption: S3Encryption;

  constructor(options: S3BlobStoreOptions) {
    this.bucket = options.bucket;
    this.encryption = options.encryption ?? { mode: 'AES256' };
    this.client = new S3Client({
      region: options.region,
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      forcePathStyle: options.forcePathStyle ?? false,
      ...(options.credentials ? { credentials: options.credentials } : {}),
    });
  }

  async put(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
    assertBlobKey(key);
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: bytes,
        ContentType: contentType,
        ServerSideEncryption: this.encryption.mode,
        ...(this.encryption.mode === 'aws:kms' && this.encryption.kmsKeyId ? { SSEKMSKeyId: this.encryption.kmsKeyId } : {}),
      }),
    );
  }

  async get(key: string): Promise<StoredBlob | undefined> {
    assertBlobKey(key);
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return { bytes: await object.Body!.transformToByteArray(), contentType: object.ContentType ?? 'application/octet-stream' };
    } catch (error) {
      if (error instanceof S3ServiceException && error.name === 'NoSuchKey') return undefined;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    assertBlobKey(key);
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async signedUrl(key: string, ttlSeconds: number): Promise<string> {
    assertBlobKey(key);
    assertTtl(ttlSeconds);
    return getSignedUrl(this.client, new GetObjectCommand({ Bucket: this.bucket, Key: key }), { expiresIn: ttlSeconds });
  }
}
