import type { Queryable, SqlValue } from '../data/db.ts';
import type {
  Aspirant,
  BotState,
  Channel,
  Conversation,
  ConversationConnection,
  InboxFilter,
  InboxSort,
  Message,
  MessageConnection,
  WindowState,
} from '../generated/graphql.ts';
import { NotFoundError } from '../shared/errors.ts';
import { assertCanSee, type Caller, visibleAssigneeSql } from './access.ts';
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

/** A conversation's columns (`c`), with its copy of the aspirant's assignee. */
const conversationColumns = `c.id, c.aspirant_id, c.channel, c.last_message_id, c.last_activity_at, c.inbound_count,
  c.window_expires_at, c.bot_state, c.bot_paused, c.needs_recruiter, c.created_at, c.aspirant_assignee_id AS assignee_id`;

/** The reader's read marker of conversation `alias` (bind `:readerId`). */
const readMarkerJoin = (alias: string): string =>
  `LEFT JOIN conversation_reads r ON r.conversation_id = ${alias}.id AND r.recruiter_id = :readerId::uuid`;

/** Conversations joined to the reader's read marker. */
const conversationSelect = `SELECT ${conversationColumns}, r.read_inbound_count FROM conversations c ${readMarkerJoin('c')}`;

export async function conversationRowById(q: Queryable, id: string, readerId: string | null): Promise<ConversationRow | null> {
  const [row] = await q.query<ConversationRow>(`${conversationSelect} WHERE c.id = :id::uuid`, { id, readerId });
  return row ?? null;
}

export function conversationRowsOfAspirant(q: Queryable, aspirantId: string): Promise<ConversationRow[]> {
  return q.query<ConversationRow>(`${conversationSelect} WHERE c.aspirant_id = :aspirantId::uuid ORDER BY c.created_at, c.id`, {
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
 * conversations_window_idx). Filters narrow within what the caller may see. The assignee, status and opt-out
 * filters read the conversation's copies of them (migration 0007), whose indexes are in activity order too.
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
  if (assignee === 'MINE') conditions.push('c.aspirant_assignee_id = :callerId::uuid');
  if (assignee === 'UNASSIGNED') conditions.push('c.aspirant_assignee_id IS NULL');
  // MINE and UNASSIGNED are within what anyone may see; repeating the rule beside them only blurs the plan.
  const visible = assignee === 'ALL' ? visibleAssigneeSql(caller, 'c.aspirant_assignee_id') : null;
  if (visible !== null) conditions.push(visible);

  // An empty list means no status filter, like an absent one. One parameter per status (at most ten): one status
  // is then an equality the status index serves in activity order.
  if (filter.statuses !== null && filter.statuses !== undefined && filter.statuses.length > 0) {
    const statuses = [...new Set(filter.statuses.map(toStoredStatus))];
    conditions.push(`c.aspirant_status IN (${statuses.map((_, index) => `:status${index}`).join(', ')})`);
    for (const [index, status] of statuses.entries()) params[`status${index}`] = status;
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
    conditions.push(filter.optedOut ? 'c.aspirant_opted_out' : 'NOT c.aspirant_opted_out');
  }
  // An empty search box filters nothing, like an absent one.
  let joins = '';
  if (filter.search !== null && filter.search !== undefined && filter.search.trim() !== '') {
    const term = parseSearchTerm(filter.search, 'filter.search');
    joins = ' JOIN aspirants a ON a.id = c.aspirant_id';
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
  const order = (alias: string) =>
    byExpiry ? `${alias}.window_expires_at ASC NULLS LAST, ${alias}.id ASC` : `${alias}.last_activity_at DESC, ${alias}.id DESC`;
  // The page first, then the reader's read markers of its rows only: joined inside, the planner would at times
  // hash every read marker of the reader, as many as their conversations.
  const rows = await services.db.query<ConversationRow & { sortKey: string | null }>(
    `SELECT page.*, r.read_inbound_count
       FROM (SELECT ${conversationColumns}, ${sortKey} AS sort_key
               FROM conversations c${joins}
              ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''}
              ORDER BY ${order('c')}
              LIMIT :limit::int) page
       ${readMarkerJoin('page')}
      ORDER BY ${order('page')}`,
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
 * Aspirants and messages a caller has just loaded with the same includes (a live event for each of them goes
 * out too): loadConversations uses them instead of reading them again.
 */
export interface LoadedParts {
  readonly aspirants?: readonly Aspirant[];
  readonly messages?: readonly Message[];
}

/** `known` by id, with those of `ids` it lacks loaded by `load`. */
async function withMissingLoaded<T extends { readonly id: string }>(
  known: readonly T[] | undefined,
  ids: readonly string[],
  load: (missing: string[]) => Promise<T[]>,
): Promise<Map<string, T>> {
  const byId = new Map((known ?? []).map((item) => [item.id, item]));
  for (const item of await load(ids.filter((id) => !byId.has(id)))) byId.set(item.id, item);
  return byId;
}

/**
 * Conversation rows as GraphQL conversations: aspirants in one query, last messages in one more when
 * selected, each unless `loaded` has it. unreadCount is the reader's (null without a reader, as in broadcast
 * events).
 */
export async function loadConversations(
  q: Queryable,
  services: Pick<Services, 'now' | 'mediaUrl' | 'formLinks'>,
  rows: readonly ConversationRow[],
  include: ConversationIncludes,
  readerId: string | null,
  loaded: LoadedParts = {},
): Promise<Conversation[]> {
  if (rows.length === 0) return [];
  const lastMessageInclude = include.lastMessage;
  const [aspirants, lastMessages] = await Promise.all([
    withMissingLoaded(loaded.aspirants, rows.map((row) => row.aspirantId), async (ids) =>
      loadAspirants(q, services, [...(await aspirantRowsById(q, ids)).values()], include.aspirant),
    ),
    lastMessageInclude === null
      ? new Map<string, Message>()
      : withMissingLoaded(loaded.messages, rows.flatMap((row) => (row.lastMessageId === null ? [] : [row.lastMessageId])), async (ids) =>
          loadMessages(q, services, [...(await messageRowsById(q, ids)).values()], lastMessageInclude),
        ),
  ]);
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
