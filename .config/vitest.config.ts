import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['{schema,resolvers,functions,infra,web,bench}/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'web/dist/**', 'e2e/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { POWERTOOLS_LOG_LEVEL: 'SILENT', NODE_ENV: 'test' },
  },
});
