import http from 'node:http';
import { signedTwilioWebhook, twilioInboundParams } from '../../infra/local/providers/twilioWebhooks.ts';

/**
 * The aspirants' side of the ingest benchmark: a pool of distinct WhatsApp numbers, inbound messages drawn
 * from it with a seeded generator, signed the way Twilio signs them, and posted over kept-alive connections.
 * The insert-limit measurement draws its rows from the same generator.
 */

export const TWILIO = {
  accountSid: 'ACbe11c4a5be11c4a5be11c4a5be11c4a5',
  authToken: 'be11c4a5be11c4a5be11c4a5be11c4a5',
  sender: '+14155238886',
} as const;

const PROFILE_NAMES = ['Valentina', 'Camila', 'Sofía', 'Isabella', 'Mariana', 'Daniela', 'Lucía', 'Gabriela', 'Ana', 'Paula'];
const OPENINGS = ['Hola', 'Buenas tardes', 'Buenos días', 'Hola, quiero información', 'Me interesa el casting'];

/** `count` distinct Mexico City numbers (E.164, as WhatsApp reports them), in the generator's order. */
export function phonePool(random: () => number, count: number): string[] {
  const phones = new Set<string>();
  while (phones.size < count) phones.add(`+5255${String(Math.floor(random() * 1e8)).padStart(8, '0')}`);
  return [...phones];
}

/** The pool in a seeded random order (Fisher–Yates): a load of up to `pool.length` messages uses each number once. */
export function shuffled<T>(random: () => number, pool: readonly T[]): T[] {
  const order = [...pool];
  for (let index = order.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [order[index], order[other]] = [order[other]!, order[index]!];
  }
  return order;
}

const hex = (random: () => number, digits: number): string =>
  Array.from({ length: digits }, () => Math.floor(random() * 16).toString(16)).join('');

export interface InboundMessage {
  readonly messageSid: string;
  readonly from: string;
  readonly profileName: string;
  readonly body: string;
}

/** One aspirant's text message; its MessageSid (seeded, unique) is how the benchmark recognises it later. */
export function inboundMessage(random: () => number, from: string, sequence: number): InboundMessage {
  const opening = OPENINGS[Math.floor(random() * OPENINGS.length)]!;
  return {
    messageSid: `SM${hex(random, 32)}`,
    from,
    profileName: PROFILE_NAMES[Math.floor(random() * PROFILE_NAMES.length)]!,
    body: `${opening} (${sequence})`,
  };
}

export interface SignedWebhook {
  readonly messageSid: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** The webhook Twilio would post for `message`, signed for `signedUrl` (the host's public webhook URL). */
export function signedInbound(message: InboundMessage, signedUrl: string): SignedWebhook {
  const params = twilioInboundParams({
    accountSid: TWILIO.accountSid,
    messageSid: message.messageSid,
    from: message.from,
    to: TWILIO.sender,
    body: message.body,
    profileName: message.profileName,
  });
  return { messageSid: message.messageSid, ...signedTwilioWebhook(TWILIO.authToken, signedUrl, params) };
}

/**
 * Posts webhooks over kept-alive connections (node:http: far less generator CPU per request than fetch). Each
 * must be answered within `timeoutMs` of being posted, time waiting for a free connection included, or it
 * fails as a timeout, as the provider would give up on it.
 */
export class WebhookPoster {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1_024 });

  constructor(
    private readonly url: string,
    private readonly timeoutMs: number,
  ) {}

  /** Resolves with the answer's status once its body has been read. */
  post(webhook: SignedWebhook): Promise<number> {
    return new Promise((resolve, reject) => {
      const request = http.request(
        this.url,
        {
          method: 'POST',
          agent: this.agent,
          headers: { ...webhook.headers, 'content-length': Buffer.byteLength(webhook.body) },
          signal: AbortSignal.timeout(this.timeoutMs),
        },
        (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
          response.on('error', reject);
        },
      );
      request.on('error', (error) => reject(error.name === 'AbortError' ? new Error(`no answer within ${this.timeoutMs} ms`) : error));
      request.end(webhook.body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
