import type { Context, NONERequest } from '@aws-appsync/utils';

/** Backend publish mutations: hand the event back unchanged so AppSync fans it out to subscribers. */
export function request(ctx: Context<{ event: unknown }>): NONERequest {
  const event = ctx.arguments.event;
  return { payload: typeof event === 'string' ? JSON.parse(event) : event };
}

export function response(ctx: Context): unknown {
  return ctx.result;
}
