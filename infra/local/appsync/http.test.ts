import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BadRequestError, NotFoundError } from '../../../functions/shared/errors.ts';
import { MAX_REQUEST_BYTES } from './http.ts';
import { postGraphql, startTestHost, type TestHost } from './testing/host.ts';
import { TestGraphqlLambda } from './testing/lambda.ts';
import { anAspirant } from './testing/liveEvents.ts';
import { createTestTokens, type TestTokens } from './testing/tokens.ts';

const recruiter = { sub: 'rec-1', username: 'lucia', groups: ['recruiter'] };

let tokens: TestTokens;
let lambda: TestGraphqlLambda;
let host: TestHost;
let token: string;

beforeAll(async () => {
  tokens = await createTestTokens();
  lambda = new TestGraphqlLambda();
  host = await startTestHost({ invokeLambda: lambda.invoke, verifyToken: tokens.verifyToken });
  token = await tokens.sign(recruiter);
});

afterAll(() => host.close());

beforeEach(() => {
  lambda.invocations.length = 0;
});

const post = (body: unknown, bearer: string | null = token) => postGraphql(host.graphqlUrl, body, bearer ?? undefined);

describe('direct Lambda resolvers', () => {
  it('invoke the data source with the event AppSync sends', async () => {
    lambda.on('inbox', () => ({ nodes: [], pageInfo: { hasNextPage: false, endCursor: null } }));
    const query = `query Inbox($first: Int) {
      inbox(first: $first) { nodes { id aspirant { displayName } } pageInfo { hasNextPage } }
    }`;

    const response = await post({ query, variables: { first: 5 } });

    expect(response.status).toBe(200);
    expect(response.contentType).toMatch(/^application\/json/);
    expect(response.body).toEqual({ data: { inbox: { nodes: [], pageInfo: { hasNextPage: false } } } });
    const [invocation] = lambda.invocations;
    expect(invocation?.dataSource).toBe('graphql');
    const event = invocation!.event;
    expect(Object.keys(event).sort()).toEqual(['arguments', 'identity', 'info', 'prev', 'request', 'source', 'stash']);
    expect(event.arguments).toEqual({ first: 5, sort: 'LAST_ACTIVITY' });
    expect(event.identity).toMatchObject({ sub: 'rec-1', username: 'lucia', groups: ['recruiter'], sourceIp: ['127.0.0.1'], defaultAuthStrategy: 'ALLOW' });
    expect(event['source']).toBeNull();
    expect(event['prev']).toBeNull();
    expect(event['stash']).toEqual({});
    expect(event['request']).toMatchObject({ headers: { authorization: token, 'content-type': 'application/json' }, domainName: null });
    expect(event.info).toEqual({
      fieldName: 'inbox',
      parentTypeName: 'Query',
      variables: { first: 5 },
      selectionSetList: ['nodes', 'nodes/id', 'nodes/aspirant', 'nodes/aspirant/displayName', 'pageInfo', 'pageInfo/hasNextPage'],
      selectionSetGraphQL: '{\n  nodes {\n    id\n    aspirant {\n      displayName\n    }\n  }\n  pageInfo {\n    hasNextPage\n  }\n}',
    });
  });

  it('list the selection set by response key with fragments expanded, __typename and skipped fields left out', async () => {
    lambda.on('thread', () => ({ nodes: [], pageInfo: { hasNextPage: false, endCursor: null } }));
    const query = `query Thread($id: ID!, $withTrace: Boolean!) {
      thread(conversationId: $id) {
        __typename
        items: nodes { ...MessageParts ... on Message { author { name } body } botTrace @include(if: $withTrace) { agent } }
        pageInfo @skip(if: true) { endCursor }
      }
    }
    fragment MessageParts on Message { id body media { kind } }`;

    await post({ query, variables: { id: 'c1', withTrace: false } });

    const info = lambda.lastEventFor('thread').info as unknown as { selectionSetList: string[]; selectionSetGraphQL: string };
    expect(info.selectionSetList).toEqual(['items', 'items/id', 'items/body', 'items/media', 'items/media/kind', 'items/author', 'items/author/name']);
    expect(info.selectionSetGraphQL).toContain('...MessageParts');
    expect(info.selectionSetGraphQL).toContain('... on Message {');
  });

  it('report a thrown error by its name as errorType, and a plain Error or non-Error as Lambda:Unhandled', async () => {
    lambda.on('conversation', (event) => {
      const id = String(event.arguments['id']);
      if (id === 'missing') throw new NotFoundError('Conversation missing does not exist');
      if (id === 'bug') throw new Error('database exploded');
      throw 'a thrown string';
    });

    const named = await post({ query: '{ conversation(id: "missing") { id } }' });
    const plain = await post({ query: '{ conversation(id: "bug") { id } }' });
    const nonError = await post({ query: '{ conversation(id: "string") { id } }' });

    expect(named.status).toBe(200);
    expect(named.body).toEqual({
      data: { conversation: null },
      errors: [
        {
          path: ['conversation'],
          data: null,
          errorType: 'NotFound',
          errorInfo: null,
          locations: [{ line: 1, column: 3, sourceName: null }],
          message: 'Conversation missing does not exist',
        },
      ],
    });
    expect(plain.body.errors?.[0]).toMatchObject({ errorType: 'Lambda:Unhandled', message: 'database exploded' });
    expect(nonError.body.errors?.[0]).toMatchObject({ errorType: 'Lambda:Unhandled', message: 'a thrown string' });
  });

  it('null a non-null field the resolver failed and bubble the null up, as AppSync does', async () => {
    lambda.on('me', () => {
      throw new BadRequestError('no profile');
    });

    const response = await post({ query: '{ me { id } }' });

    expect(response.body).toEqual({ data: null, errors: [expect.objectContaining({ path: ['me'], errorType: 'BadRequest' })] });
  });
});

describe('AppSync scalars over the wire', () => {
  it('parse AWSJSON input for the resolver and serialize AWSJSON output as a JSON string', async () => {
    const submitted = { heightCm: 172, cities: ['Bogotá'] };
    const aspirant = anAspirant({
      id: 'asp-1',
      formSubmission: { id: 'sub-1', aspirantId: 'asp-1', source: 'web', data: submitted as unknown as string, submittedAt: '2025-01-15T10:30:00.000Z' },
    });

    const published = await host.engine.executeAsIam(
      'mutation($event: AWSJSON!) { publishAspirantEvent(event: $event) { aspirantId aspirant { formSubmission { data } } } }',
      { event: JSON.stringify({ aspirantId: 'asp-1', scope: 'unassigned', aspirant }) },
    );

    expect(published.errors).toBeUndefined();
    const data = (published.data as { publishAspirantEvent: { aspirant: { formSubmission: { data: unknown } } } }).publishAspirantEvent.aspirant.formSubmission.data;
    expect(typeof data).toBe('string');
    expect(JSON.parse(data as string)).toEqual(submitted);
  });

  it('refuse input that is not what the scalar requires, before any resolver runs', async () => {
    const response = await host.engine.executeAsIam('mutation($event: AWSJSON!) { publishAspirantEvent(event: $event) { aspirantId } }', {
      event: '{not json',
    });

    expect(response.data).toBeNull();
    expect(response.errors).toEqual([expect.objectContaining({ errorType: 'ValidationError', path: null })]);
    expect(response.errors?.[0]?.message).toMatch(/AWSJSON/);
  });

  it('refuse to serialize a malformed value a resolver returns', async () => {
    lambda.on('recruiters', () => [{ id: 'r1', email: 'not-an-email', name: 'Ana', role: 'ADMIN', active: true, createdAt: '2025-01-15T10:30:00Z' }]);

    const response = await post({ query: '{ recruiters { email } }' });

    expect(response.body.data).toBeNull();
    expect(response.body.errors?.[0]).toMatchObject({ path: ['recruiters', 0, 'email'] });
    expect(response.body.errors?.[0]?.message).toMatch(/AWSEmail/);
  });
});

describe('request errors', () => {
  it('answer a body that is not JSON with 400 MalformedHttpRequestException', async () => {
    const response = await post('{"query": "{ me { id } }"');

    expect(response.status).toBe(400);
    expect(response.contentType).toMatch(/^application\/json/);
    expect(response.body).toEqual({ errors: [{ errorType: 'MalformedHttpRequestException', message: 'Unable to parse GraphQL query.' }] });
  });

  it('answer an empty body, or JSON without a query, with 400 MalformedHttpRequestException', async () => {
    expect((await post('')).body).toEqual({ errors: [{ errorType: 'MalformedHttpRequestException', message: 'Request body is empty.' }] });
    for (const body of ['{}', '[]', '{"query": 42}', '{"query": "{ me { id } }", "variables": [1]}']) {
      const response = await post(body);
      expect(response.status, body).toBe(400);
      expect(response.body.errors?.[0]?.errorType, body).toBe('MalformedHttpRequestException');
    }
    expect(lambda.invocations).toHaveLength(0);
  });

  it('answer a body over 1 MiB with 413', async () => {
    const response = await post({ query: `{ me { id } } # ${'x'.repeat(MAX_REQUEST_BYTES)}` });

    expect(response.status).toBe(413);
    expect(response.body.errors?.[0]?.errorType).toBe('PayloadTooLargeException');
  });

  it('report a syntax error as InvalidSyntax with its location and no data', async () => {
    const response = await post({ query: '{ me { id }' });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      data: null,
      errors: [{ path: null, data: null, errorType: 'InvalidSyntax', errorInfo: null, locations: [{ line: 1, column: 12, sourceName: null }], message: expect.stringContaining('Syntax Error') }],
    });
  });

  it('report unknown fields, wrong argument types and unknown operations as ValidationError without running resolvers', async () => {
    const unknownField = await post({ query: '{ me { id shoeSize } }' });
    const wrongType = await post({ query: '{ inbox(first: "ten") { nodes { id } } }' });
    const unknownOperation = await post({ query: 'query A { me { id } }', operationName: 'B' });

    for (const response of [unknownField, wrongType, unknownOperation]) {
      expect(response.status).toBe(200);
      expect(response.body.data).toBeNull();
      expect(response.body.errors?.[0]).toMatchObject({ errorType: 'ValidationError', path: null, data: null, errorInfo: null });
    }
    expect(unknownField.body.errors?.[0]?.locations).toEqual([{ line: 1, column: 11, sourceName: null }]);
    expect(lambda.invocations).toHaveLength(0);
  });

  it('refuse a Cognito caller on an IAM-only publish mutation with Unauthorized and a null field', async () => {
    const response = await post({ query: 'mutation { publishMessageEvent(event: "{}") { scope } }' });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      data: { publishMessageEvent: null },
      errors: [
        {
          path: ['publishMessageEvent'],
          data: null,
          errorType: 'Unauthorized',
          errorInfo: null,
          locations: [{ line: 1, column: 12, sourceName: null }],
          message: 'Not Authorized to access publishMessageEvent on type Mutation',
        },
      ],
    });
  });

  it('refuse the backend IAM role on fields in the default Cognito mode', async () => {
    const response = await host.engine.executeAsIam('{ me { id } }');

    expect(response.errors?.[0]).toMatchObject({ errorType: 'Unauthorized', message: 'Not Authorized to access me on type Query' });
    expect(lambda.invocations).toHaveLength(0);
  });

  it('answer a missing, invalid or expired token with 401 UnauthorizedException', async () => {
    const expired = await tokens.sign(recruiter, { expiresAt: new Date(Date.now() - 60_000) });
    const stranger = await (await createTestTokens()).sign(recruiter);

    const missing = await post({ query: '{ me { id } }' }, null);
    const invalid = await post({ query: '{ me { id } }' }, stranger);
    const late = await post({ query: '{ me { id } }' }, expired);

    expect(missing.status).toBe(401);
    expect(missing.body).toEqual({ errors: [{ errorType: 'UnauthorizedException', message: 'Valid authorization header not provided.' }] });
    expect(invalid.status).toBe(401);
    expect(invalid.body).toEqual({ errors: [{ errorType: 'UnauthorizedException', message: 'Unable to parse JWT token.' }] });
    expect(late.body).toEqual({ errors: [{ errorType: 'UnauthorizedException', message: 'Token has expired.' }] });
    expect(lambda.invocations).toHaveLength(0);
  });

  it('answer CORS preflights so a browser console on another origin can call', async () => {
    const response = await fetch(host.graphqlUrl, { method: 'OPTIONS', headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' } });

    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-headers')).toContain('authorization');
  });
});
