import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from './db.ts';
import { DbError, isUniqueViolation } from './errors.ts';
import { migrate, readMigrations } from './migrate.ts';
import { SqlParameterError } from './sql.ts';
import { testDatabases } from './testing.ts';

/** One suite, run against every driver available: the rows each returns must be identical. */
const RECRUITER_ID = '0b6f6a8e-5d3c-4c1e-9a55-1f2e3d4c5b6a';
const ASPIRANT_ID = '1c7a7b9f-6e4d-4d2f-8b66-2a3f4e5d6c7b';
const CONVERSATION_ID = '2d8b8cae-7f5e-4e3a-9c77-3b4a5f6e7d8c';
const MESSAGE_ID = '3e9c9dbf-8a6f-4f4b-8d88-4c5b6a7f8e9d';
const MEDIA_ID = '4fad0ec0-9b7a-4a5c-9e99-5d6c7b8a9f0e';
const TRACE_ID = '5abe1fd1-ac8b-4b6d-8faa-6e7d8c9b0a1f';

for (const database of testDatabases()) {
  describe(`the ${database.name} driver`, () => {
    let db: Db;
    beforeAll(async () => {
      db = await database.open();
    });
    afterAll(async () => {
      await db?.close();
    });

    it('reports which driver it is', () => {
      expect(db.driver).toBe(database.name);
    });

    describe('migrations', () => {
      it('records every migration file once and applies nothing when run again', async () => {
        const versions = (await readMigrations()).map((migration) => migration.version);
        const recorded = await db.query<{ version: string }>('SELECT version FROM schema_migrations ORDER BY version');
        expect(recorded.map((row) => row.version)).toEqual(versions);
        expect(await migrate(db)).toEqual([]);
      });

      it('applies a new migration exactly once when two migrations race', async () => {
        const probe = [{ version: '9999_probe', statements: ['CREATE TABLE migration_probe (id integer)', 'INSERT INTO migration_probe VALUES (1)'] }];
        const [first, second] = await Promise.all([migrate(db, probe), migrate(db, probe)]);
        expect([...first, ...second]).toEqual(['9999_probe']);
        expect(await db.query('SELECT id FROM migration_probe')).toEqual([{ id: 1 }]);
      });

      it('leaves no trace of a migration whose statement fails', async () => {
        const broken = [{ version: '9998_broken', statements: ['CREATE TABLE broken_probe (id integer)', 'SELECT 1 / 0'] }];
        await expect(migrate(db, broken)).rejects.toMatchObject({ sqlState: '22012' });
        expect(await db.query("SELECT to_regclass('broken_probe') AS found")).toEqual([{ found: null }]);
        expect(await db.query("SELECT version FROM schema_migrations WHERE version = '9998_broken'")).toEqual([]);
      });
    });

    describe('rows', () => {
      it('returns a row touching every column type of the schema identically', async () => {
        await db.query(
          `INSERT INTO recruiters (id, email, name, role, active, password_hash, created_at)
           VALUES (:id::uuid, :email, :name, 'recruiter', :active::boolean, NULL, :createdAt::timestamptz)`,
          { id: RECRUITER_ID, email: 'ana@example.com', name: 'Ana', active: false, createdAt: '2024-05-06T07:08:09.123456+05:30' },
        );
        await db.query(
          `INSERT INTO aspirants (id, phone, whatsapp_name, full_name, status, language, profile, shift_preferences,
             opted_out_at, date_of_birth, guardian_consent_at, assignee_id, tags, created_at, updated_at)
           VALUES (:id::uuid, :phone, :whatsappName, NULL, 'in_review', 'es', :profile::jsonb, :shifts::jsonb, NULL,
             :dateOfBirth::date, :consentAt::timestamptz, :assigneeId::uuid, :tags::jsonb, :createdAt::timestamptz,
             :createdAt::timestamptz)`,
          {
            id: ASPIRANT_ID,
            phone: '+5215512345678',
            whatsappName: 'Lú 🌸',
            profile: { heightCm: 172, city: 'CDMX', agencies: [], nested: { ok: true, none: null } },
            shifts: ['morning', 'weekend'],
            dateOfBirth: '2007-12-31',
            consentAt: new Date('2024-01-02T03:04:05.006Z'),
            assigneeId: RECRUITER_ID,
            tags: [],
            createdAt: '2024-01-01 00:00:00Z',
          },
        );
        await db.query(
          `INSERT INTO conversations (id, aspirant_id, channel, inbound_count, window_expires_at, bot_paused, last_activity_at, created_at)
           VALUES (:id::uuid, :aspirantId::uuid, 'whatsapp_twilio', :inboundCount::integer, NULL, :paused::boolean, :at::timestamptz, :at::timestamptz)`,
          { id: CONVERSATION_ID, aspirantId: ASPIRANT_ID, inboundCount: 2_147_483_647, paused: true, at: '2024-01-01T00:00:00Z' },
        );
        await db.query(
          `INSERT INTO messages (id, conversation_id, direction, author_kind, body, provider_message_id, status, occurred_at, created_at)
           VALUES (:id::uuid, :conversationId::uuid, 'inbound', 'aspirant', :body, :sid, 'received', :at::timestamptz, :at::timestamptz)`,
          { id: MESSAGE_ID, conversationId: CONVERSATION_ID, body: "it's 10:30 :at — 'quoted'", sid: 'SM1', at: '2024-01-01T00:00:00.999Z' },
        );
        await db.query(
          `INSERT INTO media (id, message_id, position, kind, status, size_bytes, duration_seconds, created_at)
           VALUES (:id::uuid, :messageId::uuid, 0, 'audio', 'stored', :size::integer, :duration::real, :at::timestamptz)`,
          { id: MEDIA_ID, messageId: MESSAGE_ID, size: 12_345, duration: 0.1, at: '2024-01-01T00:00:00Z' },
        );
        await db.query(
          `INSERT INTO message_status_events (id, message_id, status, received_at)
           OVERRIDING SYSTEM VALUE VALUES (:id::bigint, :messageId::uuid, 'delivered', :at::timestamptz)`,
          { id: Number.MAX_SAFE_INTEGER, messageId: MESSAGE_ID, at: '2024-01-01T00:00:00Z' },
        );
        await db.query(
          `INSERT INTO bot_traces (id, conversation_id, message_id, agent, confidence, latency_ms, detail, created_at)
           VALUES (:id::uuid, :conversationId::uuid, :messageId::uuid, 'intake', :confidence::real, :latency::integer, :detail::jsonb, :at::timestamptz)`,
          { id: TRACE_ID, conversationId: CONVERSATION_ID, messageId: MESSAGE_ID, confidence: 0.87, latency: -5, detail: [{ step: 1 }, 'two', 3.5, null], at: '2024-01-01T00:00:00Z' },
        );

        expect(await db.query('SELECT * FROM recruiters WHERE id = :id::uuid', { id: RECRUITER_ID })).toEqual([
          { id: RECRUITER_ID, email: 'ana@example.com', name: 'Ana', role: 'recruiter', active: false, passwordHash: null, createdAt: '2024-05-06T01:38:09.123Z' },
        ]);
        expect(await db.query('SELECT * FROM aspirants WHERE id = :id::uuid', { id: ASPIRANT_ID })).toEqual([
          {
            id: ASPIRANT_ID,
            phone: '+5215512345678',
            whatsappName: 'Lú 🌸',
            fullName: null,
            status: 'in_review',
            language: 'es',
            profile: { heightCm: 172, city: 'CDMX', agencies: [], nested: { ok: true, none: null } },
            shiftPreferences: ['morning', 'weekend'],
            optedOutAt: null,
            dateOfBirth: '2007-12-31',
            guardianConsentAt: '2024-01-02T03:04:05.006Z',
            assigneeId: RECRUITER_ID,
            tags: [],
            createdAt: '2024-01-01T00:00:00.000Z',
            updatedAt: '2024-01-01T00:00:00.000Z',
          },
        ]);
        expect(
          await db.query('SELECT inbound_count, bot_paused, needs_recruiter, window_expires_at, bot_state FROM conversations WHERE id = :id::uuid', { id: CONVERSATION_ID }),
        ).toEqual([{ inboundCount: 2_147_483_647, botPaused: true, needsRecruiter: false, windowExpiresAt: null, botState: 'not_started' }]);
        expect(await db.query('SELECT body, occurred_at FROM messages WHERE id = :id::uuid', { id: MESSAGE_ID })).toEqual([
          { body: "it's 10:30 :at — 'quoted'", occurredAt: '2024-01-01T00:00:00.999Z' },
        ]);
        expect(await db.query('SELECT position, size_bytes, duration_seconds, width FROM media WHERE id = :id::uuid', { id: MEDIA_ID })).toEqual([
          { position: 0, sizeBytes: 12_345, durationSeconds: 0.1, width: null },
        ]);
        expect(await db.query('SELECT id, status FROM message_status_events WHERE message_id = :id::uuid', { id: MESSAGE_ID })).toEqual([
          { id: Number.MAX_SAFE_INTEGER, status: 'delivered' },
        ]);
        expect(await db.query('SELECT confidence, latency_ms, detail FROM bot_traces WHERE id = :id::uuid', { id: TRACE_ID })).toEqual([
          { confidence: 0.87, latencyMs: -5, detail: [{ step: 1 }, 'two', 3.5, null] },
        ]);
      });

      it('returns computed values of the other common types the same way', async () => {
        const rows = await db.query(
          `SELECT count(*) AS total, 12.50::numeric AS amount, 2.5::float8 AS ratio, 7::smallint AS small,
             '2024-03-04 05:06:07.891234'::timestamp AS wall_clock, '2024-02-29'::date AS leap_day,
             ARRAY['a', 'b c', NULL]::text[] AS labels, ARRAY[1, 2]::integer[] AS numbers, 'x'::varchar AS short_text,
             '{"k": "v"}'::json AS plain_json, NULL::jsonb AS missing
           FROM recruiters`,
        );
        expect(rows).toEqual([
          {
            total: 1,
            amount: 12.5,
            ratio: 2.5,
            small: 7,
            wallClock: '2024-03-04T05:06:07.891Z',
            leapDay: '2024-02-29',
            labels: ['a', 'b c', null],
            numbers: [1, 2],
            shortText: 'x',
            plainJson: { k: 'v' },
            missing: null,
          },
        ]);
      });

      it('returns no rows for statements without RETURNING and the changed rows with it', async () => {
        expect(await db.query("UPDATE recruiters SET name = 'Ana María' WHERE id = :id::uuid", { id: RECRUITER_ID })).toEqual([]);
        expect(await db.query('UPDATE recruiters SET active = true WHERE id = :id::uuid RETURNING name, active', { id: RECRUITER_ID })).toEqual([
          { name: 'Ana María', active: true },
        ]);
      });
    });

    describe('named parameters', () => {
      it('gives a repeated name one value and leaves casts, literals, identifiers, dollar bodies and comments alone', async () => {
        const rows = await db.query(
          `SELECT :n::integer AS n, :n::text AS n_again, ':n' AS literal, E'it\\'s :n' AS escaped, $$:n$$ AS dollar,
             $body$ it's :n $body$ AS tagged, 1 AS "odd:name" -- :ignored
             /* :ignored /* nested :ignored */ */`,
          { n: 42 },
        );
        expect(rows).toEqual([{ n: 42, nAgain: '42', literal: ':n', escaped: "it's :n", dollar: ':n', tagged: " it's :n ", 'odd:name': 1 }]);
      });

      it('passes strings that look like SQL or parameters through untouched', async () => {
        const tricky = "'; DROP TABLE recruiters; -- :n $$ \\ \u0000".replace('\u0000', '');
        expect(await db.query('SELECT :tricky AS value, :flag::boolean AS flag', { tricky, flag: false })).toEqual([{ value: tricky, flag: false }]);
      });

      it('binds undefined and null as NULL', async () => {
        expect(await db.query('SELECT :a::text AS a, :b::timestamptz AS b', { a: undefined, b: null })).toEqual([{ a: null, b: null }]);
      });

      it('binds a Date as the same instant', async () => {
        const instant = new Date('2030-06-15T23:59:59.999Z');
        expect(await db.query('SELECT :at::timestamptz AS at, :at::timestamptz + interval \'1 ms\' AS later', { at: instant })).toEqual([
          { at: '2030-06-15T23:59:59.999Z', later: '2030-06-16T00:00:00.000Z' },
        ]);
      });

      it('refuses a statement whose parameter is missing, naming it, and runs nothing', async () => {
        const attempt = db.query("UPDATE recruiters SET name = :name WHERE email = 'ana@example.com'", {});
        await expect(attempt).rejects.toThrow(SqlParameterError);
        await expect(attempt).rejects.toThrow(':name');
        expect(await db.query("SELECT name FROM recruiters WHERE email = 'ana@example.com'")).toEqual([{ name: 'Ana María' }]);
      });
    });

    describe('json lists', () => {
      it('stores lists and objects as jsonb and reads them back', async () => {
        const tags = ['vip', 'returning', 'ñandú'];
        await db.query('UPDATE aspirants SET tags = :tags::jsonb WHERE id = :id::uuid', { tags, id: ASPIRANT_ID });
        expect(await db.query('SELECT tags FROM aspirants WHERE id = :id::uuid', { id: ASPIRANT_ID })).toEqual([{ tags }]);
      });

      it('unpacks a list parameter for membership tests, including an empty list', async () => {
        const ids = [ASPIRANT_ID, '00000000-0000-0000-0000-000000000000'];
        const found = await db.query('SELECT id FROM aspirants WHERE id IN (SELECT value::uuid FROM jsonb_array_elements_text(:ids::jsonb) AS value)', { ids });
        expect(found).toEqual([{ id: ASPIRANT_ID }]);
        expect(await db.query('SELECT value FROM jsonb_array_elements_text(:ids::jsonb) AS value', { ids: [] })).toEqual([]);
      });

      it('filters on jsonb containment', async () => {
        const rows = await db.query('SELECT count(*) AS matches FROM aspirants WHERE tags @> :wanted::jsonb', { wanted: ['vip'] });
        expect(rows).toEqual([{ matches: 1 }]);
      });
    });

    describe('transactions', () => {
      const countNotes = async () => (await db.query<{ notes: number }>('SELECT count(*) AS notes FROM aspirant_notes'))[0]!.notes;

      it('commits the work and returns its result', async () => {
        const before = await countNotes();
        const inserted = await db.transaction(async (tx) => {
          const [note] = await tx.query<{ body: string }>('INSERT INTO aspirant_notes (aspirant_id, body) VALUES (:id::uuid, :body) RETURNING body', {
            id: ASPIRANT_ID,
            body: 'first call went well',
          });
          await tx.query("INSERT INTO aspirant_notes (aspirant_id, body) VALUES (:id::uuid, 'second')", { id: ASPIRANT_ID });
          return note;
        });
        expect(inserted).toEqual({ body: 'first call went well' });
        expect(await countNotes()).toBe(before + 2);
      });

      it('rolls everything back when the work throws, and rethrows that error', async () => {
        const before = await countNotes();
        const failure = new Error('changed my mind');
        await expect(
          db.transaction(async (tx) => {
            await tx.query("INSERT INTO aspirant_notes (aspirant_id, body) VALUES (:id::uuid, 'discarded')", { id: ASPIRANT_ID });
            throw failure;
          }),
        ).rejects.toBe(failure);
        expect(await countNotes()).toBe(before);
      });

      it('rolls back earlier statements when a later one is refused', async () => {
        const before = await countNotes();
        await expect(
          db.transaction(async (tx) => {
            await tx.query("INSERT INTO aspirant_notes (aspirant_id, body) VALUES (:id::uuid, 'discarded')", { id: ASPIRANT_ID });
            await tx.query("INSERT INTO recruiters (email, name, role) VALUES ('ana@example.com', 'Twin', 'admin')");
          }),
        ).rejects.toSatisfy((error: unknown) => isUniqueViolation(error, 'recruiters_email_key'));
        expect(await countNotes()).toBe(before);
      });
    });

    describe('errors', () => {
      it('surfaces a unique violation with its SQLSTATE and constraint and changes nothing', async () => {
        const error = await db
          .query("INSERT INTO recruiters (email, name, role) VALUES ('ana@example.com', 'Twin', 'admin')")
          .catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(DbError);
        expect(error).toMatchObject({ sqlState: '23505', constraint: 'recruiters_email_key' });
        expect((error as Error).message).toContain('duplicate key value violates unique constraint');
        expect(await db.query("SELECT count(*) AS twins FROM recruiters WHERE name = 'Twin'")).toEqual([{ twins: 0 }]);
      });

      it('surfaces check and foreign-key violations with their SQLSTATE', async () => {
        await expect(db.query("INSERT INTO aspirants (phone) VALUES ('555')")).rejects.toMatchObject({ sqlState: '23514', constraint: 'aspirants_phone_check' });
        await expect(
          db.query("INSERT INTO aspirant_notes (aspirant_id, body) VALUES ('00000000-0000-0000-0000-000000000000', 'orphan')"),
        ).rejects.toMatchObject({ sqlState: '23503' });
      });

      it('is usable again after a refused statement', async () => {
        await expect(db.query('SELECT * FROM no_such_table')).rejects.toMatchObject({ sqlState: '42P01' });
        expect(await db.query('SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
      });
    });
  });
}
