import { lookup } from 'node:dns/promises';
import { once } from 'node:events';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { rootCertificates } from 'node:tls';
import type { MediaDownload, MediaHosts } from '../channels/provider.ts';
import { addressScope } from './addresses.ts';
import { PermanentMediaError, TransientMediaError } from './errors.ts';
import { effectivePort, hostMatches, parseHostPattern, type HostPattern } from './hostPatterns.ts';

export const MEBIBYTE = 1024 * 1024;

export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** Turns a host name into the addresses to consider; every one of them is vetted before any is used. */
export type ResolveHost = (hostname: string) => Promise<readonly ResolvedAddress[]>;

export interface FetchMediaOptions {
  /** `download`: hosts the download URL may name; `redirect`: the media CDN hosts a redirect may lead to. */
  readonly hosts: MediaHosts;
  /** Hosts, besides the download URL's own origin, that may receive the download's credential headers. */
  readonly credentialHosts?: readonly string[];
  readonly maxRedirects?: number;
  /** Abort once the body (declared or streamed) passes this many bytes. */
  readonly maxBytes?: number;
  /** Longest silence while connecting or reading. */
  readonly idleTimeoutMs?: number;
  /** Longest whole download, redirects included. */
  readonly totalTimeoutMs?: number;
  readonly resolveHost?: ResolveHost;
  /** Only for tests against servers on this machine; production configuration never sets it. */
  readonly testOnly?: TestOnlyFetchOptions;
}

export interface TestOnlyFetchOptions {
  /**
   * Exact origins with an explicit port (`http://127.0.0.1:43123`) that may use plain http and resolve to a
   * loopback address. Nothing else is relaxed: other loopback origins and every private range stay refused.
   */
  readonly allowLoopbackOrigins?: readonly string[];
  /** A PEM certificate to trust besides the public roots, for a test TLS server. */
  readonly trustedCa?: string;
}

export interface FetchedMedia {
  readonly bytes: Buffer;
  /** The URL the bytes came from, after redirects. */
  readonly url: string;
}

const DEFAULTS = {
  maxRedirects: 3,
  maxBytes: 16 * MEBIBYTE,
  idleTimeoutMs: 10_000,
  totalTimeoutMs: 60_000,
} as const;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const RETRYABLE_CLIENT_STATUSES = new Set([408, 425, 429]);
const TLS_TRUST_ERRORS = /^(CERT_|ERR_TLS_CERT|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|ERR_SSL_)/;

const resolveWithSystemDns: ResolveHost = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map(({ address, family }) => ({
    address,
    family: family === 6 ? 6 : 4,
  }));

/**
 * Downloads a provider's media URL without letting it reach anything but the provider: https only, hosts from
 * the allow-list, every resolved address vetted and then connected to directly (the name is not resolved
 * again, TLS still verifies the name), redirects only to the media CDN hosts and re-vetted at each hop,
 * credentials only to the original origin. Throws `TransientMediaError` when retrying may help and
 * `PermanentMediaError` otherwise.
 */
export async function fetchMedia(download: Pick<MediaDownload, 'url' | 'headers'>, options: FetchMediaOptions): Promise<FetchedMedia> {
  const policy = compilePolicy(options);
  const deadline = AbortSignal.timeout(policy.totalTimeoutMs);
  let url = parseUrl(download.url);
  const originalOrigin = url.origin;

  for (let redirects = 0; ; redirects += 1) {
    const allowedHosts = redirects === 0 ? policy.downloadHosts : policy.redirectHosts;
    const address = await vetDestination(url, allowedHosts, policy);
    const sendCredentials = url.origin === originalOrigin || policy.credentialHosts.some((pattern) => hostMatches(pattern, url));
    const outcome = await requestOnce(url, address, sendCredentials ? download.headers : {}, policy, deadline);
    if ('bytes' in outcome) return { bytes: outcome.bytes, url: url.href };
    if (redirects === policy.maxRedirects) {
      throw new PermanentMediaError(`more than ${policy.maxRedirects} redirects`);
    }
    url = parseUrl(outcome.location, url);
  }
}

interface Policy {
  readonly downloadHosts: readonly HostPattern[];
  readonly redirectHosts: readonly HostPattern[];
  readonly credentialHosts: readonly HostPattern[];
  readonly maxRedirects: number;
  readonly maxBytes: number;
  readonly idleTimeoutMs: number;
  readonly totalTimeoutMs: number;
  readonly resolveHost: ResolveHost;
  readonly loopbackTestOrigins: ReadonlySet<string>;
  readonly trustedCa: string[] | undefined;
}

function compilePolicy(options: FetchMediaOptions): Policy {
  const downloadHosts = options.hosts.download.map(parseHostPattern);
  return {
    downloadHosts,
    redirectHosts: [...downloadHosts, ...options.hosts.redirect.map(parseHostPattern)],
    credentialHosts: (options.credentialHosts ?? []).map(parseHostPattern),
    maxRedirects: options.maxRedirects ?? DEFAULTS.maxRedirects,
    maxBytes: options.maxBytes ?? DEFAULTS.maxBytes,
    idleTimeoutMs: options.idleTimeoutMs ?? DEFAULTS.idleTimeoutMs,
    totalTimeoutMs: options.totalTimeoutMs ?? DEFAULTS.totalTimeoutMs,
    resolveHost: options.resolveHost ?? resolveWithSystemDns,
    loopbackTestOrigins: new Set((options.testOnly?.allowLoopbackOrigins ?? []).map(parseLoopbackTestOrigin)),
    trustedCa: options.testOnly?.trustedCa === undefined ? undefined : [...rootCertificates, options.testOnly.trustedCa],
  };
}

function parseLoopbackTestOrigin(entry: string): string {
  const url = URL.canParse(entry) ? new URL(entry) : undefined;
  if (!url || !['http:', 'https:'].includes(url.protocol) || url.port === '' || url.origin !== entry.replace(/\/$/, '')) {
    throw new TypeError(`testOnly.allowLoopbackOrigins entry "${entry}" must be an origin with an explicit port`);
  }
  return url.origin;
}

function parseUrl(text: string, base?: URL): URL {
  if (!URL.canParse(text, base?.href)) throw new PermanentMediaError(`"${text}" is not a valid URL`);
  return new URL(text, base);
}

/** Checks scheme, host and every address the host resolves to; returns the address to connect to. */
async function vetDestination(url: URL, allowedHosts: readonly HostPattern[], policy: Policy): Promise<ResolvedAddress> {
  const isLoopbackTestOrigin = policy.loopbackTestOrigins.has(url.origin);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackTestOrigin)) {
    throw new PermanentMediaError(`refused ${url.origin}: only https is allowed`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new PermanentMediaError(`refused ${url.host}: credentials in the URL are not allowed`);
  }
  if (!allowedHosts.some((pattern) => hostMatches(pattern, url))) {
    throw new PermanentMediaError(`refused ${url.host}: not an allowed media host`);
  }
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const addresses = isIP(hostname) !== 0 ? [{ address: hostname, family: isIP(hostname) as 4 | 6 }] : await resolve(hostname, policy);
  for (const { address } of addresses) {
    const scope = addressScope(address);
    const allowed = scope === 'public' || (scope === 'loopback' && isLoopbackTestOrigin);
    if (!allowed) throw new PermanentMediaError(`refused ${url.host}: it resolves to a ${scope} address (${address})`);
  }
  const [first] = addresses;
  if (!first) throw new TransientMediaError(`${hostname} resolved to no address`);
  return first;
}

async function resolve(hostname: string, policy: Policy): Promise<readonly ResolvedAddress[]> {
  try {
    return await policy.resolveHost(hostname);
  } catch (error) {
    // A provider host that does not resolve now is a DNS or network hiccup far more often than a lasting fact.
    throw new TransientMediaError(`could not resolve ${hostname}: ${describe(error)}`, { cause: error });
  }
}

type HopOutcome = { readonly bytes: Buffer } | { readonly location: string };

async function requestOnce(
  url: URL,
  address: ResolvedAddress,
  credentialHeaders: Readonly<Record<string, string>>,
  policy: Policy,
  deadline: AbortSignal,
): Promise<HopOutcome> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(credentialHeaders)) headers[name.toLowerCase()] = value;
  Object.assign(headers, { host: url.host, 'accept-encoding': 'identity', 'user-agent': 'WasaPrecruit-media/1' });
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const client = url.protocol === 'https:' ? https : http;
  // Connect to the vetted address itself; Host and SNI still carry the name, and TLS verifies the certificate
  // against it, so nothing resolves the name a second time.
  const request = client.request({
    host: address.address,
    family: address.family,
    port: effectivePort(url),
    path: `${url.pathname}${url.search}`,
    method: 'GET',
    headers,
    agent: false,
    timeout: policy.idleTimeoutMs,
    signal: deadline,
    ...(url.protocol === 'https:' ? { servername: isIP(hostname) === 0 ? hostname : undefined, ca: policy.trustedCa } : {}),
  });
  let idle = false;
  request.on('timeout', () => {
    idle = true;
    request.destroy();
  });
  // Errors surface through `once` and the body iteration below; this keeps a late one from going unhandled.
  request.on('error', () => undefined);
  request.end();

  const fail = (error: unknown) => classifyFailure(error, { idle, deadline, url, policy });
  let response: IncomingMessage;
  try {
    [response] = (await once(request, 'response')) as [IncomingMessage];
  } catch (error) {
    throw fail(error);
  }
  try {
    return await readResponse(response, url, policy);
  } catch (error) {
    throw fail(error);
  } finally {
    response.destroy();
  }
}

async function readResponse(response: IncomingMessage, url: URL, policy: Policy): Promise<HopOutcome> {
  const status = response.statusCode ?? 0;
  if (REDIRECT_STATUSES.has(status)) {
    const location = response.headers.location;
    if (!location) throw new PermanentMediaError(`${url.host} answered ${status} without a Location`);
    return { location };
  }
  if (status >= 500 || RETRYABLE_CLIENT_STATUSES.has(status)) {
    throw new TransientMediaError(`${url.host} answered ${status}`);
  }
  if (status !== 200) throw new PermanentMediaError(`${url.host} answered ${status}`);

  const declaredLength = response.headers['content-length'] === undefined ? undefined : Number(response.headers['content-length']);
  if (declaredLength !== undefined && declaredLength > policy.maxBytes) {
    throw new PermanentMediaError(`the file is larger than ${formatBytes(policy.maxBytes)} (declared ${declaredLength} bytes)`);
  }
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    received += chunk.length;
    if (received > policy.maxBytes) throw new PermanentMediaError(`the file is larger than ${formatBytes(policy.maxBytes)}`);
    chunks.push(chunk);
  }
  if (declaredLength !== undefined && received !== declaredLength) {
    throw new TransientMediaError(`${url.host} sent ${received} of ${declaredLength} bytes`);
  }
  if (received === 0) throw new PermanentMediaError(`${url.host} sent an empty file`);
  return { bytes: Buffer.concat(chunks, received) };
}

function classifyFailure(
  error: unknown,
  context: { idle: boolean; deadline: AbortSignal; url: URL; policy: Policy },
): TransientMediaError | PermanentMediaError {
  if (error instanceof TransientMediaError || error instanceof PermanentMediaError) return error;
  if (context.deadline.aborted) {
    return new TransientMediaError(`the download took longer than ${context.policy.totalTimeoutMs} ms`, { cause: error });
  }
  if (context.idle) {
    return new TransientMediaError(`${context.url.host} was silent for ${context.policy.idleTimeoutMs} ms`, { cause: error });
  }
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && TLS_TRUST_ERRORS.test(code)) {
    return new PermanentMediaError(`${context.url.host} failed TLS verification (${code})`, { cause: error });
  }
  return new TransientMediaError(`download from ${context.url.host} failed: ${describe(error)}`, { cause: error });
}

function describe(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === 'string' && !message.includes(code) ? `${code} ${message}` : message;
}

function formatBytes(bytes: number): string {
  return bytes % MEBIBYTE === 0 ? `${bytes / MEBIBYTE} MB` : `${bytes} bytes`;
}
