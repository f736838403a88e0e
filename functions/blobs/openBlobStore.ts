import { LocalBlobStore, loadOrCreateMediaUrlSecret } from './localBlobStore.ts';
import { S3BlobStore, type S3Encryption } from './s3BlobStore.ts';

/** The configuration the blob store is chosen and built from (names of the environment variables in brackets). */
export interface BlobStoreSettings {
  /** DATA_DIR */
  readonly dataDir: string;
  /** PUBLIC_URL: base of local signed URLs. */
  readonly publicUrl: string;
  /** AWS_REGION */
  readonly region: string;
  /** S3_BUCKET: when set, blobs go to S3; otherwise to files under DATA_DIR. */
  readonly s3Bucket?: string;
  /** S3_ENDPOINT */
  readonly s3Endpoint?: string;
  /** S3_FORCE_PATH_STYLE */
  readonly s3ForcePathStyle?: boolean;
  readonly s3Encryption?: S3Encryption;
  /** MEDIA_URL_SECRET: generated and kept under DATA_DIR when unset. */
  readonly mediaUrlSecret?: string;
}

/** S3 when a bucket is configured, local files otherwise (the embedded default). */
export async function openBlobStore(settings: BlobStoreSettings): Promise<LocalBlobStore | S3BlobStore> {
  if (settings.s3Bucket) {
    return new S3BlobStore({
      bucket: settings.s3Bucket,
      region: settings.region,
      ...(settings.s3Endpoint ? { endpoint: settings.s3Endpoint } : {}),
      ...(settings.s3ForcePathStyle !== undefined ? { forcePathStyle: settings.s3ForcePathStyle } : {}),
      ...(settings.s3Encryption ? { encryption: settings.s3Encryption } : {}),
    });
  }
  return new LocalBlobStore({
    dataDir: settings.dataDir,
    publicUrl: settings.publicUrl,
    urlSecret: settings.mediaUrlSecret ?? (await loadOrCreateMediaUrlSecret(settings.dataDir)),
  });
}
