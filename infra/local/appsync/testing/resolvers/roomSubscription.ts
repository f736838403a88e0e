import { extensions, util } from '@aws-appsync/utils';
import type { Context, NONERequest } from '@aws-appsync/utils';

/** Fixture: a subscription that a closeRoom mutation for its room invalidates. */
export function request(): NONERequest {
  return { payload: null };
}

export function response(ctx: Context<{ roomId: string }>): null {
  extensions.setSubscriptionInvalidationFilter(util.transform.toSubscriptionFilter({ roomId: { eq: ctx.arguments.roomId } }));
  return null;
}
