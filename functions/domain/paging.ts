import { z } from 'zod';
import type { PageInfo } from '../generated/graphql.ts';
import { BadRequestError } from '../shared/errors.ts';

export const MAX_PAGE_SIZE = 100;

/** `first` as a page size: absent means the field's default; otherwise 1..100. */
export function pageSize(first: number | null | undefined, fallback: number): number {
  if (first === null || first === undefined) return fallback;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw new BadRequestError(`first: must be an integer from 1 to ${MAX_PAGE_SIZE}`);
  }
  return first;
}

/**
 * Opaque cursors: base64url JSON naming the ordering they belong to (`k`) and the last row's sort key, so a
 * cursor from one list is refused by another. Anything that does not decode to the expected shape is a
 * BadRequest 'invalid cursor'.
 */
export function encodeCursor(kind: string, key: Readonly<Record<string, unknown>>): string {
  return Buffer.from(JSON.stringify({ ...key, k: kind }), 'utf8').toString('base64url');
}

export function decodeCursor<Shape extends z.ZodRawShape>(
  cursor: string,
  kind: string,
  shape: Shape,
): z.output<z.ZodObject<Shape>> {
  let decoded: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error('not base64url');
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new BadRequestError('invalid cursor');
  }
  const parsed = z.object(shape).safeParse(decoded);
  if (!parsed.success || (decoded as { k?: unknown }).k !== kind) throw new BadRequestError('invalid cursor');
  return parsed.data;
}

/** Cursor fields: a row id and an exact timestamp (microseconds, as exactTimestampSql renders it). */
export const cursorId = z.guid();
export const cursorTimestamp = z.iso.datetime();

/**
 * Keyset pages fetch one row more than asked: its presence is hasNextPage. The cursor is the last returned
 * row's sort key.
 */
export function toPage<T>(rows: readonly T[], size: number, cursorOf: (row: T) => string): { rows: T[]; pageInfo: PageInfo } {
  const kept = rows.slice(0, size);
  const last = kept.at(-1);
  return { rows: kept, pageInfo: { hasNextPage: rows.length > size, endCursor: last === undefined ? null : cursorOf(last) } };
}

/**
 * A timestamp column rendered with its full microsecond precision: drivers return milliseconds, and a
 * millisecond cursor would skip rows that differ only in their microseconds.
 */
export function exactTimestampSql(expression: string): string {
  return `to_char(${expression} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}
