/**
 * Builds the console into web/dist when it is missing or stale, so `npm start` always serves the console
 * that matches the sources. Stale means the fingerprint of its inputs (sources, the build's own
 * configuration, the lockfile and the VITE_* variables Vite inlines) differs from the one recorded with the
 * last build.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The console's folder, where this file sits. Vite and the build configuration are imported only when a build
 * runs: loaded, they hold some 200 MB that a host serving an up-to-date console would carry for nothing.
 */
const consoleRoot = fileURLToPath(new URL('.', import.meta.url));
export const consoleDistDir = join(consoleRoot, 'dist');
const stampPath = join(consoleDistDir, '.build-fingerprint');
const repoRoot = join(consoleRoot, '..');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

/** A hash of everything the build output depends on. Generated types are left out: they never reach the bundle. */
export function consoleFingerprint(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const hash = createHash('sha256');
  const inputs = [
    ...filesUnder(join(consoleRoot, 'src')).filter((file) => !file.includes(`${join('src', 'generated')}`)),
    ...filesUnder(join(consoleRoot, 'public')),
    join(consoleRoot, 'index.html'),
    join(consoleRoot, 'vite.config.ts'),
    join(consoleRoot, 'build.ts'),
    join(repoRoot, 'package-lock.json'),
  ].sort();
  for (const file of inputs) hash.update(file.slice(repoRoot.length)).update('\0').update(readFileSync(file)).update('\0');
  for (const name of Object.keys(env).filter((key) => key.startsWith('VITE_')).sort()) hash.update(`${name}=${env[name]}\0`);
  return hash.digest('hex');
}

const readStamp = (): string | undefined => {
  try {
    return readFileSync(stampPath, 'utf8');
  } catch {
    return undefined;
  }
};

let running: Promise<'fresh' | 'built'> | undefined;

/**
 * Builds web/dist unless it is current. Builds into a scratch folder and swaps it in, so a host serving the
 * old console never sees half a build; a concurrent build in another process simply wins.
 */
export function ensureConsoleBuilt(): Promise<'fresh' | 'built'> {
  running ??= (async () => {
    const fingerprint = consoleFingerprint();
    if (readStamp() === fingerprint) return 'fresh';
    const scratch = join(repoRoot, 'node_modules', '.cache', `wasaprecruit-console-${process.pid}`);
    // Vite builds React's development runtime when NODE_ENV says so (tests run with NODE_ENV=test).
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      const [{ build }, { default: viteConfig }] = await Promise.all([import('vite'), import('./vite.config.ts')]);
      await build({
        ...viteConfig,
        configFile: false,
        logLevel: 'warn',
        build: { ...viteConfig.build, outDir: scratch, emptyOutDir: true },
      });
    } finally {
      if (nodeEnv === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = nodeEnv;
    }
    writeFileSync(join(scratch, '.build-fingerprint'), fingerprint);
    rmSync(consoleDistDir, { recursive: true, force: true });
    try {
      renameSync(scratch, consoleDistDir);
    } catch {
      rmSync(scratch, { recursive: true, force: true });
    }
    return 'built';
  })().finally(() => {
    running = undefined;
  });
  return running;
}
