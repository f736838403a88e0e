import type { AppSyncResolverEvent } from 'aws-lambda';
import type { Db } from '../data/db.ts';
import { createServices } from '../domain/services.ts';
import type { EventPublisher } from '../live/publisher.ts';
import { config } from '../shared/config.ts';
import { ResolverError } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';
import { callerFromIdentity } from './identity.ts';
import type { Routes } from './route.ts';
import { aspirantRoutes } from './routes/aspirants.ts';
import { conversationRoutes } from './routes/conversations.ts';
import { deadLetterRoutes } from './routes/deadLetters.ts';
import { messageRoutes } from './routes/messages.ts';
import { recruiterRoutes } from './routes/recruiters.ts';
import { subscriptionRoutes } from './routes/subscriptions.ts';
import { templateRoutes } from './routes/templates.ts';
import { Selection } from './selection.ts';

export interface GraphqlDeps {
  readonly db: Db;
  readonly publisher: EventPublisher;
  readonly now?: () => Date;
  /** Where aspirants open their form links: `${formBaseUrl}/${formLinkId}`. Default `${PUBLIC_URL}/form`. */
  readonly formBaseUrl?: string;
  /**
   * A signed URL for a stored blob: the blob store's `signedUrl` (the local host passes its store's). Default
   * `${PUBLIC_URL}/media/${key}` unsigned, until the AWS stack gives this Lambda its S3 bucket.
   */
  readonly mediaUrl?: (blobKey: string) => Promise<string>;
}

/**
 * The direct Lambda resolver event. Subscription authorization invocations (resolvers/code/
 * subscribeWithinScope.ts) send only arguments, identity, source and info without a selection set.
 */
export type GraphqlEvent = AppSyncResolverEvent<Record<string, unknown>>;

export const routes: Routes = {
  ...recruiterRoutes,
  ...aspirantRoutes,
  ...conversationRoutes,
  ...messageRoutes,
  ...templateRoutes,
  ...deadLetterRoutes,
  ...subscriptionRoutes,
};

/**
 * The GraphQL Lambda: finds the route for "ParentType.field", resolves the caller, runs the route.
 * ResolverErrors reach the client with their type; anything else is logged and becomes a generic error, so
 * no internals (SQL, stack) leak.
 */
export function createGraphqlHandler(deps: GraphqlDeps): (event: GraphqlEvent) => Promise<unknown> {
  const publicUrl = () => config().publicUrl;
  const formBaseUrl = deps.formBaseUrl ?? `${publicUrl()}/form`;
  const services = createServices({
    db: deps.db,
    publisher: deps.publisher,
    now: deps.now,
    mediaUrl: deps.mediaUrl ?? (async (key) => `${publicUrl()}/media/${key.split('/').map(encodeURIComponent).join('/')}`),
    formBaseUrl,
  });
  return async (event) => {
    const field = `${event.info.parentTypeName}.${event.info.fieldName}`;
    const route = Object.hasOwn(routes, field) ? routes[field] : undefined;
    if (route === undefined) throw new Error(`no resolver is routed for ${field}`);
    try {
      const caller = await callerFromIdentity(deps.db, event.identity);
      return await route({ args: event.arguments ?? {}, caller, services, selection: Selection.of(event.info.selectionSetList) });
    } catch (error) {
      if (error instanceof ResolverError) throw error;
      logger.error('resolver failed', { field, error: error as Error });
      throw new Error('internal error');
    }
  };
}
