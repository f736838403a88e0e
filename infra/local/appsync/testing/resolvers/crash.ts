import type { Context, NONERequest } from '@aws-appsync/utils';

/** Fixture: a bug in resolver code (reads a property of null). */
export function request(): NONERequest {
  return { payload: null };
}

export function response(ctx: Context): unknown {
  return ctx.result.missing;
}
