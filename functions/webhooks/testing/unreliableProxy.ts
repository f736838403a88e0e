import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A reverse proxy on 127.0.0.1 in front of a local provider endpoint that can be made to fail, the way a
 * provider or the network fails for a while: matching requests get 503 instead of being forwarded. Redirects
 * the endpoint answers keep pointing at the proxy. For tests of retries.
 */
export interface UnreliableProxy {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Answers the next `times` requests that `matches` selects with 503 (every one when `times` is omitted). */
  fail(matches: (request: { readonly method: string; readonly path: string }) => boolean, times?: number): void;
  /** Forwards everything again. */
  recover(): void;
  /** Requests answered with 503 so far. */
  readonly failures: number;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive']);

export async function startUnreliableProxy(targetUrl: string): Promise<UnreliableProxy> {
  let failing: { matches: (request: { method: string; path: string }) => boolean; remaining: number } | undefined;
  let failures = 0;
  let proxyUrl = '';

  const server = http.createServer((request, response) => {
    const method = request.method ?? 'GET';
    const path = request.url ?? '/';
    if (failing !== undefined && failing.remaining > 0 && failing.matches({ method, path })) {
      failing.remaining -= 1;
      failures += 1;
      response.writeHead(503, { 'content-type': 'text/plain' }).end('service unavailable');
      return;
    }
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const headers = Object.fromEntries(
        Object.entries(request.headers).filter(([name, value]) => !HOP_BY_HOP.has(name) && typeof value === 'string') as [string, string][],
      );
      const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
      fetch(`${targetUrl}${path}`, { method, headers, ...(body ? { body } : {}), redirect: 'manual' })
        .then(async (answer) => {
          const forwarded: Record<string, string> = {};
          answer.headers.forEach((value, name) => {
            if (!HOP_BY_HOP.has(name) && name !== 'content-encoding') forwarded[name] = name === 'location' ? value.replace(targetUrl, proxyUrl) : value;
          });
          response.writeHead(answer.status, forwarded).end(Buffer.from(await answer.arrayBuffer()));
        })
        .catch(() => response.writeHead(502).end());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: proxyUrl,
    fail: (matches, times = Number.POSITIVE_INFINITY) => void (failing = { matches, remaining: times }),
    recover: () => void (failing = undefined),
    get failures() {
      return failures;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
