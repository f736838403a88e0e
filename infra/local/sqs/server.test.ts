import {
  BatchEntryIdsNotDistinct,
  CreateQueueCommand,
  DeleteMessageCommand,
  EmptyBatchRequest,
  GetQueueUrlCommand,
  InvalidBatchEntryId,
  QueueDoesNotExist,
  ReceiptHandleIsInvalid,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
  TooManyEntriesInBatchRequest,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSqsEndpoint, type SqsEndpoint } from './server.ts';

describe('the local SQS endpoint, through the official SDK', () => {
  let endpoint: SqsEndpoint;
  let sqs: SQSClient;
  let queueNumber = 0;
  const newQueue = async (attributes?: Record<string, string>) =>
    (await sqs.send(new CreateQueueCommand({ QueueName: `queue-${(queueNumber += 1)}`, Attributes: attributes }))).QueueUrl!;

  beforeAll(async () => {
    endpoint = await startSqsEndpoint();
    sqs = new SQSClient({ region: 'ap-south-1', endpoint: endpoint.url, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
  });
  afterAll(async () => {
    sqs?.destroy();
    await endpoint?.close();
  });

  it('creates a queue once and finds it by name', async () => {
    const url = await newQueue();
    expect(url).toBe(`${endpoint.url}/000000000000/queue-${queueNumber}`);
    expect((await sqs.send(new CreateQueueCommand({ QueueName: `queue-${queueNumber}` }))).QueueUrl).toBe(url);
    expect((await sqs.send(new GetQueueUrlCommand({ QueueName: `queue-${queueNumber}` }))).QueueUrl).toBe(url);
    await expect(sqs.send(new GetQueueUrlCommand({ QueueName: 'missing' }))).rejects.toBeInstanceOf(QueueDoesNotExist);
  });

  it('hides a received message for its visibility timeout, redelivers it with a higher receive count, and deletes it', async () => {
    const QueueUrl = await newQueue({ VisibilityTimeout: '30' });
    const sent = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: '{"hello":"wörld 🌸"}' }));
    const receive = (VisibilityTimeout?: number) =>
      sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout, MessageSystemAttributeNames: ['All'] }));

    const first = await receive(0);
    expect(first.Messages).toMatchObject([
      { MessageId: sent.MessageId, Body: '{"hello":"wörld 🌸"}', Attributes: { ApproximateReceiveCount: '1', SenderId: '000000000000' } },
    ]);
    const second = await receive();
    expect(second.Messages).toMatchObject([{ MessageId: sent.MessageId, Attributes: { ApproximateReceiveCount: '2' } }]);
    expect((await receive()).Messages).toBeUndefined();

    await expect(sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: first.Messages![0]!.ReceiptHandle }))).rejects.toBeInstanceOf(ReceiptHandleIsInvalid);
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: second.Messages![0]!.ReceiptHandle }));
    expect((await receive(0)).Messages).toBeUndefined();
  });

  it('sends a batch entry by entry, refusing only the entries SQS refuses', async () => {
    const QueueUrl = await newQueue();
    const result = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl,
        Entries: [
          { Id: 'a', MessageBody: 'first' },
          { Id: 'b', MessageBody: 'not allowed: \uFFFF' },
          { Id: 'c', MessageBody: 'third' },
        ],
      }),
    );
    expect(result.Successful?.map((entry) => entry.Id)).toEqual(['a', 'c']);
    expect(result.Failed).toEqual([{ Id: 'b', SenderFault: true, Code: 'InvalidMessageContents', Message: expect.stringContaining('Invalid characters') }]);
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    expect(received.Messages?.map((message) => message.Body)).toEqual(['first', 'third']);
  });

  it('refuses malformed batches as SQS does, with its exception classes', async () => {
    const QueueUrl = await newQueue();
    const batch = (Entries: { Id: string; MessageBody: string }[]) => sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries }));
    await expect(batch([])).rejects.toBeInstanceOf(EmptyBatchRequest);
    await expect(batch(Array.from({ length: 11 }, (_, index) => ({ Id: `m${index}`, MessageBody: 'x' })))).rejects.toBeInstanceOf(TooManyEntriesInBatchRequest);
    await expect(batch([{ Id: 'same', MessageBody: 'x' }, { Id: 'same', MessageBody: 'y' }])).rejects.toBeInstanceOf(BatchEntryIdsNotDistinct);
    await expect(batch([{ Id: 'not ok!', MessageBody: 'x' }])).rejects.toBeInstanceOf(InvalidBatchEntryId);
    await expect(sqs.send(new SendMessageCommand({ QueueUrl: `${endpoint.url}/000000000000/missing`, MessageBody: 'x' }))).rejects.toBeInstanceOf(QueueDoesNotExist);
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 0 }))).Messages).toBeUndefined();
  });

  it('holds a delayed message back, and a long poll returns as soon as one is visible', async () => {
    const QueueUrl = await newQueue();
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'later', DelaySeconds: 1 }));
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages).toBeUndefined();
    const started = Date.now();
    const polled = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 5 }));
    expect(polled.Messages?.map((message) => message.Body)).toEqual(['later']);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
