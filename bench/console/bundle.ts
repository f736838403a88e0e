import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** Sizes are reported in KB of 1,024 bytes. */
export const KB = 1024;

export interface AssetSize {
  /** As the page requests it, e.g. /assets/index-abc123.js. */
  readonly path: string;
  readonly bytes: number;
  /** gzip -9, what a compressing server would send at best. */
  readonly gzipBytes: number;
}

export interface AssetTotals {
  readonly files: number;
  readonly bytes: number;
  readonly gzipBytes: number;
}

const attributesOf = (tag: string): Map<string, string> =>
  new Map([...tag.matchAll(/([a-z-]+)(?:="([^"]*)")?/gi)].slice(1).map((match) => [match[1]!.toLowerCase(), match[2] ?? '']));

/**
 * What index.html itself makes the browser load before any script runs: the entry module script, its
 * modulepreloads and stylesheets, in document order. Chunks the scripts import dynamically are not here.
 */
export function initialAssetsOf(indexHtml: string): string[] {
  const assets: string[] = [];
  for (const [tag] of indexHtml.matchAll(/<(?:script|link)\b[^>]*>/gi)) {
    const attributes = attributesOf(tag);
    if (tag.toLowerCase().startsWith('<script') && attributes.get('type') === 'module' && attributes.get('src')) assets.push(attributes.get('src')!);
    const rel = attributes.get('rel');
    if ((rel === 'modulepreload' || rel === 'stylesheet') && attributes.get('href')) assets.push(attributes.get('href')!);
  }
  return assets;
}

/** Raw and gzip -9 sizes of built files, by the path the page requests them at (relative to `distDir`). */
export async function assetSizes(distDir: string, paths: readonly string[]): Promise<AssetSize[]> {
  return Promise.all(
    paths.map(async (path) => {
      const bytes = await readFile(join(distDir, new URL(path, 'http://console').pathname));
      return { path, bytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length };
    }),
  );
}

/** Every JavaScript and CSS file of the build, by request path. */
export async function builtAssets(distDir: string): Promise<string[]> {
  const files = await readdir(join(distDir, 'assets'));
  return files.filter((file) => /\.(js|css)$/.test(file)).map((file) => `/assets/${file}`).sort();
}

export const isScript = (path: string): boolean => path.endsWith('.js');
export const isStylesheet = (path: string): boolean => path.endsWith('.css');

export function totalOf(sizes: readonly AssetSize[], kind: (path: string) => boolean): AssetTotals {
  const chosen = sizes.filter((size) => kind(size.path));
  return {
    files: chosen.length,
    bytes: chosen.reduce((sum, size) => sum + size.bytes, 0),
    gzipBytes: chosen.reduce((sum, size) => sum + size.gzipBytes, 0),
  };
}

export const inKB = (bytes: number): number => Math.round((bytes / KB) * 10) / 10;
