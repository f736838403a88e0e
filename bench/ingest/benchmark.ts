import pg from 'pg';
import { publicWebhookUrl } from '../../functions/channels/provider.ts';
import { WEBHOOK_PATHS } from '../../functions/webhooks/routes.ts';
import { startFakeTwilioApi } from '../../infra/local/providers/twilioApi.ts';
import type { Benchmark, TableRow } from '../lib/benchmark.ts';
import { settle, startBenchHost, twilioHostEnv, type BenchHost } from '../lib/benchHost.ts';
import { dropDatabase, freshDatabase } from '../lib/database.ts';
import type { LatencySummary } from '../lib/histogram.ts';
import { runOpenLoad } from '../lib/openLoad.ts';
import { cpuTimeMs, processMemory, sampleMemory, type ProcessMemory } from '../lib/processes.ts';
import { envNumber, envWholeNumbers } from '../lib/env.ts';
import { BENCH_SEED, seededRandom } from '../lib/random.ts';
import { InboxWatcher } from './deliveries.ts';
import { measureInsertLimit, type InsertLimit } from './insertLimit.ts';
import { inboundMessage, phonePool, shuffled, signedInbound, TWILIO, WebhookPoster, type SignedWebhook } from './traffic.ts';

/**
 * Ingestion under open-model load: the local host as a child process on PostgreSQL, Twilio pointed at a local
 * endpoint speaking its API (the bot's replies go there, and its status callbacks come back as webhooks), and
 * signed inbound webhooks at rising fixed rates from a pool of distinct aspirants. Per rate: acknowledgement
 * latency, errors, and the time until an admin's real-time inbox subscription shows the message; between
 * rates, the job backlog the load left and a pause for the worker to drain it. Then, on the same database
 * server, the limit for the same rows inserted directly (insertLimit.ts), and the host's memory throughout.
 */

const SETTINGS = {
  rates: envWholeNumbers('BENCH_INGEST_RATES', [100, 250, 500, 1_000, 2_000]),
  secondsPerRate: envNumber('BENCH_INGEST_SECONDS', 20),
  /** The longest pause after a rate for the worker to drain the jobs it caused. */
  drainSeconds: envNumber('BENCH_INGEST_DRAIN_SECONDS', 30),
  insertLimitSeconds: envNumber('BENCH_INGEST_LIMIT_SECONDS', 10),
  /** BENCH_INGEST_BOT=false measures ingestion without the bot's turns and replies (their jobs are acknowledged and dropped). */
  botEnabled: process.env.BENCH_INGEST_BOT !== 'false',
  aspirants: 50_000,
  warmup: { rate: 50, seconds: 5 },
  idleSettleMs: 5_000,
  ackTimeoutMs: 10_000,
  /** How long after a rate's last webhook its subscription events may still arrive. */
  deliveryGraceMs: 5_000,
};

/** A rate that fails more than this share of its webhooks ends the ladder: the host is overloaded. */
const OVERLOAD_ERROR_SHARE = 0.1;
const TARGETS = { sustainedRate: 1_000, ackP99Ms: 25, deliveryP99Ms: 50, insertLimitShare: 0.5, sustainedAckP99Ms: 100 };
const DATABASE = 'bench_ingest';
const LIMIT_DATABASE = 'bench_ingest_limit';
const ADMIN = 'admin@example.com';

interface JobBacklog {
  readonly open: number;
  readonly byTypeAndStatus: Record<string, number>;
}

interface RateResult {
  readonly rate: number;
  readonly offered: number;
  readonly acknowledged: number;
  readonly errors: number;
  readonly dropped: number;
  readonly firstErrors: string[];
  readonly ack: LatencySummary;
  readonly delivery: LatencySummary;
  /** Acknowledged messages whose inbox event did not arrive within the grace period. */
  readonly deliveriesMissing: number;
  readonly subscriptionErrors: unknown[];
  /** Acknowledged MessageSids found stored (every acknowledged one must be). */
  readonly acknowledgedStored: number;
  readonly maxScheduleLagMs: number;
  readonly elapsedMs: number;
  readonly backlogAfterLoad: JobBacklog;
  readonly backlogAfterPause: JobBacklog;
  readonly pauseMs: number;
  readonly rssAfterMiB: number;
  /** CPU time per acknowledged message during the load: the host (webhooks, live events, the worker), its PostgreSQL backends, this generator. */
  readonly cpuMsPerMessage: CpuShares;
  /** From the start of the load to the end of the pause: the bot's replies the provider accepted, and the status callbacks it posted back (refused: not answered 200). */
  readonly provider: { readonly botReplies: number; readonly statusCallbacks: number; readonly statusCallbacksRefused: number };
  readonly sustained: boolean;
}

interface CpuShares {
  readonly host: number;
  readonly postgres: number;
  readonly generator: number;
}

/** CPU time used so far by the host, by the PostgreSQL backends serving the benchmark's database, and by this process. */
async function cpuSnapshot(db: pg.Client, hostPid: number): Promise<{ host: number; postgres: Map<number, number>; generator: number }> {
  const backends = (await db.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()')).rows;
  const postgres = new Map(await Promise.all(backends.map(async ({ pid }) => [pid, await cpuTimeMs(pid)] as const)));
  const generator = process.cpuUsage();
  return { host: await cpuTimeMs(hostPid), postgres, generator: (generator.user + generator.system) / 1000 };
}

function cpuPerMessage(before: Awaited<ReturnType<typeof cpuSnapshot>>, after: Awaited<ReturnType<typeof cpuSnapshot>>, messages: number): CpuShares {
  // A backend that started during the load counts from zero; one that ended during it is missed (pools keep busy connections).
  const postgres = [...after.postgres].reduce((sum, [pid, ms]) => sum + ms - (before.postgres.get(pid) ?? 0), 0);
  const per = (ms: number) => (messages > 0 ? Math.round((ms / messages) * 100) / 100 : 0);
  return { host: per(after.host - before.host), postgres: per(postgres), generator: per(after.generator - before.generator) };
}

async function jobBacklog(db: pg.Client): Promise<JobBacklog> {
  const rows = (await db.query<{ type: string; status: string; count: number }>(
    `SELECT type, status, count(*)::int AS count FROM jobs WHERE status IN ('pending', 'running') GROUP BY type, status ORDER BY type, status`,
  )).rows;
  return {
    open: rows.reduce((sum, row) => sum + row.count, 0),
    byTypeAndStatus: Object.fromEntries(rows.map((row) => [`${row.type} ${row.status}`, row.count])),
  };
}

async function drain(db: pg.Client, maxMs: number): Promise<{ backlog: JobBacklog; pauseMs: number }> {
  const started = performance.now();
  let backlog = await jobBacklog(db);
  while (backlog.open > 0 && performance.now() - started < maxMs) {
    await settle(1_000);
    backlog = await jobBacklog(db);
  }
  return { backlog, pauseMs: Math.round(performance.now() - started) };
}

async function storedCount(db: pg.Client, messageSids: readonly string[]): Promise<number> {
  const [row] = (await db.query<{ stored: number }>('SELECT count(*)::int AS stored FROM messages WHERE provider_message_id = ANY($1::text[])', [messageSids])).rows;
  return row!.stored;
}

/** Every webhook of a load, signed before it starts: signing is the provider's cost, not the host's. */
function prepareLoad(random: () => number, phones: readonly string[], count: number, signedUrl: string, firstSequence: number): SignedWebhook[] {
  const order = shuffled(random, phones);
  return Array.from({ length: count }, (_, index) => signedInbound(inboundMessage(random, order[index % order.length]!, firstSequence + index), signedUrl));
}

interface Loaded {
  readonly acknowledgedSids: string[];
  readonly result: Awaited<ReturnType<typeof runOpenLoad>>;
}

async function postAtRate(poster: WebhookPoster, watcher: InboxWatcher, webhooks: readonly SignedWebhook[], rate: number): Promise<Loaded> {
  const acknowledgedSids: string[] = [];
  const result = await runOpenLoad({
    ratePerSecond: rate,
    durationMs: (webhooks.length / rate) * 1000,
    fire: async (index) => {
      const webhook = webhooks[index]!;
      watcher.expect(webhook.messageSid);
      const status = await poster.post(webhook).catch((error: unknown) => {
        watcher.forget(webhook.messageSid);
        throw error;
      });
      if (status !== 200) {
        watcher.forget(webhook.messageSid);
        throw new Error(`answered ${status}`);
      }
      acknowledgedSids.push(webhook.messageSid);
    },
  });
  return { acknowledgedSids, result };
}

interface IngestFigures {
  readonly settings: typeof SETTINGS;
  readonly rates: RateResult[];
  /** Rates not run because an earlier one failed more than OVERLOAD_ERROR_SHARE of its webhooks. */
  readonly skippedRates: number[];
  readonly highestSustainedRate: number | null;
  readonly insertLimit: InsertLimit;
  readonly sustainedShareOfInsertLimit: number;
  readonly memory: { readonly idle: ProcessMemory; readonly end: ProcessMemory; readonly peakSampledMiB: number };
  readonly messagesInDatabase: number;
}

async function runIngest(): Promise<IngestFigures> {
  const random = seededRandom(BENCH_SEED);
  const phones = phonePool(random, SETTINGS.aspirants);
  const databaseUrl = await freshDatabase(DATABASE);
  // What the provider saw of the bot: replies accepted, and status callbacks posted back with the host's answers.
  const provider = { replies: 0, callbacks: 0, callbacksRefused: 0 };
  const twilio = await startFakeTwilioApi({
    accountSid: TWILIO.accountSid,
    authToken: TWILIO.authToken,
    onActivity: (activity) => {
      if (activity.kind === 'sent') provider.replies += 1;
      else {
        provider.callbacks += 1;
        if (activity.answer !== 200) provider.callbacksRefused += 1;
      }
    },
  });
  let host: BenchHost | undefined;
  let watcher: InboxWatcher | undefined;
  let poster: WebhookPoster | undefined;
  const db = new pg.Client({ connectionString: databaseUrl });
  try {
    host = await startBenchHost({ DATABASE_URL: databaseUrl, ...twilioHostEnv(TWILIO, twilio.url), BOT_ENABLED: String(SETTINGS.botEnabled) });
    await db.connect();
    await settle(SETTINGS.idleSettleMs);
    const idle = await host.memory();
    watcher = await InboxWatcher.connect(host.url, await host.tokenFor(ADMIN));
    poster = new WebhookPoster(`${host.url}${WEBHOOK_PATHS.twilioMessages}`, SETTINGS.ackTimeoutMs);
    const signedUrl = publicWebhookUrl(host.url, WEBHOOK_PATHS.twilioMessages);
    const sampler = sampleMemory(host.pid);
    let sequence = 0;

    const warmupCount = SETTINGS.warmup.rate * SETTINGS.warmup.seconds;
    await postAtRate(poster, watcher, prepareLoad(random, phones, warmupCount, signedUrl, sequence), SETTINGS.warmup.rate);
    sequence += warmupCount;
    await watcher.settle(SETTINGS.deliveryGraceMs);
    watcher.forgetAll();
    watcher.takePeriod();
    await drain(db, SETTINGS.drainSeconds * 1000);

    const rates: RateResult[] = [];
    const skippedRates: number[] = [];
    for (const rate of SETTINGS.rates) {
      if (skippedRates.length > 0) break;
      const count = Math.round(rate * SETTINGS.secondsPerRate);
      const webhooks = prepareLoad(random, phones, count, signedUrl, sequence);
      sequence += count;
      const providerBefore = { ...provider };
      const cpuBefore = await cpuSnapshot(db, host.pid);
      const { acknowledgedSids, result } = await postAtRate(poster, watcher, webhooks, rate);
      const cpuAfter = await cpuSnapshot(db, host.pid);
      const deliveriesMissing = await watcher.settle(SETTINGS.deliveryGraceMs);
      watcher.forgetAll();
      const period = watcher.takePeriod();
      const backlogAfterLoad = await jobBacklog(db);
      const acknowledgedStored = await storedCount(db, acknowledgedSids);
      const ack = result.latency.summary();
      const pause = await drain(db, SETTINGS.drainSeconds * 1000);
      const rateResult: RateResult = {
        rate,
        offered: result.offered,
        acknowledged: acknowledgedSids.length,
        errors: result.errors,
        dropped: result.dropped,
        firstErrors: result.firstErrors,
        ack,
        delivery: period.latency.summary(),
        deliveriesMissing,
        subscriptionErrors: period.errors,
        acknowledgedStored,
        maxScheduleLagMs: result.maxScheduleLagMs,
        elapsedMs: result.elapsedMs,
        backlogAfterLoad,
        backlogAfterPause: pause.backlog,
        pauseMs: pause.pauseMs,
        rssAfterMiB: (await host.memory()).rssMiB,
        cpuMsPerMessage: cpuPerMessage(cpuBefore, cpuAfter, acknowledgedSids.length),
        provider: {
          botReplies: provider.replies - providerBefore.replies,
          statusCallbacks: provider.callbacks - providerBefore.callbacks,
          statusCallbacksRefused: provider.callbacksRefused - providerBefore.callbacksRefused,
        },
        sustained: result.errors === 0 && result.dropped === 0 && acknowledgedStored === acknowledgedSids.length && ack.p99 < TARGETS.sustainedAckP99Ms,
      };
      rates.push(rateResult);
      if (result.errors + result.dropped > OVERLOAD_ERROR_SHARE * result.offered) {
        // Higher rates would only measure a host still buried under this one's backlog, for minutes.
        skippedRates.push(...SETTINGS.rates.slice(SETTINGS.rates.indexOf(rate) + 1));
      }
      console.log(
        `  ${rate} msg/s: ack p50 ${ack.p50} p99 ${ack.p99} max ${ack.max} ms, delivery p50 ${rateResult.delivery.p50} p99 ${rateResult.delivery.p99} ms, ` +
          `errors ${result.errors + result.dropped}, acknowledged but not stored ${acknowledgedSids.length - acknowledgedStored}, missing events ${deliveriesMissing}, ` +
          `backlog ${backlogAfterLoad.open} → ${pause.backlog.open} jobs, bot replies ${rateResult.provider.botReplies}, ` +
          `CPU ms/message ${JSON.stringify(rateResult.cpuMsPerMessage)}`,
      );
    }
    const end = await processMemory(host.pid);
    const peakSampledMiB = await sampler.stop();
    const [stored] = (await db.query<{ count: number }>("SELECT count(*)::int AS count FROM messages WHERE direction = 'inbound'")).rows;
    const sustainedRates = rates.filter((result) => result.sustained).map((result) => result.rate);
    const highestSustainedRate = sustainedRates.length > 0 ? Math.max(...sustainedRates) : null;

    await db.end();
    watcher.close();
    watcher = undefined;
    await host.stop();
    host = undefined;
    await dropDatabase(DATABASE);

    const limitUrl = await freshDatabase(LIMIT_DATABASE);
    const insertLimit = await measureInsertLimit(limitUrl, phones, random, SETTINGS.insertLimitSeconds * 1000).finally(() => dropDatabase(LIMIT_DATABASE));
    return {
      settings: SETTINGS,
      rates,
      skippedRates,
      highestSustainedRate,
      insertLimit,
      sustainedShareOfInsertLimit: Math.round(((highestSustainedRate ?? 0) / insertLimit.rowsPerSecond) * 1000) / 1000,
      memory: { idle, end, peakSampledMiB: Math.max(peakSampledMiB, end.rssMiB) },
      messagesInDatabase: stored!.count,
    };
  } catch (error) {
    if (host) console.error(`the host's last output:\n${host.recentOutput()}`);
    throw error;
  } finally {
    poster?.close();
    watcher?.close();
    await db.end().catch(() => undefined);
    await host?.stop();
    await twilio.close();
    await dropDatabase(DATABASE);
  }
}

/** The latency targets, read at the target rate: measured, or missed because the ladder stopped below it. */
function targetRateRows(atTarget: RateResult | undefined, skipped: boolean): TableRow[] {
  if (atTarget === undefined && !skipped) return [];
  const notRun = 'not run';
  return [
    {
      figure: `p99 acknowledgement at ${TARGETS.sustainedRate} msg/s`,
      value: atTarget?.ack.p99 ?? notRun,
      ...(atTarget ? { unit: 'ms' } : {}),
      target: `≤ ${TARGETS.ackP99Ms} ms`,
      met: atTarget !== undefined && atTarget.ack.p99 <= TARGETS.ackP99Ms,
    },
    {
      figure: `p99 webhook → subscriber at ${TARGETS.sustainedRate} msg/s`,
      value: atTarget?.delivery.p99 ?? notRun,
      ...(atTarget ? { unit: 'ms' } : {}),
      target: `≤ ${TARGETS.deliveryP99Ms} ms`,
      met: atTarget !== undefined && atTarget.delivery.p99 <= TARGETS.deliveryP99Ms && atTarget.deliveriesMissing === 0,
    },
  ];
}

function table(figures: IngestFigures): TableRow[] {
  const perRate = figures.rates.map((result): TableRow => ({
    figure: `${result.rate} msg/s: ack p50/p99/max · delivery p50/p99 · errors · backlog`,
    value:
      `${result.ack.p50}/${result.ack.p99}/${result.ack.max} ms · ${result.delivery.p50}/${result.delivery.p99} ms · ` +
      `${result.errors + result.dropped} (${result.acknowledged - result.acknowledgedStored} lost, ${result.deliveriesMissing} events missing) · ${result.backlogAfterLoad.open} jobs`,
  }));
  const skipped = figures.skippedRates.map((rate): TableRow => ({
    figure: `${rate} msg/s`,
    value: `not run: an earlier rate failed over ${OVERLOAD_ERROR_SHARE * 100}% of its webhooks`,
  }));
  const atTarget = figures.rates.find((result) => result.rate === TARGETS.sustainedRate);
  const sustained = figures.highestSustainedRate ?? 0;
  return [
    ...perRate,
    ...skipped,
    {
      figure: 'highest rate sustained (no errors, p99 ack < 100 ms)',
      value: sustained,
      unit: 'msg/s',
      target: `≥ ${TARGETS.sustainedRate.toLocaleString('en')} msg/s`,
      met: sustained >= TARGETS.sustainedRate,
    },
    ...targetRateRows(atTarget, figures.skippedRates.includes(TARGETS.sustainedRate)),
    { figure: `insert limit (single-row INSERTs, ${figures.insertLimit.concurrency} connections)`, value: figures.insertLimit.rowsPerSecond, unit: 'rows/s' },
    {
      figure: 'highest sustained rate / insert limit',
      value: `${Math.round(figures.sustainedShareOfInsertLimit * 1000) / 10}%`,
      target: `≥ ${TARGETS.insertLimitShare * 100}%`,
      met: figures.sustainedShareOfInsertLimit >= TARGETS.insertLimitShare,
    },
    { figure: 'host RSS idle after start-up', value: figures.memory.idle.rssMiB, unit: 'MiB' },
    { figure: 'host RSS at the end of the load', value: figures.memory.end.rssMiB, unit: 'MiB' },
    { figure: 'host RSS peak during the load', value: figures.memory.peakSampledMiB, unit: 'MiB' },
  ];
}

export const benchmark: Benchmark = {
  name: 'ingest',
  description:
    `signed Twilio webhooks at ${SETTINGS.rates.join(', ')} msg/s for ${SETTINGS.secondsPerRate} s each from ${SETTINGS.aspirants.toLocaleString('en')} aspirants, ` +
    `host on PostgreSQL as a child process, bot ${SETTINGS.botEnabled ? 'on' : 'off'}; beside it the same-run limit of single-row message INSERTs`,
  async run() {
    const figures = await runIngest();
    return { figures: { ...figures }, table: table(figures) };
  },
};
