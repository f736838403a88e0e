import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateTypes, generatedTargets } from './codegen.ts';

describe('generated schema types', () => {
  it('are up to date with schema.graphql in functions/ and web/ (run `npm run codegen`)', async () => {
    const expected = await generateTypes();
    for (const target of generatedTargets) {
      expect(readFileSync(target.path, 'utf8'), target.path).toBe(expected);
    }
  });
});
