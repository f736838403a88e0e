import { WebSocket } from 'ws';

export interface RealtimeMessage {
  readonly type: string;
  readonly id?: string;
  readonly payload?: unknown;
}

/** How a test client authenticates the socket: AppSync's header subprotocol or its legacy query string. */
export type HandshakeStyle = 'subprotocol' | 'query';

/** The header object a client sends for Cognito auth, and the start message that carries it. */
export const authorizationHeader = (token: string, host: string): Record<string, string> => ({ Authorization: token, host });

export function startMessage(id: string, token: string, host: string, query: string, variables: Record<string, unknown> = {}): RealtimeMessage {
  return { id, type: 'start', payload: { data: JSON.stringify({ query, variables }), extensions: { authorization: authorizationHeader(token, host) } } };
}

/** A raw `ws` client speaking AppSync's real-time protocol, with a queue of what the server sent. */
export class RealtimeTestClient {
  private readonly received: RealtimeMessage[] = [];
  private waiter: (() => void) | undefined;
  readonly closed: Promise<{ code: number }>;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (raw) => {
      this.received.push(JSON.parse(raw.toString()) as RealtimeMessage);
      this.waiter?.();
    });
    this.closed = new Promise((resolve) => socket.once('close', (code) => resolve({ code })));
  }

  static async connect(realtimeUrl: string, token: string | undefined, style: HandshakeStyle = 'subprotocol', protocols = ['graphql-ws']): Promise<RealtimeTestClient> {
    const host = new URL(realtimeUrl).host;
    const header = Buffer.from(JSON.stringify(token === undefined ? { host } : authorizationHeader(token, host)));
    const socket =
      style === 'subprotocol'
        ? new WebSocket(realtimeUrl, [...protocols, `header-${header.toString('base64url')}`])
        : new WebSocket(`${realtimeUrl}?header=${header.toString('base64')}&payload=e30=`, protocols);
    const client = new RealtimeTestClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return client;
  }

  get host(): string {
    return new URL(this.socket.url).host;
  }

  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** connection_init, then the ack. */
  async init(): Promise<RealtimeMessage> {
    this.send({ type: 'connection_init' });
    return this.next((message) => message.type === 'connection_ack');
  }

  /** The next message (skipping keep-alives unless asked for) that satisfies `accept`, removed from the queue. */
  async next(accept: (message: RealtimeMessage) => boolean = (message) => message.type !== 'ka', timeoutMs = 5000): Promise<RealtimeMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.received.findIndex(accept);
      if (index >= 0) return this.received.splice(index, 1)[0]!;
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`no matching realtime message within ${timeoutMs} ms; received ${JSON.stringify(this.received)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** Messages other than keep-alives received so far and not yet taken. */
  pending(): RealtimeMessage[] {
    return this.received.filter((message) => message.type !== 'ka');
  }

  async subscribe(id: string, token: string, query: string, variables: Record<string, unknown> = {}): Promise<RealtimeMessage> {
    this.send(startMessage(id, token, this.host, query, variables));
    return this.next((message) => message.id === id);
  }

  close(): void {
    this.socket.close();
  }
}
