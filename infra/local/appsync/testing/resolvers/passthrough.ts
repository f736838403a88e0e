import type { Context, NONERequest } from '@aws-appsync/utils';

/** Fixture: returns its arguments. */
export function request(ctx: Context): NONERequest {
  return { payload: ctx.arguments };
}

export function response(ctx: Context): unknown {
  return ctx.result;
}
