import type { z } from 'zod';
import { WebhookPayloadError } from './model.ts';

/** `value` parsed by `schema`, or a WebhookPayloadError naming every offending field. */
export function parsePayload<Schema extends z.ZodType>(schema: Schema, value: unknown, label: string): z.output<Schema> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`);
  throw new WebhookPayloadError(`${label}: ${problems.join('; ')}`);
}

/** A body's bytes as JSON, or a WebhookPayloadError. */
export function parseJsonBody(rawBody: Uint8Array, label: string): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(rawBody));
  } catch {
    throw new WebhookPayloadError(`${label}: the body is not JSON`);
  }
}
