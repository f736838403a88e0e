import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { generateWebOperationTypes, webOperationsPath } from '../schema/codegen.ts';

/** The console's folder (web/); the build goes to web/dist, which the local host serves. */
export const consoleRoot = fileURLToPath(new URL('.', import.meta.url));

/** The local host the dev server forwards API calls to (`npm start`). */
const apiTarget = process.env.CONSOLE_API_TARGET ?? 'http://localhost:4000';

/**
 * Keeps web/src/generated/operations.ts in step with the gql documents: regenerated before every build and
 * whenever the dev server sees a file with a document change.
 */
function operationTypes(): Plugin {
  const regenerate = async () => {
    const types = await generateWebOperationTypes();
    const current = (() => {
      try {
        return readFileSync(webOperationsPath, 'utf8');
      } catch {
        return '';
      }
    })();
    if (current !== types) writeFileSync(webOperationsPath, types);
  };
  return {
    name: 'wasaprecruit:operation-types',
    buildStart: regenerate,
    async handleHotUpdate({ file, read }) {
      if (/\.tsx?$/.test(file) && !file.startsWith(webOperationsPath) && (await read()).includes('gql`')) await regenerate();
    },
  };
}

export default defineConfig({
  root: consoleRoot,
  plugins: [react(), operationTypes()],
  resolve: {
    alias: [
      // AWS's AppSync links import graphql's CommonJS files by path; the ES modules Apollo uses are the same
      // code, and one copy of graphql (tree-shaken) is what the console should carry.
      { find: /^graphql\/(.+)\.js$/, replacement: 'graphql/$1.mjs' },
      { find: /^url$/, replacement: fileURLToPath(new URL('./src/lib/shims/url.ts', import.meta.url)) },
    ],
  },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', reportCompressedSize: false },
  server: {
    proxy: {
      '/graphql': { target: apiTarget, ws: true },
      '/auth': apiTarget,
      '/media': apiTarget,
    },
  },
});
