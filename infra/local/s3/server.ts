import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small S3-compatible endpoint speaking the S3 REST protocol (path-style) for PutObject, GetObject,
 * HeadObject and DeleteObject, so the S3 blob store is tested with the official SDK over real HTTP. Every
 * request must carry a valid AWS Signature Version 4, in the Authorization header or as a presigned query,
 * checked here independently of the SDK that made it. Objects live in memory.
 */
export interface LocalS3Options {
  /** Access key id → secret access key. */
  readonly credentials: Readonly<Record<string, string>>;
  readonly buckets: readonly string[];
  readonly region?: string;
  /** Milliseconds since the epoch; tests move it to expire presigned URLs. */
  readonly now?: () => number;
}

export interface LocalS3Object {
  readonly bytes: Buffer;
  readonly contentType: string;
  readonly etag: string;
  readonly lastModified: Date;
  readonly serverSideEncryption: string | undefined;
  readonly kmsKeyId: string | undefined;
}

export interface LocalS3Request {
  readonly method: string;
  readonly path: string;
  /** How the request was signed. */
  readonly signedBy: 'header' | 'query' | 'none';
  readonly status: number;
}

export interface LocalS3Server {
  readonly endpoint: string;
  readonly region: string;
  /** Keyed by `<bucket>/<key>`. */
  readonly objects: Map<string, LocalS3Object>;
  readonly requests: LocalS3Request[];
  close(): Promise<void>;
}

class S3Error extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;
const MAX_PRESIGNED_EXPIRY_SECONDS = 7 * 24 * 3600;
const SSE_VALUES = new Set(['AES256', 'aws:kms', 'aws:kms:dsse']);

export async function startLocalS3(options: LocalS3Options): Promise<LocalS3Server> {
  const region = options.region ?? 'us-east-1';
  const now = options.now ?? Date.now;
  const objects = new Map<string, LocalS3Object>();
  const requests: LocalS3Request[] = [];
  const buckets = new Set(options.buckets);

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const target = request.url ?? '/';
    const path = target.split('?')[0]!;
    let signedBy: LocalS3Request['signedBy'] = 'none';
    try {
      const body = await readBody(request);
      signedBy = verifySignature(request, body, { credentials: options.credentials, region, now: now() });
      const [bucket, key] = splitPath(path);
      if (!buckets.has(bucket)) throw new S3Error(404, 'NoSuchBucket', 'The specified bucket does not exist');
      if (!key) throw new S3Error(501, 'NotImplemented', 'Only object operations are implemented');
      const objectId = `${bucket}/${key}`;
      switch (request.method) {
        case 'PUT': {
          const sse = header(request, 'x-amz-server-side-encryption');
          if (sse !== undefined && !SSE_VALUES.has(sse)) throw new S3Error(400, 'InvalidArgument', 'Unknown server-side encryption');
          const bytes = decodePayload(request, body);
          const etag = `"${createHash('md5').update(bytes).digest('hex')}"`;
          objects.set(objectId, {
            bytes,
            contentType: header(request, 'content-type') ?? 'binary/octet-stream',
            etag,
            lastModified: new Date(now()),
            serverSideEncryption: sse,
            kmsKeyId: header(request, 'x-amz-server-side-encryption-aws-kms-key-id'),
          });
          response.writeHead(200, { etag, ...encryptionHeaders(objects.get(objectId)!) }).end();
          break;
        }
        case 'GET':
        case 'HEAD': {
          const object = objects.get(objectId);
          if (!object) throw new S3Error(404, 'NoSuchKey', 'The specified key does not exist.');
          response.writeHead(200, {
            'content-type': object.contentType,
            'content-length': object.bytes.length,
            etag: object.etag,
            'last-modified': object.lastModified.toUTCString(),
            ...encryptionHeaders(object),
          });
          response.end(request.method === 'GET' ? object.bytes : undefined);
          break;
        }
        case 'DELETE':
          objects.delete(objectId);
          response.writeHead(204).end();
          break;
        default:
          throw new S3Error(405, 'MethodNotAllowed', 'The specified method is not allowed');
      }
    } catch (error) {
      const s3Error = error instanceof S3Error ? error : new S3Error(500, 'InternalError', String(error));
      response.writeHead(s3Error.status, { 'content-type': 'application/xml' });
      // HEAD answers carry no body; the SDK reads the status alone.
      response.end(request.method === 'HEAD' ? undefined : errorXml(s3Error, path));
    }
    requests.push({ method: request.method ?? '', path, signedBy, status: response.statusCode });
  };

  const server = http.createServer((request, response) => void handle(request, response));
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region,
    objects,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function splitPath(path: string): [string, string] {
  const [bucket = '', ...rest] = path.slice(1).split('/');
  return [decodeURIComponent(bucket), rest.map(decodeURIComponent).join('/')];
}

function encryptionHeaders(object: LocalS3Object): Record<string, string> {
  return {
    ...(object.serverSideEncryption ? { 'x-amz-server-side-encryption': object.serverSideEncryption } : {}),
    ...(object.kmsKeyId ? { 'x-amz-server-side-encryption-aws-kms-key-id': object.kmsKeyId } : {}),
  };
}

function errorXml(error: S3Error, resource: string): string {
  const escape = (text: string) => text.replace(/[<>&]/g, (character) => `&#${character.charCodeAt(0)};`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${error.code}</Code><Message>${escape(error.message)}</Message><Resource>${escape(resource)}</Resource><RequestId>local</RequestId></Error>`;
}

/** The object bytes, unwrapping `aws-chunked` framing (`<hex size>[;chunk-signature=…]\r\n<data>\r\n…`). */
function decodePayload(request: IncomingMessage, body: Buffer): Buffer {
  const isChunked = (header(request, 'content-encoding') ?? '').includes('aws-chunked') || (header(request, 'x-amz-content-sha256') ?? '').startsWith('STREAMING-');
  if (!isChunked) return body;
  const chunks: Buffer[] = [];
  for (let offset = 0; ; ) {
    const lineEnd = body.indexOf('\r\n', offset);
    if (lineEnd === -1) throw new S3Error(400, 'IncompleteBody', 'Malformed aws-chunked body');
    const size = parseInt(body.toString('latin1', offset, lineEnd).split(';')[0]!, 16);
    if (!Number.isFinite(size)) throw new S3Error(400, 'IncompleteBody', 'Malformed aws-chunked body');
    if (size === 0) return Buffer.concat(chunks); // trailers (checksums) follow; they are not needed here
    chunks.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
}

interface VerificationContext {
  readonly credentials: Readonly<Record<string, string>>;
  readonly region: string;
  readonly now: number;
}

/** Verifies SigV4 from the Authorization header or a presigned query; throws the error S3 would answer. */
function verifySignature(request: IncomingMessage, body: Buffer, context: VerificationContext): 'header' | 'query' {
  const [rawPath, rawQuery = ''] = (request.url ?? '/').split(/\?(.*)/s);
  const query = parseQuery(rawQuery);
  const authorization = header(request, 'authorization');
  const presigned = query.some(([name]) => name === 'X-Amz-Signature');
  if (!authorization && !presigned) throw new S3Error(403, 'AccessDenied', 'Anonymous access is not allowed');

  let credential: string;
  let signedHeaders: string[];
  let signature: string;
  let amzDate: string;
  let payloadHash: string;
  if (authorization) {
    const match = /^AWS4-HMAC-SHA256 Credential=([^,]+),\s*SignedHeaders=([^,]+),\s*Signature=([0-9a-f]{64})$/.exec(authorization);
    if (!match) throw new S3Error(400, 'AuthorizationHeaderMalformed', 'The authorization header is not AWS Signature Version 4');
    credential = match[1]!;
    signedHeaders = match[2]!.split(';');
    signature = match[3]!;
    amzDate = header(request, 'x-amz-date') ?? '';
    payloadHash = header(request, 'x-amz-content-sha256') ?? '';
    if (!payloadHash) throw new S3Error(400, 'InvalidRequest', 'Missing required header for this request: x-amz-content-sha256');
    if (Math.abs(parseAmzDate(amzDate) - context.now) > MAX_CLOCK_SKEW_MS) {
      throw new S3Error(403, 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.');
    }
    if (/^[0-9a-f]{64}$/.test(payloadHash) && createHash('sha256').update(body).digest('hex') !== payloadHash) {
      throw new S3Error(400, 'XAmzContentSHA256Mismatch', 'The provided x-amz-content-sha256 header does not match what was computed.');
    }
  } else {
    const get = (name: string) => query.find(([key]) => key === name)?.[1] ?? '';
    if (get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256') throw new S3Error(400, 'AuthorizationQueryParametersError', 'Unsupported algorithm');
    credential = get('X-Amz-Credential');
    signedHeaders = get('X-Amz-SignedHeaders').split(';');
    signature = get('X-Amz-Signature');
    amzDate = get('X-Amz-Date');
    payloadHash = 'UNSIGNED-PAYLOAD';
    const expires = Number(get('X-Amz-Expires'));
    if (!Number.isInteger(expires) || expires < 1 || expires > MAX_PRESIGNED_EXPIRY_SECONDS) {
      throw new S3Error(400, 'AuthorizationQueryParametersError', 'X-Amz-Expires must be between 1 and 604800 seconds');
    }
    if (context.now > parseAmzDate(amzDate) + expires * 1000) throw new S3Error(403, 'AccessDenied', 'Request has expired');
  }

  const [accessKeyId, date, region, service, terminator] = credential.split('/');
  const secret = accessKeyId === undefined ? undefined : context.credentials[accessKeyId];
  if (secret === undefined) throw new S3Error(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.');
  if (region !== context.region || service !== 's3' || terminator !== 'aws4_request' || date !== amzDate.slice(0, 8)) {
    throw new S3Error(403, 'SignatureDoesNotMatch', 'The credential scope does not match this endpoint');
  }
  if (!signedHeaders.includes('host')) throw new S3Error(403, 'AccessDenied', 'The host header must be signed');

  const canonicalRequest = [
    request.method,
    rawPath,
    canonicalQuery(query.filter(([name]) => name !== 'X-Amz-Signature')),
    ...signedHeaders.map((name) => `${name}:${(header(request, name) ?? '').trim().replace(/\s+/g, ' ')}`),
    '',
    signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
  const scope = `${date}/${region}/s3/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, createHash('sha256').update(canonicalRequest).digest('hex')].join('\n');
  const signingKey = [date, region, 's3', 'aws4_request'].reduce<Buffer>(
    (key, part) => createHmac('sha256', key).update(part).digest(),
    Buffer.from(`AWS4${secret}`),
  );
  const expected = Buffer.from(createHmac('sha256', signingKey).update(stringToSign).digest('hex'));
  const received = Buffer.from(signature);
  if (received.length !== expected.length || !timingSafeEqual(received, expected)) {
    throw new S3Error(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
  }
  return authorization ? 'header' : 'query';
}

function parseQuery(rawQuery: string): Array<[string, string]> {
  if (rawQuery === '') return [];
  return rawQuery.split('&').map((pair) => {
    const [name = '', value = ''] = pair.split(/=(.*)/s);
    const decode = (text: string) => decodeURIComponent(text.replace(/\+/g, ' '));
    return [decode(name), decode(value)];
  });
}

const encodeRfc3986 = (text: string) => encodeURIComponent(text).replace(/[!'()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);

function canonicalQuery(pairs: ReadonlyArray<[string, string]>): string {
  return pairs
    .map(([name, value]) => [encodeRfc3986(name), encodeRfc3986(value)] as const)
    .sort(([a, aValue], [b, bValue]) => (a === b ? (aValue < bValue ? -1 : 1) : a < b ? -1 : 1))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

function parseAmzDate(amzDate: string): number {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!match) throw new S3Error(403, 'AccessDenied', 'X-Amz-Date is missing or malformed');
  const [, year, month, day, hour, minute, second] = match.map(Number) as [number, number, number, number, number, number, number];
  return Date.UTC(year, month - 1, day, hour, minute, second);
}
