import type { Aspirant, Conversation, Message } from '../generated/graphql.ts';

/**
 * Live events reach the console through the schema's IAM-only publish mutations, which AppSync fans out to
 * subscribers. Locally the host executes these documents in-process; on AWS they are SigV4-signed calls.
 * `scope` is the assignee's id or "unassigned": the subscription filters keep recruiters to what they may see.
 */
export type LiveEvent =
  | { readonly kind: 'message'; readonly conversationId: string; readonly scope: string; readonly message: Message }
  | { readonly kind: 'conversation'; readonly conversationId: string; readonly scope: string; readonly conversation: Conversation }
  | { readonly kind: 'aspirant'; readonly aspirantId: string; readonly scope: string; readonly aspirant: Aspirant }
  | { readonly kind: 'aspirantErasure'; readonly aspirantId: string; readonly conversationId: string | null; readonly scope: string; readonly erasedAt: string };

export interface EventPublisher {
  publish(event: LiveEvent): Promise<void>;
}

export const UNASSIGNED_SCOPE = 'unassigned';

export const scopeOf = (assigneeId: string | null | undefined): string => assigneeId ?? UNASSIGNED_SCOPE;

// Subscribers receive only what the publish mutation selected, so these select every field a console may ask for.
const recruiterFields = 'id email name role active createdAt';
const messageFields = `
  id conversationId direction authorKind author { ${recruiterFields} } body
  media { id kind status contentType sizeBytes fileName url thumbnailUrl durationSeconds rejectionReason }
  providerMessageId status statusHistory { status errorCode errorMessage receivedAt }
  failureCode failureReason occurredAt createdAt
  botTrace { id agent intent confidence latencyMs summary createdAt }`;
const aspirantFields = `
  id phone whatsappName fullName displayName status allowedTransitions language
  profile { city heightCm bustCm waistCm hipsCm shoeSizeEu experience portfolioUrl instagram }
  shiftPreferences { day window } optedOut optedOutAt dateOfBirth isMinor guardianConsentAt
  assignee { ${recruiterFields} } tags
  notes { id aspirantId body author { ${recruiterFields} } createdAt }
  photos { id aspirantId messageId kind url thumbnailUrl width height createdAt }
  formLink { id url status createdAt expiresAt openedAt submittedAt revokedAt }
  formSubmission { id aspirantId source data submittedAt }
  conversationId createdAt updatedAt`;
const conversationFields = `
  id channel aspirant { ${aspirantFields} } lastMessage { ${messageFields} } lastActivityAt inboundCount unreadCount
  windowExpiresAt windowState botState botPaused needsRecruiter createdAt`;

export const publishDocuments: Readonly<Record<LiveEvent['kind'], string>> = {
  message: `mutation PublishMessageEvent($event: AWSJSON!) {
    publishMessageEvent(event: $event) { conversationId scope message { ${messageFields} } }
  }`,
  conversation: `mutation PublishConversationEvent($event: AWSJSON!) {
    publishConversationEvent(event: $event) { conversationId scope conversation { ${conversationFields} } }
  }`,
  aspirant: `mutation PublishAspirantEvent($event: AWSJSON!) {
    publishAspirantEvent(event: $event) { aspirantId scope aspirant { ${aspirantFields} } }
  }`,
  aspirantErasure: `mutation PublishAspirantErasure($event: AWSJSON!) {
    publishAspirantErasure(event: $event) { aspirantId conversationId scope erasedAt }
  }`,
};

/** The mutation variables for an event: its payload without the discriminator, as AWSJSON. */
export function publishVariables(event: LiveEvent): { event: string } {
  const { kind: _kind, ...payload } = event;
  return { event: JSON.stringify(payload) };
}
