import type { BlobStore } from '../blobs/blobStore.ts';
import type { BotSettings } from '../bot/settings.ts';
import type { Db } from '../data/db.ts';
import type { RecruiterDirectory } from '../directory/directory.ts';
import { localRecruiterDirectory } from '../directory/local.ts';
import type { FormLinkSettings } from '../forms/links.ts';
import type { EventPublisher } from '../live/publisher.ts';
import { ConfigError } from '../shared/config.ts';
import { logger } from '../shared/logger.ts';
import { noMetrics, type AppMetrics } from '../shared/metrics.ts';

/** What the domain needs from the outside world, injected by each entry point. */
export interface Services {
  readonly db: Db;
  readonly publisher: EventPublisher;
  readonly now: () => Date;
  /** A signed, short-lived URL for a stored blob (photos, media). */
  readonly mediaUrl: (blobKey: string) => Promise<string>;
  /** Signs the aspirants' form links: `${PUBLIC_URL}/apply/<token>`. */
  readonly formLinks: FormLinkSettings;
  /** AGENCY_TIME_ZONE, QUIET_HOURS, PHOTO_CHECKLIST…: `config().bot`. */
  readonly bot: BotSettings;
  /** Where the knowledge base keeps uploaded documents, and where an erasure deletes the aspirant's media. */
  readonly blobs: () => Promise<BlobStore>;
  /** Business metrics: messages in and out, the bot's latency. */
  readonly metrics: AppMetrics;
  /** Where recruiters' sign-in accounts are created and (de)activated. */
  readonly directory: RecruiterDirectory;
}

export interface ServicesSettings {
  readonly db: Db;
  readonly publisher: EventPublisher;
  /** Default the system clock. */
  readonly now?: () => Date;
  readonly mediaUrl: (blobKey: string) => Promise<string>;
  readonly formLinks: FormLinkSettings;
  readonly bot: BotSettings;
  /** Default: none, and the knowledge base refuses uploads saying so. */
  readonly blobs?: () => Promise<BlobStore>;
  /** Default: none recorded (the local host). */
  readonly metrics?: AppMetrics;
  /** Default: the local issuer's accounts (functions/directory/local.ts). */
  readonly directory?: RecruiterDirectory;
}

/** The Services every entry point (GraphQL, webhooks, jobs) builds the same way. */
export function createServices(settings: ServicesSettings): Services {
  return {
    db: settings.db,
    publisher: bestEffort(settings.publisher),
    now: settings.now ?? (() => new Date()),
    mediaUrl: settings.mediaUrl,
    formLinks: settings.formLinks,
    bot: settings.bot,
    blobs: settings.blobs ?? (() => Promise.reject(new ConfigError('no blob store is configured for this function (S3_BUCKET)'))),
    metrics: settings.metrics ?? noMetrics,
    directory: settings.directory ?? localRecruiterDirectory,
  };
}

/**
 * Live delivery is best effort (clients re-sync after reconnecting), and events are published after the
 * change committed: a failed publish is logged, never turned into a failure the caller would retry.
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

/**
 * Which nested parts to load. Callers pass what the client selected, so a list page costs one query per
 * selected kind, never one per row. Live events load everything (subscribers get what the publish selected).
 */
export interface AspirantIncludes {
  readonly assignee: boolean;
  readonly notes: boolean;
  readonly photos: boolean;
  readonly formLink: boolean;
  readonly formSubmission: boolean;
  readonly conversationId: boolean;
}

export interface MessageIncludes {
  readonly author: boolean;
  readonly media: boolean;
  readonly statusHistory: boolean;
  readonly botTrace: boolean;
}

export interface ConversationIncludes {
  readonly aspirant: AspirantIncludes;
  /** null: lastMessage was not selected. */
  readonly lastMessage: MessageIncludes | null;
}

export const everythingOfAspirant: AspirantIncludes = {
  assignee: true,
  notes: true,
  photos: true,
  formLink: true,
  formSubmission: true,
  conversationId: true,
};

export const everythingOfMessage: MessageIncludes = { author: true, media: true, statusHistory: true, botTrace: true };

export const everythingOfConversation: ConversationIncludes = {
  aspirant: everythingOfAspirant,
  lastMessage: everythingOfMessage,
};
