// Lints the TypeScript sources; the APPSYNC_JS resolver files additionally get AppSync's own rules,
// which reject what the APPSYNC_JS runtime cannot run (try/catch, throw, while, classes, regex literals…).
import appsync from '@aws-appsync/eslint-plugin';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '**/generated/**', 'infra/aws/cdk.out/**', 'bench/results/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  {
    files: ['resolvers/code/**/*.ts'],
    ...appsync.configs.recommended,
    languageOptions: {
      ...appsync.configs.recommended.languageOptions,
      parser: tseslint.parser,
      parserOptions: { projectService: true },
    },
  },
);
