import type { BlobStore } from '../blobs/blobStore.ts';
import { MediaFetchError, type ChannelId } from '../channels/model.ts';
import type { MediaDownload } from '../channels/provider.ts';
import { publishAspirantEvents, publishMessageUpdate } from '../domain/live.ts';
import type { Services } from '../domain/services.ts';
import { enqueue, PermanentJobError } from '../jobs/queue.ts';
import type { FetchMediaOptions } from '../media/fetchMedia.ts';
import { processMedia, type ProcessedMedia } from '../media/pipeline.ts';
import type { ChannelProviders } from '../worker/channels.ts';
import { botEventJob, deleteBlobsJob } from '../worker/kinds.ts';

export interface MediaJobDeps {
  readonly services: Services;
  readonly providers: ChannelProviders;
  readonly blobStore: BlobStore;
  /** Download options besides the provider's host allow-list (tests allow the local provider endpoints). */
  readonly fetchOptions?: Omit<FetchMediaOptions, 'hosts'> | undefined;
}

interface PendingMedia {
  messageId: string;
  providerRef: string | null;
  channel: ChannelId;
  conversationId: string;
  aspirantId: string;
}

/**
 * The media.fetch job: one inbound attachment from its provider to the blob store. It asks the provider how to
 * download the reference, downloads it from the provider's hosts only, decides the type from the bytes,
 * re-encodes images without metadata (plus a thumbnail) and records the result: stored (images also become one
 * of the aspirant's photos, kind OTHER until classified) or rejected with the reason — the message is kept
 * either way; a stored photo is a bot event. A failure worth retrying is thrown, so the queue retries while the message shows the media
 * pending. Idempotent: only a pending attachment is processed, and only once recorded.
 */
export async function storeInboundMedia(deps: MediaJobDeps, mediaId: string): Promise<void> {
  const { services } = deps;
  const [media] = await services.db.query<PendingMedia>(
    `SELECT md.message_id, md.provider_ref, c.channel, c.id AS conversation_id, c.aspirant_id
       FROM media md
       JOIN messages m ON m.id = md.message_id
       JOIN conversations c ON c.id = m.conversation_id
      WHERE md.id = :mediaId::uuid AND md.status = 'pending'`,
    { mediaId },
  );
  if (media === undefined) return;
  const provider = deps.providers[media.channel];
  // Retried by an admin once the channel is configured again.
  if (provider === undefined) throw new PermanentJobError(`no WhatsApp provider is configured for ${media.channel}`);

  let result: ProcessedMedia;
  if (media.providerRef === null) {
    result = { status: 'rejected', reason: 'the provider gave no reference to download' };
  } else {
    const download = await describeDownload(() => provider.fetchMedia(media.providerRef!));
    result =
      'rejected' in download
        ? { status: 'rejected', reason: download.rejected }
        : await processMedia({
            download,
            fetchOptions: { ...deps.fetchOptions, hosts: provider.mediaHosts },
            blobStore: deps.blobStore,
            keyPrefix: `media/${mediaId}`,
          });
  }

  const recorded = await services.db.transaction(async (tx) => {
    if (result.status === 'rejected') {
      const rejected = await tx.query(
        "UPDATE media SET status = 'rejected', rejection_reason = :reason WHERE id = :mediaId::uuid AND status = 'pending' RETURNING id",
        { mediaId, reason: result.reason },
      );
      return { changed: rejected.length > 0, photoAdded: false };
    }
    const [stored] = await tx.query<{ id: string }>(
      `UPDATE media
          SET status = 'stored', kind = :kind, content_type = :contentType, size_bytes = :sizeBytes::int, blob_key = :blobKey,
              thumbnail_key = :thumbnailKey, width = :width::int, height = :height::int, duration_seconds = :durationSeconds::real
        WHERE id = :mediaId::uuid AND status = 'pending'
        RETURNING id`,
      {
        mediaId,
        kind: result.kind,
        contentType: result.contentType,
        sizeBytes: result.sizeBytes,
        blobKey: result.blobKey,
        thumbnailKey: result.thumbnailKey ?? null,
        width: result.width ?? null,
        height: result.height ?? null,
        durationSeconds: result.durationSeconds ?? null,
      },
    );
    if (stored === undefined) {
      // Recorded by another run, or the aspirant was erased meanwhile: no row keeps this run's files (their keys are its own).
      const keys = result.thumbnailKey === undefined ? [result.blobKey] : [result.blobKey, result.thumbnailKey];
      await enqueue(tx, deleteBlobsJob.of({ keys }));
      return { changed: false, photoAdded: false };
    }
    if (result.kind !== 'image' || result.thumbnailKey === undefined) return { changed: true, photoAdded: false };
    const [photo] = await tx.query<{ id: string }>(
      `INSERT INTO photos (aspirant_id, message_id, media_id, kind, blob_key, thumbnail_key, width, height)
       VALUES (:aspirantId::uuid, :messageId::uuid, :mediaId::uuid, 'other', :blobKey, :thumbnailKey, :width::int, :height::int)
       RETURNING id`,
      {
        aspirantId: media.aspirantId,
        messageId: media.messageId,
        mediaId,
        blobKey: result.blobKey,
        thumbnailKey: result.thumbnailKey,
        width: result.width ?? null,
        height: result.height ?? null,
      },
    );
    const photoId = photo!.id;
    await enqueue(
      tx,
      botEventJob.of({ aspirantId: media.aspirantId, conversationId: media.conversationId, event: { type: 'photo_stored', photoId } }, { dedupeKey: `bot.event:photo:${photoId}` }),
    );
    return { changed: true, photoAdded: true };
  });
  // Another run of this job may have recorded it first: then it published too.
  if (recorded.changed) await publishMessageUpdate(services, media.conversationId, media.messageId);
  if (recorded.photoAdded) await publishAspirantEvents(services, media.aspirantId);
}

/** The provider's download description; a lookup that can never succeed is a rejection, a passing failure is thrown. */
async function describeDownload(lookUp: () => Promise<MediaDownload>): Promise<MediaDownload | { readonly rejected: string }> {
  try {
    return await lookUp();
  } catch (error) {
    if (error instanceof MediaFetchError && !error.retryable) return { rejected: error.message };
    throw error;
  }
}
