/* Generated from schema/schema.graphql and the gql documents in web/src by `npm run codegen`. Do not edit. */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
export type RecruiterRole =
  | 'ADMIN'
  | 'RECRUITER';

/** The recruiting pipeline: new → contacted → form_sent → form_completed → photos_requested → photos_received → in_review → accepted | rejected | withdrawn. */
export type PipelineStatus =
  | 'NEW'
  | 'CONTACTED'
  | 'FORM_SENT'
  | 'FORM_COMPLETED'
  | 'PHOTOS_REQUESTED'
  | 'PHOTOS_RECEIVED'
  | 'IN_REVIEW'
  | 'ACCEPTED'
  | 'REJECTED'
  | 'WITHDRAWN';

export type Language =
  | 'ES'
  | 'EN'
  | 'PT';

export type Weekday =
  | 'MON'
  | 'TUE'
  | 'WED'
  | 'THU'
  | 'FRI'
  | 'SAT'
  | 'SUN';

export type ShiftWindow =
  | 'MORNING'
  | 'AFTERNOON'
  | 'EVENING'
  | 'NIGHT';

export type PhotoKind =
  | 'HEADSHOT'
  | 'FULL_BODY'
  | 'PROFILE'
  | 'OTHER';

export type FormLinkStatus =
  | 'SENT'
  | 'OPENED'
  | 'SUBMITTED'
  | 'EXPIRED'
  | 'REVOKED';

/** WhatsApp's 24-hour customer-service window; CLOSING means under two hours left. */
export type WindowState =
  | 'OPEN'
  | 'CLOSING'
  | 'CLOSED';

/** Where the bot's flow stands for this conversation. */
export type BotState =
  | 'NOT_STARTED'
  | 'WELCOMED'
  | 'AWAITING_FORM'
  | 'AWAITING_GUARDIAN_CONSENT'
  | 'AWAITING_PHOTOS'
  | 'COMPLETED';

export type MessageDirection =
  | 'INBOUND'
  | 'OUTBOUND';

export type AuthorKind =
  | 'ASPIRANT'
  | 'BOT'
  | 'RECRUITER';

/** Delivery status of a message. Outbound ranks QUEUED < SENDING < SENT < DELIVERED < READ; FAILED and UNDELIVERED are terminal. */
export type DeliveryStatus =
  | 'RECEIVED'
  | 'QUEUED'
  | 'SENDING'
  | 'SENT'
  | 'DELIVERED'
  | 'READ'
  | 'FAILED'
  | 'UNDELIVERED';

export type MediaKind =
  | 'IMAGE'
  | 'AUDIO'
  | 'VIDEO'
  | 'DOCUMENT'
  | 'STICKER';

export type MediaStatus =
  | 'PENDING'
  | 'STORED'
  | 'REJECTED';

export type UpdateBotTextInput = {
  key: string;
  language: Language;
  body: string;
  /** Default true. */
  approved?: boolean | null | undefined;
  /** A message template's name in the same language; null removes it; omitted keeps it. */
  templateName?: string | null | undefined;
};

export type AddKnowledgeDocumentInput = {
  title: string;
  /** A .txt or .md file name. */
  fileName: string;
  language: Language;
  /** The file's bytes in base64 (UTF-8 text, at most 1 MiB); give this or `text`. */
  contentBase64?: string | null | undefined;
  text?: string | null | undefined;
};

export type CreateRecruiterInput = {
  email: string;
  name: string;
  role: RecruiterRole;
};

/** Half-open date range [from, to) in the agency's time zone. */
export type DateRangeInput = {
  from: string;
  to: string;
};

export type FunnelStageName =
  | 'NEW'
  | 'FORM_SENT'
  | 'FORM_SUBMITTED'
  | 'PHOTOS'
  | 'IN_REVIEW'
  | 'ACCEPTED';

export type AssigneeFilter =
  /** Assigned to me. */
  | 'MINE'
  | 'UNASSIGNED'
  /** Everything I may see: for recruiters mine and unassigned, for admins all. */
  | 'ALL';

export type InboxFilter = {
  assignee?: AssigneeFilter | null | undefined;
  statuses?: Array<PipelineStatus> | null | undefined;
  window?: WindowState | null | undefined;
  optedOut?: boolean | null | undefined;
  /** Name prefix, or phone digits (matched as a suffix). */
  search?: string | null | undefined;
};

export type InboxSort =
  | 'LAST_ACTIVITY'
  | 'WINDOW_EXPIRY';

export type SendMessageInput = {
  conversationId: string;
  body: string;
  /** Chosen by the client once per intended message: a double click or a retry sends once. */
  idempotencyKey: string;
};

export type SendTemplateInput = {
  conversationId: string;
  templateId: string;
  /** One value per template variable, in order. */
  variables: Array<string>;
  idempotencyKey: string;
};

export type MeQueryVariables = Exact<{ [key: string]: never; }>;


export type MeQuery = { me: { __typename: 'Recruiter', id: string, name: string, email: string, role: RecruiterRole } };

export type OpenConversationQueryVariables = Exact<{
  id: string;
}>;


export type OpenConversationQuery = { conversation: { __typename: 'Conversation', id: string, aspirant: { __typename: 'Aspirant', id: string } } | null };

export type AspirantErasedSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type AspirantErasedSubscription = { onAspirantErased: { __typename: 'AspirantErasure', aspirantId: string, conversationId: string | null } | null };

export type AspirantDetailsFragment = { __typename: 'Aspirant', id: string, displayName: string, fullName: string | null, whatsappName: string | null, phone: string, status: PipelineStatus, allowedTransitions: Array<PipelineStatus>, language: Language | null, optedOut: boolean, optedOutAt: string | null, dateOfBirth: string | null, isMinor: boolean, guardianConsentAt: string | null, tags: Array<string>, createdAt: string, updatedAt: string, profile: { __typename: 'AspirantProfile', city: string | null, heightCm: number | null, bustCm: number | null, waistCm: number | null, hipsCm: number | null, shoeSizeEu: number | null, experience: string | null, portfolioUrl: string | null, instagram: string | null } | null, shiftPreferences: Array<{ __typename: 'ShiftPreference', day: Weekday, window: ShiftWindow }>, assignee: { __typename: 'Recruiter', id: string, name: string } | null, notes: Array<{ __typename: 'AspirantNote', id: string, body: string, createdAt: string, author: { __typename: 'Recruiter', id: string, name: string } | null }>, formLink: { __typename: 'FormLink', id: string, status: FormLinkStatus, expiresAt: string, openedAt: string | null, submittedAt: string | null } | null, formSubmission: { __typename: 'FormSubmission', id: string, submittedAt: string } | null };

export type AspirantPanelQueryVariables = Exact<{
  id: string;
}>;


export type AspirantPanelQuery = { aspirant: { __typename: 'Aspirant', id: string, displayName: string, fullName: string | null, whatsappName: string | null, phone: string, status: PipelineStatus, allowedTransitions: Array<PipelineStatus>, language: Language | null, optedOut: boolean, optedOutAt: string | null, dateOfBirth: string | null, isMinor: boolean, guardianConsentAt: string | null, tags: Array<string>, createdAt: string, updatedAt: string, profile: { __typename: 'AspirantProfile', city: string | null, heightCm: number | null, bustCm: number | null, waistCm: number | null, hipsCm: number | null, shoeSizeEu: number | null, experience: string | null, portfolioUrl: string | null, instagram: string | null } | null, shiftPreferences: Array<{ __typename: 'ShiftPreference', day: Weekday, window: ShiftWindow }>, assignee: { __typename: 'Recruiter', id: string, name: string } | null, notes: Array<{ __typename: 'AspirantNote', id: string, body: string, createdAt: string, author: { __typename: 'Recruiter', id: string, name: string } | null }>, formLink: { __typename: 'FormLink', id: string, status: FormLinkStatus, expiresAt: string, openedAt: string | null, submittedAt: string | null } | null, formSubmission: { __typename: 'FormSubmission', id: string, submittedAt: string } | null } | null };

export type AspirantEventsSubscriptionVariables = Exact<{
  aspirantId?: string | null | undefined;
}>;


export type AspirantEventsSubscription = { onAspirantEvent: { __typename: 'AspirantEvent', aspirantId: string, aspirant: { __typename: 'Aspirant', id: string, displayName: string, fullName: string | null, whatsappName: string | null, phone: string, status: PipelineStatus, allowedTransitions: Array<PipelineStatus>, language: Language | null, optedOut: boolean, optedOutAt: string | null, dateOfBirth: string | null, isMinor: boolean, guardianConsentAt: string | null, tags: Array<string>, createdAt: string, updatedAt: string, profile: { __typename: 'AspirantProfile', city: string | null, heightCm: number | null, bustCm: number | null, waistCm: number | null, hipsCm: number | null, shoeSizeEu: number | null, experience: string | null, portfolioUrl: string | null, instagram: string | null } | null, shiftPreferences: Array<{ __typename: 'ShiftPreference', day: Weekday, window: ShiftWindow }>, assignee: { __typename: 'Recruiter', id: string, name: string } | null, notes: Array<{ __typename: 'AspirantNote', id: string, body: string, createdAt: string, author: { __typename: 'Recruiter', id: string, name: string } | null }>, formLink: { __typename: 'FormLink', id: string, status: FormLinkStatus, expiresAt: string, openedAt: string | null, submittedAt: string | null } | null, formSubmission: { __typename: 'FormSubmission', id: string, submittedAt: string } | null } } | null };

export type RecruitersQueryVariables = Exact<{ [key: string]: never; }>;


export type RecruitersQuery = { recruiters: Array<{ __typename: 'Recruiter', id: string, name: string, active: boolean }> };

export type ExportAspirantDataQueryVariables = Exact<{
  aspirantId: string;
}>;


export type ExportAspirantDataQuery = { exportAspirantData: string };

export type EraseAspirantMutationVariables = Exact<{
  aspirantId: string;
  confirmPhone: string;
}>;


export type EraseAspirantMutation = { eraseAspirant: string };

export type UpdateAspirantStatusMutationVariables = Exact<{
  aspirantId: string;
  status: PipelineStatus;
}>;


export type UpdateAspirantStatusMutation = { updateAspirantStatus: { __typename: 'Aspirant', id: string, status: PipelineStatus, allowedTransitions: Array<PipelineStatus>, updatedAt: string } };

export type AssignAspirantMutationVariables = Exact<{
  aspirantId: string;
  recruiterId?: string | null | undefined;
}>;


export type AssignAspirantMutation = { assignAspirant: { __typename: 'Aspirant', id: string, updatedAt: string, assignee: { __typename: 'Recruiter', id: string, name: string } | null } };

export type SetAspirantTagsMutationVariables = Exact<{
  aspirantId: string;
  tags: Array<string> | string;
}>;


export type SetAspirantTagsMutation = { setAspirantTags: { __typename: 'Aspirant', id: string, tags: Array<string>, updatedAt: string } };

export type RecordGuardianConsentMutationVariables = Exact<{
  aspirantId: string;
}>;


export type RecordGuardianConsentMutation = { recordGuardianConsent: { __typename: 'Aspirant', id: string, guardianConsentAt: string | null, updatedAt: string } };

export type AddAspirantNoteMutationVariables = Exact<{
  aspirantId: string;
  body: string;
}>;


export type AddAspirantNoteMutation = { addAspirantNote: { __typename: 'AspirantNote', id: string, aspirantId: string, body: string, createdAt: string, author: { __typename: 'Recruiter', id: string, name: string } | null } };

export type BotStatusQueryVariables = Exact<{
  id: string;
}>;


export type BotStatusQuery = { conversation: { __typename: 'Conversation', id: string, botState: BotState, botPaused: boolean, needsRecruiter: boolean } | null };

export type TakeOverConversationMutationVariables = Exact<{
  conversationId: string;
}>;


export type TakeOverConversationMutation = { takeOverConversation: { __typename: 'Conversation', id: string, botState: BotState, botPaused: boolean, needsRecruiter: boolean } };

export type HandBackConversationMutationVariables = Exact<{
  conversationId: string;
}>;


export type HandBackConversationMutation = { handBackConversation: { __typename: 'Conversation', id: string, botState: BotState, botPaused: boolean, needsRecruiter: boolean } };

export type ComposerConversationQueryVariables = Exact<{
  id: string;
}>;


export type ComposerConversationQuery = { conversation: { __typename: 'Conversation', id: string, windowExpiresAt: string | null, aspirant: { __typename: 'Aspirant', id: string, displayName: string, fullName: string | null, whatsappName: string | null, optedOut: boolean, language: Language | null } } | null };

export type MessageTemplatesQueryVariables = Exact<{
  language?: Language | null | undefined;
}>;


export type MessageTemplatesQuery = { messageTemplates: Array<{ __typename: 'MessageTemplate', id: string, name: string, language: Language, body: string, variables: Array<string> }> };

export type DashboardQueryVariables = Exact<{
  range: DateRangeInput;
}>;


export type DashboardQuery = { dashboard: { __typename: 'Dashboard', from: string, to: string, medianFirstResponseSeconds: number | null, medianFirstRecruiterResponseSeconds: number | null, botMessages: number, recruiterMessages: number, botShare: number | null, funnel: Array<{ __typename: 'FunnelStage', stage: FunnelStageName, aspirants: number }> } };

export type InboxQueryVariables = Exact<{
  filter?: InboxFilter | null | undefined;
  sort?: InboxSort | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type InboxQuery = { inbox: { __typename: 'ConversationConnection', nodes: Array<{ __typename: 'Conversation', id: string, lastActivityAt: string, inboundCount: number, unreadCount: number | null, windowExpiresAt: string | null, windowState: WindowState, botState: BotState, botPaused: boolean, needsRecruiter: boolean, aspirant: { __typename: 'Aspirant', id: string, displayName: string, fullName: string | null, whatsappName: string | null, phone: string, status: PipelineStatus, optedOut: boolean, isMinor: boolean, assignee: { __typename: 'Recruiter', id: string, name: string } | null }, lastMessage: { __typename: 'Message', id: string, direction: MessageDirection, authorKind: AuthorKind, body: string | null, status: DeliveryStatus, media: Array<{ __typename: 'Media', id: string, kind: MediaKind }> } | null }>, pageInfo: { __typename: 'PageInfo', hasNextPage: boolean, endCursor: string | null } } };

export type InboxConversationQueryVariables = Exact<{
  id: string;
}>;


export type InboxConversationQuery = { conversation: { __typename: 'Conversation', id: string, lastActivityAt: string, inboundCount: number, unreadCount: number | null, windowExpiresAt: string | null, windowState: WindowState, botState: BotState, botPaused: boolean, needsRecruiter: boolean, aspirant: { __typename: 'Aspirant', id: string, displayName: string, fullName: string | null, whatsappName: string | null, phone: string, status: PipelineStatus, optedOut: boolean, isMinor: boolean, assignee: { __typename: 'Recruiter', id: string, name: string } | null }, lastMessage: { __typename: 'Message', id: string, direction: MessageDirection, authorKind: AuthorKind, body: string | null, status: DeliveryStatus, media: Array<{ __typename: 'Media', id: string, kind: MediaKind }> } | null } | null };

export type InboxEventsSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type InboxEventsSubscription = { onInboxEvent: { __typename: 'ConversationEvent', conversationId: string, conversation: { __typename: 'Conversation', id: string, lastActivityAt: string, inboundCount: number, unreadCount: number | null, windowExpiresAt: string | null, windowState: WindowState, botState: BotState, botPaused: boolean, needsRecruiter: boolean, aspirant: { __typename: 'Aspirant', id: string, displayName: string, fullName: string | null, whatsappName: string | null, phone: string, status: PipelineStatus, optedOut: boolean, isMinor: boolean, assignee: { __typename: 'Recruiter', id: string, name: string } | null }, lastMessage: { __typename: 'Message', id: string, direction: MessageDirection, authorKind: AuthorKind, body: string | null, status: DeliveryStatus, media: Array<{ __typename: 'Media', id: string, kind: MediaKind }> } | null } } | null };

export type InboxConversationFragment = { __typename: 'Conversation', id: string, lastActivityAt: string, inboundCount: number, unreadCount: number | null, windowExpiresAt: string | null, windowState: WindowState, botState: BotState, botPaused: boolean, needsRecruiter: boolean, aspirant: { __typename: 'Aspirant', id: string, displayName: string, fullName: string | null, whatsappName: string | null, phone: string, status: PipelineStatus, optedOut: boolean, isMinor: boolean, assignee: { __typename: 'Recruiter', id: string, name: string } | null }, lastMessage: { __typename: 'Message', id: string, direction: MessageDirection, authorKind: AuthorKind, body: string | null, status: DeliveryStatus, media: Array<{ __typename: 'Media', id: string, kind: MediaKind }> } | null };

export type AspirantPhotosFragment = { __typename: 'Aspirant', id: string, photos: Array<{ __typename: 'Photo', id: string, kind: PhotoKind, url: string, thumbnailUrl: string, width: number | null, height: number | null, createdAt: string }> };

export type AspirantPhotosQueryVariables = Exact<{
  id: string;
}>;


export type AspirantPhotosQuery = { aspirant: { __typename: 'Aspirant', id: string, photos: Array<{ __typename: 'Photo', id: string, kind: PhotoKind, url: string, thumbnailUrl: string, width: number | null, height: number | null, createdAt: string }> } | null };

export type AspirantPhotoEventsSubscriptionVariables = Exact<{
  aspirantId?: string | null | undefined;
}>;


export type AspirantPhotoEventsSubscription = { onAspirantEvent: { __typename: 'AspirantEvent', aspirantId: string, aspirant: { __typename: 'Aspirant', id: string, photos: Array<{ __typename: 'Photo', id: string, kind: PhotoKind, url: string, thumbnailUrl: string, width: number | null, height: number | null, createdAt: string }> } } | null };

export type SettingsTemplatesQueryVariables = Exact<{ [key: string]: never; }>;


export type SettingsTemplatesQuery = { messageTemplates: Array<{ __typename: 'MessageTemplate', id: string, name: string, language: Language, body: string, variables: Array<string> }> };

export type DeadLettersQueryVariables = Exact<{
  after?: string | null | undefined;
}>;


export type DeadLettersQuery = { deadLetters: { __typename: 'DeadLetterConnection', nodes: Array<{ __typename: 'DeadLetter', id: string, type: string, payload: string, attempts: number, lastError: string | null, failedAt: string }>, pageInfo: { __typename: 'PageInfo', hasNextPage: boolean, endCursor: string | null } } };

export type RetryDeadLetterMutationVariables = Exact<{
  id: string;
}>;


export type RetryDeadLetterMutation = { retryDeadLetter: { __typename: 'DeadLetter', id: string } };

export type BotTextFieldsFragment = { __typename: 'BotText', key: string, language: Language, body: string, approved: boolean, templateName: string | null, variables: Array<string>, updatedAt: string };

export type BotTextsQueryVariables = Exact<{
  language?: Language | null | undefined;
}>;


export type BotTextsQuery = { botTexts: Array<{ __typename: 'BotText', key: string, language: Language, body: string, approved: boolean, templateName: string | null, variables: Array<string>, updatedAt: string }> };

export type UpdateBotTextMutationVariables = Exact<{
  input: UpdateBotTextInput;
}>;


export type UpdateBotTextMutation = { updateBotText: { __typename: 'BotText', key: string, language: Language, body: string, approved: boolean, templateName: string | null, variables: Array<string>, updatedAt: string } };

export type KnowledgeDocumentsQueryVariables = Exact<{ [key: string]: never; }>;


export type KnowledgeDocumentsQuery = { knowledgeDocuments: Array<{ __typename: 'KnowledgeDocument', id: string, title: string, fileName: string, language: Language, sizeBytes: number, passageCount: number, createdAt: string, uploadedBy: { __typename: 'Recruiter', id: string, name: string } | null }> };

export type AddKnowledgeDocumentMutationVariables = Exact<{
  input: AddKnowledgeDocumentInput;
}>;


export type AddKnowledgeDocumentMutation = { addKnowledgeDocument: { __typename: 'KnowledgeDocument', id: string } };

export type DeleteKnowledgeDocumentMutationVariables = Exact<{
  id: string;
}>;


export type DeleteKnowledgeDocumentMutation = { deleteKnowledgeDocument: string };

export type SettingsRecruiterFieldsFragment = { __typename: 'Recruiter', id: string, name: string, email: string, role: RecruiterRole, active: boolean, createdAt: string };

export type SettingsRecruitersQueryVariables = Exact<{ [key: string]: never; }>;


export type SettingsRecruitersQuery = { recruiters: Array<{ __typename: 'Recruiter', id: string, name: string, email: string, role: RecruiterRole, active: boolean, createdAt: string }> };

export type SettingsViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type SettingsViewerQuery = { me: { __typename: 'Recruiter', id: string } };

export type CreateRecruiterMutationVariables = Exact<{
  input: CreateRecruiterInput;
}>;


export type CreateRecruiterMutation = { createRecruiter: { __typename: 'CreatedRecruiter', temporaryPassword: string, recruiter: { __typename: 'Recruiter', id: string, name: string, email: string, role: RecruiterRole, active: boolean, createdAt: string } } };

export type SetRecruiterActiveMutationVariables = Exact<{
  id: string;
  active: boolean;
}>;


export type SetRecruiterActiveMutation = { setRecruiterActive: { __typename: 'Recruiter', id: string, name: string, email: string, role: RecruiterRole, active: boolean, createdAt: string } };

export type SendMessageMutationVariables = Exact<{
  input: SendMessageInput;
}>;


export type SendMessageMutation = { sendMessage: { __typename: 'Message', id: string, conversationId: string, direction: MessageDirection, authorKind: AuthorKind, body: string | null, status: DeliveryStatus, failureCode: string | null, failureReason: string | null, occurredAt: string, author: { __typename: 'Recruiter', id: string, name: string } | null, media: Array<{ __typename: 'Media', id: string, kind: MediaKind, status: MediaStatus, contentType: string | null, fileName: string | null, sizeBytes: number | null, url: string | null, thumbnailUrl: string | null, durationSeconds: number | null, rejectionReason: string | null }>, statusHistory: Array<{ __typename: 'DeliveryStatusEvent', status: DeliveryStatus, errorCode: string | null, errorMessage: string | null, receivedAt: string }>, botTrace: Array<{ __typename: 'BotTraceEntry', id: string, agent: string, intent: string | null, confidence: number | null, latencyMs: number | null, summary: string | null, createdAt: string }> } };

export type SendFormLinkMutationVariables = Exact<{
  conversationId: string;
  idempotencyKey: string;
}>;


export type SendFormLinkMutation = { sendFormLink: { __typename: 'Message', id: string, conversationId: string, direction: MessageDirection, authorKind: AuthorKind, body: string | null, status: DeliveryStatus, failureCode: string | null, failureReason: string | null, occurredAt: string, author: { __typename: 'Recruiter', id: string, name: string } | null, media: Array<{ __typename: 'Media', id: string, kind: MediaKind, status: MediaStatus, contentType: string | null, fileName: string | null, sizeBytes: number | null, url: string | null, thumbnailUrl: string | null, durationSeconds: number | null, rejectionReason: string | null }>, statusHistory: Array<{ __typename: 'DeliveryStatusEvent', status: DeliveryStatus, errorCode: string | null, errorMessage: string | null, receivedAt: string }>, botTrace: Array<{ __typename: 'BotTraceEntry', id: string, agent: string, intent: string | null, confidence: number | null, latencyMs: number | null, summary: string | null, createdAt: string }> } };

export type RequestPhotosMutationVariables = Exact<{
  conversationId: string;
  idempotencyKey: string;
}>;


export type RequestPhotosMutation = { requestPhotos: { __typename: 'Message', id: string, conversationId: string, direction: MessageDirection, authorKind: AuthorKind, body: string | null, status: DeliveryStatus, failureCode: string | null, failureReason: string | null, occurredAt: string, author: { __typename: 'Recruiter', id: string, name: string } | null, media: Array<{ __typename: 'Media', id: string, kind: MediaKind, status: MediaStatus, contentType: string | null, fileName: string | null, sizeBytes: number | null, url: string | null, thumbnailUrl: string | null, durationSeconds: number | null, rejectionReason: string | null }>, statusHistory: Array<{ __typename: 'DeliveryStatusEvent', status: DeliveryStatus, errorCode: string | null, errorMessage: string | null, receivedAt: string }>, botTrace: Array<{ __typename: 'BotTraceEntry', id: string, agent: string, intent: string | null, confidence: number | null, latencyMs: number | null, summary: string | null, createdAt: string }> } };

export type SendTemplateMutationVariables = Exact<{
  input: SendTemplateInput;
}>;


export type SendTemplateMutation = { sendTemplate: { __typename: 'Message', id: string, conversationId: string, direction: MessageDirection, authorKind: AuthorKind, body: string | null, status: DeliveryStatus, failureCode: string | null, failureReason: string | null, occurredAt: string, author: { __typename: 'Recruiter', id: string, name: string } | null, media: Array<{ __typename: 'Media', id: string, kind: MediaKind, status: MediaStatus, contentType: string | null, fileName: string | null, sizeBytes: number | null, url: string | null, thumbnailUrl: string | null, durationSeconds: number | null, rejectionReason: string | null }>, statusHistory: Array<{ __typename: 'DeliveryStatusEvent', status: DeliveryStatus, errorCode: string | null, errorMessage: string | null, receivedAt: string }>, botTrace: Array<{ __typename: 'BotTraceEntry', id: string, agent: string, intent: string | null, confidence: number | null, latencyMs: number | null, summary: string | null, createdAt: string }> } };

export type ThreadQueryVariables = Exact<{
  conversationId: string;
  first?: number | null | undefined;
  before?: string | null | undefined;
}>;


export type ThreadQuery = { thread: { __typename: 'MessageConnection', nodes: Array<{ __typename: 'Message', id: string, conversationId: string, direction: MessageDirection, authorKind: AuthorKind, body: string | null, status: DeliveryStatus, failureCode: string | null, failureReason: string | null, occurredAt: string, author: { __typename: 'Recruiter', id: string, name: string } | null, media: Array<{ __typename: 'Media', id: string, kind: MediaKind, status: MediaStatus, contentType: string | null, fileName: string | null, sizeBytes: number | null, url: string | null, thumbnailUrl: string | null, durationSeconds: number | null, rejectionReason: string | null }>, statusHistory: Array<{ __typename: 'DeliveryStatusEvent', status: DeliveryStatus, errorCode: string | null, errorMessage: string | null, receivedAt: string }>, botTrace: Array<{ __typename: 'BotTraceEntry', id: string, agent: string, intent: string | null, confidence: number | null, latencyMs: number | null, summary: string | null, createdAt: string }> }>, pageInfo: { __typename: 'PageInfo', hasNextPage: boolean, endCursor: string | null } } };

export type ThreadConversationQueryVariables = Exact<{
  id: string;
}>;


export type ThreadConversationQuery = { conversation: { __typename: 'Conversation', id: string, inboundCount: number, unreadCount: number | null, windowExpiresAt: string | null, aspirant: { __typename: 'Aspirant', id: string, displayName: string, phone: string, status: PipelineStatus, optedOut: boolean } } | null };

export type MessageEventsSubscriptionVariables = Exact<{
  conversationId: string;
}>;


export type MessageEventsSubscription = { onMessageEvent: { __typename: 'MessageEvent', conversationId: string, message: { __typename: 'Message', id: string, conversationId: string, direction: MessageDirection, authorKind: AuthorKind, body: string | null, status: DeliveryStatus, failureCode: string | null, failureReason: string | null, occurredAt: string, author: { __typename: 'Recruiter', id: string, name: string } | null, media: Array<{ __typename: 'Media', id: string, kind: MediaKind, status: MediaStatus, contentType: string | null, fileName: string | null, sizeBytes: number | null, url: string | null, thumbnailUrl: string | null, durationSeconds: number | null, rejectionReason: string | null }>, statusHistory: Array<{ __typename: 'DeliveryStatusEvent', status: DeliveryStatus, errorCode: string | null, errorMessage: string | null, receivedAt: string }>, botTrace: Array<{ __typename: 'BotTraceEntry', id: string, agent: string, intent: string | null, confidence: number | null, latencyMs: number | null, summary: string | null, createdAt: string }> } } | null };

export type MarkConversationReadMutationVariables = Exact<{
  conversationId: string;
}>;


export type MarkConversationReadMutation = { markConversationRead: { __typename: 'Conversation', id: string, inboundCount: number, unreadCount: number | null } };

export type ThreadMessageFragment = { __typename: 'Message', id: string, conversationId: string, direction: MessageDirection, authorKind: AuthorKind, body: string | null, status: DeliveryStatus, failureCode: string | null, failureReason: string | null, occurredAt: string, author: { __typename: 'Recruiter', id: string, name: string } | null, media: Array<{ __typename: 'Media', id: string, kind: MediaKind, status: MediaStatus, contentType: string | null, fileName: string | null, sizeBytes: number | null, url: string | null, thumbnailUrl: string | null, durationSeconds: number | null, rejectionReason: string | null }>, statusHistory: Array<{ __typename: 'DeliveryStatusEvent', status: DeliveryStatus, errorCode: string | null, errorMessage: string | null, receivedAt: string }>, botTrace: Array<{ __typename: 'BotTraceEntry', id: string, agent: string, intent: string | null, confidence: number | null, latencyMs: number | null, summary: string | null, createdAt: string }> };
