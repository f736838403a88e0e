import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startSqsEndpoint, type SqsEndpoint } from '../../infra/local/sqs/server.ts';
import { openInMemoryDb } from '../data/connect.ts';
import type { Db } from '../data/db.ts';
import { listDeadLetters, retryDeadLetter } from './deadLetters.ts';
import { defineJob, enqueue } from './queue.ts';
import { relayAfterCommit } from './relayAfterCommit.ts';
import type { SqsQueue } from './sqs.ts';
import { createSqsDeadLetterHandler, SQS_MAX_RECEIVE_COUNT } from './sqsDeadLetters.ts';

/** The AWS Lambdas' side of the queue: relaying right after a commit, and recording SQS's dead letters. */
const note = defineJob('test.note', z.object({ text: z.string() }));

let endpoint: SqsEndpoint;
let client: SQSClient;
let db: Db;
let queueNumber = 0;

beforeAll(async () => {
  [endpoint, db] = await Promise.all([startSqsEndpoint(), openInMemoryDb()]);
  client = new SQSClient({ region: 'ap-south-1', endpoint: endpoint.url, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
});
afterAll(async () => {
  client?.destroy();
  await endpoint?.close();
  await db?.close();
});

async function newQueue(): Promise<SqsQueue> {
  const created = await client.send(new CreateQueueCommand({ QueueName: `lambda-jobs-${(queueNumber += 1)}` }));
  return { client, queueUrl: created.QueueUrl! };
}

async function receivedTexts(queue: SqsQueue): Promise<string[]> {
  const received = await client.send(new ReceiveMessageCommand({ QueueUrl: queue.queueUrl, MaxNumberOfMessages: 10 }));
  return (received.Messages ?? []).map((message) => (JSON.parse(message.Body!) as { payload: { text: string } }).payload.text).sort();
}

const jobStatus = async (id: string) => (await db.query<{ status: string }>('SELECT status FROM jobs WHERE id = :id::uuid', { id }))[0]?.status;

describe('relaying after commit', () => {
  it('sends the jobs an invocation committed to SQS before the invocation returns', async () => {
    const queue = await newQueue();
    const relay = relayAfterCommit(db, queue);
    const handler = relay.relaying(async (text: string) => relay.db.transaction((tx) => enqueue(tx, note.of({ text }))));

    const [jobId] = await handler('committed');

    expect(await jobStatus(jobId!)).toBe('sent');
    expect(await receivedTexts(queue)).toEqual(['committed']);
  });

  it('relays what committed even when the invocation then fails, and nothing of a rolled-back transaction', async () => {
    const queue = await newQueue();
    const relay = relayAfterCommit(db, queue);
    const handler = relay.relaying(async () => {
      await relay.db.transaction((tx) => enqueue(tx, note.of({ text: 'kept' })));
      await relay.db
        .transaction(async (tx) => {
          await enqueue(tx, note.of({ text: 'rolled back' }));
          throw new Error('rollback');
        })
        .catch(() => undefined);
      throw new Error('the provider call failed afterwards');
    });

    await expect(handler()).rejects.toThrow('the provider call failed afterwards');

    expect(await receivedTexts(queue)).toEqual(['kept']);
  });

  it('answers even when SQS is unreachable, leaving the jobs pending for the scheduled relay', async () => {
    const unreachable = { client: new SQSClient({ region: 'ap-south-1', endpoint: 'http://127.0.0.1:9', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 }), queueUrl: 'http://127.0.0.1:9/000000000000/jobs' };
    const relay = relayAfterCommit(db, unreachable);
    const handler = relay.relaying(async () => relay.db.transaction((tx) => enqueue(tx, note.of({ text: 'later' }))));

    const [jobId] = await handler();

    expect(await jobStatus(jobId!)).toBe('pending');
    await db.query('DELETE FROM jobs WHERE id = :id::uuid', { id: jobId! });
  });
});

describe('recording dead letters from the dead-letter queue', () => {
  const record = (messageId: string, body: string): SQSRecord => ({
    messageId,
    receiptHandle: `handle-${messageId}`,
    body,
    attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 'relay', ApproximateFirstReceiveTimestamp: '0' },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:ap-south-1:000000000000:dead-letters',
    awsRegion: 'ap-south-1',
  });
  const handler = () => createSqsDeadLetterHandler(db);

  it('makes a sent job a dead letter the admins list, once, and retryable into the outbox', async () => {
    const [jobId] = await enqueue(db, note.of({ text: 'never delivered' }));
    await db.query("UPDATE jobs SET status = 'sent', finished_at = now() WHERE id = :id::uuid", { id: jobId! });
    const body = JSON.stringify({ id: jobId, type: 'test.note', payload: { text: 'never delivered' } });

    expect(await handler()({ Records: [record('9a3c3f1e-0000-4000-8000-000000000001', body)] })).toEqual({ batchItemFailures: [] });
    await handler()({ Records: [record('9a3c3f1e-0000-4000-8000-000000000002', body)] });

    const { nodes } = await listDeadLetters(db);
    expect(nodes.filter((job) => job.id === jobId)).toEqual([
      expect.objectContaining({ type: 'test.note', payload: { text: 'never delivered' }, attempts: SQS_MAX_RECEIVE_COUNT, lastError: expect.stringContaining(jobId!) }),
    ]);
    await retryDeadLetter(db, jobId!);
    expect(await jobStatus(jobId!)).toBe('pending');
    await handler()({ Records: [record('9a3c3f1e-0000-4000-8000-000000000003', body)] });
    expect(await jobStatus(jobId!)).toBe('pending');
  });

  it('keeps a message that is no job message as an unreadable dead letter, keyed by its SQS id', async () => {
    const messageId = '9a3c3f1e-0000-4000-8000-0000000000ff';

    await handler()({ Records: [record(messageId, 'not json at all')] });
    await handler()({ Records: [record(messageId, 'not json at all')] });

    const { nodes } = await listDeadLetters(db);
    expect(nodes.filter((job) => job.id === messageId)).toEqual([
      expect.objectContaining({ type: 'sqs.unreadable', payload: { sqsMessageId: messageId, body: 'not json at all' } }),
    ]);
  });

  it('returns a record it could not write to the queue', async () => {
    const body = JSON.stringify({ id: '9a3c3f1e-0000-4000-8000-000000000010', type: 'Not A Valid Type', payload: {} });

    const answer = await handler()({ Records: [record('9a3c3f1e-0000-4000-8000-000000000011', body)] });

    expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: '9a3c3f1e-0000-4000-8000-000000000011' }] });
  });
});
