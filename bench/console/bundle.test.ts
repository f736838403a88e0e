import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { assetSizes, builtAssets, initialAssetsOf, isScript, isStylesheet, totalOf } from './bundle.ts';

const viteIndexHtml = `<!doctype html>
<html lang="en">
  <head>
    <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
    <script type="module" crossorigin src="/assets/index-DzJhX5ne.js"></script>
    <link rel="modulepreload" crossorigin href="/assets/jsx-runtime-B4UN2VIk.js">
    <link rel="stylesheet" crossorigin href="/assets/index-QR-WASuH.css">
    <script>window.inline = true</script>
  </head>
  <body><div id="root"></div></body>
</html>`;

let distDir: string | undefined;
afterEach(async () => {
  if (distDir) await rm(distDir, { recursive: true, force: true });
  distDir = undefined;
});

describe('the console bundle sizes', () => {
  it('takes the entry script, its module preloads and stylesheets from index.html, but not icons or inline scripts', () => {
    expect(initialAssetsOf(viteIndexHtml)).toEqual(['/assets/index-DzJhX5ne.js', '/assets/jsx-runtime-B4UN2VIk.js', '/assets/index-QR-WASuH.css']);
  });

  it('measures every built file raw and gzipped at level 9, and totals scripts and stylesheets apart', async () => {
    distDir = await mkdtemp(join(tmpdir(), 'bench-bundle-'));
    await mkdir(join(distDir, 'assets'));
    const script = 'export const answer = 42;\n'.repeat(200);
    const stylesheet = 'body { margin: 0 }\n'.repeat(50);
    await writeFile(join(distDir, 'assets', 'entry.js'), script);
    await writeFile(join(distDir, 'assets', 'lazy.js'), 'export {};\n');
    await writeFile(join(distDir, 'assets', 'style.css'), stylesheet);
    await writeFile(join(distDir, 'assets', 'logo.svg'), '<svg/>');

    const paths = await builtAssets(distDir);
    expect(paths).toEqual(['/assets/entry.js', '/assets/lazy.js', '/assets/style.css']);
    const sizes = await assetSizes(distDir, paths);
    expect(sizes[0]).toEqual({ path: '/assets/entry.js', bytes: script.length, gzipBytes: gzipSync(script, { level: 9 }).length });
    expect(sizes[0]!.gzipBytes).toBeLessThan(script.length / 10);

    const scripts = totalOf(sizes, isScript);
    expect(scripts.files).toBe(2);
    expect(scripts.bytes).toBe(script.length + 'export {};\n'.length);
    expect(totalOf(sizes, isStylesheet)).toEqual({ files: 1, bytes: stylesheet.length, gzipBytes: sizes[2]!.gzipBytes });
  });
});
