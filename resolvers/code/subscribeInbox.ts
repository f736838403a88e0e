import { extensions, util } from '@aws-appsync/utils';
import type { AppSyncIdentityCognito, Context, NONERequest } from '@aws-appsync/utils';

/** Events with a scope (inbox events, erasures): admins receive all; a recruiter only events scoped to them or unassigned. */
export function request(): NONERequest {
  return { payload: null };
}

export function response(ctx: Context): null {
  const identity = ctx.identity as AppSyncIdentityCognito;
  const groups = identity.groups ?? [];
  if (groups.indexOf('admin') < 0) {
    extensions.setSubscriptionFilter(util.transform.toSubscriptionFilter({ scope: { in: [identity.sub, 'unassigned'] } }));
  }
  return null;
}
