import { runtime } from '@aws-appsync/utils';
import type { Context, NONERequest } from '@aws-appsync/utils';

/** Fixture: returns early from the request handler when asked to, skipping the data source and response. */
export function request(ctx: Context<{ skip: boolean }>): NONERequest {
  if (ctx.arguments.skip) {
    runtime.earlyReturn({ value: 'returned early' });
  }
  return { payload: { value: 'from the data source' } };
}

export function response(ctx: Context): unknown {
  return { value: `${ctx.result.value} via response` };
}
