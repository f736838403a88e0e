import { randomBytes, randomUUID } from 'node:crypto';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * A secret the local host needs but was not given (MEDIA_URL_SECRET, FORM_LINK_SECRET): made once, kept in
 * `<dataDir>/<fileName>` (owner-only), so what it signed stays valid across restarts. Concurrent first starts
 * agree on one secret.
 */
export async function loadOrCreateLocalSecret(dataDir: string, fileName: string): Promise<string> {
  const path = join(dataDir, fileName);
  const existing = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (existing) return existing.trim();
  await mkdir(dataDir, { recursive: true });
  // Written whole under a temporary name, then linked into place: linking fails if another start won the race,
  // and nobody ever reads a half-written secret.
  const temporary = `${path}.${randomUUID()}`;
  await writeFile(temporary, randomBytes(32).toString('base64url'), { mode: 0o600 });
  try {
    await link(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await rm(temporary, { force: true });
  }
  return (await readFile(path, 'utf8')).trim();
}
