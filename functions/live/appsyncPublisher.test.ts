import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Message } from '../generated/graphql.ts';
import { AppSyncPublisher, PublishError } from './appsyncPublisher.ts';
import { publishDocuments, type LiveEvent } from './publisher.ts';
import { appSyncAnswer, startFakeAppSync, verifySigV4, type FakeAppSync, type ReceivedRequest } from './testing/fakeAppSync.ts';

const REGION = 'ap-south-1';
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'session-token-from-the-lambda-role' };

const message: Message = {
  id: '5b1f0c1e-0000-4000-8000-000000000001',
  conversationId: '5b1f0c1e-0000-4000-8000-000000000002',
  direction: 'INBOUND',
  authorKind: 'ASPIRANT',
  author: null,
  body: 'Hola, quiero ser modelo',
  media: [],
  providerMessageId: 'SM0123456789abcdef',
  status: 'RECEIVED',
  statusHistory: [],
  failureCode: null,
  failureReason: null,
  occurredAt: '2025-01-01T10:00:00.000Z',
  createdAt: '2025-01-01T10:00:01.000Z',
  botTrace: [],
};
const event: LiveEvent = { kind: 'message', conversationId: message.conversationId, scope: 'unassigned', message };
const acceptPublish = appSyncAnswer({ publishMessageEvent: { conversationId: message.conversationId } });

let appsync: FakeAppSync;
const publisher = (overrides: Partial<ConstructorParameters<typeof AppSyncPublisher>[0]> = {}) =>
  new AppSyncPublisher({ url: appsync.url, region: REGION, credentials, ...overrides });

beforeAll(async () => {
  appsync = await startFakeAppSync({ secretAccessKey: credentials.secretAccessKey, answer: acceptPublish });
});

afterAll(async () => {
  await appsync.close();
});

beforeEach(() => {
  appsync.received.length = 0;
  appsync.answerWith(acceptPublish);
});

describe('AppSyncPublisher', () => {
  it('posts the publish mutation for the event, SigV4-signed for appsync in the configured region', async () => {
    await publisher().publish(event);

    expect(appsync.received).toHaveLength(1);
    const [request] = appsync.received as [ReceivedRequest];
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/graphql');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['x-amz-security-token']).toBe(credentials.sessionToken);
    expect(verifySigV4(request, credentials.secretAccessKey)).toEqual({
      accessKeyId: credentials.accessKeyId,
      service: 'appsync',
      region: REGION,
      signedHeaders: expect.arrayContaining(['host', 'x-amz-date', 'x-amz-security-token']),
    });
    const body = JSON.parse(request.body) as { query: string; variables: { event: string } };
    expect(body.query).toBe(publishDocuments.message);
    expect(JSON.parse(body.variables.event)).toEqual({ conversationId: message.conversationId, scope: 'unassigned', message });
  });

  it('picks the publish mutation matching the event kind', async () => {
    const conversationEvent = { kind: 'conversation', conversationId: 'c-1', scope: 'r-1', conversation: {} } as unknown as LiveEvent;

    await publisher().publish(conversationEvent);

    expect((JSON.parse(appsync.received[0]!.body) as { query: string }).query).toBe(publishDocuments.conversation);
  });

  it('throws the GraphQL errors AppSync answers with', async () => {
    appsync.answerWith(() => ({
      status: 200,
      body: { data: { publishMessageEvent: null }, errors: [{ errorType: 'Unauthorized', message: 'Not Authorized to access publishMessageEvent on type Mutation' }] },
    }));

    const publishing = publisher().publish(event);

    await expect(publishing).rejects.toThrow(PublishError);
    await expect(publishing).rejects.toThrow('Unauthorized: Not Authorized to access publishMessageEvent on type Mutation');
  });

  it('throws when AppSync rejects the signature', async () => {
    const wrongSecret = { ...credentials, secretAccessKey: 'not-the-secret' };

    await expect(publisher({ credentials: wrongSecret }).publish(event)).rejects.toThrow(/HTTP 403\): InvalidSignatureException: signature does not match/);
  });

  it('throws on a non-GraphQL failure, quoting the start of the answer', async () => {
    appsync.answerWith(() => ({ status: 502, body: 'Bad Gateway' }));

    await expect(publisher().publish(event)).rejects.toThrow('HTTP 502): "Bad Gateway"');
  });

  it('gives up when AppSync does not answer in time', async () => {
    appsync.answerWith(() => undefined);
    const started = Date.now();

    await expect(publisher({ timeoutMs: 200 }).publish(event)).rejects.toThrow(/aborted|timeout/i);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
