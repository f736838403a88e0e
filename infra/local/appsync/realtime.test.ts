import { WebSocket } from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CONNECTION_TIMEOUT_MS, MAX_SUBSCRIPTIONS_PER_CONNECTION } from './realtime.ts';
import { postGraphql, startTestHost, type TestHost } from './testing/host.ts';
import { RecruitingScenario, TestGraphqlLambda } from './testing/lambda.ts';
import { aConversation, aMessage, conversationEvent, messageEvent } from './testing/liveEvents.ts';
import { RealtimeTestClient, startMessage, type HandshakeStyle, type RealtimeMessage } from './testing/realtimeClient.ts';
import { createTestTokens, type TestTokens } from './testing/tokens.ts';

const KEEP_ALIVE_MS = 100;
const lucia = { sub: 'rec-lucia', username: 'lucia', groups: ['recruiter'] };
const mateo = { sub: 'rec-mateo', username: 'mateo', groups: ['recruiter'] };
const admin = { sub: 'adm-1', username: 'ada', groups: ['admin'] };

const onMessageEvent = `subscription OnMessage($conversationId: ID!) {
  onMessageEvent(conversationId: $conversationId) { conversationId scope message { id body status } }
}`;
const onInboxEvent = 'subscription { onInboxEvent { conversationId scope conversation { id inboundCount } } }';

let tokens: TestTokens;
let host: TestHost;
let scenario: RecruitingScenario;
const token: Record<string, string> = {};
const clients: RealtimeTestClient[] = [];

beforeAll(async () => {
  tokens = await createTestTokens();
  const lambda = new TestGraphqlLambda();
  host = await startTestHost({ invokeLambda: lambda.invoke, verifyToken: tokens.verifyToken, keepAliveMs: KEEP_ALIVE_MS });
  scenario = new RecruitingScenario(lambda, () => host.engine.publisher);
  scenario.conversation('conv-lucia', lucia.sub);
  scenario.conversation('conv-mateo', mateo.sub);
  scenario.conversation('conv-open', null);
  for (const user of [lucia, mateo, admin]) token[user.username] = await tokens.sign(user);
});

afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});

afterAll(() => host.close());

async function connect(user: string | undefined, style: HandshakeStyle = 'subprotocol'): Promise<RealtimeTestClient> {
  const client = await RealtimeTestClient.connect(host.realtimeUrl, user === undefined ? undefined : (token[user] ?? user), style);
  clients.push(client);
  return client;
}

async function connected(user: string): Promise<RealtimeTestClient> {
  const client = await connect(user);
  await client.init();
  return client;
}

const publishMessage = (id: string, conversationId: string, assignee: string | null, body = `body of ${id}`) =>
  host.engine.publisher.publish(messageEvent(aMessage({ id, conversationId, body }), assignee));

const publishInbox = (conversationId: string, assignee: string | null, inboundCount = 1) =>
  host.engine.publisher.publish(conversationEvent(aConversation({ id: conversationId, inboundCount }), assignee));

const dataOf = (client: RealtimeTestClient, id: string) => client.next((message) => message.type === 'data' && message.id === id);

const inboxConversationId = (message: RealtimeMessage): string =>
  (message.payload as { data: { onInboxEvent: { conversationId: string } } }).data.onInboxEvent.conversationId;

describe('the real-time handshake', () => {
  it.each<HandshakeStyle>(['subprotocol', 'query'])('acknowledges a connection authenticated by the %s header, then keeps it alive', async (style) => {
    const client = await connect('lucia', style);

    const ack = await client.init();

    expect(client.socket.protocol).toBe('graphql-ws');
    expect(ack).toEqual({ type: 'connection_ack', payload: { connectionTimeoutMs: CONNECTION_TIMEOUT_MS } });
    const started = Date.now();
    await client.next((message) => message.type === 'ka');
    await client.next((message) => message.type === 'ka');
    await client.next((message) => message.type === 'ka');
    expect(Date.now() - started).toBeGreaterThanOrEqual(KEEP_ALIVE_MS);
  });

  it.each([
    ['an invalid token', 'not-a-jwt', 'Unable to parse JWT token.'],
    ['no token', undefined, 'Valid authorization header not provided.'],
  ])('answers connection_init on a socket with %s with connection_error, then closes it', async (_case, credential, message) => {
    const client = await connect(credential);

    client.send({ type: 'connection_init' });

    expect(await client.next()).toEqual({ type: 'connection_error', payload: { errors: [{ errorType: 'UnauthorizedException', message, errorCode: 401 }] } });
    await client.closed;
  });

  it('refuses a socket that does not speak graphql-ws', async () => {
    const socket = new WebSocket(host.realtimeUrl, ['graphql-transport-ws']);
    socket.on('error', () => undefined);

    const status = await new Promise<number | undefined>((resolve) => socket.once('unexpected-response', (_request, response) => resolve(response.statusCode)));

    expect(status).toBe(400);
  });

  it('answers unknown message types and unparseable messages with error', async () => {
    const client = await connected('lucia');

    client.send({ type: 'subscribe', id: 's1' });
    expect(await client.next()).toEqual({
      type: 'error',
      id: 's1',
      payload: { errors: [{ errorType: 'UnsupportedOperation', message: 'subscribe not supported through the realtime channel' }] },
    });
    client.send('{oops');
    expect(await client.next()).toEqual({ type: 'error', payload: { errors: [{ errorType: 'UnsupportedOperation', message: 'unknown not supported through the realtime channel' }] } });
  });
});

describe('subscriptions', () => {
  it('acknowledge a start, deliver published events in the subscriber selection, and complete on stop', async () => {
    const client = await connected('lucia');

    expect(await client.subscribe('sub-1', token['lucia']!, onMessageEvent, { conversationId: 'conv-lucia' })).toEqual({ type: 'start_ack', id: 'sub-1' });
    await publishMessage('m1', 'conv-lucia', lucia.sub, 'Hola');

    expect(await dataOf(client, 'sub-1')).toEqual({
      type: 'data',
      id: 'sub-1',
      payload: { data: { onMessageEvent: { conversationId: 'conv-lucia', scope: lucia.sub, message: { id: 'm1', body: 'Hola', status: 'RECEIVED' } } } },
    });

    client.send({ type: 'stop', id: 'sub-1' });
    expect(await client.next()).toEqual({ type: 'complete', id: 'sub-1' });
    await client.subscribe('sub-2', token['lucia']!, onMessageEvent, { conversationId: 'conv-lucia' });
    await publishMessage('m2', 'conv-lucia', lucia.sub);
    expect((await client.next()).id).toBe('sub-2');
    expect(client.pending()).toEqual([]);
  });

  it('deliver only what the publishing mutation selected: other fields come back null', async () => {
    const client = await connected('lucia');
    await client.subscribe('narrow', token['lucia']!, onMessageEvent, { conversationId: 'conv-lucia' });
    const publishNarrowly = (selection: string, id: string) =>
      host.engine.executeAsIam(`mutation($event: AWSJSON!) { publishMessageEvent(event: $event) { ${selection} } }`, {
        event: JSON.stringify({ conversationId: 'conv-lucia', scope: lucia.sub, message: aMessage({ id, conversationId: 'conv-lucia', body: 'not selected' }) }),
      });

    await publishNarrowly('conversationId scope message { id status }', 'without-body');
    await publishNarrowly('conversationId scope', 'without-message');

    expect((await dataOf(client, 'narrow')).payload).toEqual({
      data: { onMessageEvent: { conversationId: 'conv-lucia', scope: lucia.sub, message: { id: 'without-body', body: null, status: 'RECEIVED' } } },
    });
    // message is non-null, so its absence nulls the whole event, with the error AppSync also reports.
    expect((await dataOf(client, 'narrow')).payload).toEqual({
      data: { onMessageEvent: null },
      errors: [expect.objectContaining({ path: ['onMessageEvent', 'message'], message: expect.stringContaining('non-nullable') })],
    });
  });

  it('filter on the subscription arguments: another conversation is not delivered', async () => {
    const client = await connected('lucia');
    await client.subscribe('only-lucia', token['lucia']!, onMessageEvent, { conversationId: 'conv-lucia' });

    await publishMessage('elsewhere', 'conv-open', null);
    await publishMessage('here', 'conv-lucia', lucia.sub);

    expect(await dataOf(client, 'only-lucia')).toMatchObject({ payload: { data: { onMessageEvent: { message: { id: 'here' } } } } });
  });

  it('keep a recruiter to inbox events in scope (theirs or unassigned) with the resolver enhanced filter; admins get all', async () => {
    const recruiter = await connected('lucia');
    const administrator = await connected('ada');
    await recruiter.subscribe('inbox', token['lucia']!, onInboxEvent);
    await administrator.subscribe('inbox', token['ada']!, onInboxEvent);

    await publishInbox('conv-mateo', mateo.sub);
    await publishInbox('conv-open', null);
    await publishInbox('conv-lucia', lucia.sub);

    const seenByRecruiter = [await dataOf(recruiter, 'inbox'), await dataOf(recruiter, 'inbox')].map(inboxConversationId);
    const seenByAdmin = [await dataOf(administrator, 'inbox'), await dataOf(administrator, 'inbox'), await dataOf(administrator, 'inbox')].map(inboxConversationId);
    expect(seenByRecruiter).toEqual(['conv-open', 'conv-lucia']);
    expect(seenByAdmin).toEqual(['conv-mateo', 'conv-open', 'conv-lucia']);
    expect(recruiter.pending()).toEqual([]);
  });

  it('refuse a subscription the Lambda refuses, with the error it raised', async () => {
    const client = await connected('lucia');

    const refused = await client.subscribe('not-mine', token['lucia']!, onMessageEvent, { conversationId: 'conv-mateo' });

    expect(refused).toEqual({
      type: 'error',
      id: 'not-mine',
      payload: {
        errors: [
          {
            path: ['onMessageEvent'],
            data: null,
            errorType: 'Unauthorized',
            errorInfo: null,
            locations: [{ line: 2, column: 3, sourceName: null }],
            message: 'Conversation conv-mateo is not yours',
          },
        ],
      },
    });
  });

  it('stop delivering a conversation to a recruiter once it is reassigned away from them', async () => {
    const client = await connected('lucia');
    await client.subscribe('reassigned', token['lucia']!, onMessageEvent, { conversationId: 'conv-lucia' });

    await publishMessage('after-reassignment', 'conv-lucia', mateo.sub);
    await publishMessage('still-hers', 'conv-lucia', lucia.sub);

    expect(await dataOf(client, 'reassigned')).toMatchObject({ payload: { data: { onMessageEvent: { message: { id: 'still-hers' } } } } });
  });

  it('fan out what a Cognito mutation publishes through the backend publisher', async () => {
    const client = await connected('lucia');
    await client.subscribe('live', token['lucia']!, onMessageEvent, { conversationId: 'conv-open' });

    const sent = await postGraphql(
      host.graphqlUrl,
      { query: 'mutation($input: SendMessageInput!) { sendMessage(input: $input) { id body } }', variables: { input: { conversationId: 'conv-open', body: 'Te escribo', idempotencyKey: 'k1' } } },
      token['lucia'],
    );

    expect(sent.body.errors).toBeUndefined();
    const { sendMessage } = sent.body.data as { sendMessage: { id: string } };
    expect(await dataOf(client, 'live')).toMatchObject({ payload: { data: { onMessageEvent: { message: { id: sendMessage.id, body: 'Te escribo' } } } } });
  });
});

describe('start errors', () => {
  it('refuse a duplicate subscription id on one connection', async () => {
    const client = await connected('lucia');
    await client.subscribe('twice', token['lucia']!, onInboxEvent);

    const duplicate = await client.subscribe('twice', token['lucia']!, onInboxEvent);

    expect(duplicate).toMatchObject({ type: 'error', id: 'twice', payload: { errors: [{ errorType: 'DuplicatedOperationError' }] } });
  });

  it('authorize each start with its own authorization', async () => {
    const client = await connected('lucia');

    client.send({ id: 'no-auth', type: 'start', payload: { data: JSON.stringify({ query: onInboxEvent, variables: {} }), extensions: {} } });
    const missing = await client.next((message) => message.id === 'no-auth');
    const invalid = await client.subscribe('bad-auth', 'not-a-jwt', onInboxEvent);

    expect(missing).toEqual({ type: 'error', id: 'no-auth', payload: { errors: [{ errorType: 'UnauthorizedException', message: 'Valid authorization header not provided.' }] } });
    expect(invalid).toEqual({ type: 'error', id: 'bad-auth', payload: { errors: [{ errorType: 'UnauthorizedException', message: 'Unable to parse JWT token.' }] } });
  });

  it('refuse queries, invalid documents and unparseable data', async () => {
    const client = await connected('lucia');

    const query = await client.subscribe('query', token['lucia']!, '{ me { id } }');
    const invalid = await client.subscribe('invalid', token['lucia']!, 'subscription { onInboxEvent { nope } }');
    client.send({ id: 'garbled', type: 'start', payload: { data: '{query', extensions: { authorization: { Authorization: token['lucia'], host: client.host } } } });
    const garbled = await client.next((message) => message.id === 'garbled');

    expect(query.payload).toEqual({ errors: [{ errorType: 'UnsupportedOperation', message: 'query not supported through the realtime channel' }] });
    expect(invalid.payload).toMatchObject({ errors: [{ errorType: 'ValidationError', path: null }] });
    expect(garbled.payload).toEqual({ errors: [{ errorType: 'MalformedHttpRequestException', message: 'Unable to parse GraphQL query.' }] });
  });

  it(`allow ${MAX_SUBSCRIPTIONS_PER_CONNECTION} subscriptions per connection`, async () => {
    const client = await connected('lucia');
    for (let index = 0; index < MAX_SUBSCRIPTIONS_PER_CONNECTION; index += 1) client.send(startMessage(`s${index}`, token['lucia']!, client.host, onInboxEvent));
    for (let index = 0; index < MAX_SUBSCRIPTIONS_PER_CONNECTION; index += 1) {
      expect(await client.next((message) => message.id === `s${index}`)).toEqual({ type: 'start_ack', id: `s${index}` });
    }

    const over = await client.subscribe('one-too-many', token['lucia']!, onInboxEvent);

    expect(over).toMatchObject({ type: 'error', id: 'one-too-many', payload: { errors: [{ errorType: 'MaxSubscriptionsReachedError' }] } });
  });
});
