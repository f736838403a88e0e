import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db } from '../../functions/data/db.ts';
import { openPostgresDb } from '../../functions/data/drivers/postgres.ts';
import { pipelineStatuses } from '../../functions/domain/pipeline.ts';
import { parseConfig } from '../../functions/shared/config.ts';
import { startLocalHost } from '../../infra/local/host.ts';
import type { Benchmark, TableRow } from '../lib/benchmark.ts';
import type { LatencySummary } from '../lib/histogram.ts';
import { timeSequential } from '../lib/openLoad.ts';
import { envChoices, envNumber } from '../lib/env.ts';
import { BENCH_SEED, seededRandom } from '../lib/random.ts';
import { adminEmail, type AspirantPlan, aspirantPlans, BENCH_PASSWORD, type InboxSize, inboxSizes, messageCounts, recruiterEmail } from './dataset.ts';
import { consoleOperation } from './operations.ts';
import { seedInbox, type SeedSummary } from './seed.ts';
import { type RecordedStatement, StatementRecorder } from './statementRecorder.ts';

/**
 * The inbox at scale: for each size (200,000 and 2,000,000 messages, bench/inbox/dataset.ts), the in-process
 * local host on that PostgreSQL database answers the console's own GraphQL operations over HTTP — inbox first
 * pages for every filter and both sorts as a recruiter and as an admin, a thread's latest page and a page 50
 * pages back, searches by name prefix and phone suffix, aspirant detail — one request at a time after a
 * warm-up. The SQL each query ran is recorded during one request and EXPLAINed (ANALYZE, BUFFERS) into the JSON.
 *
 * BENCH_INBOX_REQUESTS (default 1000) timed requests per query, after BENCH_INBOX_WARMUP (default 100);
 * BENCH_INBOX_SIZES (default `200k,2m`) the sizes to run.
 */

const P99_TARGET_MS = 10;
const GROWTH_TARGET = 1.5;
/** The recruiter whose inbox is timed: an ordinary one of the 20, with ~1/21 of the assigned aspirants. */
const RECRUITER_NUMBER = 1;
const SAMPLED_TARGETS = 200;
const DEEP_THREADS = 20;
const PAGES_BACK = 50;

type CallerKind = 'admin' | 'recruiter';
type Data = Record<string, unknown>;

interface QuerySpec {
  readonly name: string;
  readonly caller: CallerKind;
  readonly document: string;
  readonly variables: (index: number) => Record<string, unknown>;
  /** How many rows the answer holds: every timed answer must hold at least one, so an empty or failed one cannot pass as fast. */
  readonly rows: (data: Data) => number;
}

const inboxDocument = consoleOperation('Inbox');
const threadDocument = consoleOperation('Thread');
const aspirantDocument = consoleOperation('AspirantPanel');
// The API's own search (the console searches through the inbox filter, timed too): what a result list shows.
const searchDocument = `query SearchAspirants($query: String!, $first: Int) {
  searchAspirants(query: $query, first: $first) {
    nodes { id displayName phone status optedOut assignee { id name } conversationId }
    pageInfo { hasNextPage endCursor }
  }
}`;
const threadCursorDocument = `query ThreadCursor($conversationId: ID!, $before: String) {
  thread(conversationId: $conversationId, before: $before) { pageInfo { hasNextPage endCursor } }
}`;

const nodesOf = (data: Data, field: string): number => ((data[field] as { nodes: unknown[] } | null)?.nodes ?? []).length;

/** What the timed requests ask for, drawn with the fixed seed from the dataset's own plans. */
interface Targets {
  readonly threadConversationIds: readonly string[];
  readonly longThreadIds: readonly string[];
  readonly aspirantIds: readonly string[];
  readonly namePrefixes: readonly string[];
  readonly phoneSuffixes: readonly string[];
}

function sampleTargets(size: InboxSize): Targets {
  const plans = aspirantPlans(size);
  const counts = messageCounts(size);
  const random = seededRandom(BENCH_SEED);
  const sample = <T>(candidates: readonly T[]): T[] => Array.from({ length: SAMPLED_TARGETS }, () => candidates[Math.floor(random() * candidates.length)]!);
  // Searches run as the recruiter: draw them from people the recruiter may see, so each finds someone.
  const visible = sample(plans.filter((plan) => plan.assignee === null || plan.assignee === RECRUITER_NUMBER));
  const searchedName = (plan: AspirantPlan) => plan.fullName ?? plan.whatsappName ?? '';
  return {
    threadConversationIds: sample(plans.filter((plan) => counts[plan.index]! >= 50)).map((plan) => plan.conversationId),
    longThreadIds: plans.filter((plan) => plan.longThread).slice(0, DEEP_THREADS).map((plan) => plan.conversationId),
    aspirantIds: sample(plans).map((plan) => plan.id),
    namePrefixes: visible.filter((plan) => /^\p{L}{4}/u.test(searchedName(plan))).map((plan) => searchedName(plan).slice(0, 4).toLowerCase()),
    phoneSuffixes: visible.map((plan) => plan.phone.slice(-4)),
  };
}

const rotate = <T>(items: readonly T[], index: number): T => items[index % items.length]!;

function querySpecs(targets: Targets, deepCursors: readonly { conversationId: string; before: string }[]): QuerySpec[] {
  const inbox = (name: string, caller: CallerKind, filter: Record<string, unknown> | null, sort = 'LAST_ACTIVITY'): QuerySpec => ({
    name,
    caller,
    document: inboxDocument,
    variables: () => ({ filter, sort, first: 50 }),
    rows: (data) => nodesOf(data, 'inbox'),
  });
  const inboxSearch = (name: string, terms: readonly string[]): QuerySpec => ({
    name,
    caller: 'recruiter',
    document: inboxDocument,
    variables: (index) => ({ filter: { search: rotate(terms, index) }, sort: 'LAST_ACTIVITY', first: 50 }),
    rows: (data) => nodesOf(data, 'inbox'),
  });
  const search = (name: string, terms: readonly string[]): QuerySpec => ({
    name,
    caller: 'recruiter',
    document: searchDocument,
    variables: (index) => ({ query: rotate(terms, index), first: 20 }),
    rows: (data) => nodesOf(data, 'searchAspirants'),
  });
  return [
    ...(['admin', 'recruiter'] as const).flatMap((caller) =>
      (['ALL', 'MINE', 'UNASSIGNED'] as const).map((assignee) => inbox(`inbox ${assignee} (${caller})`, caller, { assignee })),
    ),
    ...pipelineStatuses.map((status) => inbox(`inbox status ${status.toUpperCase()}`, 'recruiter', { statuses: [status.toUpperCase()] })),
    ...(['OPEN', 'CLOSING', 'CLOSED'] as const).map((window) => inbox(`inbox window ${window}`, 'recruiter', { window })),
    inbox('inbox opted out', 'recruiter', { optedOut: true }),
    inbox('inbox not opted out', 'recruiter', { optedOut: false }),
    inbox('inbox by window expiry (recruiter)', 'recruiter', null, 'WINDOW_EXPIRY'),
    inbox('inbox by window expiry (admin)', 'admin', null, 'WINDOW_EXPIRY'),
    inboxSearch('inbox search name prefix', targets.namePrefixes),
    inboxSearch('inbox search phone suffix', targets.phoneSuffixes),
    search('searchAspirants name prefix', targets.namePrefixes),
    search('searchAspirants phone suffix', targets.phoneSuffixes),
    {
      name: 'thread latest page',
      caller: 'admin',
      document: threadDocument,
      variables: (index) => ({ conversationId: rotate(targets.threadConversationIds, index), first: 50 }),
      rows: (data) => nodesOf(data, 'thread'),
    },
    {
      name: `thread ${PAGES_BACK} pages back`,
      caller: 'admin',
      document: threadDocument,
      variables: (index) => ({ ...rotate(deepCursors, index), first: 50 }),
      rows: (data) => nodesOf(data, 'thread'),
    },
    {
      name: 'aspirant detail',
      caller: 'admin',
      document: aspirantDocument,
      variables: (index) => ({ id: rotate(targets.aspirantIds, index) }),
      rows: (data) => (data.aspirant === null ? 0 : 1),
    },
  ];
}

interface ExplainedStatement {
  readonly sql: string;
  readonly params: RecordedStatement['params'];
  readonly planningMs?: number;
  readonly executionMs?: number;
  /** Tables read by a sequential scan: what to look at first when a query is slow. */
  readonly seqScans?: string[];
  readonly plan?: unknown;
  /** Why it was not explained (EXPLAIN ANALYZE would have executed a write). */
  readonly skipped?: string;
}

function seqScansIn(plan: unknown): string[] {
  const found: string[] = [];
  const walk = (node: Record<string, unknown>) => {
    if (node['Node Type'] === 'Seq Scan') found.push(String(node['Relation Name']));
    for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) walk(child);
  };
  walk(plan as Record<string, unknown>);
  return found;
}

async function explain(db: Db, statements: readonly RecordedStatement[]): Promise<ExplainedStatement[]> {
  const explained: ExplainedStatement[] = [];
  for (const { sql, params } of statements) {
    const text = sql.replace(/\s+/g, ' ').trim();
    if (!/^SELECT\b/i.test(text)) {
      explained.push({ sql: text, params, skipped: 'not a SELECT' });
      continue;
    }
    const [row] = await db.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`, params);
    const [result] = Object.values(row!)[0] as [{ Plan: unknown; 'Planning Time': number; 'Execution Time': number }];
    explained.push({
      sql: text,
      params,
      planningMs: result['Planning Time'],
      executionMs: result['Execution Time'],
      seqScans: seqScansIn(result.Plan),
      plan: result.Plan,
    });
  }
  return explained;
}

interface QueryResult {
  readonly caller: CallerKind;
  readonly exampleVariables: Record<string, unknown>;
  readonly rows: number;
  readonly latency: LatencySummary;
  readonly statements: ExplainedStatement[];
}

interface SizeResult {
  readonly seed: SeedSummary;
  readonly queries: Record<string, QueryResult>;
}

interface Settings {
  readonly requests: number;
  readonly warmup: number;
}

async function measureSize(size: InboxSize, settings: Settings): Promise<SizeResult> {
  const seed = await seedInbox(size, { progress: true });
  const targets = sampleTargets(size);
  const dataDir = await mkdtemp(join(tmpdir(), 'wasaprecruit-bench-inbox-'));
  const db = await openPostgresDb(seed.databaseUrl);
  const recorder = new StatementRecorder();
  // The data's windows are relative to the seed's reference time: the host's clock reads that time, whatever the date.
  const clockOffset = Date.parse(seed.referenceTime) - Date.now();
  try {
    const config = parseConfig({ NODE_ENV: 'production', PORT: '0', DATA_DIR: dataDir, DATABASE_URL: seed.databaseUrl, SEED_DEMO: 'false' });
    const host = await startLocalHost(config, { db: recorder.wrap(db), now: () => new Date(Date.now() + clockOffset) });
    try {
      const graphqlUrl = `${host.url}/graphql`;
      const tokens: Record<CallerKind, string> = {
        admin: await signIn(host.url, adminEmail),
        recruiter: await signIn(host.url, recruiterEmail(RECRUITER_NUMBER)),
      };
      const post = (caller: CallerKind, document: string, variables: Record<string, unknown>) => postGraphql(graphqlUrl, tokens[caller], document, variables);
      const deepCursors = await Promise.all(targets.longThreadIds.map(async (conversationId) => ({ conversationId, before: await cursorPagesBack(post, conversationId) })));
      const queries: Record<string, QueryResult> = {};
      for (const spec of querySpecs(targets, deepCursors)) {
        const send = async (index: number) => {
          const data = await post(spec.caller, spec.document, spec.variables(index));
          const rows = spec.rows(data);
          if (rows < 1) throw new Error(`${spec.name}: an empty answer for ${JSON.stringify(spec.variables(index))}`);
          return rows;
        };
        const latency = await timeSequential(settings.requests, settings.warmup, async (index) => void (await send(index)));
        let rows = 0;
        const statements = await recorder.during(async () => {
          rows = await send(0);
        });
        queries[spec.name] = { caller: spec.caller, exampleVariables: spec.variables(0), rows, latency: latency.summary(), statements: await explain(db, statements) };
        console.log(`  ${size.name} ${spec.name}: p50 ${queries[spec.name]!.latency.p50} ms, p99 ${queries[spec.name]!.latency.p99} ms`);
      }
      return { seed, queries };
    } finally {
      await host.close();
    }
  } finally {
    await db.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function signIn(url: string, email: string): Promise<string> {
  const response = await fetch(`${url}/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: email, password: BENCH_PASSWORD }),
  });
  if (response.status !== 200) throw new Error(`sign-in of ${email} failed with ${response.status}`);
  return ((await response.json()) as { idToken: string }).idToken;
}

async function postGraphql(url: string, token: string, query: string, variables: Record<string, unknown>): Promise<Data> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: token },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: Data | null; errors?: unknown[] };
  if (response.status !== 200 || body.errors !== undefined || !body.data) {
    throw new Error(`GraphQL answered ${response.status}: ${JSON.stringify(body.errors ?? body).slice(0, 500)}`);
  }
  return body.data;
}

/** Follows a thread's `before` cursors back PAGES_BACK pages of 50, as a reader scrolling up would. */
async function cursorPagesBack(post: (caller: CallerKind, document: string, variables: Record<string, unknown>) => Promise<Data>, conversationId: string): Promise<string> {
  let before: string | null = null;
  for (let page = 0; page < PAGES_BACK; page += 1) {
    const data = await post('admin', threadCursorDocument, { conversationId, before });
    const { pageInfo } = data.thread as { pageInfo: { hasNextPage: boolean; endCursor: string | null } };
    if (!pageInfo.hasNextPage || pageInfo.endCursor === null) throw new Error(`conversation ${conversationId} has fewer than ${PAGES_BACK + 1} pages`);
    before = pageInfo.endCursor;
  }
  return before!;
}

const round = (value: number) => Math.round(value * 100) / 100;

function tableRows(results: Readonly<Record<string, SizeResult>>): TableRow[] {
  const small = results['200k'];
  const large = results['2m'];
  const names = Object.keys((large ?? small)!.queries);
  return names.map((name) => {
    const smallLatency = small?.queries[name]?.latency;
    const largeLatency = large?.queries[name]?.latency;
    const cells = [
      smallLatency ? `200k ${smallLatency.p50}/${smallLatency.p99}` : null,
      largeLatency ? `2m ${largeLatency.p50}/${largeLatency.p99}` : null,
    ].filter((cell) => cell !== null);
    const growth = smallLatency && largeLatency ? round(largeLatency.p99 / smallLatency.p99) : null;
    const met = largeLatency ? largeLatency.p99 <= P99_TARGET_MS && (growth === null || growth <= GROWTH_TARGET) : undefined;
    return {
      figure: `${name} p50/p99`,
      value: `${cells.join(' · ')} ms${growth === null ? '' : ` · ×${growth}`}`,
      target: `2m p99 ≤ ${P99_TARGET_MS} ms, ≤ ${GROWTH_TARGET}× 200k`,
      ...(met === undefined ? {} : { met }),
    };
  });
}

export const benchmark: Benchmark = {
  name: 'inbox',
  description: 'Console queries through GraphQL over HTTP at 200,000 and 2,000,000 messages (PostgreSQL), p50/p99 and EXPLAIN ANALYZE',
  async run() {
    const requests = envNumber('BENCH_INBOX_REQUESTS', 1000, { whole: true });
    const settings = { requests, warmup: envNumber('BENCH_INBOX_WARMUP', Math.min(100, requests), { whole: true }) };
    const results: Record<string, SizeResult> = {};
    const sizeNames = Object.keys(inboxSizes);
    for (const name of envChoices('BENCH_INBOX_SIZES', sizeNames, sizeNames)) results[name] = await measureSize(inboxSizes[name]!, settings);
    const small = results['200k'];
    const large = results['2m'];
    const growth =
      small && large
        ? Object.fromEntries(
            Object.keys(large.queries).map((name) => {
              const [before, after] = [small.queries[name]!.latency, large.queries[name]!.latency];
              return [name, { p50: round(after.p50 / before.p50), p99: round(after.p99 / before.p99) }];
            }),
          )
        : null;
    return {
      figures: { ...settings, targets: { p99Ms: P99_TARGET_MS, growth: GROWTH_TARGET }, sizes: results, growth2mOver200k: growth },
      table: tableRows(results),
    };
  },
};
