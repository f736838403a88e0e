import { util } from '@aws-appsync/utils';
import type { Context, NONERequest } from '@aws-appsync/utils';

/** Fixture: returns a value and appends an error to the response. */
export function request(): NONERequest {
  return { payload: { value: 'partial' } };
}

export function response(ctx: Context): unknown {
  util.appendError('some of it went wrong', 'PartialFailure', { value: 'data' }, { hint: 'info' });
  return ctx.result;
}
