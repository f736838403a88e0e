import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
  '.webmanifest': 'application/manifest+json',
};

/**
 * Serves the built console (web/dist) as a single-page app: existing files as they are (hashed assets cached
 * for a year), any other GET path gets index.html so client-side routes such as /apply/<token> work.
 * Answers false when there is no build to serve.
 */
export function createStaticConsole(distDir: string) {
  const root = normalize(distDir + sep);
  const resolveFile = async (pathname: string): Promise<string | undefined> => {
    const candidate = normalize(join(root, decodeURIComponent(pathname)));
    if (!candidate.startsWith(root)) return undefined;
    const info = await stat(candidate).catch(() => undefined);
    return info?.isFile() ? candidate : undefined;
  };

  return async function serveConsole(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const pathname = new URL(req.url ?? '/', 'http://local').pathname;
    const file = (await resolveFile(pathname).catch(() => undefined)) ?? (await resolveFile('index.html'));
    if (!file) return false;
    const isIndex = file.endsWith(`${sep}index.html`);
    res.writeHead(200, {
      'content-type': contentTypes[extname(file)] ?? 'application/octet-stream',
      'cache-control': isIndex ? 'no-cache' : pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'public, max-age=300',
      'x-content-type-options': 'nosniff',
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
    return true;
  };
}
