import { createHash, randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';

/**
 * A local stand-in for Amazon SQS (standard queues): the AWS JSON 1.0 protocol the official SDK speaks
 * (`POST /` with `X-Amz-Target: AmazonSQS.<Operation>`), errors in its shape (`__type` plus the query-compatible
 * `x-amzn-query-error` header) so the SDK raises the same exception classes, and SQS's semantics for what it
 * implements: CreateQueue, GetQueueUrl, SendMessage, SendMessageBatch, ReceiveMessage (visibility timeout, long
 * polling, receive counts) and DeleteMessage. Requests are not authenticated: any static credentials work.
 * For local development and tests only; messages live in memory.
 */
export interface SqsEndpoint {
  readonly url: string;
  close(): Promise<void>;
}

/** SQS's message size limit (1 MiB since August 2025), for one message and for a whole batch. */
const MAX_MESSAGE_BYTES = 1024 * 1024;
const MAX_BATCH_ENTRIES = 10;
const ACCOUNT_ID = '000000000000';
const LONG_POLL_CHECK_MS = 20;

/** Characters SQS accepts in a message body: #x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD | #x10000-#x10FFFF. */
const BODY_CHARACTERS = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;
const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;
const BATCH_ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;

/** An error in SQS's JSON shape; `queryCode` is the code the query protocol used, which the SDK also reads. */
class SqsError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly queryCode = `AWS.SimpleQueueService.${type}`,
    readonly status = 400,
  ) {
    super(message);
  }
}

const invalidParameter = (message: string) => new SqsError('InvalidParameterValue', message, 'InvalidParameterValue');

interface StoredMessage {
  readonly messageId: string;
  readonly body: string;
  readonly md5OfBody: string;
  readonly sentAt: number;
  visibleAt: number;
  receiveCount: number;
  firstReceivedAt: number | undefined;
  receiptHandle: string | undefined;
}

interface Queue {
  readonly url: string;
  readonly visibilityTimeoutSeconds: number;
  readonly delaySeconds: number;
  /** In the order sent; received oldest visible first (standard queues promise no order, this is one). */
  readonly messages: StoredMessage[];
}

const seconds = (name: string, max: number) =>
  z.coerce
    .number()
    .int(`${name}: must be an integer`)
    .min(0, `${name}: must be from 0 to ${max}`)
    .max(max, `${name}: must be from 0 to ${max}`);

const queueAttributesSchema = z
  .object({ VisibilityTimeout: seconds('VisibilityTimeout', 43_200).optional(), DelaySeconds: seconds('DelaySeconds', 900).optional() })
  .strict();

const createQueueSchema = z.object({ QueueName: z.string(), Attributes: z.record(z.string(), z.string()).optional() });
const getQueueUrlSchema = z.object({ QueueName: z.string() });
const messageSchema = {
  MessageBody: z.string(),
  DelaySeconds: seconds('DelaySeconds', 900).optional(),
  MessageAttributes: z.unknown().optional(),
  MessageSystemAttributes: z.unknown().optional(),
};
const sendMessageSchema = z.object({ QueueUrl: z.string(), ...messageSchema });
const sendMessageBatchSchema = z.object({ QueueUrl: z.string(), Entries: z.array(z.object({ Id: z.string(), ...messageSchema })).optional() });
const receiveMessageSchema = z.object({
  QueueUrl: z.string(),
  MaxNumberOfMessages: z.number().int().min(1, 'MaxNumberOfMessages: must be from 1 to 10').max(10, 'MaxNumberOfMessages: must be from 1 to 10').optional(),
  VisibilityTimeout: seconds('VisibilityTimeout', 43_200).optional(),
  WaitTimeSeconds: seconds('WaitTimeSeconds', 20).optional(),
  AttributeNames: z.array(z.string()).optional(),
  MessageSystemAttributeNames: z.array(z.string()).optional(),
  MessageAttributeNames: z.array(z.string()).optional(),
  ReceiveRequestAttemptId: z.string().optional(),
});
const deleteMessageSchema = z.object({ QueueUrl: z.string(), ReceiptHandle: z.string() });

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

/** Why SQS refuses this message, or undefined when it takes it. */
function messageProblem(message: { MessageBody: string; MessageAttributes?: unknown; MessageSystemAttributes?: unknown }): SqsError | undefined {
  if (message.MessageAttributes !== undefined || message.MessageSystemAttributes !== undefined) {
    return new SqsError('UnsupportedOperation', 'message attributes are not supported by the local SQS endpoint', 'AWS.SimpleQueueService.UnsupportedOperation');
  }
  if (message.MessageBody.length === 0) return invalidParameter('The request must contain the parameter MessageBody.');
  if (Buffer.byteLength(message.MessageBody, 'utf8') > MAX_MESSAGE_BYTES) {
    return invalidParameter(`One or more parameters are invalid. Reason: Message must be shorter than ${MAX_MESSAGE_BYTES} bytes.`);
  }
  if (!BODY_CHARACTERS.test(message.MessageBody)) {
    return new SqsError('InvalidMessageContents', 'Invalid characters found. Deleting the invalid characters from the message body is the only option.');
  }
  return undefined;
}

export async function startSqsEndpoint(options: { port?: number } = {}): Promise<SqsEndpoint> {
  const queues = new Map<string, Queue>();
  let baseUrl = '';
  let closed = false;

  function queueAt(queueUrl: string): Queue {
    const queue = queues.get(queueUrl);
    if (queue === undefined) throw new SqsError('QueueDoesNotExist', 'The specified queue does not exist.', 'AWS.SimpleQueueService.NonExistentQueue');
    return queue;
  }

  function store(queue: Queue, body: string, delaySeconds: number | undefined): { MessageId: string; MD5OfMessageBody: string } {
    const sentAt = Date.now();
    const message: StoredMessage = {
      messageId: randomUUID(),
      body,
      md5OfBody: md5(body),
      sentAt,
      visibleAt: sentAt + (delaySeconds ?? queue.delaySeconds) * 1000,
      receiveCount: 0,
      firstReceivedAt: undefined,
      receiptHandle: undefined,
    };
    queue.messages.push(message);
    return { MessageId: message.messageId, MD5OfMessageBody: message.md5OfBody };
  }

  function takeVisible(queue: Queue, max: number, visibilityTimeoutSeconds: number): StoredMessage[] {
    const at = Date.now();
    const taken = queue.messages.filter((message) => message.visibleAt <= at).slice(0, max);
    for (const message of taken) {
      message.visibleAt = at + visibilityTimeoutSeconds * 1000;
      message.receiveCount += 1;
      message.firstReceivedAt ??= at;
      message.receiptHandle = randomBytes(32).toString('base64url');
    }
    return taken;
  }

  const operations: Readonly<Record<string, (body: unknown) => Promise<object> | object>> = {
    CreateQueue(body) {
      const request = createQueueSchema.parse(body);
      if (!QUEUE_NAME.test(request.QueueName)) {
        throw invalidParameter('Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length (FIFO queues are not supported locally)');
      }
      const attributes = queueAttributesSchema.safeParse(request.Attributes ?? {});
      if (!attributes.success) throw new SqsError('InvalidAttributeName', attributes.error.issues.map((issue) => issue.message).join('; '));
      const url = `${baseUrl}/${ACCOUNT_ID}/${request.QueueName}`;
      if (!queues.has(url)) {
        queues.set(url, {
          url,
          visibilityTimeoutSeconds: attributes.data.VisibilityTimeout ?? 30,
          delaySeconds: attributes.data.DelaySeconds ?? 0,
          messages: [],
        });
      }
      return { QueueUrl: url };
    },
    GetQueueUrl(body) {
      const url = `${baseUrl}/${ACCOUNT_ID}/${getQueueUrlSchema.parse(body).QueueName}`;
      return { QueueUrl: queueAt(url).url };
    },
    SendMessage(body) {
      const request = sendMessageSchema.parse(body);
      const queue = queueAt(request.QueueUrl);
      const problem = messageProblem(request);
      if (problem !== undefined) throw problem;
      return store(queue, request.MessageBody, request.DelaySeconds);
    },
    SendMessageBatch(body) {
      const request = sendMessageBatchSchema.parse(body);
      const queue = queueAt(request.QueueUrl);
      const entries = request.Entries ?? [];
      if (entries.length === 0) throw new SqsError('EmptyBatchRequest', 'There should be at least one SendMessageBatchRequestEntry in the request.');
      if (entries.length > MAX_BATCH_ENTRIES) {
        throw new SqsError('TooManyEntriesInBatchRequest', `Maximum number of entries per request are ${MAX_BATCH_ENTRIES}. You have sent ${entries.length}.`);
      }
      const invalidId = entries.find((entry) => !BATCH_ENTRY_ID.test(entry.Id));
      if (invalidId !== undefined) {
        throw new SqsError('InvalidBatchEntryId', 'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.');
      }
      if (new Set(entries.map((entry) => entry.Id)).size < entries.length) {
        throw new SqsError('BatchEntryIdsNotDistinct', 'Two or more batch entries in the request have the same Id.');
      }
      const totalBytes = entries.reduce((sum, entry) => sum + Buffer.byteLength(entry.MessageBody, 'utf8'), 0);
      if (totalBytes > MAX_MESSAGE_BYTES) {
        throw new SqsError('BatchRequestTooLong', `Batch requests cannot be longer than ${MAX_MESSAGE_BYTES} bytes. You have sent ${totalBytes} bytes.`);
      }
      const successful: object[] = [];
      const failed: object[] = [];
      for (const entry of entries) {
        const problem = messageProblem(entry);
        if (problem === undefined) successful.push({ Id: entry.Id, ...store(queue, entry.MessageBody, entry.DelaySeconds) });
        else failed.push({ Id: entry.Id, SenderFault: true, Code: problem.type, Message: problem.message });
      }
      return { Successful: successful, Failed: failed };
    },
    async ReceiveMessage(body) {
      const request = receiveMessageSchema.parse(body);
      const queue = queueAt(request.QueueUrl);
      const visibility = request.VisibilityTimeout ?? queue.visibilityTimeoutSeconds;
      const deadline = Date.now() + (request.WaitTimeSeconds ?? 0) * 1000;
      let messages = takeVisible(queue, request.MaxNumberOfMessages ?? 1, visibility);
      while (messages.length === 0 && !closed && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, Math.min(LONG_POLL_CHECK_MS, deadline - Date.now())));
        messages = takeVisible(queue, request.MaxNumberOfMessages ?? 1, visibility);
      }
      const names = new Set([...(request.AttributeNames ?? []), ...(request.MessageSystemAttributeNames ?? [])]);
      const wanted = (name: string) => names.has('All') || names.has(name);
      // Like SQS, an empty receive has no Messages member at all.
      if (messages.length === 0) return {};
      return {
        Messages: messages.map((message) => {
          const attributes = Object.fromEntries(
            [
              ['SenderId', ACCOUNT_ID],
              ['SentTimestamp', String(message.sentAt)],
              ['ApproximateReceiveCount', String(message.receiveCount)],
              ['ApproximateFirstReceiveTimestamp', String(message.firstReceivedAt)],
            ].filter(([name]) => wanted(name!)),
          );
          return {
            MessageId: message.messageId,
            ReceiptHandle: message.receiptHandle,
            MD5OfBody: message.md5OfBody,
            Body: message.body,
            ...(Object.keys(attributes).length > 0 ? { Attributes: attributes } : {}),
          };
        }),
      };
    },
    DeleteMessage(body) {
      const request = deleteMessageSchema.parse(body);
      const queue = queueAt(request.QueueUrl);
      const index = queue.messages.findIndex((message) => message.receiptHandle === request.ReceiptHandle);
      if (index === -1) throw new SqsError('ReceiptHandleIsInvalid', `The input receipt handle "${request.ReceiptHandle}" is not a valid receipt handle.`, 'ReceiptHandleIsInvalid');
      queue.messages.splice(index, 1);
      return {};
    },
  };

  async function answer(request: http.IncomingMessage): Promise<{ status: number; headers: Record<string, string>; body: object }> {
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const target = request.headers['x-amz-target'];
      const operationName = typeof target === 'string' && target.startsWith('AmazonSQS.') ? target.slice('AmazonSQS.'.length) : undefined;
      const operation = request.method === 'POST' && operationName !== undefined ? operations[operationName] : undefined;
      if (operation === undefined) {
        throw new SqsError('UnsupportedOperation', `${String(target)} is not supported by the local SQS endpoint`, 'AWS.SimpleQueueService.UnsupportedOperation');
      }
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      } catch {
        throw invalidParameter('The request body is not JSON');
      }
      return { status: 200, headers: {}, body: await operation(body) };
    } catch (caught) {
      const error =
        caught instanceof z.ZodError
          ? invalidParameter(caught.issues.map((issue) => `${issue.path.join('.') || 'request'}: ${issue.message}`).join('; '))
          : caught instanceof SqsError
            ? caught
            : new SqsError('InternalError', String(caught), 'InternalError', 500);
      const fault = error.status >= 500 ? 'Receiver' : 'Sender';
      return {
        status: error.status,
        headers: { 'x-amzn-query-error': `${error.queryCode};${fault}` },
        body: { __type: `com.amazonaws.sqs#${error.type}`, message: error.message },
      };
    }
  }

  const server = http.createServer((request, response) => {
    void answer(request).then(({ status, headers, body }) => {
      response.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': randomUUID(), ...headers });
      response.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: baseUrl,
    async close() {
      closed = true;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
