import type { Queryable } from '../data/db.ts';
import type {
  AuthorKind,
  BotTraceEntry,
  DeliveryStatus,
  DeliveryStatusEvent,
  Media,
  MediaKind,
  MediaStatus,
  Message,
  MessageDirection,
  Recruiter,
} from '../generated/graphql.ts';
import { jsonTimestamp } from '../data/normalize.ts';
import { includedPartsById, uuidInListSql } from './aspirants.ts';
import { recruitersById } from './recruiters.ts';
import type { MessageIncludes, Services } from './services.ts';

export interface MessageRow {
  id: string;
  conversationId: string;
  direction: 'inbound' | 'outbound';
  authorKind: 'aspirant' | 'bot' | 'recruiter';
  authorId: string | null;
  body: string | null;
  providerMessageId: string | null;
  status: string;
  failureCode: string | null;
  failureReason: string | null;
  occurredAt: string;
  createdAt: string;
}

export const messageColumns = (alias: string): string =>
  ['id', 'conversation_id', 'direction', 'author_kind', 'author_id', 'body', 'provider_message_id', 'status',
    'failure_code', 'failure_reason', 'occurred_at', 'created_at']
    .map((column) => `${alias}.${column}`)
    .join(', ');

export async function messageRowsById(q: Queryable, ids: readonly string[]): Promise<Map<string, MessageRow>> {
  if (ids.length === 0) return new Map();
  const rows = await q.query<MessageRow>(`SELECT ${messageColumns('m')} FROM messages m WHERE ${uuidInListSql('m.id', 'ids')}`, {
    ids: [...new Set(ids)],
  });
  return new Map(rows.map((row) => [row.id, row]));
}

const deliveryStatuses: ReadonlySet<string> = new Set<DeliveryStatus>([
  'RECEIVED', 'QUEUED', 'SENDING', 'SENT', 'DELIVERED', 'READ', 'FAILED', 'UNDELIVERED',
]);

/** Message rows as GraphQL messages, with the included parts (media, statuses, bot traces) loaded in one query. */
export async function loadMessages(
  q: Queryable,
  services: Pick<Services, 'mediaUrl'>,
  rows: readonly MessageRow[],
  include: MessageIncludes,
): Promise<Message[]> {
  if (rows.length === 0) return [];
  const [parts, authors] = await Promise.all([
    messagePartsOf(q, rows.map((row) => row.id), include, services.mediaUrl),
    include.author ? recruitersById(q, rows.map((row) => row.authorId)) : new Map<string, Recruiter>(),
  ]);
  return rows.map((row) => {
    const part = parts.get(row.id);
    return {
      id: row.id,
      conversationId: row.conversationId,
      direction: row.direction.toUpperCase() as MessageDirection,
      authorKind: row.authorKind.toUpperCase() as AuthorKind,
      author: row.authorId === null ? null : (authors.get(row.authorId) ?? null),
      body: row.body,
      media: part?.media ?? [],
      providerMessageId: row.providerMessageId,
      status: row.status.toUpperCase() as DeliveryStatus,
      statusHistory: part?.statusHistory ?? [],
      failureCode: row.failureCode,
      failureReason: row.failureReason,
      occurredAt: row.occurredAt,
      createdAt: row.createdAt,
      botTrace: part?.botTrace ?? [],
    };
  });
}

interface MessageParts {
  readonly media: Media[];
  readonly statusHistory: DeliveryStatusEvent[];
  readonly botTrace: BotTraceEntry[];
}

interface MediaJson {
  id: string;
  kind: string;
  status: string;
  contentType: string | null;
  sizeBytes: number | null;
  fileName: string | null;
  blobKey: string | null;
  thumbnailKey: string | null;
  durationSeconds: number | null;
  rejectionReason: string | null;
}

interface StatusEventJson {
  status: string;
  errorCode: string | null;
  errorMessage: string | null;
  receivedAt: string;
}

/**
 * Each kind of part as a JSON array per message, one subquery per included kind (each probes its table's
 * message index): one round trip instead of one per kind, which dominated loading a message to publish it.
 */
const partQueries = {
  media: `(SELECT json_agg(json_build_object('id', md.id, 'kind', md.kind, 'status', md.status, 'contentType', md.content_type,
            'sizeBytes', md.size_bytes, 'fileName', md.file_name, 'blobKey', md.blob_key, 'thumbnailKey', md.thumbnail_key,
            'durationSeconds', md.duration_seconds, 'rejectionReason', md.rejection_reason) ORDER BY md.position)
            FROM media md WHERE md.message_id = wanted.id) AS media`,
  statusHistory: `(SELECT json_agg(json_build_object('status', se.status, 'errorCode', se.error_code, 'errorMessage', se.error_message,
            'receivedAt', se.received_at) ORDER BY se.id)
            FROM message_status_events se WHERE se.message_id = wanted.id) AS status_history`,
  botTrace: `(SELECT json_agg(json_build_object('id', bt.id, 'agent', bt.agent, 'intent', bt.intent, 'confidence', bt.confidence,
            'latencyMs', bt.latency_ms, 'summary', bt.summary, 'createdAt', bt.created_at) ORDER BY bt.created_at, bt.id)
            FROM bot_traces bt WHERE bt.message_id = wanted.id) AS bot_trace`,
} as const;

async function messagePartsOf(
  q: Queryable,
  messageIds: readonly string[],
  include: MessageIncludes,
  mediaUrl: (key: string) => Promise<string>,
): Promise<Map<string, MessageParts>> {
  const parts = await includedPartsById<
    keyof typeof partQueries,
    { media?: MediaJson[] | null; statusHistory?: StatusEventJson[] | null; botTrace?: BotTraceEntry[] | null }
  >(q, messageIds, partQueries, include);
  const entries = await Promise.all(
    [...parts].map(async ([id, row]): Promise<[string, MessageParts]> => [
      id,
      {
        media: await Promise.all((row.media ?? []).map((item) => toMedia(item, mediaUrl))),
        // Providers report statuses the schema does not show (Twilio's accepted, scheduled, canceled): those are left out.
        statusHistory: (row.statusHistory ?? []).filter((event) => deliveryStatuses.has(event.status.toUpperCase())).map(toStatusEvent),
        botTrace: (row.botTrace ?? []).map((trace) => ({ ...trace, createdAt: jsonTimestamp(trace.createdAt) })),
      },
    ]),
  );
  return new Map(entries);
}

async function toMedia(item: MediaJson, mediaUrl: (key: string) => Promise<string>): Promise<Media> {
  const stored = item.status === 'stored';
  const urlOf = (key: string | null) => (stored && key !== null ? mediaUrl(key) : null);
  const [url, thumbnailUrl] = await Promise.all([urlOf(item.blobKey), urlOf(item.thumbnailKey)]);
  return {
    id: item.id,
    kind: item.kind.toUpperCase() as MediaKind,
    status: item.status.toUpperCase() as MediaStatus,
    contentType: item.contentType,
    sizeBytes: item.sizeBytes,
    fileName: item.fileName,
    url,
    thumbnailUrl,
    durationSeconds: item.durationSeconds,
    rejectionReason: item.rejectionReason,
  };
}

function toStatusEvent(event: StatusEventJson): DeliveryStatusEvent {
  return {
    status: event.status.toUpperCase() as DeliveryStatus,
    errorCode: event.errorCode,
    errorMessage: event.errorMessage,
    receivedAt: jsonTimestamp(event.receivedAt),
  };
}
