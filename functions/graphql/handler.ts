import type { AppSyncResolverEvent } from 'aws-lambda';
import type { Db } from '../data/db.ts';
import type { Services } from '../domain/services.ts';
import type { EventPublisher } from '../live/publisher.ts';
import { config } from '../shared/config.ts';
import { ResolverError } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';
import { callerFromIdentity } from './identity.ts';
import type { Routes } from './route.ts';
import { aspirantRoutes } from './routes/aspirants.ts';
import { conversationRoutes } from './routes/conversations.ts';
import { messageRoutes } from './routes/messages.ts';
import { recruiterRoutes } from './routes/recruiters.ts';
import { subscriptionRoutes } from './routes/subscriptions.ts';
import { Selection } from './selection.ts';

export interface GraphqlDeps {
  readonly db: Db;
  readonly publisher: EventPublisher;
  readonly now?: () => Date;
  /** Where aspirants open their form links: `${formBaseUrl}/${formLinkId}`. Default `${PUBLIC_URL}/form`. */
  readonly formBaseUrl?: string;
  /** A URL for a stored blob. Default `${PUBLIC_URL}/media/${key}` until the blob store signs URLs. */
  readonly mediaUrl?: (blobKey: string) => string;
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
  const services: Services = {
    db: deps.db,
    publisher: bestEffort(deps.publisher),
    now: deps.now ?? (() => new Date()),
    mediaUrl: deps.mediaUrl ?? ((key) => `${publicUrl()}/media/${key.split('/').map(encodeURIComponent).join('/')}`),
    formLinkUrl: (formLinkId) => `${formBaseUrl}/${formLinkId}`,
  };
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

/**
 * Live delivery is best effort (clients re-sync after reconnecting), and events are published after the
 * change committed: a failed publish is logged, never turned into a failed mutation the client would retry.
 */
function bestEffort(publisher: EventPublisher): EventPublisher {
  return {
    async publish(event) {
      try {
        await publisher.publish(event);
      } catch (error) {
        logger.error('live event not published', { kind: event.kind, scope: event.scope, error: describe(error) });
      }
    },
  };
}

const describe = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));
