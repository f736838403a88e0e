import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb } from '../../functions/data/connect.ts';
import type { Queryable } from '../../functions/data/db.ts';
import { parseConfig } from '../../functions/shared/config.ts';
import { logger } from '../../functions/shared/logger.ts';
import { WEBHOOK_PATHS } from '../../functions/webhooks/routes.ts';
import { startLocalHost } from '../../infra/local/host.ts';
import { startFakeTwilioApi } from '../../infra/local/providers/twilioApi.ts';
import { signedTwilioWebhook, twilioInboundParams } from '../../infra/local/providers/twilioWebhooks.ts';
import type { Benchmark, TableRow } from '../lib/benchmark.ts';
import { dropDatabase, freshDatabase } from '../lib/database.ts';
import { LatencyHistogram, type LatencySummary } from '../lib/histogram.ts';
import { runOpenLoad } from '../lib/openLoad.ts';
import { envChoices, envNumber } from '../lib/env.ts';
import { BENCH_SEED, seededRandom } from '../lib/random.ts';
import { HOPS, hopBreakdown, type AspirantTimeline, type HopBreakdown } from './hops.ts';
import { JobTrace, type JobTimes } from './jobTrace.ts';

/**
 * Issue 7, item 3: how long a newcomer waits for the bot. Each newcomer (a distinct phone) sends "Hola" as a
 * signed Twilio webhook to the local host (in this process), whose Twilio channel points at the local Twilio
 * API and whose bot runs on the local LLM provider; the latency runs from the webhook POST's start to the
 * moment the Twilio API receives the bot's first message for that phone (the welcome), and to the second (the
 * form link). Open model: newcomers arrive at a fixed rate whatever the host does. On PostgreSQL (a fresh
 * database) and on the embedded PGlite (a fresh data directory), each after an unrecorded warm-up. The job
 * trace (jobTrace.ts) breaks the wait into hops: webhook commit, bot.event claimed, bot committed, send claimed,
 * provider received.
 *
 * Shorter or different runs: BENCH_BOT_COUNT (newcomers measured, 300), BENCH_BOT_WARMUP (30), BENCH_BOT_RATE
 * (arrivals per second on PostgreSQL, 10), BENCH_BOT_PGLITE_RATE (on PGlite, 2), BENCH_BOT_DRIVERS
 * (`postgres,pglite`); WORKER_CONCURRENCY is passed to the host.
 */

const TWILIO = { accountSid: 'AC0be7c4b0be7c4b0be7c4b0be7c4b0be7', authToken: 'be7c4b0be7c4b0be7c4b0be7c4b0be7c', sender: '+14155238886' };
const DATABASE = 'wasaprecruit_bench_bot';
const TARGET_P99_MS = 50;
/** A newcomer whose two messages have not arrived by then counts as an error. */
const REPLY_TIMEOUT_MS = 15_000;

const drivers = ['postgres', 'pglite'] as const;
type Driver = (typeof drivers)[number];

/** `count` distinct Mexican mobile numbers, the same on every run. */
function seededPhones(count: number): string[] {
  const random = seededRandom(BENCH_SEED);
  const phones = new Set<string>();
  while (phones.size < count) phones.add(`+521${String(Math.floor(random() * 1e9)).padStart(9, '0')}`);
  return [...phones];
}

/** The provider's side: when the bot's messages reached the Twilio API, by recipient, and waiting for them. */
class Arrivals {
  private readonly times = new Map<string, number[]>();
  private readonly waiters = new Map<string, { count: number; resolve: () => void }>();

  record(phone: string, at: number): void {
    const times = this.times.get(phone) ?? [];
    times.push(at);
    this.times.set(phone, times);
    const waiter = this.waiters.get(phone);
    if (waiter !== undefined && times.length >= waiter.count) {
      this.waiters.delete(phone);
      waiter.resolve();
    }
  }

  of(phone: string): readonly number[] {
    return this.times.get(phone) ?? [];
  }

  async waitFor(phone: string, count: number, timeoutMs: number): Promise<void> {
    if (this.of(phone).length >= count) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(phone);
        reject(new Error(`${this.of(phone).length} of ${count} bot messages within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.set(phone, { count, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }
}

interface DriverFigures {
  readonly driver: Driver;
  readonly ratePerSecond: number;
  readonly offered: number;
  readonly completed: number;
  readonly errors: number;
  readonly firstErrors: string[];
  readonly maxScheduleLagMs: number;
  readonly elapsedMs: number;
  /** POST start → the Twilio API received the first bot message (the welcome). */
  readonly firstReply: LatencySummary;
  /** POST start → the second (the form link). */
  readonly secondReply: LatencySummary;
  readonly breakdown: HopBreakdown;
  /** What the Twilio API received per newcomer (2 expected: the welcome and the form link). */
  readonly messagesPerNewcomer: Record<string, number>;
  /**
   * CPU time of this process (the host, and for PGlite the database, plus the light generator and Twilio API)
   * per measured newcomer, status callbacks included: what limits the sustainable rate.
   */
  readonly cpuMsPerNewcomer: number;
  /** The machine's 1, 5 and 15 minute load averages around the measured part: other work on the cores shows here. */
  readonly loadAverage: { readonly before: number[]; readonly after: number[] };
  /** Every statement the host ran (warm-up included), per newcomer, most frequent first: where the database time goes. */
  readonly statementsPerNewcomer: { statement: string; count: number; meanMs: number }[];
}

async function runOn(driver: Driver, phones: { warmup: string[]; measured: string[] }, ratePerSecond: number): Promise<DriverFigures> {
  const arrivals = new Arrivals();
  const twilio = await startFakeTwilioApi({
    accountSid: TWILIO.accountSid,
    authToken: TWILIO.authToken,
    onActivity: (activity) => {
      if (activity.kind === 'sent') arrivals.record(String(activity.message.params.To).replace(/^whatsapp:/, ''), performance.now());
    },
  });
  const dataDir = await mkdtemp(join(tmpdir(), 'wasaprecruit-bench-bot-'));
  const databaseUrl = driver === 'postgres' ? await freshDatabase(DATABASE) : undefined;
  const config = parseConfig({
    NODE_ENV: 'development',
    PORT: '0',
    PUBLIC_URL: 'http://127.0.0.1:0',
    DATA_DIR: dataDir,
    ...(databaseUrl === undefined ? {} : { DATABASE_URL: databaseUrl }),
    SEED_DEMO: 'false',
    LLM_PROVIDER: 'local',
    TWILIO_ACCOUNT_SID: TWILIO.accountSid,
    TWILIO_AUTH_TOKEN: TWILIO.authToken,
    TWILIO_WHATSAPP_FROM: `whatsapp:${TWILIO.sender}`,
    TWILIO_API_BASE_URL: twilio.url,
    ...(process.env.WORKER_CONCURRENCY ? { WORKER_CONCURRENCY: process.env.WORKER_CONCURRENCY } : {}),
  });
  const trace = new JobTrace();
  const db = trace.observe(await openDb(config));
  try {
    const host = await startLocalHost(config, { db });
    const webhookUrl = `${host.publicUrl}${WEBHOOK_PATHS.twilioMessages}`;
    const acknowledgedAt = new Map<string, number>();
    const postedAt = new Map<string, number>();
    const firstReply = new LatencyHistogram();
    const secondReply = new LatencyHistogram();

    const greet = async (phone: string, record: boolean) => {
      const params = twilioInboundParams({ accountSid: TWILIO.accountSid, from: phone, to: TWILIO.sender, body: 'Hola', profileName: 'Aspirante' });
      const webhook = signedTwilioWebhook(TWILIO.authToken, webhookUrl, params);
      const started = performance.now();
      const response = await fetch(webhookUrl, { method: 'POST', headers: webhook.headers, body: webhook.body });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`the webhook answered ${response.status}`);
      const acknowledged = performance.now();
      await arrivals.waitFor(phone, 2, REPLY_TIMEOUT_MS);
      if (!record) return;
      postedAt.set(phone, started);
      acknowledgedAt.set(phone, acknowledged);
      const [welcome, formLink] = arrivals.of(phone);
      firstReply.recordMs(welcome! - started);
      secondReply.recordMs(formLink! - started);
    };

    try {
      const warmup = await runOpenLoad({ ratePerSecond, durationMs: (phones.warmup.length / ratePerSecond) * 1000, fire: (index) => greet(phones.warmup[index]!, false) });
      if (warmup.errors > 0) throw new Error(`the warm-up failed: ${warmup.firstErrors.join('; ')}`);
      const loadBefore = loadavg();
      const cpuBefore = process.cpuUsage();
      const load = await runOpenLoad({
        ratePerSecond,
        durationMs: (phones.measured.length / ratePerSecond) * 1000,
        fire: (index) => greet(phones.measured[index]!, true),
      });
      await twilio.callbacksSettled();
      const cpu = process.cpuUsage(cpuBefore);
      const timelines = await timelinesOf(host.db, trace, phones.measured, { postedAt, acknowledgedAt, arrivals });
      const messagesPerNewcomer: Record<string, number> = {};
      for (const phone of phones.measured) {
        const count = String(arrivals.of(phone).length);
        messagesPerNewcomer[count] = (messagesPerNewcomer[count] ?? 0) + 1;
      }
      return {
        driver,
        ratePerSecond,
        offered: load.offered,
        completed: load.completed,
        errors: load.errors + load.dropped,
        firstErrors: load.firstErrors,
        maxScheduleLagMs: load.maxScheduleLagMs,
        elapsedMs: load.elapsedMs,
        firstReply: firstReply.summary(),
        secondReply: secondReply.summary(),
        breakdown: hopBreakdown(timelines),
        messagesPerNewcomer,
        cpuMsPerNewcomer: ms((cpu.user + cpu.system) / 1000 / phones.measured.length),
        loadAverage: { before: loadBefore.map(ms), after: loadavg().map(ms) },
        statementsPerNewcomer: [...trace.statements]
          .map(([statement, cost]) => ({ statement, count: Math.round((cost.count / (phones.warmup.length + phones.measured.length)) * 100) / 100, meanMs: ms(cost.totalMs / cost.count) }))
          .sort((a, b) => b.count - a.count),
      };
    } finally {
      await host.close();
    }
  } finally {
    await db.close();
    await twilio.close();
    await rm(dataDir, { recursive: true, force: true });
    if (driver === 'postgres') await dropDatabase(DATABASE);
  }
}

/** Joins the generator's times with the job trace, through the jobs' payloads in the database. */
async function timelinesOf(
  db: Queryable,
  trace: JobTrace,
  phones: readonly string[],
  seen: { postedAt: Map<string, number>; acknowledgedAt: Map<string, number>; arrivals: Arrivals },
): Promise<AspirantTimeline[]> {
  const jobs = await db.query<{ id: string; type: string; phone: string }>(
    `SELECT j.id, j.type, a.phone
       FROM jobs j
       LEFT JOIN messages m ON j.type = 'message.send' AND m.id = (j.payload->>'messageId')::uuid
       LEFT JOIN conversations c ON c.id = m.conversation_id
       JOIN aspirants a ON a.id = coalesce(c.aspirant_id, (j.payload->>'aspirantId')::uuid)
      WHERE j.type IN ('bot.event', 'message.send')
      ORDER BY j.seq`,
  );
  const byPhone = new Map<string, { botEvents: JobTimes[]; sends: JobTimes[] }>();
  for (const job of jobs) {
    const times = trace.jobs.get(job.id) ?? {};
    const entry = byPhone.get(job.phone) ?? { botEvents: [], sends: [] };
    (job.type === 'bot.event' ? entry.botEvents : entry.sends).push(times);
    byPhone.set(job.phone, entry);
  }
  return phones.flatMap((phone) => {
    const postedAt = seen.postedAt.get(phone);
    const acknowledgedAt = seen.acknowledgedAt.get(phone);
    const jobsOfPhone = byPhone.get(phone);
    if (postedAt === undefined || acknowledgedAt === undefined || jobsOfPhone === undefined) return [];
    return [{ postedAt, acknowledgedAt, botEvents: jobsOfPhone.botEvents, sends: jobsOfPhone.sends, receivedAt: seen.arrivals.of(phone) }];
  });
}

const ms = (value: number) => Math.round(value * 100) / 100;

function tableRows(figures: DriverFigures): TableRow[] {
  const on = figures.driver === 'postgres' ? 'PostgreSQL' : 'PGlite';
  const target = `≤ ${TARGET_P99_MS} ms`;
  return [
    { figure: `${on}: webhook → first reply (welcome) p50`, value: ms(figures.firstReply.p50), unit: 'ms' },
    { figure: `${on}: webhook → first reply (welcome) p99`, value: ms(figures.firstReply.p99), unit: 'ms', target, met: figures.firstReply.p99 <= TARGET_P99_MS && figures.errors === 0 },
    { figure: `${on}: webhook → second message (form link) p50`, value: ms(figures.secondReply.p50), unit: 'ms' },
    { figure: `${on}: webhook → second message (form link) p99`, value: ms(figures.secondReply.p99), unit: 'ms' },
    { figure: `${on}: newcomers answered / offered (${figures.ratePerSecond}/s)`, value: `${figures.completed}/${figures.offered}`, met: figures.errors === 0 },
    ...HOPS.map((hop) => {
      const summary = figures.breakdown.hops[hop];
      return { figure: `${on}: ${hop} p50 / p99`, value: `${ms(summary.p50)} / ${ms(summary.p99)}`, unit: 'ms' };
    }),
    { figure: `${on}: CPU of the host process per newcomer`, value: figures.cpuMsPerNewcomer, unit: 'ms' },
  ];
}

export const benchmark: Benchmark = {
  name: 'bot',
  description: 'inbound "Hola" webhook → the bot\'s welcome and form link received by the (local) Twilio API, local LLM provider, open model',
  async run() {
    if (process.env.POWERTOOLS_LOG_LEVEL === undefined) logger.setLogLevel('ERROR');
    const count = Math.round(envNumber('BENCH_BOT_COUNT', 300));
    const warmupCount = Math.round(envNumber('BENCH_BOT_WARMUP', 30));
    const rates: Record<Driver, number> = {
      postgres: envNumber('BENCH_BOT_RATE', 10),
      // PGlite runs in the host's own thread, one statement at a time, at about a quarter second of CPU per newcomer
      // (status callbacks and live events included): 10/s would only measure its queue.
      pglite: envNumber('BENCH_BOT_PGLITE_RATE', 2),
    };
    const all = seededPhones(warmupCount + count);
    const phones = { warmup: all.slice(0, warmupCount), measured: all.slice(warmupCount) };
    const results: DriverFigures[] = [];
    for (const driver of envChoices('BENCH_BOT_DRIVERS', drivers, drivers)) results.push(await runOn(driver, phones, rates[driver]));
    return {
      figures: { count, warmupCount, ratesPerSecond: rates, targetP99Ms: TARGET_P99_MS, runs: results },
      table: results.flatMap(tableRows),
    };
  },
};
