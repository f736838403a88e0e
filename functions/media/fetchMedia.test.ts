import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PermanentMediaError, TransientMediaError } from './errors.ts';
import { fetchMedia, type FetchMediaOptions, type ResolveHost } from './fetchMedia.ts';
import { createTestCertificate, startTestServer, type TestServer } from './testing/servers.ts';

const MEDIA_BYTES = Buffer.from('the media bytes');

/** What a provider's API does: serve media, redirect where the test asks, misbehave on demand. */
function providerRoutes(request: IncomingMessage, response: ServerResponse): void {
  const url = new URL(request.url ?? '/', 'http://provider');
  switch (url.pathname) {
    case '/media':
      response.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': MEDIA_BYTES.length }).end(MEDIA_BYTES);
      return;
    case '/redirect':
      response.writeHead(Number(url.searchParams.get('status') ?? 302), { location: url.searchParams.get('to') ?? '' }).end();
      return;
    case '/loop':
      response.writeHead(302, { location: '/loop' }).end();
      return;
    case '/status':
      response.writeHead(Number(url.searchParams.get('code'))).end('no');
      return;
    case '/declared-oversize':
      response.writeHead(200, { 'content-length': String(Number(url.searchParams.get('bytes'))) });
      response.write(Buffer.alloc(16));
      return; // never finishes: the client must give up on the header alone
    case '/endless': {
      response.writeHead(200, { 'content-type': 'application/pdf' });
      const timer = setInterval(() => response.write(Buffer.alloc(64 * 1024, 1)), 1);
      response.on('close', () => clearInterval(timer));
      return;
    }
    case '/stall-body':
      response.writeHead(200, { 'content-length': '100' });
      response.write(Buffer.alloc(10));
      return;
    case '/stall-headers':
      return;
    case '/reset':
      request.socket.destroy();
      return;
    case '/truncated':
      response.writeHead(200, { 'content-length': '100' });
      response.end(Buffer.alloc(10));
      response.socket?.destroy();
      return;
    default:
      response.writeHead(404).end();
  }
}

let provider: TestServer;
let cdn: TestServer;
let target: TestServer;

beforeAll(async () => {
  provider = await startTestServer(providerRoutes);
  cdn = await startTestServer(providerRoutes);
  // Stands for everything the fetcher must never reach: whatever hits it is an SSRF that got through.
  target = await startTestServer((_request, response) => response.writeHead(200).end('internal secret'));
});

afterAll(async () => {
  await Promise.all([provider.close(), cdn.close(), target.close()]);
});

/** DNS as the tests need it; names it does not know fail like NXDOMAIN. */
function fakeDns(records: Record<string, readonly string[]>): ResolveHost {
  return async (hostname) => {
    const addresses = records[hostname];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
}

const dns = fakeDns({
  localhost: ['127.0.0.1', '::1'],
  'loopback.provider.test': ['127.0.0.1'],
  'metadata.provider.test': ['169.254.169.254'],
  'private.provider.test': ['10.0.0.7'],
  'mixed.provider.test': ['93.184.216.34', '127.0.0.1'],
  'ula.provider.test': ['fd00::1'],
  'mapped.provider.test': ['::ffff:127.0.0.1'],
});

function options(overrides: Partial<FetchMediaOptions> = {}): FetchMediaOptions {
  return {
    hosts: { download: [provider.host], redirect: [cdn.host] },
    testOnly: { allowLoopbackOrigins: [provider.origin, cdn.origin] },
    resolveHost: dns,
    idleTimeoutMs: 1_000,
    totalTimeoutMs: 5_000,
    ...overrides,
  };
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the fetch to fail');
}

const redirectTo = (to: string, status = 302) => `${provider.origin}/redirect?status=${status}&to=${encodeURIComponent(to)}`;

describe('fetchMedia downloads from the provider', () => {
  it('returns the bytes of an allowed provider URL and sends the provider credentials there', async () => {
    const before = provider.requests.length;
    const fetched = await fetchMedia({ url: `${provider.origin}/media`, headers: { Authorization: 'Basic provider-secret' } }, options());
    expect(fetched.bytes.equals(MEDIA_BYTES)).toBe(true);
    expect(provider.requests.slice(before)).toMatchObject([{ url: '/media', headers: { authorization: 'Basic provider-secret' } }]);
  });

  it('follows a redirect to the media CDN without the provider credentials', async () => {
    const cdnBefore = cdn.requests.length;
    const fetched = await fetchMedia(
      { url: redirectTo(`${cdn.origin}/media?token=short-lived`), headers: { Authorization: 'Basic provider-secret' } },
      options(),
    );
    expect(fetched.bytes.equals(MEDIA_BYTES)).toBe(true);
    expect(fetched.url).toBe(`${cdn.origin}/media?token=short-lived`);
    const cdnRequests = cdn.requests.slice(cdnBefore);
    expect(cdnRequests).toHaveLength(1);
    expect(cdnRequests[0]!.headers.authorization).toBeUndefined();
  });

  it('sends the credentials to a CDN host only when it is on the credential allow-list', async () => {
    const cdnBefore = cdn.requests.length;
    await fetchMedia(
      { url: redirectTo(`${cdn.origin}/media`, 307), headers: { Authorization: 'Bearer meta-token' } },
      options({ credentialHosts: [cdn.host] }),
    );
    expect(cdn.requests.slice(cdnBefore)[0]!.headers.authorization).toBe('Bearer meta-token');
  });

  it('gives up after the maximum number of redirects', async () => {
    const before = provider.requests.length;
    const error = await failure(fetchMedia({ url: `${provider.origin}/loop`, headers: {} }, options({ maxRedirects: 2 })));
    expect(error).toBeInstanceOf(PermanentMediaError);
    expect(error.message).toBe('more than 2 redirects');
    expect(provider.requests.length - before).toBe(3);
  });
});

describe('fetchMedia refuses SSRF targets without contacting them', () => {
  const loopbackForms = (port: number) => [
    `http://127.0.0.1:${port}/`,
    `http://localhost:${port}/`,
    `http://2130706433:${port}/`, // decimal
    `http://0177.0.0.1:${port}/`, // octal
    `http://0x7f.0.0.1:${port}/`, // hex
    `http://0x7f000001:${port}/`,
    `http://127.1:${port}/`,
    `http://[::1]:${port}/`,
    `http://[::ffff:127.0.0.1]:${port}/`,
    `http://[::ffff:7f00:1]:${port}/`,
    `http://0.0.0.0:${port}/`,
  ];
  const privateForms = [
    'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
    'http://10.0.0.1/',
    'http://172.16.0.1/',
    'http://172.31.255.254/',
    'http://192.168.1.1/',
    'http://[fc00::1]/',
    'http://[fd12:3456::1]/',
    'http://[fe80::1]/',
    'http://[::ffff:169.254.169.254]/',
    'http://[::ffff:10.0.0.1]/',
  ];
  const corpus = () => [...loopbackForms(target.port), ...privateForms];

  it('refuses every loopback, link-local and private form as a host that is not allowed', async () => {
    for (const url of corpus()) {
      const error = await failure(fetchMedia({ url, headers: {} }, options()));
      expect(error, url).toBeInstanceOf(PermanentMediaError);
    }
    expect(target.requests).toEqual([]);
  });

  it('refuses them by address even when a misconfigured allow-list names them', async () => {
    for (const url of corpus()) {
      const https = new URL(url);
      https.protocol = 'https:';
      const error = await failure(fetchMedia({ url: https.href, headers: {} }, options({ hosts: { download: [https.host], redirect: [] } })));
      expect(error, url).toBeInstanceOf(PermanentMediaError);
      expect(error.message, url).toMatch(/resolves to a (loopback|link-local|private|unique-local|unspecified) address/);
    }
    expect(target.requests).toEqual([]);
  });

  it('refuses names that resolve to internal addresses, through the system resolver too', async () => {
    const names = ['loopback.provider.test', 'metadata.provider.test', 'private.provider.test', 'mixed.provider.test', 'ula.provider.test', 'mapped.provider.test'];
    for (const name of names) {
      const host = `${name}:${target.port}`;
      const error = await failure(fetchMedia({ url: `https://${host}/`, headers: {} }, options({ hosts: { download: [host], redirect: [] } })));
      expect(error, name).toBeInstanceOf(PermanentMediaError);
      expect(error.message, name).toMatch(/resolves to a .* address/);
    }
    const localhost = `localhost:${target.port}`;
    const error = await failure(
      fetchMedia({ url: `https://${localhost}/`, headers: {} }, options({ hosts: { download: [localhost], redirect: [] }, resolveHost: undefined })),
    );
    expect(error.message).toMatch(/resolves to a loopback address/);
    expect(target.requests).toEqual([]);
  });

  it('refuses plain http and URL credentials even for an allowed public host', async () => {
    const httpError = await failure(fetchMedia({ url: 'http://api.provider.test/media', headers: {} }, options({ hosts: { download: ['api.provider.test'], redirect: [] } })));
    expect(httpError.message).toMatch(/only https is allowed/);
    const userinfoError = await failure(fetchMedia({ url: 'https://user:pw@api.provider.test/media', headers: {} }, options({ hosts: { download: ['api.provider.test'], redirect: [] } })));
    expect(userinfoError.message).toMatch(/credentials in the URL/);
  });

  it('refuses redirect chains that lead to internal addresses or hosts off the allow-list', async () => {
    const redirectHosts = [cdn.host, `loopback.provider.test:${target.port}`, 'metadata.provider.test', 'private.provider.test'];
    const destinations = [
      'http://169.254.169.254/latest/meta-data/',
      'https://metadata.provider.test/latest/meta-data/',
      'https://private.provider.test/admin',
      `https://loopback.provider.test:${target.port}/`,
      `http://127.0.0.1:${target.port}/`,
      `http://localhost:${target.port}/`,
      `http://[::ffff:127.0.0.1]:${target.port}/`,
      'https://attacker.example/media',
      `${cdn.origin}/redirect?to=${encodeURIComponent(`http://127.0.0.1:${target.port}/`)}`, // the second hop
    ];
    for (const destination of destinations) {
      const error = await failure(fetchMedia({ url: redirectTo(destination), headers: {} }, options({ hosts: { download: [provider.host], redirect: redirectHosts } })));
      expect(error, destination).toBeInstanceOf(PermanentMediaError);
      expect(error.message, destination).toMatch(/^refused /);
    }
    expect(target.requests).toEqual([]);
  });

  it('refuses to start a download at a CDN host: downloads start at the provider API', async () => {
    const error = await failure(
      fetchMedia({ url: `${cdn.origin}/media`, headers: {} }, options({ hosts: { download: [provider.host], redirect: [cdn.host] } })),
    );
    expect(error.message).toBe(`refused ${cdn.host}: not an allowed media host`);
  });

  it('accepts only exact origins with a port for the test-only loopback exception', async () => {
    await expect(
      fetchMedia({ url: `${provider.origin}/media`, headers: {} }, options({ testOnly: { allowLoopbackOrigins: ['http://127.0.0.1'] } })),
    ).rejects.toThrow(/explicit port/);
    await expect(
      fetchMedia({ url: `${provider.origin}/media`, headers: {} }, options({ testOnly: { allowLoopbackOrigins: [`${provider.origin}/media`] } })),
    ).rejects.toThrow(/explicit port/);
  });
});

describe('fetchMedia caps sizes', () => {
  it('aborts when Content-Length declares more than the cap', async () => {
    const error = await failure(fetchMedia({ url: `${provider.origin}/declared-oversize?bytes=5242881`, headers: {} }, options({ maxBytes: 5 * 1024 * 1024 })));
    expect(error).toBeInstanceOf(PermanentMediaError);
    expect(error.message).toBe('the file is larger than 5 MB (declared 5242881 bytes)');
  });

  it('aborts a body that streams past the cap without declaring a length', async () => {
    const error = await failure(fetchMedia({ url: `${provider.origin}/endless`, headers: {} }, options({ maxBytes: 16 * 1024 * 1024 })));
    expect(error).toBeInstanceOf(PermanentMediaError);
    expect(error.message).toBe('the file is larger than 16 MB');
  });
});

describe('fetchMedia classifies failures', () => {
  const cases: Array<[string, string, typeof TransientMediaError | typeof PermanentMediaError, RegExp]> = [
    ['a 503', '/status?code=503', TransientMediaError, /answered 503/],
    ['a 429', '/status?code=429', TransientMediaError, /answered 429/],
    ['a 404', '/status?code=404', PermanentMediaError, /answered 404/],
    ['a 403', '/status?code=403', PermanentMediaError, /answered 403/],
    ['a connection reset', '/reset', TransientMediaError, /failed/],
    ['a truncated body', '/truncated', TransientMediaError, /./],
    ['headers that never come', '/stall-headers', TransientMediaError, /silent for 300 ms/],
    ['a body that stalls', '/stall-body', TransientMediaError, /silent for 300 ms/],
  ];
  it.each(cases)('%s', async (_name, path, errorClass, message) => {
    const error = await failure(fetchMedia({ url: `${provider.origin}${path}`, headers: {} }, options({ idleTimeoutMs: 300 })));
    expect(error).toBeInstanceOf(errorClass);
    expect(error.message).toMatch(message);
  });

  it('treats a whole download slower than the total timeout as transient', async () => {
    const error = await failure(
      fetchMedia({ url: `${provider.origin}/stall-body`, headers: {} }, options({ idleTimeoutMs: 5_000, totalTimeoutMs: 300 })),
    );
    expect(error).toBeInstanceOf(TransientMediaError);
    expect(error.message).toBe('the download took longer than 300 ms');
  });

  it('treats a refused connection and an unresolvable name as transient', async () => {
    const closed = await startTestServer(() => undefined);
    await closed.close();
    const refused = await failure(fetchMedia({ url: `${closed.origin}/media`, headers: {} }, options({ hosts: { download: [closed.host], redirect: [] }, testOnly: { allowLoopbackOrigins: [closed.origin] } })));
    expect(refused).toBeInstanceOf(TransientMediaError);
    const unresolvable = await failure(fetchMedia({ url: 'https://gone.provider.test/media', headers: {} }, options({ hosts: { download: ['gone.provider.test'], redirect: [] } })));
    expect(unresolvable).toBeInstanceOf(TransientMediaError);
    expect(unresolvable.message).toMatch(/could not resolve gone.provider.test/);
  });
});

describe('fetchMedia over TLS', () => {
  const certificate = createTestCertificate(['media.provider.test']);
  let tlsServer: TestServer;
  beforeAll(async () => {
    tlsServer = await startTestServer(providerRoutes, certificate);
  });
  afterAll(() => tlsServer.close());

  const tlsOptions = (name: string, resolveHost: ResolveHost): FetchMediaOptions => ({
    hosts: { download: [`${name}:${tlsServer.port}`], redirect: [] },
    resolveHost,
    testOnly: { allowLoopbackOrigins: [`https://${name}:${tlsServer.port}`], trustedCa: certificate.cert },
  });

  it('resolves the name once, connects to the vetted address and keeps SNI and Host', async () => {
    let lookups = 0;
    // A rebinding resolver: vetted answer first, an internal address afterwards. Only the first may be used.
    const rebinding: ResolveHost = async () => {
      lookups += 1;
      return [{ address: lookups === 1 ? '127.0.0.1' : '10.0.0.9', family: 4 }];
    };
    const before = tlsServer.requests.length;
    const fetched = await fetchMedia({ url: `https://media.provider.test:${tlsServer.port}/media`, headers: {} }, tlsOptions('media.provider.test', rebinding));
    expect(fetched.bytes.equals(MEDIA_BYTES)).toBe(true);
    expect(lookups).toBe(1);
    expect(tlsServer.requests.slice(before)).toMatchObject([
      { servername: 'media.provider.test', headers: { host: `media.provider.test:${tlsServer.port}` } },
    ]);
  });

  it('fails permanently when the certificate does not name the host', async () => {
    const error = await failure(
      fetchMedia({ url: `https://other.provider.test:${tlsServer.port}/media`, headers: {} }, tlsOptions('other.provider.test', fakeDns({ 'other.provider.test': ['127.0.0.1'] }))),
    );
    expect(error).toBeInstanceOf(PermanentMediaError);
    expect(error.message).toMatch(/failed TLS verification \(ERR_TLS_CERT_ALTNAME_INVALID\)/);
  });
});
