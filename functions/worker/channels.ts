import type { ChannelId } from '../channels/model.ts';
import { createMetaChannel } from '../channels/meta/provider.ts';
import type { ChannelProvider } from '../channels/provider.ts';
import { createTwilioChannel } from '../channels/twilio/provider.ts';
import type { Config } from '../shared/config.ts';

/** The WhatsApp providers in use, by the channel they carry; a channel without one is not configured. */
export type ChannelProviders = Partial<Readonly<Record<ChannelId, ChannelProvider>>>;

/** Providers to use instead of the configured ones (the local sandbox, or providers pointed at test endpoints). */
export interface ChannelOverrides {
  readonly twilio?: ChannelProvider | undefined;
  readonly meta?: ChannelProvider | undefined;
}

/** Twilio when TWILIO_* is set, Meta when META_* is; `overrides` replace either. */
export function channelProviders(config: Pick<Config, 'twilio' | 'meta'>, overrides: ChannelOverrides = {}): ChannelProviders {
  const twilio =
    overrides.twilio ??
    (config.twilio &&
      createTwilioChannel({
        accountSid: config.twilio.accountSid,
        authToken: config.twilio.authToken,
        whatsappFrom: config.twilio.from,
        ...(config.twilio.apiBaseUrl ? { apiBaseUrl: config.twilio.apiBaseUrl } : {}),
      }));
  const meta = overrides.meta ?? (config.meta && createMetaChannel(config.meta));
  for (const [expected, provider] of [['whatsapp_twilio', twilio], ['whatsapp_meta', meta]] as const) {
    if (provider !== undefined && provider.channel !== expected) throw new TypeError(`the ${expected} provider carries ${provider.channel}`);
  }
  return { ...(twilio ? { whatsapp_twilio: twilio } : {}), ...(meta ? { whatsapp_meta: meta } : {}) };
}
