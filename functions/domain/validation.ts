import type { z } from 'zod';
import { BadRequestError } from '../shared/errors.ts';

/** Parses input with a zod schema; a failure is a BadRequest naming each offending field. */
export function parseInput<Schema extends z.ZodType>(schema: Schema, value: unknown): z.output<Schema> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.map(String).join('.') || 'input'}: ${issue.message}`);
  throw new BadRequestError(problems.join('; '));
}
