import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The browser suite (`npm run test:e2e`): Debian's Chromium driven by playwright-core against the real local
 * host. Files run one after another (each starts its own host and browser) to stay gentle on small machines.
 */
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['e2e/**/*.test.ts'],
    globalSetup: ['e2e/support/buildConsole.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    env: { POWERTOOLS_LOG_LEVEL: 'SILENT', NODE_ENV: 'test' },
  },
});
