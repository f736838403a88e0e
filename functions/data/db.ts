/**
 * The one database interface. Three drivers implement it (PGlite embedded, node-postgres, RDS Data API) and
 * execute the same SQL text with `:name` parameters. Rows come back normalized the same way from every
 * driver: snake_case columns as camelCase keys, timestamps as ISO-8601 strings (UTC, millisecond precision),
 * dates as YYYY-MM-DD, int8/numeric/real as numbers, json/jsonb parsed, uuid and text as strings.
 *
 * SQL conventions that keep the three drivers identical: cast every non-text parameter explicitly
 * (`:id::uuid`, `:at::timestamptz`, `:data::jsonb`), because the Data API binds strings as varchar; pass lists
 * as JSON (the Data API cannot bind arrays) and unpack them with jsonb_array_elements_text.
 *
 * Open one with `openDb(config)` (functions/data/connect.ts); tests use `openInMemoryDb()` or
 * `testDatabases()` (functions/data/testing.ts). A refused statement rejects with `DbError` (errors.ts:
 * `sqlState`, `constraint`, `isUniqueViolation`); a missing `:name` parameter with `SqlParameterError`.
 */
export type SqlValue = string | number | boolean | null | undefined | Date | readonly unknown[] | { readonly [key: string]: unknown };
export type SqlParams = Readonly<Record<string, SqlValue>>;
export type Row = Record<string, unknown>;

export interface Queryable {
  /** Runs one statement and returns its rows (empty for statements without RETURNING). */
  query<T = Row>(sql: string, params?: SqlParams): Promise<T[]>;
}

export interface Db extends Queryable {
  readonly driver: 'pglite' | 'postgres' | 'data-api';
  /**
   * Runs `work` in one transaction: committed when it resolves, rolled back when it throws. Inside `work` use
   * only `tx`: PGlite has one connection, so a query on the Db itself would wait for the transaction to end.
   */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
