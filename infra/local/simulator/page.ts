import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';

/**
 * The /simulator page: plain HTML, CSS and JS from this folder, no build step. The policy lets the page load
 * only its own files and talk only to this host, so nothing an aspirant typed can run as script.
 */
const PAGE_FILES: Readonly<Record<string, { readonly file: string; readonly contentType: string }>> = {
  '/simulator': { file: 'index.html', contentType: 'text/html; charset=utf-8' },
  '/simulator/': { file: 'index.html', contentType: 'text/html; charset=utf-8' },
  '/simulator/simulator.css': { file: 'simulator.css', contentType: 'text/css; charset=utf-8' },
  '/simulator/simulator.js': { file: 'simulator.js', contentType: 'text/javascript; charset=utf-8' },
};

const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' blob: https:",
  "media-src 'self' blob:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Serves the page's files; false for any other path or method. */
export async function serveSimulatorPage(request: IncomingMessage, response: ServerResponse, pathname: string): Promise<boolean> {
  const asset = PAGE_FILES[pathname];
  if (!asset || (request.method !== 'GET' && request.method !== 'HEAD')) return false;
  const bytes = await readFile(fileURLToPath(new URL(asset.file, import.meta.url)));
  response.writeHead(200, {
    'content-type': asset.contentType,
    'content-length': bytes.byteLength,
    'cache-control': 'no-cache',
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  });
  response.end(request.method === 'HEAD' ? undefined : bytes);
  return true;
}
