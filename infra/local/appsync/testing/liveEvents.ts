import type { Aspirant, Conversation, Message } from '../../../../functions/generated/graphql.ts';
import { scopeOf, type LiveEvent } from '../../../../functions/live/publisher.ts';

/** Complete schema objects for live events, so publish mutations have every field they select. */
const at = '2025-01-15T10:30:00.000Z';

export function aMessage(overrides: Partial<Message> & Pick<Message, 'id' | 'conversationId'>): Message {
  return {
    direction: 'INBOUND',
    authorKind: 'ASPIRANT',
    author: null,
    body: 'Hola, quiero ser modelo',
    media: [],
    providerMessageId: `SM${overrides.id}`,
    status: 'RECEIVED',
    statusHistory: [{ status: 'RECEIVED', errorCode: null, errorMessage: null, receivedAt: at }],
    failureCode: null,
    failureReason: null,
    occurredAt: at,
    createdAt: at,
    botTrace: [],
    ...overrides,
  };
}

export function anAspirant(overrides: Partial<Aspirant> & Pick<Aspirant, 'id'>): Aspirant {
  return {
    phone: '+12125550100',
    whatsappName: 'Ana',
    fullName: null,
    displayName: 'Ana',
    status: 'NEW',
    allowedTransitions: ['CONTACTED', 'REJECTED'],
    language: 'ES',
    profile: null,
    shiftPreferences: [],
    optedOut: false,
    optedOutAt: null,
    dateOfBirth: null,
    isMinor: false,
    guardianConsentAt: null,
    assignee: null,
    tags: [],
    notes: [],
    photos: [],
    formLink: null,
    formSubmission: null,
    conversationId: null,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

export function aConversation(overrides: Partial<Conversation> & Pick<Conversation, 'id'>): Conversation {
  return {
    channel: 'WHATSAPP_TWILIO',
    aspirant: anAspirant({ id: `aspirant-of-${overrides.id}`, conversationId: overrides.id }),
    lastMessage: null,
    lastActivityAt: at,
    inboundCount: 1,
    unreadCount: null,
    windowExpiresAt: null,
    windowState: 'OPEN',
    botState: 'WELCOMED',
    botPaused: false,
    needsRecruiter: false,
    createdAt: at,
    ...overrides,
  };
}

export const messageEvent = (message: Message, assigneeId: string | null): LiveEvent => ({
  kind: 'message',
  conversationId: message.conversationId,
  scope: scopeOf(assigneeId),
  message,
});

export const conversationEvent = (conversation: Conversation, assigneeId: string | null): LiveEvent => ({
  kind: 'conversation',
  conversationId: conversation.id,
  scope: scopeOf(assigneeId),
  conversation,
});
