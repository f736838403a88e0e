import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for an AppSync GraphQL endpoint on 127.0.0.1, for tests of what calls AppSync with IAM: it
 * verifies each request's SigV4 signature as AppSync would (recomputed here from the AWS spec with
 * node:crypto, independently of the signer under test), then answers as the test scripts it.
 */

export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface VerifiedSignature {
  readonly accessKeyId: string;
  readonly service: string;
  readonly region: string;
  readonly signedHeaders: readonly string[];
}

/** An answer, or undefined to never answer (to exercise the caller's timeout). */
export type Answer = (request: ReceivedRequest, signature: VerifiedSignature | string) => { status: number; body: unknown } | undefined;

export interface FakeAppSync {
  readonly url: string;
  readonly received: ReceivedRequest[];
  answerWith(answer: Answer): void;
  close(): Promise<void>;
}

const sha256Hex = (data: string) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

/** The signature's scope when it verifies against `secretAccessKey`, else why not. */
export function verifySigV4(request: ReceivedRequest, secretAccessKey: string): VerifiedSignature | string {
  const match = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
    request.headers.authorization ?? '',
  );
  if (!match) return 'missing or malformed AWS4-HMAC-SHA256 Authorization header';
  const [, accessKeyId, date, region, service, signedHeaderList, signature] = match as unknown as [string, string, string, string, string, string, string];
  const amzDate = request.headers['x-amz-date'];
  if (typeof amzDate !== 'string' || !amzDate.startsWith(date)) return 'x-amz-date missing or not the credential date';
  const signedHeaders = signedHeaderList.split(';');
  if (!signedHeaders.includes('host') || !signedHeaders.includes('x-amz-date')) return 'host and x-amz-date must be signed';
  const canonicalHeaders = signedHeaders.map((name) => `${name}:${String(request.headers[name] ?? '').trim()}\n`).join('');
  const canonicalRequest = [request.method, request.path, '', canonicalHeaders, signedHeaderList, sha256Hex(request.body)].join('\n');
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, `${date}/${region}/${service}/aws4_request`, sha256Hex(canonicalRequest)].join('\n');
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, date), region), service), 'aws4_request');
  if (hmac(signingKey, stringToSign).toString('hex') !== signature) return 'signature does not match';
  return { accessKeyId, service, region, signedHeaders };
}

/** Answers like AppSync: 403 InvalidSignatureException when the signature fails, else `data` for the operation. */
export const appSyncAnswer =
  (data: unknown): Answer =>
  (_request, signature) =>
    typeof signature === 'string'
      ? { status: 403, body: { errors: [{ errorType: 'InvalidSignatureException', message: signature }] } }
      : { status: 200, body: { data } };

export async function startFakeAppSync(options: { readonly secretAccessKey: string; readonly answer: Answer }): Promise<FakeAppSync> {
  const received: ReceivedRequest[] = [];
  let answer = options.answer;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(request);
      const scripted = answer(request, verifySigV4(request, options.secretAccessKey));
      if (scripted === undefined) return;
      res.writeHead(scripted.status, { 'content-type': 'application/json' }).end(JSON.stringify(scripted.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    received,
    answerWith(next) {
      answer = next;
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
