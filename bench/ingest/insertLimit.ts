import { openDb } from '../../functions/data/connect.ts';
import { POSTGRES_POOL_SIZE } from '../../functions/data/drivers/postgres.ts';
import { parseConfig } from '../../functions/shared/config.ts';
import { LatencyHistogram, type LatencySummary } from '../lib/histogram.ts';
import { inboundMessage } from './traffic.ts';

/**
 * The machine's limit for the work a webhook ends in: single-row INSERTs of inbound message rows, the columns
 * and values ingestion writes, through the product's own driver (openDb with DATABASE_URL: node-postgres) with
 * as many statements in flight as its pool has connections — no HTTP, no GraphQL, no transaction around them.
 * The aspirants and conversations the rows belong to are created beforehand.
 */

export interface InsertLimit {
  readonly rowsPerSecond: number;
  readonly rows: number;
  readonly elapsedMs: number;
  readonly concurrency: number;
  readonly insertLatency: LatencySummary;
}

/** ingestion's message INSERT (functions/ingest/inbound.ts, recordInbound), the statement being measured. */
const INSERT_MESSAGE = `INSERT INTO messages (conversation_id, direction, author_kind, body, provider_message_id, status, auto_reply, occurred_at, created_at)
  VALUES (:conversationId::uuid, 'inbound', 'aspirant', :body, :providerMessageId, 'received', :autoReply, :occurredAt::timestamptz, :now::timestamptz)
  ON CONFLICT (provider_message_id) DO NOTHING
  RETURNING id`;

const WARMUP_MS = 1_000;

export async function measureInsertLimit(databaseUrl: string, phones: readonly string[], random: () => number, durationMs: number): Promise<InsertLimit> {
  const db = await openDb(parseConfig({ DATABASE_URL: databaseUrl, SEED_DEMO: 'false' }));
  try {
    const conversations = await db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO aspirants (phone, whatsapp_name) SELECT phone, 'Aspirante' FROM jsonb_array_elements_text(:phones::jsonb) AS phone`,
        { phones },
      );
      await tx.query(`INSERT INTO conversations (aspirant_id, channel) SELECT id, 'whatsapp_twilio' FROM aspirants`);
      return tx.query<{ id: string; phone: string }>('SELECT c.id, a.phone FROM conversations c JOIN aspirants a ON a.id = c.aspirant_id ORDER BY a.phone');
    });
    let sequence = 0;
    const insertOne = async () => {
      const conversation = conversations[Math.floor(random() * conversations.length)]!;
      const message = inboundMessage(random, conversation.phone, sequence);
      sequence += 1;
      const now = new Date();
      const [row] = await db.query(INSERT_MESSAGE, {
        conversationId: conversation.id,
        body: message.body,
        providerMessageId: message.messageSid,
        autoReply: 'eligible',
        occurredAt: now,
        now,
      });
      if (row === undefined) throw new Error(`message ${message.messageSid} was not inserted`);
    };
    const run = async (ms: number, latency?: LatencyHistogram) => {
      const until = performance.now() + ms;
      const connection = async () => {
        let rows = 0;
        while (performance.now() < until) {
          const started = performance.now();
          await insertOne();
          latency?.recordMs(performance.now() - started);
          rows += 1;
        }
        return rows;
      };
      const counts = await Promise.all(Array.from({ length: POSTGRES_POOL_SIZE }, connection));
      return counts.reduce((sum, count) => sum + count, 0);
    };
    await run(WARMUP_MS);
    const latency = new LatencyHistogram();
    const started = performance.now();
    const rows = await run(durationMs, latency);
    const elapsedMs = Math.round(performance.now() - started);
    return { rowsPerSecond: Math.round((rows * 1000) / elapsedMs), rows, elapsedMs, concurrency: POSTGRES_POOL_SIZE, insertLatency: latency.summary() };
  } finally {
    await db.close();
  }
}
