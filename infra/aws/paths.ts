import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: Lambda entries, the schema and the resolver manifest are named relative to it. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export const repoPath = (relative: string): string => join(repoRoot, relative);
