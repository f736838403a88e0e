import type { AppSyncResolverEvent } from 'aws-lambda';
import type { BlobStore } from '../blobs/blobStore.ts';
import { openBlobStore } from '../blobs/openBlobStore.ts';
import type { BotSettings } from '../bot/settings.ts';
import type { Db } from '../data/db.ts';
import type { RecruiterDirectory } from '../directory/directory.ts';
import { openRecruiterDirectory } from '../directory/open.ts';
import { createServices } from '../domain/services.ts';
import type { FormLinkSettings } from '../forms/links.ts';
import type { EventPublisher } from '../live/publisher.ts';
import { config, ConfigError } from '../shared/config.ts';
import { ResolverError } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';
import { callerFromIdentity } from './identity.ts';
import type { Routes } from './route.ts';
import { aspirantDataRoutes } from './routes/aspirantData.ts';
import { aspirantRoutes } from './routes/aspirants.ts';
import { botRoutes } from './routes/bot.ts';
import { conversationRoutes } from './routes/conversations.ts';
import { dashboardRoutes } from './routes/dashboard.ts';
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
  /** Signs the aspirants' form links. Default FORM_LINK_SECRET, FORM_LINK_TTL_DAYS and `${PUBLIC_URL}/apply`. */
  readonly formLinks?: FormLinkSettings;
  /** Default `config().bot`. */
  readonly bot?: BotSettings;
  /** The knowledge base's documents, and erased aspirants' media to delete. Default the blob store the configuration names (S3_BUCKET on AWS). */
  readonly blobs?: () => Promise<BlobStore>;
  /**
   * A signed URL for a stored blob: the blob store's `signedUrl` (the local host passes its store's). Default
   * `${PUBLIC_URL}/media/${key}` unsigned, until the AWS stack gives this Lambda its S3 bucket.
   */
  readonly mediaUrl?: (blobKey: string) => Promise<string>;
  /** Where admins create recruiters' accounts. Default the one the configuration names (USER_POOL_ID on AWS). */
  readonly directory?: RecruiterDirectory;
}

/**
 * The direct Lambda resolver event. Subscription authorization invocations (resolvers/code/
 * subscribeWithinScope.ts) send only arguments, identity, source and info without a selection set.
 */
export type GraphqlEvent = AppSyncResolverEvent<Record<string, unknown>>;

export const routes: Routes = {
  ...recruiterRoutes,
  ...aspirantRoutes,
  ...aspirantDataRoutes,
  ...conversationRoutes,
  ...messageRoutes,
  ...templateRoutes,
  ...deadLetterRoutes,
  ...dashboardRoutes,
  ...botRoutes,
  ...subscriptionRoutes,
};

/**
 * The GraphQL Lambda: finds the route for "ParentType.field", resolves the caller, runs the route.
 * ResolverErrors reach the client with their type; anything else is logged and becomes a generic error, so
 * no internals (SQL, stack) leak.
 */
export function createGraphqlHandler(deps: GraphqlDeps): (event: GraphqlEvent) => Promise<unknown> {
  const publicUrl = () => config().publicUrl;
  let blobStore: Promise<BlobStore> | undefined;
  const services = createServices({
    db: deps.db,
    publisher: deps.publisher,
    now: deps.now,
    mediaUrl: deps.mediaUrl ?? (async (key) => `${publicUrl()}/media/${key.split('/').map(encodeURIComponent).join('/')}`),
    formLinks: deps.formLinks ?? configuredFormLinks(),
    bot: deps.bot ?? config().bot,
    blobs: deps.blobs ?? (() => (blobStore ??= openConfiguredBlobStore())),
    directory: deps.directory ?? openRecruiterDirectory(config()),
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

/**
 * The form links as configured. The secret is read when a link is signed, so a function that never shows a
 * form link runs without FORM_LINK_SECRET, and one that does fails with the variable's name.
 */
function configuredFormLinks(): FormLinkSettings {
  const { forms, publicUrl } = config();
  return {
    get secret() {
      if (forms.linkSecret === undefined) throw new ConfigError('FORM_LINK_SECRET: required to sign form links');
      return forms.linkSecret;
    },
    ttlDays: forms.linkTtlDays,
    baseUrl: `${publicUrl}/apply`,
  };
}

function openConfiguredBlobStore(): Promise<BlobStore> {
  const settings = config();
  return openBlobStore({
    dataDir: settings.dataDir,
    publicUrl: settings.publicUrl,
    region: settings.awsRegion,
    s3Bucket: settings.blobs.s3Bucket,
    s3Endpoint: settings.blobs.s3Endpoint,
    s3ForcePathStyle: settings.blobs.s3ForcePathStyle,
    mediaUrlSecret: settings.blobs.mediaUrlSecret,
  });
}
