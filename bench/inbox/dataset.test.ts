import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { normalizePhone } from '../../functions/domain/phone.ts';
import { loadSchemaSource } from '../../schema/codegen.ts';
import { aspirantPlans, inboxSizes, messageCounts, messageRows, peopleRows, stableUuid, timelines } from './dataset.ts';
import { consoleOperation } from './operations.ts';

const size = inboxSizes['200k']!;
const referenceTime = Date.parse('2026-01-15T12:00:00.000Z');
const plans = aspirantPlans(size);
const counts = messageCounts(size);
const timeline = timelines(plans, counts, referenceTime);

describe('the inbox benchmark data', () => {
  it('has exactly the size’s messages, skewed, with threads long enough to page 50 back', () => {
    expect(counts.reduce((sum, count) => sum + count, 0)).toBe(size.messages);
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(1);
    const long = plans.filter((plan) => plan.longThread);
    expect(long.length).toBe(10);
    for (const plan of long) expect(counts[plan.index]).toBeGreaterThanOrEqual(51 * 50);
    const sorted = [...counts].sort((left, right) => left - right);
    expect(sorted[sorted.length >> 1]).toBeLessThan(20);
  });

  it('gives every row its own id and every aspirant a distinct valid E.164 phone', () => {
    const ids = new Set(plans.flatMap((plan) => [plan.id, plan.conversationId]));
    for (let sequence = 0; sequence < 6_000; sequence += 1) ids.add(stableUuid(4, 12_345, sequence));
    expect(ids.size).toBe(2 * plans.length + 6_000);
    expect(new Set(plans.map((plan) => plan.phone)).size).toBe(plans.length);
    for (const plan of plans.slice(0, 300)) expect(normalizePhone(plan.phone)).toBe(plan.phone);
  });

  it('keeps each conversation’s counters as ingestion would: inbound count, last activity, 24-hour window', () => {
    for (const plan of plans.slice(0, 500)) {
      const from = timeline.offsets[plan.index]!;
      const to = timeline.offsets[plan.index + 1]!;
      const positions = Array.from({ length: to - from }, (_, offset) => from + offset);
      const rows = messageRows(plans, timeline, positions, referenceTime).messages;
      const inbound = rows.filter((row) => row.direction === 'inbound');
      const [conversation] = peopleRows([plan], timeline.summaries, referenceTime).conversations;
      expect(conversation!.inbound_count).toBe(inbound.length);
      expect(conversation!.last_activity_at).toBe(rows.map((row) => String(row.occurred_at)).sort().at(-1));
      expect(Date.parse(String(conversation!.window_expires_at))).toBe(Date.parse(String(inbound.at(-1)!.occurred_at)) + 24 * 3_600_000);
      expect(Date.parse(String(conversation!.last_activity_at))).toBeLessThan(referenceTime);
    }
  });

  it('writes messages oldest first across conversations, the same rows on every run', () => {
    const outOfOrder = timeline.order.findIndex((position, index) => index > 0 && timeline.times[position]! < timeline.times[timeline.order[index - 1]!]!);
    expect(outOfOrder).toBe(-1);
    const batch = timeline.order.subarray(1_000, 1_200);
    expect(messageRows(plans, timeline, batch, referenceTime)).toEqual(messageRows(plans, timeline, batch, referenceTime));
  });
});

describe('the console operations the benchmark sends', () => {
  it('are the console’s documents with their fragments, valid against the schema', () => {
    const schema = buildSchema(loadSchemaSource());
    for (const name of ['Inbox', 'Thread', 'AspirantPanel']) {
      const document = parse(consoleOperation(name));
      expect(validate(schema, document)).toEqual([]);
    }
    expect(consoleOperation('Inbox')).toContain('fragment InboxConversation on Conversation');
    expect(() => consoleOperation('NoSuchOperation')).toThrow('the console has no operation NoSuchOperation');
  });
});
