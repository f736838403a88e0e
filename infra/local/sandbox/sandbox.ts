import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ChannelProvider } from '../../../functions/channels/provider.ts';
import { createTwilioChannel } from '../../../functions/channels/twilio/provider.ts';
import type { FetchMediaOptions } from '../../../functions/media/fetchMedia.ts';
import { startFakeTwilioApi } from '../providers/twilioApi.ts';
import { twilioSid } from '../providers/twilioWebhooks.ts';
import { createSandboxRoutes } from './routes.ts';
import { SandboxTimeline } from './timeline.ts';

/**
 * The local WhatsApp sandbox, for running without Twilio or Meta credentials: a Twilio channel pointed at the
 * local Twilio API stand-in (`startFakeTwilioApi`) under freshly generated credentials. What the platform
 * sends is recorded per aspirant phone, and the status callbacks Twilio would post come back signed with the
 * generated Auth Token — after short random pauses, sometimes out of order, as Twilio's do. The /simulator
 * page plays aspirants through the `/sandbox/*` API: the host signs their webhooks and posts them to its own
 * webhook route, so the browser never holds the token. Everything lives in memory for the host's lifetime.
 */
export interface SandboxOptions {
  /** PUBLIC_URL: simulated webhooks are signed for it, as Twilio signs for the URL it calls. */
  readonly publicUrl: string;
  /** Our WhatsApp sender number; Twilio's own sandbox number by default. */
  readonly whatsappFrom?: string;
  /** Pause before each status callback; default a random 250–1500 ms. */
  readonly callbackDelayMs?: number | (() => number);
  /** Chance (0–1) that a message's callbacks come with two neighbours swapped; default 0.15. */
  readonly outOfOrderChance?: number;
}

export interface Sandbox {
  /** Sends through the sandbox; verifies the webhooks the simulator and the callbacks post. */
  readonly channel: ChannelProvider;
  /** Lets the media job download from the sandbox's own loopback origin, and from nothing else on this machine. */
  readonly mediaFetchOptions: Pick<FetchMediaOptions, 'testOnly'>;
  /** Serves `/simulator` and `/sandbox/*` on the host's server; false for any other path. */
  readonly routes: (request: IncomingMessage, response: ServerResponse) => Promise<boolean>;
  close(): Promise<void>;
}

export const SANDBOX_WHATSAPP_FROM = '+14155238886';

const DEFAULT_OUT_OF_ORDER_CHANCE = 0.15;
const randomCallbackDelayMs = (): number => 250 + Math.random() * 1250;

export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const accountSid = twilioSid('AC');
  const authToken = randomBytes(16).toString('hex');
  const whatsappFrom = options.whatsappFrom ?? SANDBOX_WHATSAPP_FROM;
  const timeline = new SandboxTimeline();
  const api = await startFakeTwilioApi({
    accountSid,
    authToken,
    callbackDelayMs: options.callbackDelayMs ?? randomCallbackDelayMs,
    outOfOrderChance: options.outOfOrderChance ?? DEFAULT_OUT_OF_ORDER_CHANCE,
    onActivity(activity) {
      if (activity.kind === 'sent') timeline.recordOutbound(activity.message);
      else timeline.recordStatusCallback(activity.messageSid, activity.status, activity.answer);
    },
  });
  const channel = createTwilioChannel({ accountSid, authToken, whatsappFrom, apiBaseUrl: api.url });
  const routes = createSandboxRoutes({ publicUrl: options.publicUrl, accountSid, authToken, whatsappFrom, timeline, addMedia: api.addMedia });

  return {
    channel,
    mediaFetchOptions: { testOnly: { allowLoopbackOrigins: [api.url] } },
    routes,
    close: () => api.close(),
  };
}
