/**
 * Why an attempt failed, as stored in `jobs.last_error` and shown to admins: the error's name and message only
 * (no stack, no cause chain), with what commonly carries secrets masked — credentials and query strings in
 * URLs, bearer tokens, `key=value` pairs named like secrets — and cut to a readable length.
 */
export const MAX_FAILURE_LENGTH = 1_000;

const URL_PATTERN = /\b([a-z][a-z0-9+.-]*:\/\/)(?:[^\s/@]*@)?([^\s/?#]+)([^\s?#]*)(\?[^\s#]*)?(#\S*)?/gi;
const BEARER_PATTERN = /\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+/gi;
const SECRET_PAIR_PATTERN =
  /\b([A-Za-z0-9_-]*(?:token|secret|password|passwd|signature|api[_-]?key|access[_-]?key|authorization|credential)[A-Za-z0-9_-]*)(["']?\s*[:=]\s*["']?)[^\s"',;&)\]}]+/gi;

export function describeFailure(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : `thrown value: ${String(error)}`;
  const masked = text
    .replace(URL_PATTERN, (_match, scheme: string, host: string, path: string, query?: string) => `${scheme}${host}${path}${query ? '?…' : ''}`)
    .replace(BEARER_PATTERN, '$1 [redacted]')
    .replace(SECRET_PAIR_PATTERN, '$1$2[redacted]');
  return masked.length <= MAX_FAILURE_LENGTH ? masked : `${masked.slice(0, MAX_FAILURE_LENGTH - 1)}…`;
}
