/**
 * What AWS's AppSync links use of Node's `url` module — `url.parse(endpoint)` for host, path and query — on
 * the browser's URL, instead of bundling the `url` polyfill and its query-string dependencies.
 */
export interface ParsedUrl {
  readonly host: string;
  readonly pathname: string;
  /** Path and query, as Node's url.parse gives it. */
  readonly path: string;
  /** The query without "?", or null. */
  readonly query: string | null;
}

export function parse(input: string): ParsedUrl {
  const url = new URL(input);
  return { host: url.host, pathname: url.pathname, path: url.pathname + url.search, query: url.search === '' ? null : url.search.slice(1) };
}

export default { parse };
