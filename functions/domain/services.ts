import type { Db } from '../data/db.ts';
import type { EventPublisher } from '../live/publisher.ts';

/** What the domain needs from the outside world, injected by each entry point. */
export interface Services {
  readonly db: Db;
  readonly publisher: EventPublisher;
  readonly now: () => Date;
  /** A URL for a stored blob (photos, media). */
  readonly mediaUrl: (blobKey: string) => string;
  /** The aspirant-facing URL of a form link. */
  readonly formLinkUrl: (formLinkId: string) => string;
}

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
