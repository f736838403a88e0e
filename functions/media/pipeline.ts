import { randomUUID } from 'node:crypto';
import type { MediaDownload } from '../channels/provider.ts';
import { assertBlobKey, type BlobStore } from '../blobs/blobStore.ts';
import { PermanentMediaError, TransientMediaError } from './errors.ts';
import { fetchMedia, MEBIBYTE, type FetchMediaOptions } from './fetchMedia.ts';
import { inspectMedia, type MediaKind } from './inspect.ts';
import { reencodeImage } from './reencode.ts';

/** WhatsApp's own limits: 5 MB for images, 16 MB for everything else. */
export const MEDIA_SIZE_LIMITS = { image: 5 * MEBIBYTE, other: 16 * MEBIBYTE } as const;

export interface ProcessMediaInput {
  /** What the channel's `fetchMedia` described: URL, credentials, and what the provider declared. */
  readonly download: MediaDownload;
  readonly fetchOptions: FetchMediaOptions;
  readonly blobStore: BlobStore;
  /** Folder for the blobs, chosen by the caller from its own ids (e.g. `media/<mediaId>`), never from user input. */
  readonly keyPrefix: string;
}

export type ProcessedMedia =
  | {
      readonly status: 'stored';
      readonly kind: MediaKind;
      readonly contentType: string;
      readonly sizeBytes: number;
      readonly blobKey: string;
      readonly thumbnailKey?: string;
      readonly width?: number;
      readonly height?: number;
      readonly durationSeconds?: number;
    }
  | { readonly status: 'rejected'; readonly reason: string };

/**
 * One attachment from the provider to the blob store: download safely, decide the type from the bytes, re-encode
 * images (plus a thumbnail), store audio, video and documents as they are. Returns `rejected` with a reason when
 * the attachment can never be stored; throws `TransientMediaError` when a later attempt may succeed, so the job
 * retries while the message keeps showing the media as pending.
 */
export async function processMedia(input: ProcessMediaInput): Promise<ProcessedMedia> {
  assertBlobKey(input.keyPrefix);
  try {
    return await downloadAndStore(input);
  } catch (error) {
    if (error instanceof PermanentMediaError) return { status: 'rejected', reason: error.message };
    throw error;
  }
}

async function downloadAndStore({ download, fetchOptions, blobStore, keyPrefix }: ProcessMediaInput): Promise<ProcessedMedia> {
  // A declared image is held to the image cap while streaming; the bytes still decide what it is.
  const declaredImage = download.contentType?.toLowerCase().startsWith('image/') ?? false;
  const streamingCap = declaredImage ? MEDIA_SIZE_LIMITS.image : MEDIA_SIZE_LIMITS.other;
  const fetched = await fetchMedia(download, { ...fetchOptions, maxBytes: Math.min(fetchOptions.maxBytes ?? streamingCap, streamingCap) });
  const inspected = await inspectMedia(fetched.bytes);
  const id = randomUUID();

  if (inspected.kind === 'image') {
    if (fetched.bytes.length > MEDIA_SIZE_LIMITS.image) throw new PermanentMediaError('the image is larger than 5 MB');
    const image = await reencodeImage(fetched.bytes);
    const blobKey = `${keyPrefix}/${id}.jpg`;
    const thumbnailKey = `${keyPrefix}/${id}.thumb.jpg`;
    await store(blobStore, blobKey, image.image, image.contentType);
    await store(blobStore, thumbnailKey, image.thumbnail, image.contentType);
    return { status: 'stored', kind: 'image', contentType: image.contentType, sizeBytes: image.image.length, blobKey, thumbnailKey, width: image.width, height: image.height };
  }

  const blobKey = `${keyPrefix}/${id}.${inspected.extension}`;
  await store(blobStore, blobKey, fetched.bytes, inspected.contentType);
  return {
    status: 'stored',
    kind: inspected.kind,
    contentType: inspected.contentType,
    sizeBytes: fetched.bytes.length,
    blobKey,
    ...(inspected.durationSeconds !== undefined ? { durationSeconds: inspected.durationSeconds } : {}),
  };
}

async function store(blobStore: BlobStore, key: string, bytes: Uint8Array, contentType: string): Promise<void> {
  try {
    await blobStore.put(key, bytes, contentType);
  } catch (error) {
    throw new TransientMediaError(`could not store the media: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
