/**
 * A statement the database refused, the same from every driver: `sqlState` is PostgreSQL's SQLSTATE code
 * (23505 unique violation, 23503 foreign key, 23514 check, ...) and `constraint` the constraint's name when
 * the database says which one.
 */
export class DbError extends Error {
  override name = 'DbError';
  readonly sqlState: string | undefined;
  readonly constraint: string | undefined;

  constructor(message: string, details: { sqlState?: string | undefined; constraint?: string | undefined; cause?: unknown }) {
    super(message, { cause: details.cause });
    this.sqlState = details.sqlState;
    this.constraint = details.constraint ?? constraintNamedIn(message);
  }
}

export const UNIQUE_VIOLATION = '23505';
export const FOREIGN_KEY_VIOLATION = '23503';
export const CHECK_VIOLATION = '23514';

/** True for a unique violation, optionally of one named constraint (e.g. 'messages_provider_message_id_key'). */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  return error instanceof DbError && error.sqlState === UNIQUE_VIOLATION && (constraint === undefined || error.constraint === constraint);
}

function constraintNamedIn(message: string): string | undefined {
  return /constraint "([^"]+)"/.exec(message)?.[1];
}

/** Wraps an error from PGlite or node-postgres (both carry `code` and `constraint` as the server sent them). */
export function fromPostgresError(error: unknown): unknown {
  if (!(error instanceof Error) || error instanceof DbError) return error;
  const { code, constraint } = error as Error & { code?: unknown; constraint?: unknown };
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return error;
  return new DbError(error.message, { sqlState: code, constraint: typeof constraint === 'string' ? constraint : undefined, cause: error });
}
