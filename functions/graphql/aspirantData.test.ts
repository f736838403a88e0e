import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, postGraphql, type TestHost } from '../../infra/local/appsync/testing/host.ts';
import { RealtimeTestClient } from '../../infra/local/appsync/testing/realtimeClient.ts';
import { createTestTokens } from '../../infra/local/appsync/testing/tokens.ts';
import { startFakeTwilioApi, type FakeTwilioApi } from '../../infra/local/providers/twilioApi.ts';
import { LocalBlobStore } from '../blobs/localBlobStore.ts';
import type { InboundMessage } from '../channels/model.ts';
import { createTwilioChannel } from '../channels/twilio/provider.ts';
import { openInMemoryDb } from '../data/connect.ts';
import type { Db } from '../data/db.ts';
import { testDatabases } from '../data/testing.ts';
import type { AspirantExport } from '../domain/aspirantData.ts';
import { createServices, type Services } from '../domain/services.ts';
import { TEST_FORM_LINKS, testDomainSettings } from '../domain/testing.ts';
import { formLinkUrl } from '../forms/links.ts';
import { submitFormLink } from '../forms/submissions.ts';
import { ingestWebhook } from '../ingest/ingest.ts';
import type { InboundPolicy } from '../ingest/inbound.ts';
import { runJob, type JobHandlers } from '../jobs/queue.ts';
import { startWorker } from '../jobs/worker.ts';
import { createLocalProvider } from '../llm/local.ts';
import { solidImage } from '../media/testing/samples.ts';
import { startTestServer, type TestServer } from '../media/testing/servers.ts';
import { createJobHandlers } from '../worker/handlers.ts';
import { createGraphqlHandler } from './handler.ts';
import { cognitoIdentity, resolverEvent } from './testing/events.ts';
import { insertRecruiter, nextPhone } from './testing/fixtures.ts';
import { RecordingPublisher } from './testing/recordingPublisher.ts';

/**
 * Export and erasure of an aspirant's data through the GraphQL handler, over data made the way production makes
 * it: WhatsApp messages ingested as the webhooks do, the job worker running the bot (local rules), media
 * downloads from a local Twilio API into a local blob store, sends back to it, a submitted form, a note.
 */

const TWILIO = { accountSid: `AC${'0'.repeat(32)}`, authToken: 'f00dfeedf00dfeedf00dfeedf00dfeed', sender: '+14155238886' };
const POLICY: InboundPolicy = { staleInboundSeconds: 900, automationLimitPerMinute: 20 };
// Nothing listens there: the local Twilio API's status callbacks fail quietly; statuses are ingested instead.
const UNREACHABLE_STATUS_CALLBACK = 'http://127.0.0.1:9/webhooks/twilio/status';
const jpeg = await solidImage('jpeg', 320, 400);

interface Aspirant {
  readonly aspirantId: string;
  readonly conversationId: string;
  readonly phone: string;
  readonly name: string;
}

const sid = (prefix: 'SM' | 'MM') => `${prefix}${randomBytes(16).toString('hex')}`;

function inbound(from: string, body: string, media: InboundMessage['media'] = []): InboundMessage {
  return { channel: 'whatsapp_twilio', providerMessageId: sid(media.length > 0 ? 'MM' : 'SM'), from, to: TWILIO.sender, profileName: 'Aspirante', body, media, occurredAt: new Date() };
}

/** Every base table's rows, as one digest per table: any insert, update or delete shows. */
async function tableDigests(db: Db): Promise<Record<string, string>> {
  const digests: Record<string, string> = {};
  for (const table of await baseTables(db)) {
    const [row] = await db.query<{ digest: string | null }>(`SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) AS digest FROM "${table}" t`);
    digests[table] = row!.digest ?? 'empty';
  }
  return digests;
}

async function baseTables(db: Db): Promise<string[]> {
  const rows = await db.query<{ tableName: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name",
  );
  return rows.map((row) => row.tableName);
}

/** The tables with a row whose text (every column) contains `needle`. */
async function tablesMentioning(db: Db, needle: string): Promise<string[]> {
  const found: string[] = [];
  for (const table of await baseTables(db)) {
    const [row] = await db.query<{ count: number }>(`SELECT count(*)::int AS count FROM "${table}" t WHERE strpos(t::text, :needle) > 0`, { needle });
    if (row!.count > 0) found.push(table);
  }
  return found;
}

for (const database of testDatabases()) {
  describe(`aspirant data export and erasure on ${database.name}`, () => {
    let db: Db;
    let dataDir: string;
    let blobStore: LocalBlobStore;
    let publisher: RecordingPublisher;
    let services: Services;
    let twilio: FakeTwilioApi;
    let jobs: JobHandlers;
    let handler: ReturnType<typeof createGraphqlHandler>;
    let adminId: string;
    let anaId: string;
    let brunoId: string;
    const mediaFetch = () => ({ testOnly: { allowLoopbackOrigins: [twilio.url] } });

    beforeAll(async () => {
      db = await database.open();
      dataDir = await mkdtemp(join(tmpdir(), 'aspirant-data-'));
      blobStore = new LocalBlobStore({ dataDir, publicUrl: 'http://media.test', urlSecret: 'media-url-secret-for-tests-only-0123456789' });
      publisher = new RecordingPublisher();
      const mediaUrl = (key: string) => blobStore.signedUrl(key, 900);
      services = createServices({ db, publisher, mediaUrl, blobs: async () => blobStore, ...testDomainSettings });
      handler = createGraphqlHandler({ db, publisher, mediaUrl, blobs: async () => blobStore, ...testDomainSettings });
      twilio = await startFakeTwilioApi({ accountSid: TWILIO.accountSid, authToken: TWILIO.authToken, callbackDelayMs: 1 });
      jobs = jobHandlersWith(twilio.url, mediaFetch());
      adminId = await insertRecruiter(db, { name: 'Ada Admin', role: 'admin' });
      anaId = await insertRecruiter(db, { name: 'Ana Recruiter' });
      brunoId = await insertRecruiter(db, { name: 'Bruno Recruiter' });
    });

    afterAll(async () => {
      await twilio?.close();
      await db?.close();
      await rm(dataDir, { recursive: true, force: true });
    });

    function jobHandlersWith(twilioApiUrl: string, fetchOptions: ReturnType<typeof mediaFetch>): JobHandlers {
      const channel = createTwilioChannel({ accountSid: TWILIO.accountSid, authToken: TWILIO.authToken, whatsappFrom: TWILIO.sender, apiBaseUrl: twilioApiUrl });
      return createJobHandlers({
        services,
        providers: { whatsapp_twilio: channel },
        blobStore,
        statusCallbackUrl: UNREACHABLE_STATUS_CALLBACK,
        outboundRatePerSecond: 80,
        mediaFetch: fetchOptions,
        bot: { llm: createLocalProvider() },
      });
    }

    const identities = () => ({
      admin: cognitoIdentity({ id: adminId, groups: ['admin'] }),
      ana: cognitoIdentity({ id: anaId }),
      bruno: cognitoIdentity({ id: brunoId }),
    });
    const call = (who: keyof ReturnType<typeof identities>, field: string, args: Record<string, unknown>, selection = '') =>
      handler(resolverEvent(field, { arguments: args, identity: identities()[who], selection }));
    const exportOf = async (who: keyof ReturnType<typeof identities>, aspirantId: string) =>
      JSON.parse((await call(who, 'Query.exportAspirantData', { aspirantId })) as string) as AspirantExport;

    const writeIn = (phone: string, body: string, media: InboundMessage['media'] = []) =>
      ingestWebhook(services, { messages: [inbound(phone, body, media)], statuses: [] }, POLICY);

    /** Runs every due job with the real worker until none is left. */
    async function drainJobs(): Promise<void> {
      const worker = startWorker({ db, handlers: jobs, pollMs: 5 });
      try {
        for (;;) {
          const [left] = await db.query<{ count: number }>(
            "SELECT count(*)::int AS count FROM jobs WHERE (status = 'pending' AND run_at <= now()) OR status = 'running'",
          );
          if (left!.count === 0) return;
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      } finally {
        await worker.stop();
      }
    }

    /**
     * An aspirant of Ana's with a history: two messages (one a photo) answered by the bot, a submitted form,
     * delivered statuses, a note, and a recruiter's reply still waiting to be sent.
     */
    async function aspirantWithHistory(name: string): Promise<Aspirant> {
      const phone = nextPhone();
      await writeIn(phone, `Hola, soy ${name}`);
      await writeIn(phone, `mi foto, ${name}`, [{ providerRef: twilio.addMedia(jpeg, 'image/jpeg'), contentType: 'image/jpeg', position: 0 }]);
      await drainJobs();
      const [conversation] = await db.query<{ id: string; aspirantId: string }>(
        'SELECT c.id, c.aspirant_id FROM conversations c JOIN aspirants a ON a.id = c.aspirant_id WHERE a.phone = :phone',
        { phone },
      );
      const { id: conversationId, aspirantId } = conversation!;
      await call('admin', 'Mutation.assignAspirant', { aspirantId, recruiterId: anaId }, 'id');

      const [link] = await db.query<{ id: string; aspirantId: string; expiresAt: string }>(
        'SELECT id, aspirant_id, expires_at FROM form_links WHERE aspirant_id = :aspirantId::uuid',
        { aspirantId },
      );
      const url = formLinkUrl(link!, TEST_FORM_LINKS);
      const submitted = await submitFormLink(db, {
        token: url.slice(url.lastIndexOf('/') + 1),
        secret: TEST_FORM_LINKS.secret,
        now: new Date(),
        body: {
          language: 'es',
          fullName: name,
          dateOfBirth: '1999-02-28',
          city: 'Guadalajara',
          heightCm: '172',
          shiftPreferences: [{ day: 'SAT', window: 'AFTERNOON' }],
          consents: { dataProcessing: true, whatsappContact: true },
        },
      });
      expect(submitted.ok).toBe(true);
      await drainJobs();

      const sent = await db.query<{ providerMessageId: string }>(
        `SELECT m.provider_message_id FROM messages m WHERE m.conversation_id = :conversationId::uuid AND m.provider_message_id IS NOT NULL AND m.direction = 'outbound'`,
        { conversationId },
      );
      await ingestWebhook(services, { messages: [], statuses: sent.map(({ providerMessageId }) => ({ providerMessageId, status: 'delivered' as const })) }, POLICY);
      await call('ana', 'Mutation.addAspirantNote', { aspirantId, body: `Nota sobre ${name}` }, 'id');
      await call('ana', 'Mutation.sendMessage', { input: { conversationId, body: `¿Sigues ahí, ${name}?`, idempotencyKey: `reply-${conversationId}` } }, 'id');
      return { aspirantId, conversationId, phone, name };
    }

    const blobKeysOf = async (aspirantId: string) =>
      (
        await db.query<{ key: string }>(
          `SELECT DISTINCT key FROM (
             SELECT md.blob_key, md.thumbnail_key FROM media md JOIN messages m ON m.id = md.message_id
               JOIN conversations c ON c.id = m.conversation_id WHERE c.aspirant_id = :aspirantId::uuid
             UNION ALL SELECT blob_key, thumbnail_key FROM photos WHERE aspirant_id = :aspirantId::uuid) owned,
             LATERAL (VALUES (blob_key), (thumbnail_key)) AS keys (key)
            WHERE key IS NOT NULL`,
          { aspirantId },
        )
      ).map((row) => row.key);

    const idsOf = async (sql: string, aspirantId: string) => (await db.query<{ id: string }>(sql, { aspirantId })).map((row) => row.id);
    const messageIdsOf = (aspirantId: string) =>
      idsOf('SELECT m.id FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.aspirant_id = :aspirantId::uuid', aspirantId);
    const mediaIdsOf = (aspirantId: string) =>
      idsOf(
        'SELECT md.id FROM media md JOIN messages m ON m.id = md.message_id JOIN conversations c ON c.id = m.conversation_id WHERE c.aspirant_id = :aspirantId::uuid',
        aspirantId,
      );
    const pendingJobsOf = (aspirantId: string) =>
      db.query<{ type: string; payload: unknown }>(
        `SELECT type, payload FROM jobs
          WHERE payload->>'aspirantId' = :aspirantId
             OR payload->>'messageId' IN (SELECT m.id::text FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.aspirant_id = :aspirantId::uuid)
          ORDER BY seq`,
        { aspirantId },
      );

    let vale: Aspirant;
    let other: Aspirant;
    beforeAll(async () => {
      vale = await aspirantWithHistory('Valentina Borrable');
      other = await aspirantWithHistory('Olivia Quedaseaqui');
    });

    describe('exportAspirantData', () => {
      it("holds the aspirant's profile, messages with statuses and media, photos, form, notes and bot records, and nothing of anyone else", async () => {
        const exported = await exportOf('admin', vale.aspirantId);

        expect(exported.aspirant).toMatchObject({ id: vale.aspirantId, phone: vale.phone, fullName: vale.name, assignee: { id: anaId, name: 'Ana Recruiter' } });
        expect(Date.parse(exported.exportedAt)).not.toBeNaN();
        expect(exported.conversations.map((conversation) => conversation.id)).toEqual([vale.conversationId]);
        const messages = exported.conversations[0]!.messages;
        expect(messages.map((message) => message.body)).toEqual(expect.arrayContaining([`Hola, soy ${vale.name}`, `mi foto, ${vale.name}`, `¿Sigues ahí, ${vale.name}?`]));
        expect(messages.map((message) => message.authorKind)).toEqual(expect.arrayContaining(['ASPIRANT', 'BOT', 'RECRUITER']));
        expect(messages.filter((message) => message.statusHistory.some((event) => event.status === 'DELIVERED')).length).toBeGreaterThan(0);

        const attachments = messages.find((message) => message.body === `mi foto, ${vale.name}`)?.media ?? [];
        expect(attachments).toEqual([expect.objectContaining({ kind: 'IMAGE', status: 'STORED', contentType: 'image/jpeg' })]);
        expect(exported.photos).toHaveLength(1);
        for (const url of [attachments[0]!.url!, exported.photos[0]!.url, exported.photos[0]!.thumbnailUrl]) {
          const target = new URL(url);
          const served = await blobStore.serve(`${target.pathname}${target.search}`);
          expect(served).toMatchObject({ status: 200, headers: { 'content-type': 'image/jpeg' } });
        }

        expect(exported.formSubmissions).toHaveLength(1);
        expect(exported.formSubmissions[0]!.data).toMatchObject({ fullName: vale.name, city: 'Guadalajara' });
        expect(exported.formLinks.length).toBeGreaterThan(0);
        for (const link of exported.formLinks) expect(Object.keys(link).sort()).toEqual(['createdAt', 'expiresAt', 'id', 'openedAt', 'revokedAt', 'submittedAt']);
        expect(exported.notes).toEqual([expect.objectContaining({ body: `Nota sobre ${vale.name}`, author: { id: anaId, name: 'Ana Recruiter' } })]);
        expect(exported.statusHistory.length).toBeGreaterThan(1);
        expect(exported.bot.flowState).not.toBeNull();
        expect(exported.bot.steps.length).toBeGreaterThan(0);
        expect(exported.bot.traces.length).toBeGreaterThan(0);

        const text = JSON.stringify(exported);
        for (const foreign of [other.aspirantId, other.conversationId, other.phone, other.name, TEST_FORM_LINKS.secret]) expect(text).not.toContain(foreign);
      });

      it('lets the assigned recruiter export, refuses another recruiter, and reports an unknown aspirant', async () => {
        expect((await exportOf('ana', vale.aspirantId)).aspirant.id).toBe(vale.aspirantId);
        await expect(call('bruno', 'Query.exportAspirantData', { aspirantId: vale.aspirantId })).rejects.toMatchObject({ name: 'Unauthorized' });
        await expect(call('admin', 'Query.exportAspirantData', { aspirantId: '00000000-0000-4000-8000-000000000000' })).rejects.toMatchObject({ name: 'NotFound' });
        await expect(call('admin', 'Query.exportAspirantData', { aspirantId: 'not-an-id' })).rejects.toMatchObject({ name: 'BadRequest' });
      });
    });

    describe('eraseAspirant', () => {
      it('changes nothing when the phone does not match, is not a phone, or the caller is a recruiter', async () => {
        const before = await tableDigests(db);
        const blobs = await blobKeysOf(vale.aspirantId);

        await expect(call('admin', 'Mutation.eraseAspirant', { aspirantId: vale.aspirantId, confirmPhone: other.phone })).rejects.toMatchObject({
          name: 'BadRequest',
          message: "confirmPhone: does not match the aspirant's phone number",
        });
        await expect(call('admin', 'Mutation.eraseAspirant', { aspirantId: vale.aspirantId, confirmPhone: 'her number' })).rejects.toMatchObject({ name: 'BadRequest' });
        await expect(call('ana', 'Mutation.eraseAspirant', { aspirantId: vale.aspirantId, confirmPhone: vale.phone })).rejects.toMatchObject({ name: 'Unauthorized' });

        expect(await tableDigests(db)).toEqual(before);
        for (const key of blobs) expect(await blobStore.get(key)).toBeDefined();
        expect(publisher.events.filter((event) => event.kind === 'aspirantErasure')).toEqual([]);
      });

      it('deletes every row about the aspirant and their blobs, keeps an audit record without personal data, and tells consoles', async () => {
        const blobs = await blobKeysOf(vale.aspirantId);
        const messageIds = await messageIdsOf(vale.aspirantId);
        const mediaIds = await mediaIdsOf(vale.aspirantId);
        const otherBlobs = await blobKeysOf(other.aspirantId);
        const jobsBefore = await pendingJobsOf(vale.aspirantId);
        expect(blobs.length).toBeGreaterThanOrEqual(2);
        expect(jobsBefore.map((job) => job.type)).toContain('message.send');
        publisher.clear();

        // Written the way a person would read it out.
        const written = `+1 ${vale.phone.slice(2, 5)}-${vale.phone.slice(5, 8)}-${vale.phone.slice(8)}`;
        expect(await call('admin', 'Mutation.eraseAspirant', { aspirantId: vale.aspirantId, confirmPhone: written })).toBe(vale.aspirantId);

        expect(await tablesMentioning(db, vale.aspirantId)).toEqual(['aspirant_erasures']);
        for (const needle of [vale.phone, vale.phone.slice(1), vale.name, vale.conversationId, ...messageIds]) expect(await tablesMentioning(db, needle)).toEqual([]);
        // The blob keys name the media: only the jobs that delete those blobs still do.
        for (const mediaId of mediaIds) {
          const [mentions] = await db.query<{ types: string[] }>("SELECT coalesce(jsonb_agg(DISTINCT type), '[]') AS types FROM jobs WHERE strpos(payload::text, :mediaId) > 0", { mediaId });
          expect(mentions!.types).toEqual(['blobs.delete']);
          expect((await tablesMentioning(db, mediaId)).filter((table) => table !== 'jobs')).toEqual([]);
        }
        for (const key of blobs) expect(await blobStore.get(key)).toBeUndefined();

        const [audit] = await db.query('SELECT aspirant_id, erased_by, erased_at FROM aspirant_erasures WHERE aspirant_id = :id::uuid', { id: vale.aspirantId });
        expect(audit).toEqual({ aspirantId: vale.aspirantId, erasedBy: adminId, erasedAt: expect.any(String) });
        expect(publisher.events).toEqual([
          { kind: 'aspirantErasure', aspirantId: vale.aspirantId, conversationId: vale.conversationId, scope: anaId, erasedAt: audit!.erasedAt },
        ]);

        expect((await exportOf('admin', other.aspirantId)).conversations[0]!.messages.length).toBeGreaterThan(2);
        for (const key of otherBlobs) expect(await blobStore.get(key)).toBeDefined();
        await expect(call('admin', 'Mutation.eraseAspirant', { aspirantId: vale.aspirantId, confirmPhone: vale.phone })).rejects.toMatchObject({ name: 'NotFound' });

        // Jobs relayed before the erasure (SQS delivers them anyway) find nothing to do.
        const sentBefore = twilio.sent.length;
        const digests = await tableDigests(db);
        for (const job of jobsBefore) {
          await runJob(jobs, { id: `relayed-${job.type}`, type: job.type, payload: job.payload, attempt: 1, signal: new AbortController().signal });
        }
        expect(twilio.sent.length).toBe(sentBefore);
        expect(await tableDigests(db)).toEqual(digests);
      });

      it('stores nothing from a media download that finishes after the erasure, and deletes its files', async () => {
        const phone = nextPhone();
        let erase: () => Promise<unknown> = async () => undefined;
        // A Twilio media endpoint that answers only once the aspirant has been erased.
        const slowMedia: TestServer = await startTestServer((_request, response) => {
          void erase().then(() => response.writeHead(200, { 'content-type': 'image/jpeg' }).end(jpeg));
        });
        try {
          const providerRef = `${slowMedia.origin}/2010-04-01/Accounts/${TWILIO.accountSid}/Messages/${sid('MM')}/Media/ME${randomBytes(16).toString('hex')}`;
          await writeIn(phone, 'foto lenta', [{ providerRef, contentType: 'image/jpeg', position: 0 }]);
          const [aspirant] = await db.query<{ id: string }>('SELECT id FROM aspirants WHERE phone = :phone', { phone });
          const [fetch] = await db.query<{ payload: { mediaId: string } }>(
            "SELECT j.payload FROM jobs j JOIN media md ON md.id = (j.payload->>'mediaId')::uuid WHERE j.type = 'media.fetch' AND strpos(md.provider_ref, :origin) = 1",
            { origin: slowMedia.origin },
          );
          const mediaId = fetch!.payload.mediaId;
          erase = () => call('admin', 'Mutation.eraseAspirant', { aspirantId: aspirant!.id, confirmPhone: phone });

          const slowJobs = jobHandlersWith(slowMedia.origin, { testOnly: { allowLoopbackOrigins: [slowMedia.origin] } });
          await runJob(slowJobs, { id: 'media-during-erasure', type: 'media.fetch', payload: fetch!.payload, attempt: 1, signal: new AbortController().signal });

          expect(slowMedia.requests).toHaveLength(1);
          expect(await tablesMentioning(db, phone)).toEqual([]);
          expect(await tablesMentioning(db, aspirant!.id)).toEqual(['aspirant_erasures']);
          const written = await readdir(join(dataDir, 'blobs', 'objects', 'media', mediaId));
          expect(written).toHaveLength(2);
          const [deletion] = await db.query<{ payload: { keys: string[] } }>("SELECT payload FROM jobs WHERE type = 'blobs.delete' AND strpos(payload::text, :mediaId) > 0", { mediaId });
          expect(deletion!.payload.keys.sort()).toEqual(written.map((file) => `media/${mediaId}/${file}`).sort());

          await drainJobs();
          expect(await readdir(join(dataDir, 'blobs', 'objects', 'media', mediaId))).toEqual([]);
        } finally {
          await slowMedia.close();
        }
      });

      it('treats the same person writing again as a new aspirant', async () => {
        await writeIn(vale.phone, 'Hola otra vez');

        const [again] = await db.query<{ id: string; status: string; fullName: string | null }>('SELECT id, status, full_name FROM aspirants WHERE phone = :phone', {
          phone: vale.phone,
        });
        expect(again).toMatchObject({ status: 'new', fullName: null });
        expect(again!.id).not.toBe(vale.aspirantId);
        const exported = await exportOf('admin', again!.id);
        expect(exported.conversations.flatMap((conversation) => conversation.messages.map((message) => message.body))).toEqual(['Hola otra vez']);
        expect([exported.notes, exported.photos, exported.formLinks, exported.formSubmissions]).toEqual([[], [], [], []]);
      });
    });
  });
}

describe('erasure events on the local AppSync engine', () => {
  let db: Db;
  let host: TestHost;
  const sockets: RealtimeTestClient[] = [];
  const token: Record<string, string> = {};
  const ids: Record<string, string> = {};
  const onAspirantErased = 'subscription { onAspirantErased { aspirantId conversationId scope erasedAt } }';

  beforeAll(async () => {
    db = await openInMemoryDb();
    const tokens = await createTestTokens();
    const handler = createGraphqlHandler({
      db,
      // The engine publishes to its own subscribers; it exists once the host started.
      publisher: { publish: (event) => host.engine.publisher.publish(event) },
      mediaUrl: async (key) => `http://media.test/${key}`,
      blobs: async () => {
        throw new Error('these aspirants have no blobs');
      },
      ...testDomainSettings,
    });
    host = await startTestHost({ invokeLambda: (_dataSource, event) => handler(event as Parameters<typeof handler>[0]), verifyToken: tokens.verifyToken });
    for (const [name, role] of [['ada', 'admin'], ['ana', 'recruiter'], ['bruno', 'recruiter']] as const) {
      ids[name] = await insertRecruiter(db, { name, role });
      token[name] = await tokens.sign({ sub: ids[name]!, username: name, groups: [role] });
    }
  });

  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.close();
  });

  afterAll(async () => {
    await host?.close();
    await db?.close();
  });

  async function subscribed(user: string): Promise<RealtimeTestClient> {
    const socket = await RealtimeTestClient.connect(host.realtimeUrl, token[user]!);
    sockets.push(socket);
    await socket.init();
    expect((await socket.subscribe('erased', token[user]!, onAspirantErased)).type).toBe('start_ack');
    return socket;
  }

  async function aspirantOf(assignee: string | null): Promise<{ id: string; phone: string }> {
    const phone = nextPhone();
    const [row] = await db.query<{ id: string }>('INSERT INTO aspirants (phone, assignee_id) VALUES (:phone, :assignee::uuid) RETURNING id', { phone, assignee });
    return { id: row!.id, phone };
  }

  const erase = (user: string, aspirant: { id: string; phone: string }) =>
    postGraphql(host.graphqlUrl, { query: 'mutation($id: ID!, $phone: String!) { eraseAspirant(aspirantId: $id, confirmPhone: $phone) }', variables: { id: aspirant.id, phone: aspirant.phone } }, token[user]);

  it("reaches admins and the aspirant's recruiter, not other recruiters; recruiters cannot erase", async () => {
    const [ada, ana, bruno] = [await subscribed('ada'), await subscribed('ana'), await subscribed('bruno')];
    const anasAspirant = await aspirantOf(ids.ana!);
    const unassigned = await aspirantOf(null);

    const refused = await erase('ana', anasAspirant);
    expect(refused.body.errors?.[0]?.errorType).toBe('Unauthorized');
    expect((await erase('ada', anasAspirant)).body.data).toEqual({ eraseAspirant: anasAspirant.id });
    expect((await erase('ada', unassigned)).body.data).toEqual({ eraseAspirant: unassigned.id });

    const erasedOf = async (socket: RealtimeTestClient) =>
      ((await socket.next((message) => message.type === 'data')).payload as { data: { onAspirantErased: { aspirantId: string; scope: string } } }).data.onAspirantErased;
    expect(await erasedOf(ada)).toMatchObject({ aspirantId: anasAspirant.id, scope: ids.ana, conversationId: null });
    expect(await erasedOf(ada)).toMatchObject({ aspirantId: unassigned.id, scope: 'unassigned' });
    expect(await erasedOf(ana)).toMatchObject({ aspirantId: anasAspirant.id });
    expect(await erasedOf(ana)).toMatchObject({ aspirantId: unassigned.id });
    // Bruno's first event is the unassigned one: Ana's never reached him.
    expect(await erasedOf(bruno)).toMatchObject({ aspirantId: unassigned.id });
  });
});
