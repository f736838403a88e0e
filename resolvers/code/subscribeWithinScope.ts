import { extensions, util } from '@aws-appsync/utils';
import type { AppSyncIdentityCognito, Context, LambdaRequest } from '@aws-appsync/utils';

/**
 * Subscriptions to one conversation or aspirant: the GraphQL Lambda first checks the subscriber may see it
 * (an Unauthorized error otherwise); then a filter keeps later events to the subscriber's scope, so a
 * conversation reassigned to someone else stops reaching a recruiter.
 */
export function request(ctx: Context): LambdaRequest {
  return {
    operation: 'Invoke',
    payload: {
      arguments: ctx.arguments,
      identity: ctx.identity,
      source: null,
      info: { fieldName: ctx.info.fieldName, parentTypeName: ctx.info.parentTypeName, variables: ctx.info.variables },
    },
  };
}

export function response(ctx: Context): null {
  if (ctx.error) {
    util.error(ctx.error.message, ctx.error.type);
  }
  const identity = ctx.identity as AppSyncIdentityCognito;
  const groups = identity.groups ?? [];
  if (groups.indexOf('admin') < 0) {
    extensions.setSubscriptionFilter(util.transform.toSubscriptionFilter({ scope: { in: [identity.sub, 'unassigned'] } }));
  }
  return null;
}
