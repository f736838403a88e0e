import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LocalEndpoint {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string;
  close(): Promise<void>;
}

export type Handler = (request: IncomingMessage, response: ServerResponse, url: URL) => Promise<void>;

/** An HTTP server on 127.0.0.1 (port 0 unless given); a handler that throws answers 500. */
export async function startLocalEndpoint(handler: Handler, port = 0): Promise<LocalEndpoint> {
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    handler(request, response, url).catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, { message: error instanceof Error ? error.message : String(error) });
      else response.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: boundPort } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${boundPort}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: http.OutgoingHttpHeaders = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  response.end(text);
}

export function sendBytes(response: ServerResponse, contentType: string, bytes: Uint8Array): void {
  response.writeHead(200, { 'content-type': contentType, 'content-length': bytes.byteLength });
  response.end(bytes);
}

/** Posts a webhook the way a provider does, without waiting on or judging the answer beyond its status. */
export async function postWebhook(url: string, headers: Record<string, string>, body: string): Promise<number> {
  const response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(15_000) });
  await response.arrayBuffer();
  return response.status;
}

/**
 * Plays webhooks a provider posts after the fact (status callbacks), one after another with a pause between
 * them, in the background; unreachable receivers are given up on quietly, as providers do after retrying.
 */
export class CallbackPlayer {
  private readonly inFlight = new Set<Promise<void>>();
  /** Callbacks waiting for their turn, with what settles them if the player stops first. */
  private readonly scheduled = new Map<NodeJS.Timeout, () => void>();

  /** `delayMs`: the pause before each callback; a function draws a new one each time (jittered pauses). */
  constructor(private readonly delayMs: number | (() => number)) {}

  play(posts: readonly (() => Promise<unknown>)[]): void {
    let previous: Promise<void> = Promise.resolve();
    let dueInMs = 0;
    posts.forEach((post) => {
      const after = previous;
      dueInMs += typeof this.delayMs === 'number' ? this.delayMs : this.delayMs();
      const played = new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.scheduled.delete(timer);
          after.then(post).catch(() => undefined).finally(resolve);
        }, dueInMs);
        this.scheduled.set(timer, resolve);
      });
      previous = played;
      this.inFlight.add(played);
      void played.finally(() => this.inFlight.delete(played));
    });
  }

  /** Resolves once every callback played so far has been answered (or given up on). */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  stop(): void {
    for (const [timer, settle] of this.scheduled) {
      clearTimeout(timer);
      settle();
    }
    this.scheduled.clear();
  }
}
