import type { BlobStore } from '../blobs/blobStore.ts';
import { runBotEvent } from '../bot/job.ts';
import { deleteBlobs } from '../domain/aspirantData.ts';
import type { Services } from '../domain/services.ts';
import { storeInboundMedia } from '../ingest/media.ts';
import { handle, jobHandlers, type JobHandlers } from '../jobs/queue.ts';
import type { LlmProvider } from '../llm/provider.ts';
import type { FetchMediaOptions } from '../media/fetchMedia.ts';
import { TokenBuckets } from '../outbound/rateLimit.ts';
import { sendOutbound } from '../outbound/sender.ts';
import type { ChannelProviders } from './channels.ts';
import { botEventJob, deleteBlobsJob, fetchMediaJob, sendMessageJob } from './kinds.ts';

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
  /**
   * The bot's language model (LLM_PROVIDER, functions/llm/open.ts `openLlmProvider`), or null when the bot is
   * off (BOT_ENABLED=false): its events are then acknowledged and ignored.
   */
  readonly bot: { readonly llm: LlmProvider } | null;
}

/** The handlers of the WhatsApp channel's and the bot's jobs and of blob deletions, for the local worker (startWorker) or the SQS Lambda. */
export function createJobHandlers(deps: JobDeps): JobHandlers {
  const rateLimit = new TokenBuckets(deps.outboundRatePerSecond);
  const sender = { services: deps.services, providers: deps.providers, statusCallbackUrl: deps.statusCallbackUrl, rateLimit };
  const media = { services: deps.services, providers: deps.providers, blobStore: deps.blobStore, fetchOptions: deps.mediaFetch };
  return jobHandlers(
    handle(sendMessageJob, ({ messageId }) => sendOutbound(sender, messageId)),
    handle(fetchMediaJob, ({ mediaId }) => storeInboundMedia(media, mediaId)),
    handle(botEventJob, async (payload, context) => {
      if (deps.bot !== null) await runBotEvent({ services: deps.services, llm: deps.bot.llm }, payload, context.runCommittedJobs);
    }),
    handle(deleteBlobsJob, ({ keys }) => deleteBlobs(deps.blobStore, keys)),
  );
}
