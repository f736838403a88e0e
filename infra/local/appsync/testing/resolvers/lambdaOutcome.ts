import type { Context, LambdaRequest } from '@aws-appsync/utils';

/** Fixture: invokes the Lambda and reports its error as ctx.error, without raising it. */
export function request(ctx: Context): LambdaRequest {
  return { operation: 'Invoke', payload: { field: ctx.info.fieldName, arguments: ctx.arguments } };
}

export function response(ctx: Context): unknown {
  if (ctx.error) {
    return { value: null, type: ctx.error.type, message: ctx.error.message };
  }
  return { value: ctx.result, type: null, message: null };
}
