import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Db } from '../../functions/data/db.ts';
import { openPostgresDb } from '../../functions/data/drivers/postgres.ts';
import { WEBHOOK_PATHS } from '../../functions/webhooks/routes.ts';
import { eventually, launchChromium, newContext } from '../../e2e/support/browser.ts';
import { signIn } from '../../e2e/support/console.ts';
import { scrollThroughInbox } from '../../e2e/support/inPage.ts';
import { seedScaleInbox } from '../../e2e/support/scaleInbox.ts';
import { startFakeTwilioApi } from '../../infra/local/providers/twilioApi.ts';
import { signedTwilioWebhook, twilioInboundParams } from '../../infra/local/providers/twilioWebhooks.ts';
import { consoleDistDir, ensureConsoleBuilt } from '../../web/build.ts';
import type { Benchmark, BenchReport, TableRow } from '../lib/benchmark.ts';
import { BENCH_SEED_PASSWORD, type BenchHost, startBenchHost, twilioHostEnv } from '../lib/benchHost.ts';
import { dropDatabase, freshDatabase } from '../lib/database.ts';
import { LatencyHistogram, type LatencySummary } from '../lib/histogram.ts';
import { envNumber } from '../lib/env.ts';
import { BENCH_SEED, seededRandom } from '../lib/random.ts';
import { type AssetSize, assetSizes, builtAssets, inKB, initialAssetsOf, isScript, isStylesheet, totalOf } from './bundle.ts';
import { arrivalInThread, awaitInThread, installThreadProbe, KEEP_NAMES_HELPER, loadedAssets } from './inPage.ts';

/**
 * The recruiter console in headless Chromium against the local host, a child process as `npm start` runs it
 * (so the benchmark's own work does not share the host's event loop), on a fresh PostgreSQL database:
 * (1) webhook → message rendered in the open thread, (2) an inbox of ten thousand conversations: rows in the
 * DOM and frame times while scrolling, (3) the JavaScript and CSS the console loads, gzipped.
 */

const settings = {
  /** Measured webhooks into the open thread. */
  messages: envNumber('BENCH_CONSOLE_MESSAGES', 100, { whole: true }),
  /** Unrecorded webhooks before them. */
  warmup: envNumber('BENCH_CONSOLE_WARMUP', 10, { whole: true, minimum: 0 }),
  /** From one webhook's POST to the next one's. */
  spacingMs: envNumber('BENCH_CONSOLE_SPACING_MS', 200, { whole: true, minimum: 0 }),
  /** Conversations seeded into the inbox for the scrolling part (besides the demo agency's). */
  conversations: envNumber('BENCH_CONSOLE_CONVERSATIONS', 10_000, { whole: true, minimum: 0 }),
  /** How long the inbox is scrolled from top to bottom. */
  scrollMs: envNumber('BENCH_CONSOLE_SCROLL_SECONDS', 5, { whole: true }) * 1000,
};

const DATABASE = 'bench_console';
const TWILIO = { accountSid: 'ACc0501ec0501ec0501ec0501ec0501ec0', authToken: 'be9c4c0be9c4c0be9c4c0be9c4c0be9c', sender: '+14155238886' };
const ASPIRANT = { phone: '+12125550199', name: 'Bench Aspirant' };
/** A rendered message later than this counts as lost; more lost than that many ends the benchmark. */
const RENDER_TIMEOUT_MS = 10_000;
const MAX_LOST = 5;
/** One 60 Hz frame: a delta between animation frames above it means at least one frame was dropped. */
const FRAME_BUDGET_MS = 1000 / 60;
const WORDS = ['hola', 'quiero', 'ser', 'modelo', 'tengo', 'fotos', 'mañana', 'puedo', 'ir', 'al', 'casting', 'gracias', 'cuándo', 'dónde', 'sí'];

const target = {
  renderedP95Ms: 100,
  inboxRows: 100,
  initialJsKB: 200,
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const benchmark: Benchmark = {
  name: 'console',
  description:
    'Recruiter console in headless Chromium, local host (child process) on PostgreSQL: webhook → message rendered in the open thread; ' +
    'an inbox of 10,000 conversations (rows in the DOM, frame times while scrolling); initial JavaScript and CSS (gzip -9)',
  async run(): Promise<BenchReport> {
    const loadAverageAtStart = loadavg();
    const build = await timed(ensureConsoleBuilt);
    const bundle = await measureBuild();
    const databaseUrl = await freshDatabase(DATABASE);
    const twilio = await startFakeTwilioApi({ accountSid: TWILIO.accountSid, authToken: TWILIO.authToken });
    let host: BenchHost | undefined;
    let browser: Browser | undefined;
    let db: Db | undefined;
    try {
      host = await startBenchHost({ DATABASE_URL: databaseUrl, ...twilioHostEnv(TWILIO, twilio.url) });
      browser = await launchChromium();
      // The host migrated and seeded it; the benchmark reads it and seeds the large inbox straight in SQL.
      db = await openPostgresDb(databaseUrl);
      const signInPage = await assetsOfSignInPage(browser, host);
      const webhook = await webhookToRendered(browser, host, db);
      const inbox = await inboxAtScale(browser, host, db);
      const loaded = { signInPage: await sized(signInPage), console: await sized(webhook.consoleAssets) };
      // Other work on the machine shows in latencies and frame times (not much in main-thread CPU).
      const loadAverage = { atStart: loadAverageAtStart, atEnd: loadavg() };
      return report({ build, bundle, loaded, webhook, inbox, loadAverage });
    } finally {
      await browser?.close();
      await db?.close();
      await host?.stop();
      await twilio.close();
      await dropDatabase(DATABASE);
    }
  },
};

/** A browser context (its own profile, signed-in user) whose pages run the benchmark's in-page probes. */
async function probedContext(browser: Browser): Promise<BrowserContext> {
  const context = await newContext(browser);
  await context.addInitScript({ content: KEEP_NAMES_HELPER });
  await context.addInitScript(installThreadProbe);
  return context;
}

/**
 * The page's main-thread CPU time from now on: unlike latencies and frame times, it barely depends on what
 * else the machine is doing.
 */
async function mainThreadCpu(page: Page): Promise<{ spentMs(): Promise<number> }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const threadSeconds = async () => (await cdp.send('Performance.getMetrics')).metrics.find((metric) => metric.name === 'ThreadTime')!.value;
  const start = await threadSeconds();
  return { spentMs: async () => Math.round(((await threadSeconds()) - start) * 1000) };
}

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await work();
  return { result, ms: Math.round(performance.now() - started) };
}

// ---- (3) What the build holds, and what index.html loads before any script runs.

async function measureBuild() {
  const indexHtml = await readFile(join(consoleDistDir, 'index.html'), 'utf8');
  const everything = await assetSizes(consoleDistDir, await builtAssets(consoleDistDir));
  const fromIndexHtml = await assetSizes(consoleDistDir, initialAssetsOf(indexHtml));
  return { everything, fromIndexHtml };
}

const sized = (paths: readonly string[]) => assetSizes(consoleDistDir, paths);

/** The sign-in page as a recruiter first opens the console: every script and stylesheet it loaded until the form showed. */
async function assetsOfSignInPage(browser: Browser, host: BenchHost): Promise<string[]> {
  const context = await probedContext(browser);
  try {
    const page = await context.newPage();
    await page.goto(host.url);
    await page.getByLabel('Email').waitFor();
    return await page.evaluate(loadedAssets);
  } finally {
    await context.close();
  }
}

// ---- (1) Webhook → rendered in the open thread.

interface MessageTiming {
  readonly index: number;
  /** From just before the POST: its acknowledgement, the WebSocket frame in the page, the DOM, the next frame (ms). */
  readonly ackMs: number;
  readonly socketMs: number | null;
  readonly renderedMs: number | null;
  readonly frameMs: number | null;
}

/** An aspirant's message as Twilio posts it, signed for the host's public URL (its own URL here). */
async function postInbound(host: BenchHost, body: string): Promise<void> {
  const params = twilioInboundParams({ accountSid: TWILIO.accountSid, from: ASPIRANT.phone, to: TWILIO.sender, body, profileName: ASPIRANT.name });
  const webhook = signedTwilioWebhook(TWILIO.authToken, `${host.url}${WEBHOOK_PATHS.twilioMessages}`, params);
  const answer = await fetch(`${host.url}${WEBHOOK_PATHS.twilioMessages}`, { method: 'POST', headers: webhook.headers, body: webhook.body });
  await answer.arrayBuffer();
  if (answer.status !== 200) throw new Error(`the webhook answered ${answer.status}`);
}

/**
 * A recruiter has taken the conversation over from the bot and has it open; the aspirant writes one message
 * every `spacingMs`, each timed from just before its POST to its text in the thread's DOM.
 */
async function webhookToRendered(browser: Browser, host: BenchHost, db: Db) {
  await postInbound(host, 'Hola, quiero ser modelo');
  const [conversation] = await db.query<{ id: string }>(
    `SELECT c.id FROM conversations c JOIN aspirants a ON a.id = c.aspirant_id WHERE a.phone = :phone`,
    { phone: ASPIRANT.phone },
  );
  if (!conversation) throw new Error('the first webhook created no conversation');
  const token = await host.tokenFor('recruiter1@example.com');
  const takeOver = await fetch(`${host.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: token },
    body: JSON.stringify({ query: 'mutation ($id: ID!) { takeOverConversation(conversationId: $id) { id } }', variables: { id: conversation.id } }),
  });
  const answer = (await takeOver.json()) as { errors?: unknown };
  if (answer.errors) throw new Error(`takeOverConversation failed: ${JSON.stringify(answer.errors)}`);

  const context = await probedContext(browser);
  try {
    const page = await signIn(context, host, 'recruiter1@example.com', `/conversations/${conversation.id}`, BENCH_SEED_PASSWORD);
    await page.locator('.message').filter({ hasText: 'Hola, quiero ser modelo' }).waitFor();
    await eventually('the console is live', async () => (await page.locator('.connection').getAttribute('data-status')) === 'live');
    const consoleAssets = await page.evaluate(loadedAssets);

    const random = seededRandom(BENCH_SEED);
    const sentence = () => Array.from({ length: 3 + Math.floor(random() * 12) }, () => WORDS[Math.floor(random() * WORDS.length)]).join(' ');
    const timings: MessageTiming[] = [];
    let lost = 0;
    let cpu: Awaited<ReturnType<typeof mainThreadCpu>> | undefined;

    for (let index = 0; index < settings.warmup + settings.messages; index += 1) {
      if (index === settings.warmup) cpu = await mainThreadCpu(page);
      const text = `Bench ${String(index).padStart(4, '0')}: ${sentence()}`;
      await page.evaluate(awaitInThread, text);
      const postedAt = Date.now();
      await postInbound(host, text);
      const ackMs = Date.now() - postedAt;
      const arrival = await page.evaluate(arrivalInThread, [text, RENDER_TIMEOUT_MS] as const);
      lost += arrival === null ? 1 : 0;
      if (lost > MAX_LOST) throw new Error(`${lost} messages were not rendered within ${RENDER_TIMEOUT_MS} ms each`);
      if (index >= settings.warmup) {
        timings.push({
          index: index - settings.warmup,
          ackMs,
          socketMs: arrival?.socketAt == null ? null : arrival.socketAt - postedAt,
          renderedMs: arrival ? arrival.domAt - postedAt : null,
          frameMs: arrival ? arrival.frameAt - postedAt : null,
        });
      }
      await sleep(postedAt + settings.spacingMs - Date.now());
    }
    const mainThreadCpuPerMessageMs = cpu === undefined ? null : Math.round(((await cpu.spentMs()) / settings.messages) * 100) / 100;
    return { conversationId: conversation.id, consoleAssets, mainThreadCpuPerMessageMs, timings, ...summarizeTimings(timings) };
  } finally {
    await context.close();
  }
}

function histogramOf(values: readonly (number | null)[]): LatencySummary {
  const histogram = new LatencyHistogram();
  for (const value of values) if (value !== null) histogram.recordMs(value);
  return histogram.summary();
}

function summarizeTimings(timings: readonly MessageTiming[]) {
  return {
    lost: timings.filter((timing) => timing.renderedMs === null).length,
    rendered: histogramOf(timings.map((timing) => timing.renderedMs)),
    nextFrame: histogramOf(timings.map((timing) => timing.frameMs)),
    acknowledged: histogramOf(timings.map((timing) => timing.ackMs)),
    socket: histogramOf(timings.map((timing) => timing.socketMs)),
    socketToDom: histogramOf(timings.map((timing) => (timing.socketMs === null || timing.renderedMs === null ? null : timing.renderedMs - timing.socketMs))),
  };
}

// ---- (2) The inbox at scale.

type InboxList = ReturnType<Page['getByRole']>;

/** Scrolls to the end until the list knows its size (every page loaded); answers the size. */
async function loadWholeInbox(list: InboxList): Promise<number> {
  let size = -1;
  await eventually(
    'every conversation is loaded',
    async () => {
      await list.evaluate((element) => {
        const scroller = element as unknown as { scrollTop: number; scrollHeight: number };
        scroller.scrollTop = scroller.scrollHeight;
      });
      size = Number(await list.getByRole('option').last().getAttribute('aria-setsize'));
      return size > 0;
    },
    300_000,
  );
  return size;
}

async function inboxAtScale(browser: Browser, host: BenchHost, db: Db) {
  const seeding = await timed(() => seedScaleInbox(db, settings.conversations));
  const context = await probedContext(browser);
  try {
    const page = await signIn(context, host, 'admin@example.com', '/', BENCH_SEED_PASSWORD);
    const list = page.getByRole('listbox', { name: 'Conversations' });
    await list.getByRole('option').first().waitFor();
    const rowsOnFirstScreen = await list.getByRole('option').count();
    const loading = await timed(() => loadWholeInbox(list));
    await list.evaluate((element) => void ((element as unknown as { scrollTop: number }).scrollTop = 0));

    const cpu = await mainThreadCpu(page);
    const frames = await list.evaluate(scrollThroughInbox, settings.scrollMs);
    const cpuMs = await cpu.spentMs();
    return {
      seededConversations: settings.conversations,
      seedMs: seeding.ms,
      conversationsInList: loading.result,
      loadAllPagesMs: loading.ms,
      rowsOnFirstScreen,
      maxRowsWhileScrolling: frames.maxRows,
      scrollMs: settings.scrollMs,
      frames: frames.frameMs.length,
      frameTime: histogramOf(frames.frameMs),
      droppedFrames: frames.frameMs.filter((ms) => ms > FRAME_BUDGET_MS + 0.05).length,
      mainThreadCpuPerFrameMs: Math.round((cpuMs / Math.max(1, frames.frameMs.length)) * 100) / 100,
      frameTimesMs: frames.frameMs.map((ms) => Math.round(ms * 100) / 100),
    };
  } finally {
    await context.close();
  }
}

// ---- The report.

interface Measured {
  readonly build: { readonly result: 'fresh' | 'built'; readonly ms: number };
  readonly bundle: { readonly everything: AssetSize[]; readonly fromIndexHtml: AssetSize[] };
  readonly loaded: { readonly signInPage: AssetSize[]; readonly console: AssetSize[] };
  readonly webhook: Awaited<ReturnType<typeof webhookToRendered>>;
  readonly inbox: Awaited<ReturnType<typeof inboxAtScale>>;
  /** os.loadavg() (1, 5 and 15 minutes) when the benchmark started and ended. */
  readonly loadAverage: { readonly atStart: number[]; readonly atEnd: number[] };
}

function report({ build, bundle, loaded, webhook, inbox, loadAverage }: Measured): BenchReport {
  const gzipKB = (sizes: readonly AssetSize[], kind: (path: string) => boolean) => inKB(totalOf(sizes, kind).gzipBytes);
  // What a recruiter downloads from opening the console to a conversation on screen (the sign-in page included).
  const initialJsKB = gzipKB(loaded.console, isScript);
  const table: TableRow[] = [
    { figure: 'webhook → rendered in the open thread, p50', value: webhook.rendered.p50, unit: 'ms' },
    { figure: 'webhook → rendered in the open thread, p95', value: webhook.rendered.p95, unit: 'ms', target: `≤ ${target.renderedP95Ms} ms`, met: webhook.rendered.p95 <= target.renderedP95Ms && webhook.lost === 0 },
    { figure: 'webhook → next frame after render, p95', value: webhook.nextFrame.p95, unit: 'ms' },
    { figure: 'webhook → WebSocket frame in the page, p95', value: webhook.socket.p95, unit: 'ms' },
    { figure: 'webhook acknowledged, p95', value: webhook.acknowledged.p95, unit: 'ms' },
    { figure: 'console main-thread CPU per message', value: webhook.mainThreadCpuPerMessageMs ?? '-', unit: 'ms' },
    { figure: 'messages never rendered', value: `${webhook.lost} of ${webhook.timings.length}` },
    { figure: `inbox rows in the DOM, most while scrolling ${inbox.conversationsInList}`, value: inbox.maxRowsWhileScrolling, target: `< ${target.inboxRows}`, met: inbox.maxRowsWhileScrolling < target.inboxRows },
    { figure: 'inbox scrolling frame time p50 / p95 / max', value: `${inbox.frameTime.p50} / ${inbox.frameTime.p95} / ${inbox.frameTime.max}`, unit: 'ms' },
    { figure: `inbox scrolling frames over ${FRAME_BUDGET_MS.toFixed(1)} ms`, value: `${inbox.droppedFrames} of ${inbox.frames}` },
    { figure: 'inbox scrolling main-thread CPU per frame', value: inbox.mainThreadCpuPerFrameMs, unit: 'ms' },
    { figure: 'initial JS: sign-in to an open conversation (gzip)', value: initialJsKB, unit: 'KB', target: `≤ ${target.initialJsKB} KB`, met: initialJsKB <= target.initialJsKB },
    { figure: 'initial CSS: sign-in to an open conversation (gzip)', value: gzipKB(loaded.console, isStylesheet), unit: 'KB' },
    { figure: 'JS of the sign-in page alone (gzip)', value: gzipKB(loaded.signInPage, isScript), unit: 'KB' },
    { figure: 'JS named in index.html: entry + modulepreloads (gzip)', value: gzipKB(bundle.fromIndexHtml, isScript), unit: 'KB' },
    { figure: 'all JS chunks / all CSS (gzip)', value: `${gzipKB(bundle.everything, isScript)} / ${gzipKB(bundle.everything, isStylesheet)}`, unit: 'KB' },
  ];
  const totals = (sizes: readonly AssetSize[]) => ({ js: totalOf(sizes, isScript), css: totalOf(sizes, isStylesheet), files: sizes });
  return {
    figures: {
      settings: { ...settings, database: 'PostgreSQL (fresh database; the local host as a child process)', kilobyte: 1024, renderTimeoutMs: RENDER_TIMEOUT_MS },
      loadAverage,
      consoleBuild: { result: build.result, ms: build.ms },
      webhookToRendered: webhook,
      inbox,
      bundle: {
        signInPage: totals(loaded.signInPage),
        signedInConsole: totals(loaded.console),
        indexHtml: totals(bundle.fromIndexHtml),
        everything: totals(bundle.everything),
      },
    },
    table,
  };
}
