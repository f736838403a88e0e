import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startSqsEndpoint, type SqsEndpoint } from '../../infra/local/sqs/server.ts';
import type { Db } from '../data/db.ts';
import { testDatabases } from '../data/testing.ts';
import { defineJob, enqueue, handle, jobHandlers, type JobHandlers } from './queue.ts';
import { createSqsJobHandler, relayOutbox, type SqsQueue } from './sqs.ts';

const note = defineJob('test.note', z.object({ text: z.string() }));
const QUEUE_ARN = 'arn:aws:sqs:ap-south-1:000000000000:jobs';

/** Received messages as the Lambda event source mapping hands them to the function. */
function lambdaEvent(messages: readonly Message[]): SQSEvent {
  return {
    Records: messages.map((message) => ({
      messageId: message.MessageId!,
      receiptHandle: message.ReceiptHandle!,
      body: message.Body!,
      attributes: {
        ApproximateReceiveCount: message.Attributes!.ApproximateReceiveCount!,
        SentTimestamp: message.Attributes!.SentTimestamp!,
        SenderId: message.Attributes!.SenderId!,
        ApproximateFirstReceiveTimestamp: message.Attributes!.ApproximateFirstReceiveTimestamp!,
      },
      messageAttributes: {},
      md5OfBody: message.MD5OfBody!,
      eventSource: 'aws:sqs',
      eventSourceARN: QUEUE_ARN,
      awsRegion: 'ap-south-1',
    })),
  };
}

describe('the SQS job handler and the outbox relay', () => {
  let endpoint: SqsEndpoint;
  let client: SQSClient;
  let queueNumber = 0;

  beforeAll(async () => {
    endpoint = await startSqsEndpoint();
    client = new SQSClient({ region: 'ap-south-1', endpoint: endpoint.url, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
  });
  afterAll(async () => {
    client?.destroy();
    await endpoint?.close();
  });

  async function newQueue(): Promise<SqsQueue> {
    const created = await client.send(new CreateQueueCommand({ QueueName: `jobs-${(queueNumber += 1)}` }));
    return { client, queueUrl: created.QueueUrl! };
  }

  /** One poll of the event source mapping: receive, invoke, delete what did not fail. Failed records are visible again at once. */
  async function deliver(queue: SqsQueue, handlers: JobHandlers): Promise<{ delivered: Message[]; failed: string[] }> {
    const received = await client.send(
      new ReceiveMessageCommand({ QueueUrl: queue.queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0, MessageSystemAttributeNames: ['All'] }),
    );
    const delivered = received.Messages ?? [];
    const { batchItemFailures } = await createSqsJobHandler(handlers)(lambdaEvent(delivered));
    const failed = batchItemFailures.map((failure) => failure.itemIdentifier);
    for (const message of delivered) {
      if (!failed.includes(message.MessageId!)) await client.send(new DeleteMessageCommand({ QueueUrl: queue.queueUrl, ReceiptHandle: message.ReceiptHandle }));
    }
    return { delivered, failed };
  }

  it('reports only the failed records of a batch, so only they return to the queue', async () => {
    const queue = await newQueue();
    const ran: string[] = [];
    const handlers = jobHandlers(
      handle(note, async ({ text }, context) => {
        ran.push(`${text}#${context.attempt}`);
        if (text === 'flaky' && context.attempt === 1) throw new Error('provider timed out');
      }),
    );
    const job = (id: string, type: string, payload: unknown) => JSON.stringify({ id, type, payload });
    const bodies = {
      ok: job('00000000-0000-4000-8000-000000000001', 'test.note', { text: 'ok' }),
      flaky: job('00000000-0000-4000-8000-000000000002', 'test.note', { text: 'flaky' }),
      refusedPayload: job('00000000-0000-4000-8000-000000000003', 'test.note', { text: 42 }),
      unknownType: job('00000000-0000-4000-8000-000000000004', 'test.unknown', {}),
      notAJob: 'this is not a job message',
    };
    const messageIds = new Map<string, string>();
    for (const [name, body] of Object.entries(bodies)) {
      const sent = await client.send(new SendMessageCommand({ QueueUrl: queue.queueUrl, MessageBody: body }));
      messageIds.set(sent.MessageId!, name);
    }

    const first = await deliver(queue, handlers);
    expect(first.delivered).toHaveLength(5);
    expect(first.failed.map((id) => messageIds.get(id)).sort()).toEqual(['flaky', 'notAJob', 'refusedPayload', 'unknownType']);
    expect(ran.sort()).toEqual(['flaky#1', 'ok#1']);

    const second = await deliver(queue, handlers);
    expect(second.delivered.map((message) => messageIds.get(message.MessageId!)).sort()).toEqual(['flaky', 'notAJob', 'refusedPayload', 'unknownType']);
    expect(second.failed.map((id) => messageIds.get(id)).sort()).toEqual(['notAJob', 'refusedPayload', 'unknownType']);
    expect(ran).toContain('flaky#2');
  });

  it('reports no failures for an empty or fully successful batch', async () => {
    const handler = createSqsJobHandler(jobHandlers(handle(note, async () => undefined)));
    expect(await handler({ Records: [] })).toEqual({ batchItemFailures: [] });
  });

  for (const database of testDatabases()) {
    describe(`relaying the outbox from ${database.name}`, () => {
      let db: Db;
      beforeAll(async () => {
        db = await database.open();
      });
      beforeEach(async () => {
        await db.query('DELETE FROM jobs');
      });
      afterAll(async () => {
        await db?.close();
      });

      const statuses = () => db.query<{ status: string; jobs: number }>('SELECT status, count(*)::int AS jobs FROM jobs GROUP BY 1 ORDER BY 1');

      it('hands committed, due jobs to SQS once and the Lambda handler runs them', async () => {
        const queue = await newQueue();
        const texts = Array.from({ length: 13 }, (_, index) => `note ${index}`);
        // U+FFFF is not allowed in an SQS body: the relay escapes it and the handler gets the text back intact.
        texts.push('odd \uFFFF character');
        await db.transaction((tx) => enqueue(tx, texts.map((text) => note.of({ text }))));
        await expect(
          db.transaction(async (tx) => {
            await enqueue(tx, note.of({ text: 'rolled back' }));
            throw new Error('rollback');
          }),
        ).rejects.toThrow('rollback');
        await enqueue(db, note.of({ text: 'not due yet' }, { runAt: new Date(Date.now() + 3_600_000) }));

        expect(await relayOutbox(db, queue)).toEqual({ sent: 14, failed: 0 });
        expect(await relayOutbox(db, queue)).toEqual({ sent: 0, failed: 0 });
        expect(await statuses()).toEqual([
          { status: 'pending', jobs: 1 },
          { status: 'sent', jobs: 14 },
        ]);

        const ran: { text: string; jobId: string }[] = [];
        const handlers = jobHandlers(handle(note, async ({ text }, context) => void ran.push({ text, jobId: context.jobId })));
        for (let poll = 0; poll < 3; poll += 1) expect((await deliver(queue, handlers)).failed).toEqual([]);
        expect(ran.map((run) => run.text).sort()).toEqual([...texts].sort());
        const sentIds = await db.query<{ id: string }>(`SELECT id FROM jobs WHERE status = 'sent'`);
        expect(new Set(ran.map((run) => run.jobId))).toEqual(new Set(sentIds.map((row) => row.id)));
      });

      it('sends each job once when relays run concurrently', async () => {
        const queue = await newQueue();
        await enqueue(db, Array.from({ length: 35 }, (_, index) => note.of({ text: `n${index}` })));
        const results = await Promise.all([relayOutbox(db, queue), relayOutbox(db, queue), relayOutbox(db, queue)]);
        expect(results.reduce((sum, result) => sum + result.sent, 0)).toBe(35);

        const bodies: string[] = [];
        for (;;) {
          const { Messages } = await client.send(new ReceiveMessageCommand({ QueueUrl: queue.queueUrl, MaxNumberOfMessages: 10 }));
          if (Messages === undefined) break;
          bodies.push(...Messages.map((message) => message.Body!));
        }
        const ids = bodies.map((body) => (JSON.parse(body) as { id: string }).id);
        expect(ids).toHaveLength(35);
        expect(new Set(ids).size).toBe(35);
      });

      it('keeps the jobs pending when SQS cannot be reached, and sends them on the next relay', async () => {
        const queue = await newQueue();
        await enqueue(db, [note.of({ text: 'a' }), note.of({ text: 'b' })]);
        await expect(relayOutbox(db, { client, queueUrl: `${endpoint.url}/000000000000/deleted-queue` })).rejects.toThrow('The specified queue does not exist.');
        expect(await statuses()).toEqual([{ status: 'pending', jobs: 2 }]);
        expect(await relayOutbox(db, queue)).toEqual({ sent: 2, failed: 0 });
      });
    });
  }
});
