import { isIP } from 'node:net';

/**
 * Allow-list entries for media hosts: `media.example.com`, `*.example.com` (any subdomain, not the domain
 * itself) or either with `:port`. Without a port an entry matches only the scheme's default port, so an
 * allow-listed name cannot be pointed at some other service on the same machine.
 */
export interface HostPattern {
  readonly hostname: string;
  readonly anySubdomain: boolean;
  readonly port: number | undefined;
}

export function parseHostPattern(entry: string): HostPattern {
  const anySubdomain = entry.startsWith('*.');
  const text = anySubdomain ? entry.slice(2) : entry;
  if (/[/?#@\\*]/.test(text) || !URL.canParse(`https://${text}`)) {
    throw new TypeError(`media host pattern "${entry}" must be a bare host name, optionally with :port`);
  }
  const parsed = new URL(`https://${text}`);
  if (anySubdomain && (isIP(parsed.hostname) !== 0 || !parsed.hostname.includes('.') || parsed.hostname.startsWith('['))) {
    throw new TypeError(`media host pattern "${entry}": a wildcard needs a domain of at least two labels`);
  }
  return { hostname: parsed.hostname, anySubdomain, port: parsed.port === '' ? undefined : Number(parsed.port) };
}

export function hostMatches(pattern: HostPattern, url: URL): boolean {
  const portMatches = pattern.port === undefined ? url.port === '' : effectivePort(url) === pattern.port;
  const hostnameMatches = pattern.anySubdomain
    ? url.hostname.endsWith(`.${pattern.hostname}`)
    : url.hostname === pattern.hostname;
  return portMatches && hostnameMatches;
}

export function effectivePort(url: URL): number {
  if (url.port !== '') return Number(url.port);
  return url.protocol === 'https:' ? 443 : 80;
}
