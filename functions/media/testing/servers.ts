import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';

/** A request a test server received, to assert who was (and was not) contacted and with which headers. */
export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  /** The TLS server name the client indicated (https servers only). */
  readonly servername: string | undefined;
}

export interface TestServer {
  /** `http://127.0.0.1:<port>` (or https). */
  readonly origin: string;
  /** `127.0.0.1:<port>`, as a media host allow-list entry. */
  readonly host: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

export type TestHandler = (request: IncomingMessage, response: ServerResponse) => void;

/** A real HTTP(S) server on 127.0.0.1 and an ephemeral port that records every request it receives. */
export async function startTestServer(handler: TestHandler, tls?: { key: string; cert: string }): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  const record: TestHandler = (request, response) => {
    const servername = (request.socket as Partial<TLSSocket>).servername;
    requests.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, servername: servername || undefined });
    handler(request, response);
  };
  const server = tls ? https.createServer(tls, record) : http.createServer(record);
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    port,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A throwaway self-signed certificate for the given DNS names, made with the openssl command. */
export function createTestCertificate(dnsNames: readonly string[]): { key: string; cert: string } {
  const directory = mkdtempSync(join(tmpdir(), 'media-tls-'));
  try {
    const keyPath = join(directory, 'key.pem');
    const certPath = join(directory, 'cert.pem');
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1',
      '-subj', `/CN=${dnsNames[0]}`, '-addext', `subjectAltName=${dnsNames.map((name) => `DNS:${name}`).join(',')}`,
      '-keyout', keyPath, '-out', certPath,
    ], { stdio: 'ignore' });
    return { key: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8') };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
