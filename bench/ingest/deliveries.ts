import { WebSocket } from 'ws';
import { authorizationHeader, startMessage } from '../../infra/local/appsync/testing/realtimeClient.ts';
import { LatencyHistogram } from '../lib/histogram.ts';

/**
 * A recruiter console's view of ingestion: one admin subscribed to onInboxEvent over AppSync's real-time
 * protocol. Each posted message is expected back as a conversation event whose last message carries its
 * MessageSid; the time from the webhook's start to that event is its delivery latency.
 */

const INBOX_SUBSCRIPTION = 'subscription { onInboxEvent { conversationId conversation { lastMessage { providerMessageId } } } }';
const SUBSCRIPTION_ID = 'inbox';
const HANDSHAKE_TIMEOUT_MS = 10_000;

interface InboxEventData {
  readonly onInboxEvent?: { readonly conversation?: { readonly lastMessage?: { readonly providerMessageId?: string | null } | null } | null } | null;
}

interface ServerMessage {
  readonly type: string;
  readonly id?: string;
  readonly payload?: { readonly data?: InboxEventData; readonly errors?: unknown };
}

export class InboxWatcher {
  /** MessageSid → when its webhook was posted (performance.now()), until its event arrives. */
  private readonly awaited = new Map<string, number>();
  private latency = new LatencyHistogram();
  private eventCount = 0;
  private errorMessages: unknown[] = [];

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (raw) => this.receive(JSON.parse(raw.toString()) as ServerMessage));
  }

  /** Connects as `token`'s user and subscribes; resolves once the server acknowledged the subscription. */
  static async connect(hostUrl: string, token: string): Promise<InboxWatcher> {
    const realtimeUrl = `${hostUrl.replace(/^http/, 'ws')}/graphql/realtime`;
    const host = new URL(realtimeUrl).host;
    const header = Buffer.from(JSON.stringify(authorizationHeader(token, host))).toString('base64url');
    const socket = new WebSocket(realtimeUrl, ['graphql-ws', `header-${header}`]);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    const watcher = new InboxWatcher(socket);
    await watcher.exchange({ type: 'connection_init' }, 'connection_ack');
    await watcher.exchange(startMessage(SUBSCRIPTION_ID, token, host, INBOX_SUBSCRIPTION), 'start_ack');
    return watcher;
  }

  private handshakeWaiter: { type: string; resolve: () => void; reject: (error: Error) => void } | undefined;

  private exchange(message: unknown, expected: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${expected} within ${HANDSHAKE_TIMEOUT_MS} ms`)), HANDSHAKE_TIMEOUT_MS);
      this.handshakeWaiter = {
        type: expected,
        resolve: () => (clearTimeout(timer), resolve()),
        reject: (error) => (clearTimeout(timer), reject(error)),
      };
      this.socket.send(JSON.stringify(message));
    });
  }

  private receive(message: ServerMessage): void {
    if (this.handshakeWaiter !== undefined) {
      if (message.type === this.handshakeWaiter.type) {
        this.handshakeWaiter.resolve();
        this.handshakeWaiter = undefined;
      } else if (message.type.endsWith('error')) {
        this.handshakeWaiter.reject(new Error(`the real-time handshake failed: ${JSON.stringify(message)}`));
        this.handshakeWaiter = undefined;
      }
      return;
    }
    if (message.type === 'error' || message.payload?.errors !== undefined) {
      if (this.errorMessages.length < 5) this.errorMessages.push(message);
      return;
    }
    if (message.type !== 'data' || message.id !== SUBSCRIPTION_ID) return;
    this.eventCount += 1;
    const sid = message.payload?.data?.onInboxEvent?.conversation?.lastMessage?.providerMessageId;
    const postedAt = sid ? this.awaited.get(sid) : undefined;
    if (sid && postedAt !== undefined) {
      this.latency.recordMs(performance.now() - postedAt);
      this.awaited.delete(sid);
    }
  }

  /** A webhook for `messageSid` goes out now: its event is awaited. */
  expect(messageSid: string): void {
    this.awaited.set(messageSid, performance.now());
  }

  /** No event is coming for `messageSid` (its webhook failed): stop waiting for it. */
  forget(messageSid: string): void {
    this.awaited.delete(messageSid);
  }

  /** Waits until every awaited event arrived or `timeoutMs` passed; answers how many are still missing. */
  async settle(timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (this.awaited.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    return this.awaited.size;
  }

  /** The latencies recorded since the previous call, the inbox events received and the subscription errors; starts a new period. */
  takePeriod(): { latency: LatencyHistogram; events: number; errors: unknown[] } {
    const period = { latency: this.latency, events: this.eventCount, errors: this.errorMessages };
    this.latency = new LatencyHistogram();
    this.eventCount = 0;
    this.errorMessages = [];
    return period;
  }

  /** Gives up on every awaited event: `settle` has counted them as missing. */
  forgetAll(): void {
    this.awaited.clear();
  }

  close(): void {
    this.socket.close();
  }
}
