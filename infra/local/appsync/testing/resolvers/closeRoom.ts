import { extensions } from '@aws-appsync/utils';
import type { Context, NONERequest } from '@aws-appsync/utils';

/** Fixture: closes a room and invalidates the subscriptions to it. */
export function request(ctx: Context<{ roomId: string }>): NONERequest {
  return { payload: { roomId: ctx.arguments.roomId, name: null } };
}

export function response(ctx: Context<{ roomId: string }>): unknown {
  extensions.invalidateSubscriptions({ subscriptionField: 'onRoom', payload: { roomId: ctx.arguments.roomId } });
  return ctx.result;
}
