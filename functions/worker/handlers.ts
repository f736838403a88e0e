import type { BlobStore } from '../blobs/blobStore.ts';
import type { Services } from '../domain/services.ts';
import { storeInboundMedia } from '../ingest/media.ts';
import { handle, jobHandlers, type JobHandlers } from '../jobs/queue.ts';
import type { FetchMediaOptions } from '../media/fetchMedia.ts';
import { TokenBuckets } from '../outbound/rateLimit.ts';
import { sendOutbound } from '../outbound/sender.ts';
import type { ChannelProviders } from './channels.ts';
import { fetchMediaJob, sendMessageJob } from './kinds.ts';

export interface JobDeps {
  readonly services: Services;
  readonly providers: ChannelProviders;
  readonly blobStore: BlobStore;
  /** Where Twilio posts status callbacks: `${PUBLIC_URL}/webhooks/twilio/status`. */
  readonly statusCallbackUrl: string;
  /** OUTBOUND_RATE_PER_SECOND, per sender number. */
  readonly outboundRatePerSecond: number;
  /** Media download options besides each provider's host allow-list. */
  readonly mediaFetch?: Omit<FetchMediaOptions, 'hosts'> | undefined;
}

/** The handlers of the WhatsApp channel's jobs, for the local worker (startWorker) or the SQS Lambda. */
export function createJobHandlers(deps: JobDeps): JobHandlers {
  const rateLimit = new TokenBuckets(deps.outboundRatePerSecond);
  const sender = { services: deps.services, providers: deps.providers, statusCallbackUrl: deps.statusCallbackUrl, rateLimit };
  const media = { services: deps.services, providers: deps.providers, blobStore: deps.blobStore, fetchOptions: deps.mediaFetch };
  return jobHandlers(
    handle(sendMessageJob, ({ messageId }) => sendOutbound(sender, messageId)),
    handle(fetchMediaJob, ({ mediaId }) => storeInboundMedia(media, mediaId)),
  );
}
