import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, SqlParams } from '../data/db.ts';
import { testDatabases } from '../data/testing.ts';
import type { AspirantConnection, Conversation, ConversationConnection, MessageConnection } from '../generated/graphql.ts';
import { createGraphqlHandler } from './handler.ts';
import { cognitoIdentity, resolverEvent } from './testing/events.ts';
import { hoursFrom, insertAspirant, insertConversation, insertMessage, insertRecruiter } from './testing/fixtures.ts';
import { RecordingPublisher } from './testing/recordingPublisher.ts';
import { testDomainSettings } from '../domain/testing.ts';

const NOW = new Date('2025-03-10T12:00:00.000Z');

const conversationFields = 'id unreadCount windowState lastActivityAt aspirant { id displayName status }';

for (const database of testDatabases()) {
  describe(`queries on ${database.name}`, () => {
    let db: Db;
    let queryCount = 0;
    const statements: { sql: string; params: SqlParams | undefined }[] = [];
    let ids: { admin: string; ana: string; bruno: string };
    let call: (who: string, field: string, args?: Record<string, unknown>, selection?: string) => Promise<unknown>;
    const identities = new Map<string, ReturnType<typeof cognitoIdentity>>();

    /** Every conversation id in the order SQL gives for `orderBy`, as the oracle for paging. */
    const allConversationIds = async (orderBy: string) =>
      (await db.query<{ id: string }>(`SELECT c.id FROM conversations c ORDER BY ${orderBy}`)).map((row) => row.id);

    beforeAll(async () => {
      db = await database.open();
      ids = {
        admin: await insertRecruiter(db, { name: 'Ada Admin', role: 'admin' }),
        ana: await insertRecruiter(db, { name: 'Ana Recruiter' }),
        bruno: await insertRecruiter(db, { name: 'Bruno Recruiter' }),
      };
      identities.set('admin', cognitoIdentity({ id: ids.admin, groups: ['admin'] }));
      identities.set('ana', cognitoIdentity({ id: ids.ana }));
      identities.set('bruno', cognitoIdentity({ id: ids.bruno }));
      // Count the queries the handler makes, to check nested data is batched per page.
      const counting: Db = {
        driver: db.driver,
        query: (sql, params) => {
          queryCount += 1;
          statements.push({ sql, params });
          return db.query(sql, params);
        },
        transaction: (work) => db.transaction(work),
        close: () => db.close(),
      };
      const handler = createGraphqlHandler({
        db: counting,
        publisher: new RecordingPublisher(),
        now: () => NOW,
        ...testDomainSettings,
        mediaUrl: async (key) => `https://media.test/${key}`,
      });
      call = (who, field, args = {}, selection = '') =>
        handler(resolverEvent(field, { arguments: args, identity: identities.get(who)!, selection }));

      // 30 conversations. Activity times collide in threes (ids break the ties) and some differ only in
      // microseconds, which a millisecond cursor would lose.
      const statuses = ['new', 'contacted', 'form_sent', 'in_review', 'accepted'];
      const windows = [hoursFrom(NOW, 20), hoursFrom(NOW, 1), hoursFrom(NOW, -3), null, hoursFrom(NOW, 5)];
      const assignees = [ids.ana, ids.bruno, null];
      for (let index = 0; index < 30; index += 1) {
        const aspirantId = await insertAspirant(db, {
          fullName: index < 4 ? ['María José Pérez', 'Mariana Souza', 'Mar_tina Gómez', null][index] : `Person ${index}`,
          whatsappName: index === 3 ? 'Martina WA' : null,
          phone: index === 4 ? '+5511987654321' : undefined,
          status: statuses[index % statuses.length],
          assigneeId: assignees[index % assignees.length],
          optedOutAt: index % 10 === 9 ? hoursFrom(NOW, -48) : null,
        });
        const conversationId = await insertConversation(db, {
          aspirantId,
          lastActivityAt: hoursFrom(NOW, -Math.floor(index / 3)),
          windowExpiresAt: windows[index % windows.length],
          inboundCount: index % 4,
        });
        await db.query(
          `UPDATE conversations SET last_activity_at = last_activity_at + :micros::int * interval '1 microsecond' WHERE id = :id::uuid`,
          { micros: index % 6 === 5 ? 7 : 0, id: conversationId },
        );
      }
    });

    afterAll(async () => {
      await db?.close();
    });

    async function collectPages(who: string, args: Record<string, unknown>, pageSize: number): Promise<string[]> {
      const seen: string[] = [];
      let after: string | null = null;
      for (let guard = 0; guard < 100; guard += 1) {
        const page = (await call(who, 'Query.inbox', { ...args, first: pageSize, after }, `nodes { id } pageInfo { hasNextPage endCursor }`)) as ConversationConnection;
        seen.push(...page.nodes.map((node) => node.id));
        if (!page.pageInfo.hasNextPage) return seen;
        after = page.pageInfo.endCursor;
      }
      throw new Error('paging did not end');
    }

    describe('inbox', () => {
      it('pages by last activity without duplicates or gaps, in (last_activity_at desc, id desc) order', async () => {
        const expected = await allConversationIds('c.last_activity_at DESC, c.id DESC');
        expect(await collectPages('admin', {}, 4)).toEqual(expected);
        expect(await collectPages('admin', {}, 7)).toEqual(expected);
      });

      it('pages by window expiry soonest first, never-opened windows last', async () => {
        const expected = await allConversationIds('c.window_expires_at ASC NULLS LAST, c.id ASC');
        expect(await collectPages('admin', { sort: 'WINDOW_EXPIRY' }, 4)).toEqual(expected);
      });

      it('shows a recruiter their own and unassigned conversations, and an admin all of them', async () => {
        const visibleTo = async (who: string, assignee?: string) =>
          ((await call(who, 'Query.inbox', { filter: { assignee }, first: 100 }, 'nodes { aspirant { assignee { id } } }')) as ConversationConnection)
            .nodes.map((node) => node.aspirant.assignee?.id ?? null);
        expect(await visibleTo('admin')).toHaveLength(30);
        const anaAll = await visibleTo('ana');
        expect(anaAll).toHaveLength(20);
        expect(new Set(anaAll)).toEqual(new Set([ids.ana, null]));
        expect(new Set(await visibleTo('ana', 'MINE'))).toEqual(new Set([ids.ana]));
        expect(new Set(await visibleTo('ana', 'UNASSIGNED'))).toEqual(new Set([null]));
        expect(await visibleTo('bruno', 'MINE')).toHaveLength(10);
      });

      it('filters by pipeline status, treating an empty list as no filter', async () => {
        const page = (await call('admin', 'Query.inbox', { filter: { statuses: ['IN_REVIEW', 'ACCEPTED'] }, first: 100 }, conversationFields)) as ConversationConnection;
        expect(page.nodes).toHaveLength(12);
        expect(new Set(page.nodes.map((node) => node.aspirant.status))).toEqual(new Set(['IN_REVIEW', 'ACCEPTED']));
        const unfiltered = (await call('admin', 'Query.inbox', { filter: { statuses: [] }, first: 100 }, 'nodes { id }')) as ConversationConnection;
        expect(unfiltered.nodes).toHaveLength(30);
      });

      it('filters by window state: open beyond two hours, closing within them, closed when past or never opened', async () => {
        const states = async (window: string) =>
          ((await call('admin', 'Query.inbox', { filter: { window }, first: 100 }, conversationFields)) as ConversationConnection).nodes.map(
            (node) => node.windowState,
          );
        expect(await states('OPEN')).toEqual(Array(12).fill('OPEN'));
        expect(await states('CLOSING')).toEqual(Array(6).fill('CLOSING'));
        expect(await states('CLOSED')).toEqual(Array(12).fill('CLOSED'));
      });

      it('filters by opt-out', async () => {
        const count = async (optedOut: boolean) =>
          ((await call('admin', 'Query.inbox', { filter: { optedOut }, first: 100 }, 'nodes { id }')) as ConversationConnection).nodes.length;
        expect(await count(true)).toBe(3);
        expect(await count(false)).toBe(27);
      });

      it('filters on the aspirant as it is now, whoever changed it', async () => {
        const [target] = await db.query<{ aspirantId: string; conversationId: string }>(
          `SELECT a.id AS aspirant_id, c.id AS conversation_id FROM aspirants a JOIN conversations c ON c.aspirant_id = a.id
            WHERE a.assignee_id IS NULL AND a.status = 'new' AND a.opted_out_at IS NULL LIMIT 1`,
        );
        const { aspirantId, conversationId } = target!;
        const listed = async (who: string, filter: Record<string, unknown>) =>
          ((await call(who, 'Query.inbox', { filter, first: 100 }, 'nodes { id }')) as ConversationConnection).nodes.map((node) => node.id);
        const change = (assigneeId: string | null, status: string, optedOutAt: string | null) =>
          db.query('UPDATE aspirants SET assignee_id = :assigneeId::uuid, status = :status, opted_out_at = :optedOutAt::timestamptz WHERE id = :id::uuid', {
            id: aspirantId,
            assigneeId,
            status,
            optedOutAt,
          });
        await change(ids.bruno, 'accepted', hoursFrom(NOW, -1).toISOString());
        try {
          expect(await listed('bruno', { assignee: 'MINE' })).toContain(conversationId);
          expect(await listed('ana', {})).not.toContain(conversationId);
          expect(await listed('admin', { statuses: ['ACCEPTED'] })).toContain(conversationId);
          expect(await listed('admin', { optedOut: true })).toContain(conversationId);
        } finally {
          await change(null, 'new', null);
        }
        expect(await listed('ana', { assignee: 'UNASSIGNED', statuses: ['NEW'], optedOut: false })).toContain(conversationId);
      });

      it('searches names by case-insensitive prefix, taking LIKE wildcards literally', async () => {
        const names = async (search: string) =>
          ((await call('admin', 'Query.inbox', { filter: { search }, first: 100 }, conversationFields)) as ConversationConnection).nodes
            .map((node) => node.aspirant.displayName)
            .sort();
        expect(await names('mar')).toEqual(['Mar_tina Gómez', 'Mariana Souza', 'María José Pérez', 'Martina WA'].sort());
        expect(await names('MARÍA')).toEqual(['María José Pérez']);
        expect(await names('mar_')).toEqual(['Mar_tina Gómez']);
        expect(await names('%')).toEqual([]);
        expect(await names('  ')).toHaveLength(30);
      });

      it('searches phones by their last digits, however they are typed', async () => {
        const phones = async (search: string) =>
          ((await call('admin', 'Query.inbox', { filter: { search }, first: 100 }, 'nodes { aspirant { phone } }')) as ConversationConnection).nodes.map(
            (node) => node.aspirant.phone,
          );
        expect(await phones('654321')).toEqual(['+5511987654321']);
        expect(await phones('65-43 21')).toEqual(['+5511987654321']);
        expect(await phones('+55 11 98765-4321')).toEqual(['+5511987654321']);
        expect(await phones('999999999')).toEqual([]);
      });

      it('counts unread inbound messages per recruiter', async () => {
        const [target] = await db.query<{ id: string }>(
          `SELECT c.id FROM conversations c JOIN aspirants a ON a.id = c.aspirant_id WHERE a.assignee_id IS NULL AND c.inbound_count = 3 LIMIT 1`,
        );
        await db.query(
          `INSERT INTO conversation_reads (conversation_id, recruiter_id, read_inbound_count) VALUES (:id::uuid, :reader::uuid, 2)`,
          { id: target!.id, reader: ids.ana },
        );
        const unread = async (who: string) => ((await call(who, 'Query.conversation', { id: target!.id }, 'id unreadCount')) as Conversation).unreadCount;
        expect(await unread('ana')).toBe(1);
        expect(await unread('bruno')).toBe(3);
      });

      it('loads nested parts only when selected, one query per kind for the whole page', async () => {
        const [first] = await db.query<{ id: string }>(`SELECT id FROM aspirants ORDER BY id LIMIT 1`);
        await db.query(`INSERT INTO aspirant_notes (aspirant_id, author_id, body) VALUES (:id::uuid, :author::uuid, 'Great portfolio')`, {
          id: first!.id,
          author: ids.admin,
        });
        const nested = 'nodes { id aspirant { id notes { body author { name } } assignee { name } } lastMessage { id } }';
        queryCount = 0;
        const small = (await call('admin', 'Query.inbox', { first: 2 }, nested)) as ConversationConnection;
        const smallCount = queryCount;
        queryCount = 0;
        const large = (await call('admin', 'Query.inbox', { first: 30 }, nested)) as ConversationConnection;
        expect(queryCount).toBe(smallCount);
        expect(small.nodes).toHaveLength(2);
        const withNote = large.nodes.find((node) => node.aspirant.id === first!.id)!;
        expect(withNote.aspirant.notes).toEqual([expect.objectContaining({ body: 'Great portfolio', author: expect.objectContaining({ name: 'Ada Admin' }) })]);

        const bare = (await call('admin', 'Query.inbox', { first: 30 }, 'nodes { id aspirant { id } }')) as ConversationConnection;
        expect(bare.nodes.find((node) => node.aspirant.id === first!.id)!.aspirant.notes).toEqual([]);
      });

      it('refuses a page size outside 1..100 and an invalid or foreign cursor', async () => {
        await expect(call('admin', 'Query.inbox', { first: 0 })).rejects.toMatchObject({ name: 'BadRequest', message: expect.stringContaining('first') });
        await expect(call('admin', 'Query.inbox', { first: 101 })).rejects.toMatchObject({ name: 'BadRequest' });
        const page = (await call('admin', 'Query.inbox', { first: 2 }, 'nodes { id } pageInfo { endCursor }')) as ConversationConnection;
        const cursor = page.pageInfo.endCursor!;
        const tampered = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(cursor, 'base64url').toString()), id: 'nope' })).toString('base64url');
        for (const after of ['garbage!', 'bm90IGpzb24', tampered, cursor.slice(0, -4)]) {
          await expect(call('admin', 'Query.inbox', { first: 2, after })).rejects.toMatchObject({ name: 'BadRequest', message: 'invalid cursor' });
        }
        // A cursor of one ordering is refused by another.
        await expect(call('admin', 'Query.inbox', { first: 2, after: cursor, sort: 'WINDOW_EXPIRY' })).rejects.toMatchObject({ message: 'invalid cursor' });
      });
    });

    describe('searchAspirants', () => {
      it('pages through name-prefix matches within what the caller may see', async () => {
        const seen: string[] = [];
        let after: string | null = null;
        for (;;) {
          const page = (await call('admin', 'Query.searchAspirants', { query: 'person 1', first: 3, after }, 'nodes { displayName } pageInfo { hasNextPage endCursor }')) as AspirantConnection;
          seen.push(...page.nodes.map((node) => node.displayName));
          if (!page.pageInfo.hasNextPage) break;
          after = page.pageInfo.endCursor;
        }
        expect(seen).toEqual(['Person 10', 'Person 11', 'Person 12', 'Person 13', 'Person 14', 'Person 15', 'Person 16', 'Person 17', 'Person 18', 'Person 19']);
        const anas = (await call('ana', 'Query.searchAspirants', { query: 'person 1', first: 100 }, 'nodes { assignee { id } }')) as AspirantConnection;
        expect(anas.nodes.every((node) => node.assignee === null || node.assignee.id === ids.ana)).toBe(true);
        expect(anas.nodes.length).toBeLessThan(seen.length);
      });

      it('finds by phone suffix and refuses an empty query', async () => {
        const page = (await call('admin', 'Query.searchAspirants', { query: '4321' }, 'nodes { phone }')) as AspirantConnection;
        expect(page.nodes.map((node) => node.phone)).toEqual(['+5511987654321']);
        await expect(call('admin', 'Query.searchAspirants', { query: '   ' })).rejects.toMatchObject({ name: 'BadRequest', message: expect.stringContaining('query') });
      });
    });

    it('reads inbox, search and thread pages through their indexes (0001, 0007)', async () => {
      /** The plan of the page query a call makes, with sequential scans priced out as on a large table. */
      const planOf = async (field: string, args: Record<string, unknown>) => {
        statements.length = 0;
        await call('admin', field, args, 'nodes { id }');
        const page = statements.find((statement) => statement.sql.includes('LIMIT :limit'))!;
        return db.transaction(async (tx) => {
          await tx.query('SET LOCAL enable_seqscan = off');
          const rows = await tx.query(`EXPLAIN ${page.sql}`, page.params);
          return rows.map((row) => Object.values(row)[0]).join('\n');
        });
      };
      const [conversation] = await db.query<{ id: string }>('SELECT id FROM conversations LIMIT 1');
      expect(await planOf('Query.searchAspirants', { query: 'mar' })).toContain('aspirants_name_prefix_idx');
      expect(await planOf('Query.searchAspirants', { query: '4321' })).toContain('aspirants_phone_suffix_idx');
      expect(await planOf('Query.inbox', { first: 20 })).toContain('conversations_activity_idx');
      expect(await planOf('Query.inbox', { first: 20, sort: 'WINDOW_EXPIRY' })).toContain('conversations_window_idx');
      expect(await planOf('Query.inbox', { first: 20, filter: { assignee: 'MINE' } })).toContain('conversations_assignee_activity_idx');
      expect(await planOf('Query.inbox', { first: 20, filter: { statuses: ['IN_REVIEW'] } })).toContain('conversations_status_activity_idx');
      expect(await planOf('Query.inbox', { first: 20, filter: { optedOut: true } })).toContain('conversations_opted_out_activity_idx');
      expect(await planOf('Query.thread', { conversationId: conversation!.id })).toContain('messages_thread_idx');
      expect(await planOf('Query.inbox', { first: 20, filter: { search: 'mar' } })).toContain('aspirants_name_prefix_idx');
      expect(await planOf('Query.inbox', { first: 20, filter: { search: '4321' } })).toContain('aspirants_phone_suffix_idx');
    });

    describe('thread', () => {
      let conversationId: string;

      beforeAll(async () => {
        const aspirantId = await insertAspirant(db, { fullName: 'Thread Person', assigneeId: ids.ana });
        conversationId = await insertConversation(db, { aspirantId, lastActivityAt: NOW, windowExpiresAt: hoursFrom(NOW, 10) });
        // 23 messages; pairs share a timestamp so ids decide.
        for (let index = 0; index < 23; index += 1) {
          await insertMessage(db, { conversationId, occurredAt: hoursFrom(NOW, -10 + Math.floor(index / 2) * 0.1), body: `message ${index}` });
        }
      });

      it('pages newest first and loads older messages with the before cursor, without duplicates or gaps', async () => {
        const expected = (
          await db.query<{ id: string }>('SELECT id FROM messages WHERE conversation_id = :id::uuid ORDER BY occurred_at DESC, id DESC', { id: conversationId })
        ).map((row) => row.id);
        const seen: string[] = [];
        let before: string | null = null;
        for (;;) {
          const page = (await call('ana', 'Query.thread', { conversationId, first: 5, before }, 'nodes { id body } pageInfo { hasNextPage endCursor }')) as MessageConnection;
          seen.push(...page.nodes.map((node) => node.id));
          if (!page.pageInfo.hasNextPage) break;
          before = page.pageInfo.endCursor;
        }
        expect(seen).toEqual(expected);
      });

      it('refuses an inbox cursor and an unknown conversation', async () => {
        const inboxPage = (await call('admin', 'Query.inbox', { first: 1 }, 'pageInfo { endCursor }')) as ConversationConnection;
        await expect(call('ana', 'Query.thread', { conversationId, before: inboxPage.pageInfo.endCursor })).rejects.toMatchObject({
          name: 'BadRequest',
          message: 'invalid cursor',
        });
        await expect(call('admin', 'Query.thread', { conversationId: '00000000-0000-4000-8000-000000000000' })).rejects.toMatchObject({ name: 'NotFound' });
        await expect(call('admin', 'Query.thread', { conversationId: 'not-a-uuid' })).rejects.toMatchObject({
          name: 'BadRequest',
          message: expect.stringContaining('conversationId'),
        });
      });
    });
  });
}
