import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../functions/data/db.ts';
import { testDatabases } from '../../../functions/data/testing.ts';
import { pipelineStatuses } from '../../../functions/domain/pipeline.ts';
import type { ConversationConnection } from '../../../functions/generated/graphql.ts';
import { createGraphqlHandler } from '../../../functions/graphql/handler.ts';
import { cognitoIdentity, resolverEvent } from '../../../functions/graphql/testing/events.ts';
import { RecordingPublisher } from '../../../functions/graphql/testing/recordingPublisher.ts';
import { authenticate } from '../identity/tokenEndpoint.ts';
import { seedDemo } from './demo.ts';
import { testDomainSettings } from '../../../functions/domain/testing.ts';

const NOW = new Date('2025-03-10T12:00:00.000Z');
const PASSWORD = 'demo-password-1';

const everything = `nodes {
  id channel lastActivityAt inboundCount unreadCount windowExpiresAt windowState botState botPaused needsRecruiter
  lastMessage { id body status author { name } media { id } statusHistory { status } botTrace { intent } }
  aspirant {
    id phone displayName status allowedTransitions language optedOut isMinor tags conversationId dateOfBirth
    profile { city heightCm shoeSizeEu instagram } shiftPreferences { day window }
    assignee { id } notes { body author { name } } photos { id } formLink { status url } formSubmission { data }
  }
}`;

for (const database of testDatabases()) {
  describe(`the demo seed on ${database.name}`, () => {
    let db: Db;
    let call: (who: { id: string; groups: string[] }, field: string, args: Record<string, unknown>, selection: string) => Promise<unknown>;

    beforeAll(async () => {
      db = await database.open();
      const handler = createGraphqlHandler({ db, publisher: new RecordingPublisher(), now: () => NOW, ...testDomainSettings });
      call = (who, field, args, selection) => handler(resolverEvent(field, { arguments: args, identity: cognitoIdentity(who), selection }));
    });

    afterAll(async () => {
      await db?.close();
    });

    it('seeds once: a second run changes nothing', async () => {
      expect(await seedDemo(db, { password: PASSWORD, now: NOW })).toMatchObject({ seeded: true, recruiters: 3, aspirants: 36 });
      const counts = () => db.query('SELECT (SELECT count(*) FROM recruiters) AS r, (SELECT count(*) FROM aspirants) AS a, (SELECT count(*) FROM messages) AS m');
      const before = await counts();
      expect(await seedDemo(db, { password: PASSWORD, now: NOW })).toMatchObject({ seeded: false });
      expect(await counts()).toEqual(before);
    });

    it('offers approved WhatsApp templates in Spanish, Portuguese and English, each placeholder with its variable', async () => {
      const templates = await db.query<{ name: string; language: string; body: string; variables: string[]; approved: boolean; twilioContentSid: string; metaLanguage: string }>(
        'SELECT name, language, body, variables, approved, twilio_content_sid, meta_language FROM message_templates ORDER BY name, language',
      );
      const approved = templates.filter((template) => template.approved);
      expect(new Set(approved.map((template) => template.language))).toEqual(new Set(['es', 'pt', 'en']));
      expect(approved.length).toBeGreaterThanOrEqual(9);
      for (const template of templates) {
        const placeholders = [...template.body.matchAll(/\{\{(\d+)\}\}/g)].map((match) => Number(match[1]));
        expect(new Set(placeholders), template.name).toEqual(new Set(template.variables.map((_, index) => index + 1)));
        expect(template.twilioContentSid).toMatch(/^HX[0-9a-f]{32}$/);
      }
      expect(templates.some((template) => !template.approved)).toBe(true);
    });

    it('signs in the admin and both recruiters with the given password', async () => {
      for (const email of ['admin@example.com', 'recruiter1@example.com', 'recruiter2@example.com']) {
        expect(await authenticate(db, email, PASSWORD)).toMatchObject({ email });
        expect(await authenticate(db, email, 'wasaprecruit-demo')).toBeNull();
      }
      expect(await authenticate(db, 'admin@example.com', PASSWORD)).toMatchObject({ name: 'Ada Admin', role: 'admin' });
    });

    it('covers every pipeline status, channel, country and window state, with 2–8 messages per conversation', async () => {
      const statuses = await db.query<{ status: string }>('SELECT DISTINCT status FROM aspirants ORDER BY status');
      expect(statuses.map((row) => row.status)).toEqual([...pipelineStatuses].sort());
      const perConversation = await db.query<{ n: number; inbound: number; inboundCount: number; lastIsNewest: boolean }>(
        `SELECT count(m.id) AS n, count(m.id) FILTER (WHERE m.direction = 'inbound') AS inbound, c.inbound_count,
                c.last_message_id = (SELECT id FROM messages WHERE conversation_id = c.id ORDER BY occurred_at DESC, id DESC LIMIT 1) AS last_is_newest
           FROM conversations c JOIN messages m ON m.conversation_id = c.id GROUP BY c.id`,
      );
      expect(perConversation).toHaveLength(36);
      for (const row of perConversation) {
        expect(row.n).toBeGreaterThanOrEqual(2);
        expect(row.n).toBeLessThanOrEqual(8);
        expect(row.inbound).toBe(row.inboundCount);
        expect(row.lastIsNewest).toBe(true);
      }
      const channels = await db.query<{ channel: string }>('SELECT DISTINCT channel FROM conversations ORDER BY channel');
      expect(channels.map((row) => row.channel)).toEqual(['whatsapp_meta', 'whatsapp_twilio']);
      const phones = await db.query<{ phone: string }>('SELECT phone FROM aspirants');
      const countryCodes = new Set(phones.map((row) => ['+1', '+52', '+55', '+57', '+34', '+351'].find((code) => row.phone.startsWith(code))));
      expect(countryCodes).toEqual(new Set(['+1', '+52', '+55', '+57', '+34', '+351']));
      const future = await db.query('SELECT id FROM messages WHERE occurred_at > :now::timestamptz', { now: NOW });
      expect(future).toEqual([]);
    });

    it('renders fully through the GraphQL handler, with a realistic mix for the console', async () => {
      const [admin, recruiter1, recruiter2] = await db.query<{ id: string }>(
        `SELECT id FROM recruiters WHERE email IN ('admin@example.com', 'recruiter1@example.com', 'recruiter2@example.com') ORDER BY email`,
      );
      const inbox = (await call({ id: admin!.id, groups: ['admin'] }, 'Query.inbox', { first: 100 }, everything)) as ConversationConnection;
      expect(inbox.nodes).toHaveLength(36);
      const nodes = inbox.nodes;
      expect(new Set(nodes.map((node) => node.windowState))).toEqual(new Set(['OPEN', 'CLOSING', 'CLOSED']));
      expect(nodes.filter((node) => node.aspirant.isMinor)).toHaveLength(1);
      expect(nodes.filter((node) => node.aspirant.isMinor)[0]!.botState).toBe('AWAITING_GUARDIAN_CONSENT');
      expect(nodes.filter((node) => node.aspirant.optedOut).length).toBeGreaterThanOrEqual(2);
      expect(nodes.filter((node) => node.aspirant.tags.length > 0).length).toBeGreaterThanOrEqual(3);
      expect(nodes.filter((node) => node.aspirant.notes.length > 0).length).toBeGreaterThanOrEqual(3);
      const withForms = nodes.filter((node) => node.aspirant.formSubmission !== null);
      expect(withForms.length).toBeGreaterThanOrEqual(3);
      for (const node of withForms) {
        expect(node.aspirant.profile?.heightCm).toEqual(expect.any(Number));
        expect(node.aspirant.shiftPreferences.length).toBeGreaterThan(0);
      }
      expect(new Set(nodes.map((node) => node.aspirant.assignee?.id ?? null))).toEqual(new Set([recruiter1!.id, recruiter2!.id, null]));
      expect(nodes.some((node) => node.aspirant.displayName === node.aspirant.phone)).toBe(true);
      expect(nodes.some((node) => node.lastMessage?.status === 'FAILED')).toBe(true);
      expect(nodes.some((node) => node.lastMessage?.author !== null)).toBe(true);

      const own = (await call({ id: recruiter1!.id, groups: ['recruiter'] }, 'Query.inbox', { first: 100 }, 'nodes { unreadCount aspirant { assignee { id } } }')) as ConversationConnection;
      expect(own.nodes.length).toBeLessThan(36);
      expect(own.nodes.every((node) => [recruiter1!.id, undefined].includes(node.aspirant.assignee?.id))).toBe(true);
      expect(own.nodes.some((node) => node.aspirant.assignee !== null && node.unreadCount! > 0)).toBe(true);
    });
  });
}
