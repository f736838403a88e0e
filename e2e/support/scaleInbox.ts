import type { Db } from '../../functions/data/db.ts';

/**
 * An inbox at scale, seeded in one statement: `count` unassigned aspirants ('Scale Aspirant n', phones
 * +1646…), each with a conversation and one inbound message, a minute apart. Used by the browser suite and
 * the console benchmark.
 */
export async function seedScaleInbox(db: Db, count: number): Promise<void> {
  await db.query(
    `WITH made AS (
       INSERT INTO aspirants (phone, full_name, language)
       SELECT '+1646' || lpad(n::text, 7, '0'), 'Scale Aspirant ' || n, 'en' FROM generate_series(1, :count::int) AS n
       RETURNING id, full_name
     ), talking AS (
       INSERT INTO conversations (aspirant_id, channel, last_activity_at, inbound_count, window_expires_at)
       SELECT id, 'whatsapp_twilio', now() - interval '2 days' - (substring(full_name from '[0-9]+$')::int * interval '1 minute'), 1,
              now() - interval '1 day' - (substring(full_name from '[0-9]+$')::int * interval '1 minute')
         FROM made
       RETURNING id, last_activity_at
     ), said AS (
       INSERT INTO messages (conversation_id, direction, author_kind, body, status, occurred_at)
       SELECT id, 'inbound', 'aspirant', 'Hello, I would like to apply', 'received', last_activity_at FROM talking
       RETURNING id, conversation_id
     )
     UPDATE conversations c SET last_message_id = said.id FROM said WHERE c.id = said.conversation_id`,
    { count },
  );
}
