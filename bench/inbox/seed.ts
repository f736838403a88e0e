/**
 * Seeds the inbox benchmark's databases: `npx tsx bench/inbox/seed.ts [2m] [200k] [--fresh]` (both sizes when
 * none is named). The product's migrations first, then the rows of bench/inbox/dataset.ts in batches, each batch
 * in one transaction with its marker in bench_inbox_batches: an interrupted seed resumes where it stopped, and a
 * finished one is skipped in a second. `--fresh` drops the database first. Ends with VACUUM ANALYZE.
 *
 * The databases are kept (keptDatabase): the 2,000,000-message one takes minutes to write and is reused by every
 * later benchmark run. A database seeded by another generator version or size is refused (use --fresh).
 */
import { pathToFileURL } from 'node:url';
import cliProgress from 'cli-progress';
import pg from 'pg';
import { openPostgresDb } from '../../functions/data/drivers/postgres.ts';
import { migrate } from '../../functions/data/migrate.ts';
import { hashPassword } from '../../functions/directory/passwords.ts';
import { BENCH_SEED } from '../lib/random.ts';
import { dropDatabase, keptDatabase } from '../lib/database.ts';
import {
  type AspirantPlan,
  aspirantPlans,
  BENCH_PASSWORD,
  GENERATOR_VERSION,
  type InboxSize,
  inboxSizes,
  messageCounts,
  messageRows,
  peopleRows,
  recruiterPlans,
  type Row,
  type Timelines,
  timelines,
} from './dataset.ts';

const PEOPLE_BATCH = 2_000;
const MESSAGE_BATCH = 20_000;
const LAST_MESSAGE_BATCH = 10_000;

/** Column types of each table the seed writes, as the product's migrations declare them. */
const tables = {
  recruiters: { id: 'uuid', email: 'text', name: 'text', role: 'text', password_hash: 'text' },
  aspirants: {
    id: 'uuid', phone: 'text', whatsapp_name: 'text', full_name: 'text', status: 'text', language: 'text', profile: 'jsonb',
    shift_preferences: 'jsonb', opted_out_at: 'timestamptz', date_of_birth: 'date', guardian_consent_at: 'timestamptz',
    assignee_id: 'uuid', tags: 'jsonb', created_at: 'timestamptz', updated_at: 'timestamptz',
  },
  conversations: {
    id: 'uuid', aspirant_id: 'uuid', channel: 'text', last_activity_at: 'timestamptz', inbound_count: 'int4',
    window_expires_at: 'timestamptz', bot_state: 'text', bot_paused: 'bool', needs_recruiter: 'bool', created_at: 'timestamptz',
  },
  conversation_reads: { conversation_id: 'uuid', recruiter_id: 'uuid', read_inbound_count: 'int4', read_at: 'timestamptz' },
  form_links: {
    id: 'uuid', aspirant_id: 'uuid', created_at: 'timestamptz', expires_at: 'timestamptz', opened_at: 'timestamptz',
    submitted_at: 'timestamptz', revoked_at: 'timestamptz',
  },
  form_submissions: { id: 'uuid', aspirant_id: 'uuid', form_link_id: 'uuid', source: 'text', data: 'jsonb', submitted_at: 'timestamptz' },
  aspirant_notes: { id: 'uuid', aspirant_id: 'uuid', author_id: 'uuid', body: 'text', created_at: 'timestamptz' },
  messages: {
    id: 'uuid', conversation_id: 'uuid', direction: 'text', author_kind: 'text', author_id: 'uuid', body: 'text',
    provider_message_id: 'text', idempotency_key: 'text', status: 'text', failure_code: 'text', failure_reason: 'text',
    auto_reply: 'text', occurred_at: 'timestamptz', created_at: 'timestamptz',
  },
  media: {
    id: 'uuid', message_id: 'uuid', position: 'int4', kind: 'text', status: 'text', content_type: 'text', size_bytes: 'int4',
    provider_ref: 'text', blob_key: 'text', thumbnail_key: 'text', width: 'int4', height: 'int4',
  },
  message_status_events: {
    message_id: 'uuid', provider_message_id: 'text', status: 'text', error_code: 'text', error_message: 'text', received_at: 'timestamptz',
  },
  bot_traces: {
    conversation_id: 'uuid', message_id: 'uuid', agent: 'text', intent: 'text', confidence: 'float4', latency_ms: 'int4', summary: 'text',
    created_at: 'timestamptz',
  },
} as const satisfies Record<string, Readonly<Record<string, string>>>;

/**
 * One set-based INSERT for many rows: each column travels as one array parameter and unnest() zips them back
 * into rows (no statement per row, no parameter limit).
 */
async function insertRows(client: pg.ClientBase, table: keyof typeof tables, rows: readonly Row[]): Promise<void> {
  if (rows.length === 0) return;
  const types: Readonly<Record<string, string>> = tables[table];
  const names = Object.keys(types);
  const values = names.map((name) =>
    rows.map((row) => {
      const value = row[name] ?? null;
      return types[name] === 'jsonb' && value !== null ? JSON.stringify(value) : value;
    }),
  );
  const arrays = names.map((name, index) => `$${index + 1}::${types[name]}[]`).join(', ');
  await client.query(`INSERT INTO ${table} (${names.join(', ')}) SELECT * FROM unnest(${arrays})`, values);
}

export interface SeedSummary {
  readonly size: string;
  readonly databaseUrl: string;
  /** "Now" for the data: windows open, closing and closed relative to it. */
  readonly referenceTime: string;
  /** Seconds this call spent writing (0 when the database was complete already). */
  readonly secondsWriting: number;
  readonly rows: Readonly<Record<string, number>>;
}

interface Phase {
  readonly name: string;
  readonly batches: number;
  /** Rows per batch, for the progress bar. */
  readonly unitsOf: (batch: number) => number;
  /** Makes the batch's rows; runs while the previous batch is being written. */
  readonly prepare: (batch: number) => BatchWrite;
  /** Each batch in one transaction with its marker (VACUUM cannot run in one: its marker follows it). */
  readonly transactional: boolean;
}

/** Seeds (or finishes seeding) `size` into its kept database and answers what is there. */
export async function seedInbox(size: InboxSize, options: { fresh?: boolean; progress?: boolean } = {}): Promise<SeedSummary> {
  if (options.fresh) await dropDatabase(size.database);
  const databaseUrl = await keptDatabase(size.database);
  const db = await openPostgresDb(databaseUrl);
  let migrated: string[];
  try {
    migrated = await migrate(db);
  } finally {
    await db.close();
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const referenceTime = await seedIdentity(client, size);
    // A migration applied to seeded rows (a new column, a backfill) leaves them without statistics and with dead
    // tuples until autovacuum comes by, as it soon would on a live database: vacuum again now.
    if (migrated.length > 0) await client.query("DELETE FROM bench_inbox_batches WHERE phase = 'vacuum'");
    const done = new Set(
      (await client.query<{ phase: string; batch: number }>('SELECT phase, batch FROM bench_inbox_batches')).rows.map((row) => `${row.phase}:${row.batch}`),
    );
    const started = performance.now();
    const phases = plannedPhases(size, referenceTime, done);
    for (const phase of phases) await runPhase(client, phase, done, options.progress ?? false);
    return {
      size: size.name,
      databaseUrl,
      referenceTime: new Date(referenceTime).toISOString(),
      secondsWriting: phases.length === 0 ? 0 : Math.round((performance.now() - started) / 100) / 10,
      rows: await rowCounts(client),
    };
  } finally {
    await client.end();
  }
}

/**
 * The seed's own bookkeeping tables, and its parameters: the first run records them with the reference time;
 * later runs must match them.
 */
async function seedIdentity(client: pg.Client, size: InboxSize): Promise<number> {
  await client.query('CREATE TABLE IF NOT EXISTS bench_inbox_seed (key text PRIMARY KEY, value jsonb NOT NULL)');
  await client.query('CREATE TABLE IF NOT EXISTS bench_inbox_batches (phase text, batch int, PRIMARY KEY (phase, batch))');
  const parameters = { generator: GENERATOR_VERSION, seed: BENCH_SEED, aspirants: size.aspirants, messages: size.messages, accounts: recruiterPlans.length };
  const referenceTime = new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString();
  await client.query(
    `INSERT INTO bench_inbox_seed (key, value) VALUES ('parameters', $1::jsonb), ('reference_time', to_jsonb($2::text))
     ON CONFLICT (key) DO NOTHING`,
    [JSON.stringify(parameters), referenceTime],
  );
  const { rows } = await client.query<{ matches: boolean; stored: unknown; referenceTime: string }>(
    `SELECT p.value = $1::jsonb AS matches, p.value AS stored, r.value #>> '{}' AS "referenceTime"
       FROM bench_inbox_seed p, bench_inbox_seed r WHERE p.key = 'parameters' AND r.key = 'reference_time'`,
    [JSON.stringify(parameters)],
  );
  const [stored] = rows;
  if (!stored?.matches) {
    throw new Error(
      `${size.database} was seeded with ${JSON.stringify(stored?.stored)}, not ${JSON.stringify(parameters)}: ` +
        `reseed it with \`npx tsx bench/inbox/seed.ts ${size.name} --fresh\``,
    );
  }
  return Date.parse(stored.referenceTime);
}

type BatchWrite = (client: pg.ClientBase) => Promise<void>;

/** A phase over items 0 .. total - 1, `per` a batch; `prepare` makes the write of items from .. to - 1. */
function rangePhase(name: string, total: number, per: number, prepare: (from: number, to: number) => BatchWrite): Phase {
  const range = (batch: number) => ({ from: batch * per, to: Math.min(total, (batch + 1) * per) });
  return {
    name,
    batches: Math.ceil(total / per),
    transactional: true,
    unitsOf: (batch) => range(batch).to - range(batch).from,
    prepare: (batch) => prepare(range(batch).from, range(batch).to),
  };
}

function plannedPhases(size: InboxSize, referenceTime: number, done: ReadonlySet<string>): Phase[] {
  // Made on first use: a seed with only its VACUUM left does not generate 2,000,000 messages for nothing.
  let generated: { plans: AspirantPlan[]; timeline: Timelines } | undefined;
  const data = () => {
    if (generated === undefined) {
      const plans = aspirantPlans(size);
      generated = { plans, timeline: timelines(plans, messageCounts(size), referenceTime) };
    }
    return generated;
  };
  const phases: Phase[] = [
    rangePhase('recruiters', recruiterPlans.length, recruiterPlans.length, () => async (client) => {
      const passwordHash = await hashPassword(BENCH_PASSWORD);
      await insertRows(client, 'recruiters', recruiterPlans.map((recruiter) => ({ ...recruiter, password_hash: passwordHash })));
    }),
    rangePhase('people', size.aspirants, PEOPLE_BATCH, (from, to) => {
      const { plans, timeline } = data();
      const rows = peopleRows(plans.slice(from, to), timeline.summaries, referenceTime);
      return async (client) => {
        await insertRows(client, 'aspirants', rows.aspirants);
        await insertRows(client, 'conversations', rows.conversations);
        await insertRows(client, 'conversation_reads', rows.reads);
        await insertRows(client, 'form_links', rows.formLinks);
        await insertRows(client, 'form_submissions', rows.submissions);
        await insertRows(client, 'aspirant_notes', rows.notes);
      };
    }),
    rangePhase('messages', size.messages, MESSAGE_BATCH, (from, to) => {
      const { plans, timeline } = data();
      const rows = messageRows(plans, timeline, timeline.order.subarray(from, to), referenceTime);
      return async (client) => {
        await insertRows(client, 'messages', rows.messages);
        await insertRows(client, 'media', rows.media);
        await insertRows(client, 'message_status_events', rows.statusEvents);
        await insertRows(client, 'bot_traces', rows.botTraces);
      };
    }),
    rangePhase('last_messages', size.aspirants, LAST_MESSAGE_BATCH, (from, to) => {
      const ids = data().plans.slice(from, to).map((plan) => plan.conversationId);
      // The newest by (occurred_at, id), the rule ingestion keeps.
      return async (client) => {
        await client.query(
          `UPDATE conversations c
              SET last_message_id = (SELECT m.id FROM messages m WHERE m.conversation_id = c.id ORDER BY m.occurred_at DESC, m.id DESC LIMIT 1)
            WHERE c.id = ANY($1::uuid[])`,
          [ids],
        );
      };
    }),
    { name: 'vacuum', batches: 1, unitsOf: () => 1, transactional: false, prepare: () => async (client) => void (await client.query('VACUUM (ANALYZE)')) },
  ];
  return phases.filter((phase) => Array.from({ length: phase.batches }, (_, batch) => batch).some((batch) => !done.has(`${phase.name}:${batch}`)));
}

/** Writes a phase's missing batches; the next batch's rows are made while the previous one is being written. */
async function runPhase(client: pg.Client, phase: Phase, done: Set<string>, progress: boolean): Promise<void> {
  const total = Array.from({ length: phase.batches }, (_, batch) => phase.unitsOf(batch)).reduce((sum, units) => sum + units, 0);
  const bar = progress ? new cliProgress.SingleBar(
        {
          format: `${phase.name.padEnd(13)} [{bar}] {percentage}% {value}/{total} | {duration_formatted} (eta {eta_formatted})`,
          // Into a log file too, a line every 15 s.
          noTTYOutput: true,
          notTTYSchedule: 15_000,
        },
        cliProgress.Presets.shades_classic,
      ) : null;
  bar?.start(total, 0);
  let writing: Promise<void> = Promise.resolve();
  for (let batch = 0; batch < phase.batches; batch += 1) {
    const key = `${phase.name}:${batch}`;
    if (done.has(key)) {
      bar?.increment(phase.unitsOf(batch));
      continue;
    }
    const write = phase.prepare(batch);
    await writing;
    writing = (async () => {
      if (phase.transactional) await client.query('BEGIN');
      try {
        await write(client);
        await client.query('INSERT INTO bench_inbox_batches (phase, batch) VALUES ($1, $2)', [phase.name, batch]);
        if (phase.transactional) await client.query('COMMIT');
      } catch (error) {
        if (phase.transactional) await client.query('ROLLBACK');
        throw error;
      }
      done.add(key);
      bar?.increment(phase.unitsOf(batch));
    })();
  }
  try {
    await writing;
  } finally {
    bar?.stop();
  }
}

async function rowCounts(client: pg.Client): Promise<Record<string, number>> {
  const counted = ['recruiters', 'aspirants', 'conversations', 'messages', 'message_status_events', 'media', 'bot_traces', 'conversation_reads', 'form_links', 'form_submissions', 'aspirant_notes'];
  const { rows } = await client.query<Record<string, string>>(`SELECT ${counted.map((table) => `(SELECT count(*) FROM ${table}) AS ${table}`).join(', ')}`);
  return Object.fromEntries(counted.map((table) => [table, Number(rows[0]![table])]));
}

async function main(argv: readonly string[]): Promise<void> {
  const fresh = argv.includes('--fresh');
  const named = argv.filter((argument) => !argument.startsWith('--'));
  const unknown = named.filter((name) => !(name in inboxSizes));
  if (unknown.length > 0) throw new Error(`unknown size ${unknown.join(', ')}; choose from ${Object.keys(inboxSizes).join(', ')}`);
  for (const name of named.length > 0 ? named : Object.keys(inboxSizes)) {
    const summary = await seedInbox(inboxSizes[name]!, { fresh, progress: true });
    console.log(`${name}: ${JSON.stringify(summary.rows)} in ${summary.databaseUrl} (reference time ${summary.referenceTime}, ${summary.secondsWriting} s writing)`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
