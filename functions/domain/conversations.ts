import type { Queryable, SqlValue } from '../data/db.ts';
import type {
  BotState,
  Channel,
  Conversation,
  ConversationConnection,
  InboxFilter,
  InboxSort,
  MessageConnection,
  WindowState,
} from '../generated/graphql.ts';
import { NotFoundError } from '../shared/errors.ts';
import { assertCanSee, type Caller, visibleAspirantsSql } from './access.ts';
import { aspirantRowsById, loadAspirants } from './aspirants.ts';
import { loadMessages, messageColumns, messageRowsById, type MessageRow } from './messages.ts';
import { cursorId, cursorTimestamp, decodeCursor, encodeCursor, exactTimestampSql, pageSize, toPage } from './paging.ts';
import { toStoredStatus } from './pipeline.ts';
import { parseSearchTerm, searchConditionSql, searchParam } from './search.ts';
import type { ConversationIncludes, MessageIncludes, Services } from './services.ts';

/** WhatsApp's window is CLOSING once less than this is left. */
export const CLOSING_SOON_MS = 2 * 60 * 60 * 1000;

export function windowState(windowExpiresAt: string | null, now: Date): WindowState {
  if (windowExpiresAt === null) return 'CLOSED';
  const left = Date.parse(windowExpiresAt) - now.getTime();
  if (left <= 0) return 'CLOSED';
  return left <= CLOSING_SOON_MS ? 'CLOSING' : 'OPEN';
}

export interface ConversationRow {
  id: string;
  aspirantId: string;
  channel: 'whatsapp_twilio' | 'whatsapp_meta';
  lastMessageId: string | null;
  lastActivityAt: string;
  inboundCount: number;
  windowExpiresAt: string | null;
  botState: string;
  botPaused: boolean;
  needsRecruiter: boolean;
  createdAt: string;
  /** The aspirant's assignee: it decides who may see the conversation. */
  assigneeId: string | null;
  /** The reader's conversation_reads count (null when never read, or no reader). */
  readInboundCount: number | null;
}

/** Conversations joined to their aspirant (`a`) and to the reader's read marker (`r`, bind `:readerId`). */
const conversationSelect = (extraColumns = ''): string => `
  SELECT c.id, c.aspirant_id, c.channel, c.last_message_id, c.last_activity_at, c.inbound_count, c.window_expires_at,
         c.bot_state, c.bot_paused, c.needs_recruiter, c.created_at, a.assignee_id, r.read_inbound_count${extraColumns}
    FROM conversations c
    JOIN aspirants a ON a.id = c.aspirant_id
    LEFT JOIN conversation_reads r ON r.conversation_id = c.id AND r.recruiter_id = :readerId::uuid`;

export async function conversationRowById(q: Queryable, id: string, readerId: string | null): Promise<ConversationRow | null> {
  const [row] = await q.query<ConversationRow>(`${conversationSelect()} WHERE c.id = :id::uuid`, { id, readerId });
  return row ?? null;
}

export function conversationRowsOfAspirant(q: Queryable, aspirantId: string): Promise<ConversationRow[]> {
  return q.query<ConversationRow>(`${conversationSelect()} WHERE c.aspirant_id = :aspirantId::uuid ORDER BY c.created_at, c.id`, {
    aspirantId,
    readerId: null,
  });
}

export async function getConversation(
  services: Services,
  caller: Caller,
  id: string,
  include: ConversationIncludes,
): Promise<Conversation | null> {
  const row = await conversationRowById(services.db, id, caller.id);
  if (row === null) return null;
  assertCanSee(caller, row.assigneeId, 'conversation');
  const [conversation] = await loadConversations(services.db, services, [row], include, caller.id);
  return conversation ?? null;
}

export interface InboxInput {
  readonly filter?: InboxFilter | null;
  readonly sort?: InboxSort | null;
  readonly first?: number | null;
  readonly after?: string | null;
}

/**
 * The caller's inbox, one keyset page at a time (no OFFSET): by last activity (newest first, following
 * conversations_activity_idx) or by window expiry (soonest first, never-opened last, following
 * conversations_window_idx). Filters narrow within what the caller may see.
 */
export async function inbox(
  services: Services,
  caller: Caller,
  input: InboxInput,
  include: ConversationIncludes,
): Promise<ConversationConnection> {
  const size = pageSize(input.first, 50);
  const filter = input.filter ?? {};
  const now = services.now();
  const conditions: string[] = [];
  const params: Record<string, SqlValue> = { readerId: caller.id, callerId: caller.id, limit: size + 1 };

  const assignee = filter.assignee ?? 'ALL';
  if (assignee === 'MINE') conditions.push('a.assignee_id = :callerId::uuid');
  if (assignee === 'UNASSIGNED') conditions.push('a.assignee_id IS NULL');
  const visible = visibleAspirantsSql(caller, 'a');
  if (visible !== null) conditions.push(visible);

  // An empty list means no status filter, like an absent one.
  if (filter.statuses !== null && filter.statuses !== undefined && filter.statuses.length > 0) {
    conditions.push('a.status IN (SELECT jsonb_array_elements_text(:statuses::jsonb))');
    params.statuses = filter.statuses.map(toStoredStatus);
  }
  if (filter.window !== null && filter.window !== undefined) {
    Object.assign(params, { now: now.toISOString(), closingFrom: new Date(now.getTime() + CLOSING_SOON_MS).toISOString() });
    conditions.push(
      {
        OPEN: 'c.window_expires_at > :closingFrom::timestamptz',
        CLOSING: 'c.window_expires_at > :now::timestamptz AND c.window_expires_at <= :closingFrom::timestamptz',
        CLOSED: '(c.window_expires_at IS NULL OR c.window_expires_at <= :now::timestamptz)',
      }[filter.window],
    );
  }
  if (filter.optedOut !== null && filter.optedOut !== undefined) {
    conditions.push(filter.optedOut ? 'a.opted_out_at IS NOT NULL' : 'a.opted_out_at IS NULL');
  }
  // An empty search box filters nothing, like an absent one.
  if (filter.search !== null && filter.search !== undefined && filter.search.trim() !== '') {
    const term = parseSearchTerm(filter.search, 'filter.search');
    conditions.push(searchConditionSql(term, 'a'));
    params.search = searchParam(term);
  }

  const byExpiry = (input.sort ?? 'LAST_ACTIVITY') === 'WINDOW_EXPIRY';
  const cursorKind = byExpiry ? 'inbox:expiry' : 'inbox:activity';
  if (input.after !== null && input.after !== undefined) {
    const cursor = decodeCursor(input.after, cursorKind, { at: byExpiry ? cursorTimestamp.nullable() : cursorTimestamp, id: cursorId });
    Object.assign(params, { afterAt: cursor.at, afterId: cursor.id });
    conditions.push(
      !byExpiry ? '(c.last_activity_at, c.id) < (:afterAt::timestamptz, :afterId::uuid)'
      : cursor.at === null ? '(c.window_expires_at IS NULL AND c.id > :afterId::uuid)'
      : '((c.window_expires_at, c.id) > (:afterAt::timestamptz, :afterId::uuid) OR c.window_expires_at IS NULL)',
    );
  }

  const sortKey = exactTimestampSql(byExpiry ? 'c.window_expires_at' : 'c.last_activity_at');
  const rows = await services.db.query<ConversationRow & { sortKey: string | null }>(
    `${conversationSelect(`, ${sortKey} AS sort_key`)}
      ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''}
      ORDER BY ${byExpiry ? 'c.window_expires_at ASC NULLS LAST, c.id ASC' : 'c.last_activity_at DESC, c.id DESC'}
      LIMIT :limit::int`,
    params,
  );
  const page = toPage(rows, size, (row) => encodeCursor(cursorKind, { at: row.sortKey, id: row.id }));
  return { nodes: await loadConversations(services.db, services, page.rows, include, caller.id), pageInfo: page.pageInfo };
}

export interface ThreadInput {
  readonly conversationId: string;
  readonly first?: number | null;
  readonly before?: string | null;
}

/** A conversation's messages, newest first; `before` (a previous page's endCursor) continues with older ones. */
export async function thread(
  services: Services,
  caller: Caller,
  input: ThreadInput,
  include: MessageIncludes,
): Promise<MessageConnection> {
  const size = pageSize(input.first, 50);
  const conversation = await conversationRowById(services.db, input.conversationId, null);
  if (conversation === null) throw new NotFoundError('conversation not found');
  assertCanSee(caller, conversation.assigneeId, 'conversation');
  const params: Record<string, SqlValue> = { conversationId: input.conversationId, limit: size + 1 };
  let olderThan = '';
  if (input.before !== null && input.before !== undefined) {
    const cursor = decodeCursor(input.before, 'thread', { at: cursorTimestamp, id: cursorId });
    olderThan = 'AND (m.occurred_at, m.id) < (:beforeAt::timestamptz, :beforeId::uuid)';
    Object.assign(params, { beforeAt: cursor.at, beforeId: cursor.id });
  }
  const rows = await services.db.query<MessageRow & { sortKey: string }>(
    `SELECT ${messageColumns('m')}, ${exactTimestampSql('m.occurred_at')} AS sort_key
       FROM messages m
      WHERE m.conversation_id = :conversationId::uuid ${olderThan}
      ORDER BY m.occurred_at DESC, m.id DESC
      LIMIT :limit::int`,
    params,
  );
  const page = toPage(rows, size, (row) => encodeCursor('thread', { at: row.sortKey, id: row.id }));
  return { nodes: await loadMessages(services.db, services, page.rows, include), pageInfo: page.pageInfo };
}

/**
 * Conversation rows as GraphQL conversations: aspirants in one query, last messages in one more when
 * selected. unreadCount is the reader's (null without a reader, as in broadcast events).
 */
export async function loadConversations(
  q: Queryable,
  services: Pick<Services, 'now' | 'mediaUrl' | 'formLinks'>,
  rows: readonly ConversationRow[],
  include: ConversationIncludes,
  readerId: string | null,
): Promise<Conversation[]> {
  if (rows.length === 0) return [];
  const aspirantRows = await aspirantRowsById(q, rows.map((row) => row.aspirantId));
  const aspirants = new Map(
    (await loadAspirants(q, services, [...aspirantRows.values()], include.aspirant)).map((aspirant) => [aspirant.id, aspirant]),
  );
  const lastMessageIds = rows.flatMap((row) => (row.lastMessageId === null ? [] : [row.lastMessageId]));
  const lastMessages =
    include.lastMessage === null
      ? new Map()
      : new Map(
          (await loadMessages(q, services, [...(await messageRowsById(q, lastMessageIds)).values()], include.lastMessage)).map(
            (message) => [message.id, message],
          ),
        );
  const now = services.now();
  return rows.map((row) => {
    const aspirant = aspirants.get(row.aspirantId);
    if (aspirant === undefined) throw new Error(`conversation ${row.id} has no aspirant row`);
    return {
      id: row.id,
      channel: row.channel.toUpperCase() as Channel,
      aspirant,
      lastMessage: row.lastMessageId === null ? null : (lastMessages.get(row.lastMessageId) ?? null),
      lastActivityAt: row.lastActivityAt,
      inboundCount: row.inboundCount,
      unreadCount: readerId === null ? null : Math.max(0, row.inboundCount - (row.readInboundCount ?? 0)),
      windowExpiresAt: row.windowExpiresAt,
      windowState: windowState(row.windowExpiresAt, now),
      botState: row.botState.toUpperCase() as BotState,
      botPaused: row.botPaused,
      needsRecruiter: row.needsRecruiter,
      createdAt: row.createdAt,
    };
  });
}
