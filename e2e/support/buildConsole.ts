import { ensureConsoleBuilt } from '../../web/build.ts';

/** Vitest global setup: the suite tests the console as built, so build it first when it is stale. */
export default async function buildConsole(): Promise<void> {
  await ensureConsoleBuilt();
}
