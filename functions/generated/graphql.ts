/* Generated from schema/schema.graphql by `npm run codegen`. Do not edit. */
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  AWSDate: { input: string; output: string; }
  AWSTime: { input: string; output: string; }
  AWSDateTime: { input: string; output: string; }
  AWSTimestamp: { input: number; output: number; }
  AWSEmail: { input: string; output: string; }
  AWSJSON: { input: string; output: string; }
  AWSURL: { input: string; output: string; }
  AWSPhone: { input: string; output: string; }
  AWSIPAddress: { input: string; output: string; }
};

export type RecruiterRole =
  | 'ADMIN'
  | 'RECRUITER';

export type Recruiter = {
  __typename?: 'Recruiter';
  id: Scalars['ID']['output'];
  email: Scalars['AWSEmail']['output'];
  name: Scalars['String']['output'];
  role: RecruiterRole;
  active: Scalars['Boolean']['output'];
  createdAt: Scalars['AWSDateTime']['output'];
};

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

export type ShiftPreference = {
  __typename?: 'ShiftPreference';
  day: Weekday;
  window: ShiftWindow;
};

/** What the aspirant told us on the web form. */
export type AspirantProfile = {
  __typename?: 'AspirantProfile';
  city: Maybe<Scalars['String']['output']>;
  heightCm: Maybe<Scalars['Int']['output']>;
  bustCm: Maybe<Scalars['Int']['output']>;
  waistCm: Maybe<Scalars['Int']['output']>;
  hipsCm: Maybe<Scalars['Int']['output']>;
  shoeSizeEu: Maybe<Scalars['Float']['output']>;
  experience: Maybe<Scalars['String']['output']>;
  portfolioUrl: Maybe<Scalars['AWSURL']['output']>;
  instagram: Maybe<Scalars['String']['output']>;
};

export type AspirantNote = {
  __typename?: 'AspirantNote';
  id: Scalars['ID']['output'];
  aspirantId: Scalars['ID']['output'];
  body: Scalars['String']['output'];
  author: Maybe<Recruiter>;
  createdAt: Scalars['AWSDateTime']['output'];
};

export type PhotoKind =
  | 'HEADSHOT'
  | 'FULL_BODY'
  | 'PROFILE'
  | 'OTHER';

/** A photo the aspirant sent, re-encoded without metadata. URLs are short-lived and signed. */
export type Photo = {
  __typename?: 'Photo';
  id: Scalars['ID']['output'];
  aspirantId: Scalars['ID']['output'];
  messageId: Maybe<Scalars['ID']['output']>;
  kind: PhotoKind;
  url: Scalars['AWSURL']['output'];
  thumbnailUrl: Scalars['AWSURL']['output'];
  width: Maybe<Scalars['Int']['output']>;
  height: Maybe<Scalars['Int']['output']>;
  createdAt: Scalars['AWSDateTime']['output'];
};

export type FormLinkStatus =
  | 'SENT'
  | 'OPENED'
  | 'SUBMITTED'
  | 'EXPIRED'
  | 'REVOKED';

/** The aspirant's personal web-form link (signed, expiring, revocable). */
export type FormLink = {
  __typename?: 'FormLink';
  id: Scalars['ID']['output'];
  url: Scalars['AWSURL']['output'];
  status: FormLinkStatus;
  createdAt: Scalars['AWSDateTime']['output'];
  expiresAt: Scalars['AWSDateTime']['output'];
  openedAt: Maybe<Scalars['AWSDateTime']['output']>;
  submittedAt: Maybe<Scalars['AWSDateTime']['output']>;
  revokedAt: Maybe<Scalars['AWSDateTime']['output']>;
};

export type FormSubmission = {
  __typename?: 'FormSubmission';
  id: Scalars['ID']['output'];
  aspirantId: Scalars['ID']['output'];
  source: Scalars['String']['output'];
  /** The submitted fields exactly as validated. */
  data: Scalars['AWSJSON']['output'];
  submittedAt: Scalars['AWSDateTime']['output'];
};

export type Aspirant = {
  __typename?: 'Aspirant';
  id: Scalars['ID']['output'];
  /** E.164, so that one person is one aspirant. */
  phone: Scalars['AWSPhone']['output'];
  /** The WhatsApp profile name the provider reported. */
  whatsappName: Maybe<Scalars['String']['output']>;
  fullName: Maybe<Scalars['String']['output']>;
  /** fullName, else whatsappName, else the phone number. */
  displayName: Scalars['String']['output'];
  status: PipelineStatus;
  /** The statuses a recruiter may move this aspirant to from its current status. */
  allowedTransitions: Array<PipelineStatus>;
  language: Maybe<Language>;
  profile: Maybe<AspirantProfile>;
  shiftPreferences: Array<ShiftPreference>;
  optedOut: Scalars['Boolean']['output'];
  optedOutAt: Maybe<Scalars['AWSDateTime']['output']>;
  dateOfBirth: Maybe<Scalars['AWSDate']['output']>;
  isMinor: Scalars['Boolean']['output'];
  guardianConsentAt: Maybe<Scalars['AWSDateTime']['output']>;
  assignee: Maybe<Recruiter>;
  tags: Array<Scalars['String']['output']>;
  /** Private to recruiters; never shown to the aspirant. */
  notes: Array<AspirantNote>;
  photos: Array<Photo>;
  formLink: Maybe<FormLink>;
  formSubmission: Maybe<FormSubmission>;
  conversationId: Maybe<Scalars['ID']['output']>;
  createdAt: Scalars['AWSDateTime']['output'];
  updatedAt: Scalars['AWSDateTime']['output'];
};

export type AspirantConnection = {
  __typename?: 'AspirantConnection';
  nodes: Array<Aspirant>;
  pageInfo: PageInfo;
};

export type Channel =
  | 'WHATSAPP_TWILIO'
  | 'WHATSAPP_META';

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

export type Conversation = {
  __typename?: 'Conversation';
  id: Scalars['ID']['output'];
  channel: Channel;
  aspirant: Aspirant;
  lastMessage: Maybe<Message>;
  lastActivityAt: Scalars['AWSDateTime']['output'];
  /** Messages the aspirant has sent in this conversation. */
  inboundCount: Scalars['Int']['output'];
  /** Inbound messages the requesting recruiter has not read; null in broadcast events (derive it from inboundCount). */
  unreadCount: Maybe<Scalars['Int']['output']>;
  /** When the 24-hour window closes; null before the aspirant has written. */
  windowExpiresAt: Maybe<Scalars['AWSDateTime']['output']>;
  windowState: WindowState;
  botState: BotState;
  botPaused: Scalars['Boolean']['output'];
  /** Set when the bot handed the conversation to a human. */
  needsRecruiter: Scalars['Boolean']['output'];
  createdAt: Scalars['AWSDateTime']['output'];
};

export type ConversationConnection = {
  __typename?: 'ConversationConnection';
  nodes: Array<Conversation>;
  pageInfo: PageInfo;
};

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

export type DeliveryStatusEvent = {
  __typename?: 'DeliveryStatusEvent';
  status: DeliveryStatus;
  errorCode: Maybe<Scalars['String']['output']>;
  errorMessage: Maybe<Scalars['String']['output']>;
  receivedAt: Scalars['AWSDateTime']['output'];
};

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

export type Media = {
  __typename?: 'Media';
  id: Scalars['ID']['output'];
  kind: MediaKind;
  status: MediaStatus;
  contentType: Maybe<Scalars['String']['output']>;
  sizeBytes: Maybe<Scalars['Int']['output']>;
  fileName: Maybe<Scalars['String']['output']>;
  /** Signed and short-lived; null until stored. */
  url: Maybe<Scalars['AWSURL']['output']>;
  thumbnailUrl: Maybe<Scalars['AWSURL']['output']>;
  durationSeconds: Maybe<Scalars['Float']['output']>;
  rejectionReason: Maybe<Scalars['String']['output']>;
};

/** One decision the bot's supervisor or a domain agent took, shown folded under the bot's message. */
export type BotTraceEntry = {
  __typename?: 'BotTraceEntry';
  id: Scalars['ID']['output'];
  agent: Scalars['String']['output'];
  intent: Maybe<Scalars['String']['output']>;
  confidence: Maybe<Scalars['Float']['output']>;
  latencyMs: Maybe<Scalars['Int']['output']>;
  summary: Maybe<Scalars['String']['output']>;
  createdAt: Scalars['AWSDateTime']['output'];
};

export type Message = {
  __typename?: 'Message';
  id: Scalars['ID']['output'];
  conversationId: Scalars['ID']['output'];
  direction: MessageDirection;
  authorKind: AuthorKind;
  /** The recruiter who wrote it, for RECRUITER messages. */
  author: Maybe<Recruiter>;
  body: Maybe<Scalars['String']['output']>;
  media: Array<Media>;
  /** Twilio MessageSid or Meta wamid. */
  providerMessageId: Maybe<Scalars['String']['output']>;
  status: DeliveryStatus;
  statusHistory: Array<DeliveryStatusEvent>;
  failureCode: Maybe<Scalars['String']['output']>;
  failureReason: Maybe<Scalars['String']['output']>;
  /** When the aspirant sent it (provider timestamp) or when we created it. */
  occurredAt: Scalars['AWSDateTime']['output'];
  createdAt: Scalars['AWSDateTime']['output'];
  botTrace: Array<BotTraceEntry>;
};

export type MessageConnection = {
  __typename?: 'MessageConnection';
  /** Newest first; the next page holds older messages. */
  nodes: Array<Message>;
  pageInfo: PageInfo;
};

export type PageInfo = {
  __typename?: 'PageInfo';
  hasNextPage: Scalars['Boolean']['output'];
  endCursor: Maybe<Scalars['String']['output']>;
};

/** An approved WhatsApp template: outside the 24-hour window it is the only thing that may be sent. */
export type MessageTemplate = {
  __typename?: 'MessageTemplate';
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  language: Language;
  /** The text, with {{1}}, {{2}}… where the variables go. */
  body: Scalars['String']['output'];
  /** What each variable holds, in order (e.g. "first name"). */
  variables: Array<Scalars['String']['output']>;
};

/** A background job that failed every retry (fetching media, sending a message…); admins may retry it. */
export type DeadLetter = {
  __typename?: 'DeadLetter';
  id: Scalars['ID']['output'];
  type: Scalars['String']['output'];
  /** The job's references (ids), never message text or secrets. */
  payload: Scalars['AWSJSON']['output'];
  attempts: Scalars['Int']['output'];
  lastError: Maybe<Scalars['String']['output']>;
  createdAt: Scalars['AWSDateTime']['output'];
  failedAt: Scalars['AWSDateTime']['output'];
};

export type DeadLetterConnection = {
  __typename?: 'DeadLetterConnection';
  nodes: Array<DeadLetter>;
  pageInfo: PageInfo;
};

/** One text the bot says, in one language. Only approved texts are sent, and none may promise work. */
export type BotText = {
  __typename?: 'BotText';
  /** e.g. welcome, form.link, affirmation.2, photo.headshot (a label lists are built from). */
  key: Scalars['String']['output'];
  language: Language;
  body: Scalars['String']['output'];
  approved: Scalars['Boolean']['output'];
  /** The WhatsApp template (same language) that says this text outside the 24-hour window; null: the text waits for the window. */
  templateName: Maybe<Scalars['String']['output']>;
  /** The placeholders the body must keep, e.g. formUrl for {formUrl}. */
  variables: Array<Scalars['String']['output']>;
  updatedAt: Scalars['AWSDateTime']['output'];
};

export type UpdateBotTextInput = {
  key: Scalars['String']['input'];
  language: Language;
  body: Scalars['String']['input'];
  /** Default true. */
  approved?: InputMaybe<Scalars['Boolean']['input']>;
  /** A message template's name in the same language; null removes it; omitted keeps it. */
  templateName?: InputMaybe<Scalars['String']['input']>;
};

/** A document of the agency's knowledge base: the bot's FAQ agent answers only from these, and cites them. */
export type KnowledgeDocument = {
  __typename?: 'KnowledgeDocument';
  id: Scalars['ID']['output'];
  title: Scalars['String']['output'];
  fileName: Scalars['String']['output'];
  /** text/plain or text/markdown. */
  contentType: Scalars['String']['output'];
  /** The language it is written in. */
  language: Language;
  sizeBytes: Scalars['Int']['output'];
  /** The chunks it was indexed as. */
  passageCount: Scalars['Int']['output'];
  uploadedBy: Maybe<Recruiter>;
  createdAt: Scalars['AWSDateTime']['output'];
};

export type AddKnowledgeDocumentInput = {
  title: Scalars['String']['input'];
  /** A .txt or .md file name. */
  fileName: Scalars['String']['input'];
  language: Language;
  /** The file's bytes in base64 (UTF-8 text, at most 1 MiB); give this or `text`. */
  contentBase64?: InputMaybe<Scalars['String']['input']>;
  text?: InputMaybe<Scalars['String']['input']>;
};

export type MessageEvent = {
  __typename?: 'MessageEvent';
  conversationId: Scalars['ID']['output'];
  scope: Scalars['String']['output'];
  message: Message;
};

export type ConversationEvent = {
  __typename?: 'ConversationEvent';
  conversationId: Scalars['ID']['output'];
  scope: Scalars['String']['output'];
  conversation: Conversation;
};

export type AspirantEvent = {
  __typename?: 'AspirantEvent';
  aspirantId: Scalars['ID']['output'];
  scope: Scalars['String']['output'];
  aspirant: Aspirant;
};

export type CreateRecruiterInput = {
  email: Scalars['AWSEmail']['input'];
  name: Scalars['String']['input'];
  role: RecruiterRole;
};

/** A new recruiter and the one-time password they sign in with first (shown once, never stored in clear). */
export type CreatedRecruiter = {
  __typename?: 'CreatedRecruiter';
  recruiter: Recruiter;
  temporaryPassword: Scalars['String']['output'];
};

/** Half-open date range [from, to) in the agency's time zone. */
export type DateRangeInput = {
  from: Scalars['AWSDate']['input'];
  to: Scalars['AWSDate']['input'];
};

/** How many aspirants who first wrote in the range reached each stage (a stage counts once reached, even if they moved on or were rejected later). */
export type FunnelStage = {
  __typename?: 'FunnelStage';
  stage: FunnelStageName;
  aspirants: Scalars['Int']['output'];
};

export type FunnelStageName =
  | 'NEW'
  | 'FORM_SENT'
  | 'FORM_SUBMITTED'
  | 'PHOTOS'
  | 'IN_REVIEW'
  | 'ACCEPTED';

export type Dashboard = {
  __typename?: 'Dashboard';
  from: Scalars['AWSDate']['output'];
  to: Scalars['AWSDate']['output'];
  funnel: Array<FunnelStage>;
  /** Median seconds from an aspirant's first message in the range to the first answer (bot or recruiter); null without answers. */
  medianFirstResponseSeconds: Maybe<Scalars['Float']['output']>;
  /** Median seconds from an aspirant's first message to the first message a recruiter wrote; null without any. */
  medianFirstRecruiterResponseSeconds: Maybe<Scalars['Float']['output']>;
  /** Outbound messages in the range, by who wrote them. */
  botMessages: Scalars['Int']['output'];
  recruiterMessages: Scalars['Int']['output'];
  /** botMessages / (botMessages + recruiterMessages); null when both are 0. */
  botShare: Maybe<Scalars['Float']['output']>;
};

/** Sent to consoles when an aspirant's data has been erased, so they drop it from view. */
export type AspirantErasure = {
  __typename?: 'AspirantErasure';
  aspirantId: Scalars['ID']['output'];
  conversationId: Maybe<Scalars['ID']['output']>;
  scope: Scalars['String']['output'];
  erasedAt: Scalars['AWSDateTime']['output'];
};

export type AssigneeFilter =
  /** Assigned to me. */
  | 'MINE'
  | 'UNASSIGNED'
  /** Everything I may see: for recruiters mine and unassigned, for admins all. */
  | 'ALL';

export type InboxFilter = {
  assignee?: InputMaybe<AssigneeFilter>;
  statuses?: InputMaybe<Array<PipelineStatus>>;
  window?: InputMaybe<WindowState>;
  optedOut?: InputMaybe<Scalars['Boolean']['input']>;
  /** Name prefix, or phone digits (matched as a suffix). */
  search?: InputMaybe<Scalars['String']['input']>;
};

export type InboxSort =
  | 'LAST_ACTIVITY'
  | 'WINDOW_EXPIRY';

export type Query = {
  __typename?: 'Query';
  me: Recruiter;
  recruiters: Array<Recruiter>;
  inbox: ConversationConnection;
  conversation: Maybe<Conversation>;
  /** Newest first; pass pageInfo.endCursor as `before` to load older messages. */
  thread: MessageConnection;
  aspirant: Maybe<Aspirant>;
  searchAspirants: AspirantConnection;
  /** Approved templates, in one language or all. */
  messageTemplates: Array<MessageTemplate>;
  deadLetters: DeadLetterConnection;
  /** Every text the bot may say (approved or not), in one language or all, by key. */
  botTexts: Array<BotText>;
  /** Newest first. */
  knowledgeDocuments: Array<KnowledgeDocument>;
  /** Funnel, first-response times and bot vs recruiter share over a date range, within what the caller may see. */
  dashboard: Dashboard;
  /** Everything stored about one aspirant (profile, form submissions, messages, photos with short-lived URLs, notes, bot traces) as one JSON document. */
  exportAspirantData: Scalars['AWSJSON']['output'];
};


export type QueryInboxArgs = {
  filter?: InputMaybe<InboxFilter>;
  sort?: InputMaybe<InboxSort>;
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
};


export type QueryConversationArgs = {
  id: Scalars['ID']['input'];
};


export type QueryThreadArgs = {
  conversationId: Scalars['ID']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
};


export type QueryAspirantArgs = {
  id: Scalars['ID']['input'];
};


export type QuerySearchAspirantsArgs = {
  query: Scalars['String']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
};


export type QueryMessageTemplatesArgs = {
  language?: InputMaybe<Language>;
};


export type QueryDeadLettersArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
};


export type QueryBotTextsArgs = {
  language?: InputMaybe<Language>;
};


export type QueryDashboardArgs = {
  range: DateRangeInput;
};


export type QueryExportAspirantDataArgs = {
  aspirantId: Scalars['ID']['input'];
};

export type SendMessageInput = {
  conversationId: Scalars['ID']['input'];
  body: Scalars['String']['input'];
  /** Chosen by the client once per intended message: a double click or a retry sends once. */
  idempotencyKey: Scalars['String']['input'];
};

export type SendTemplateInput = {
  conversationId: Scalars['ID']['input'];
  templateId: Scalars['ID']['input'];
  /** One value per template variable, in order. */
  variables: Array<Scalars['String']['input']>;
  idempotencyKey: Scalars['String']['input'];
};

export type Mutation = {
  __typename?: 'Mutation';
  /** Free-form text; refused once the 24-hour window has closed or the aspirant opted out. */
  sendMessage: Message;
  /** An approved template; allowed outside the 24-hour window, refused when the aspirant opted out. */
  sendTemplate: Message;
  markConversationRead: Conversation;
  /** Assign to a recruiter, or unassign with recruiterId null. Recruiters may take unassigned aspirants or release their own. */
  assignAspirant: Aspirant;
  updateAspirantStatus: Aspirant;
  setAspirantTags: Aspirant;
  addAspirantNote: AspirantNote;
  /** Pauses the bot in this conversation (a recruiter is on it) and clears needsRecruiter. A recruiter's sendMessage pauses it too. */
  takeOverConversation: Conversation;
  /** Hands a paused conversation back to the bot, which resumes at the aspirant's current step. It resumes from the job queue: botPaused turns false in a conversation event a moment later. */
  handBackConversation: Conversation;
  /** Records that a minor's parent or guardian consented; the bot then asks for the photos. */
  recordGuardianConsent: Aspirant;
  /** Sends the aspirant their personal form link, in their language, as the caller's message (pausing the bot like any recruiter message). */
  sendFormLink: Message;
  /** Asks the aspirant for the photos still missing from the checklist, as the caller's message. */
  requestPhotos: Message;
  /** Creates or replaces one bot text; refused when placeholders are missing or foreign, or when it promises work. */
  updateBotText: BotText;
  /** Stores and indexes a .txt or .md document for the FAQ agent. */
  addKnowledgeDocument: KnowledgeDocument;
  /** Removes a document and its passages; returns its id. */
  deleteKnowledgeDocument: Scalars['ID']['output'];
  /** Puts a dead-lettered job back in the queue. */
  retryDeadLetter: DeadLetter;
  /** Adds a recruiter or admin who can sign in with the returned temporary password. */
  createRecruiter: CreatedRecruiter;
  /** Deactivated users cannot sign in or call the API; their aspirants return to the unassigned queue. */
  setRecruiterActive: Recruiter;
  /** Erases the aspirant everywhere: messages, media and photos (blobs too), form links and submissions, notes, bot state and traces, pending jobs. `confirmPhone` must repeat the aspirant's phone number. Returns the aspirant's id. */
  eraseAspirant: Scalars['ID']['output'];
  publishMessageEvent: Maybe<MessageEvent>;
  publishConversationEvent: Maybe<ConversationEvent>;
  publishAspirantEvent: Maybe<AspirantEvent>;
  publishAspirantErasure: Maybe<AspirantErasure>;
};


export type MutationSendMessageArgs = {
  input: SendMessageInput;
};


export type MutationSendTemplateArgs = {
  input: SendTemplateInput;
};


export type MutationMarkConversationReadArgs = {
  conversationId: Scalars['ID']['input'];
};


export type MutationAssignAspirantArgs = {
  aspirantId: Scalars['ID']['input'];
  recruiterId?: InputMaybe<Scalars['ID']['input']>;
};


export type MutationUpdateAspirantStatusArgs = {
  aspirantId: Scalars['ID']['input'];
  status: PipelineStatus;
};


export type MutationSetAspirantTagsArgs = {
  aspirantId: Scalars['ID']['input'];
  tags: Array<Scalars['String']['input']>;
};


export type MutationAddAspirantNoteArgs = {
  aspirantId: Scalars['ID']['input'];
  body: Scalars['String']['input'];
};


export type MutationTakeOverConversationArgs = {
  conversationId: Scalars['ID']['input'];
};


export type MutationHandBackConversationArgs = {
  conversationId: Scalars['ID']['input'];
};


export type MutationRecordGuardianConsentArgs = {
  aspirantId: Scalars['ID']['input'];
};


export type MutationSendFormLinkArgs = {
  conversationId: Scalars['ID']['input'];
  idempotencyKey: Scalars['String']['input'];
};


export type MutationRequestPhotosArgs = {
  conversationId: Scalars['ID']['input'];
  idempotencyKey: Scalars['String']['input'];
};


export type MutationUpdateBotTextArgs = {
  input: UpdateBotTextInput;
};


export type MutationAddKnowledgeDocumentArgs = {
  input: AddKnowledgeDocumentInput;
};


export type MutationDeleteKnowledgeDocumentArgs = {
  id: Scalars['ID']['input'];
};


export type MutationRetryDeadLetterArgs = {
  id: Scalars['ID']['input'];
};


export type MutationCreateRecruiterArgs = {
  input: CreateRecruiterInput;
};


export type MutationSetRecruiterActiveArgs = {
  id: Scalars['ID']['input'];
  active: Scalars['Boolean']['input'];
};


export type MutationEraseAspirantArgs = {
  aspirantId: Scalars['ID']['input'];
  confirmPhone: Scalars['String']['input'];
};


export type MutationPublishMessageEventArgs = {
  event: Scalars['AWSJSON']['input'];
};


export type MutationPublishConversationEventArgs = {
  event: Scalars['AWSJSON']['input'];
};


export type MutationPublishAspirantEventArgs = {
  event: Scalars['AWSJSON']['input'];
};


export type MutationPublishAspirantErasureArgs = {
  event: Scalars['AWSJSON']['input'];
};

export type Subscription = {
  __typename?: 'Subscription';
  /** New messages of one conversation and changes to them (status, media). */
  onMessageEvent: Maybe<MessageEvent>;
  /** Conversations created or updated, within what the subscriber may see. */
  onInboxEvent: Maybe<ConversationEvent>;
  /** Aspirant changes (profile, status, assignment, photos); all visible ones when aspirantId is omitted. */
  onAspirantEvent: Maybe<AspirantEvent>;
  /** Aspirants erased, within what the subscriber may see. */
  onAspirantErased: Maybe<AspirantErasure>;
};


export type SubscriptionOnMessageEventArgs = {
  conversationId: Scalars['ID']['input'];
};


export type SubscriptionOnAspirantEventArgs = {
  aspirantId?: InputMaybe<Scalars['ID']['input']>;
};
