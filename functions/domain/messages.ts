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
} from '../generated/graphql.ts';
import { uuidInListSql } from './aspirants.ts';
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

/** Message rows as GraphQL messages, with the included parts loaded in one query per kind. */
export async function loadMessages(
  q: Queryable,
  services: Pick<Services, 'mediaUrl'>,
  rows: readonly MessageRow[],
  include: MessageIncludes,
): Promise<Message[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const [media, statusEvents, traces, authors] = await Promise.all([
    include.media ? mediaOf(q, ids, services.mediaUrl) : [],
    include.statusHistory ? statusEventsOf(q, ids) : [],
    include.botTrace ? botTracesOf(q, ids) : [],
    include.author ? recruitersById(q, rows.map((row) => row.authorId)) : new Map(),
  ]);
  return rows.map((row) => ({
    id: row.id,
    conversationId: row.conversationId,
    direction: row.direction.toUpperCase() as MessageDirection,
    authorKind: row.authorKind.toUpperCase() as AuthorKind,
    author: row.authorId === null ? null : (authors.get(row.authorId) ?? null),
    body: row.body,
    media: media.filter((item) => item.messageId === row.id).map((item) => item.media),
    providerMessageId: row.providerMessageId,
    status: row.status.toUpperCase() as DeliveryStatus,
    statusHistory: statusEvents.filter((event) => event.messageId === row.id).map((event) => event.event),
    failureCode: row.failureCode,
    failureReason: row.failureReason,
    occurredAt: row.occurredAt,
    createdAt: row.createdAt,
    botTrace: traces.filter((trace) => trace.messageId === row.id).map((trace) => trace.entry),
  }));
}

async function mediaOf(
  q: Queryable,
  messageIds: readonly string[],
  mediaUrl: (key: string) => Promise<string>,
): Promise<{ messageId: string; media: Media }[]> {
  const rows = await q.query<{
    id: string;
    messageId: string;
    kind: string;
    status: string;
    contentType: string | null;
    sizeBytes: number | null;
    fileName: string | null;
    blobKey: string | null;
    thumbnailKey: string | null;
    durationSeconds: number | null;
    rejectionReason: string | null;
  }>(
    `SELECT id, message_id, kind, status, content_type, size_bytes, file_name, blob_key, thumbnail_key, duration_seconds,
            rejection_reason
       FROM media WHERE ${uuidInListSql('message_id', 'ids')} ORDER BY message_id, position`,
    { ids: messageIds },
  );
  const urlOf = (key: string | null, stored: boolean) => (stored && key !== null ? mediaUrl(key) : null);
  return Promise.all(
    rows.map(async (row) => {
      const stored = row.status === 'stored';
      const [url, thumbnailUrl] = await Promise.all([urlOf(row.blobKey, stored), urlOf(row.thumbnailKey, stored)]);
      return {
        messageId: row.messageId,
        media: {
          id: row.id,
          kind: row.kind.toUpperCase() as MediaKind,
          status: row.status.toUpperCase() as MediaStatus,
          contentType: row.contentType,
          sizeBytes: row.sizeBytes,
          fileName: row.fileName,
          url,
          thumbnailUrl,
          durationSeconds: row.durationSeconds,
          rejectionReason: row.rejectionReason,
        },
      };
    }),
  );
}

// Providers report statuses the schema does not show (Twilio's accepted, scheduled, canceled): those are left out.
async function statusEventsOf(q: Queryable, messageIds: readonly string[]): Promise<{ messageId: string; event: DeliveryStatusEvent }[]> {
  const rows = await q.query<{ messageId: string; status: string; errorCode: string | null; errorMessage: string | null; receivedAt: string }>(
    `SELECT message_id, status, error_code, error_message, received_at
       FROM message_status_events WHERE ${uuidInListSql('message_id', 'ids')} ORDER BY message_id, id`,
    { ids: messageIds },
  );
  return rows
    .filter((row) => deliveryStatuses.has(row.status.toUpperCase()))
    .map((row) => ({
      messageId: row.messageId,
      event: {
        status: row.status.toUpperCase() as DeliveryStatus,
        errorCode: row.errorCode,
        errorMessage: row.errorMessage,
        receivedAt: row.receivedAt,
      },
    }));
}

async function botTracesOf(q: Queryable, messageIds: readonly string[]): Promise<{ messageId: string; entry: BotTraceEntry }[]> {
  const rows = await q.query<{
    id: string;
    messageId: string;
    agent: string;
    intent: string | null;
    confidence: number | null;
    latencyMs: number | null;
    summary: string | null;
    createdAt: string;
  }>(
    `SELECT id, message_id, agent, intent, confidence, latency_ms, summary, created_at
       FROM bot_traces WHERE ${uuidInListSql('message_id', 'ids')} ORDER BY message_id, created_at, id`,
    { ids: messageIds },
  );
  return rows.map(({ messageId, ...entry }) => ({ messageId, entry }));
}
