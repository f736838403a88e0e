import { GraphQLError } from 'graphql';

/**
 * Errors in AppSync's wire shape. AppSync builds every GraphQL error as
 * `{path, data, errorType, errorInfo, locations: [{line, column, sourceName}], message}`; errors raised before
 * GraphQL runs (bad HTTP requests, failed authentication) are just `{errorType, message}`.
 */
export interface AppSyncErrorLocation {
  readonly line: number;
  readonly column: number;
  readonly sourceName: null;
}

export interface AppSyncGraphqlError {
  readonly path: readonly (string | number)[] | null;
  readonly data: unknown;
  readonly errorType: string | null;
  readonly errorInfo: unknown;
  readonly locations: readonly AppSyncErrorLocation[] | null;
  readonly message: string;
}

export interface AppSyncRequestError {
  readonly errorType: string;
  readonly message: string;
}

/** A GraphQL response as AppSync sends it. */
export interface AppSyncResponse {
  readonly data?: Record<string, unknown> | null;
  readonly errors?: readonly AppSyncGraphqlError[];
}

/** An error a resolver means to show, with AppSync's errorType, data and errorInfo. */
export class AppSyncError extends Error {
  override readonly name = 'AppSyncError';

  constructor(
    message: string,
    readonly errorType: string | null,
    readonly data: unknown = null,
    readonly errorInfo: unknown = null,
  ) {
    super(message);
  }
}

/** A refused credential; `message` is what AppSync tells the client. */
export class AuthenticationError extends Error {
  override readonly name = 'UnauthorizedException';
}

/** What AppSync says when an auth directive refuses the caller a field. */
export const notAuthorized = (fieldName: string, typeName: string): AppSyncError =>
  new AppSyncError(`Not Authorized to access ${fieldName} on type ${typeName}`, 'Unauthorized');

/**
 * How AppSync reports a failed Lambda invocation: Lambda names the thrown error's `name` as its errorType and
 * AppSync forwards it; a plain Error (name "Error") or a thrown non-Error arrives as "Lambda:Unhandled".
 */
export function lambdaFailure(thrown: unknown): { readonly type: string; readonly message: string } {
  if (thrown instanceof Error) {
    return { type: thrown.name && thrown.name !== 'Error' ? thrown.name : 'Lambda:Unhandled', message: thrown.message };
  }
  return { type: 'Lambda:Unhandled', message: typeof thrown === 'string' ? thrown : JSON.stringify(thrown) ?? String(thrown) };
}

/** Where bugs are reported unless the host says otherwise. */
export const reportInternalFailure = (error: unknown): void => console.error('[appsync] internal failure', error);

/** What a client learns of a bug: it is reported locally, never sent. */
export const internalFailure = (): AppSyncError => new AppSyncError('An internal failure occurred while resolving this field.', 'InternalFailure');

/**
 * Shapes a GraphQL error for the wire. `errorType` names request-level failures (syntax, validation); for
 * execution errors it comes from the AppSyncError that caused them, and graphql's own execution errors
 * (a null in a non-null field, say) have none.
 */
export function toAppSyncError(error: GraphQLError, errorType?: string): AppSyncGraphqlError {
  const cause = error.originalError;
  const base = {
    path: error.path ?? null,
    locations: error.locations?.map(({ line, column }) => ({ line, column, sourceName: null })) ?? null,
  };
  if (cause instanceof AppSyncError) {
    return { ...base, data: cause.data, errorType: cause.errorType, errorInfo: cause.errorInfo, message: cause.message };
  }
  return { ...base, data: null, errorType: errorType ?? null, errorInfo: null, message: error.message };
}
