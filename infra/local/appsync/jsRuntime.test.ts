import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Binding } from '../../../resolvers/manifest.ts';
import { appsyncBuiltinsPath } from '../../../schema/codegen.ts';
import type { Caller } from './auth.ts';
import { createAppSyncEngine, type AppSyncEngine } from './engine.ts';
import type { AppSyncResponse } from './errors.ts';
import { throughJson } from './jsRuntime.ts';

/** The APPSYNC_JS runtime, driven through the engine by fixture resolvers in testing/resolvers/. */
const schemaSource = `${readFileSync(appsyncBuiltinsPath, 'utf8')}
type Query {
  early(skip: Boolean!): Result
  partial: Result
  raise: Result
  utilities: Utilities
  forbidden: Result
  crash: Result
  lambdaOutcome(fail: Boolean!): Result
}
type Mutation {
  closeRoom(roomId: ID!): Room
  renameRoom(roomId: ID!, name: String!): Room
}
type Subscription {
  onRoom(roomId: ID!): Room @aws_subscribe(mutations: ["renameRoom"])
}
type Result { value: String type: String message: String }
type Utilities { id: ID nowIso: AWSDateTime seconds: AWSTimestamp millis: Float }
type Room { roomId: ID! name: String }
`;

const js = (typeName: Binding['typeName'], fieldName: string, code: string, dataSource: Binding['dataSource'] = 'none'): Binding => ({ typeName, fieldName, dataSource, code });

const bindings: Binding[] = [
  js('Query', 'early', 'earlyReturn.ts'),
  js('Query', 'partial', 'appendError.ts'),
  js('Query', 'raise', 'raiseError.ts'),
  js('Query', 'utilities', 'utilities.ts'),
  js('Query', 'forbidden', 'unauthorized.ts'),
  js('Query', 'crash', 'crash.ts'),
  js('Query', 'lambdaOutcome', 'lambdaOutcome.ts', 'graphql'),
  js('Mutation', 'closeRoom', 'closeRoom.ts'),
  js('Mutation', 'renameRoom', 'passthrough.ts'),
  js('Subscription', 'onRoom', 'roomSubscription.ts'),
];

const caller: Caller = {
  mode: 'AMAZON_COGNITO_USER_POOLS',
  identity: { sub: 'user-1', issuer: 'test', username: 'user', claims: {}, sourceIp: [], defaultAuthStrategy: 'ALLOW', groups: [] },
};

let engine: AppSyncEngine;
const internalFailures: unknown[] = [];
const lambdaPayloads: unknown[] = [];

beforeAll(async () => {
  engine = await createAppSyncEngine({
    schemaSource,
    bindings,
    dataSources: { graphql: { kind: 'lambda' }, none: { kind: 'none' } },
    resolverCodeDir: fileURLToPath(new URL('./testing/resolvers/', import.meta.url)),
    invokeLambda: async (_dataSource, payload) => {
      lambdaPayloads.push(payload);
      if ((payload as { arguments: { fail: boolean } }).arguments.fail) throw new RangeError('out of range');
      return 'lambda says hi';
    },
    verifyToken: () => {
      throw new Error('not used');
    },
    onInternalError: (error) => internalFailures.push(error),
  });
});

const run = (query: string) => engine.execute({ query }, caller);

describe('APPSYNC_JS unit resolvers', () => {
  it('skip the data source and the response handler after runtime.earlyReturn', async () => {
    expect((await run('{ early(skip: true) { value } }')).data).toEqual({ early: { value: 'returned early' } });
    expect((await run('{ early(skip: false) { value } }')).data).toEqual({ early: { value: 'from the data source via response' } });
  });

  it('abort with util.error, carrying its errorType, data and errorInfo', async () => {
    expect(await run('{ raise { value } }')).toEqual({
      data: { raise: null },
      errors: [
        {
          path: ['raise'],
          data: { value: 'full' },
          errorType: 'Conflict',
          errorInfo: { capacity: 4 },
          locations: [{ line: 1, column: 3, sourceName: null }],
          message: 'Room is full',
        },
      ],
    });
  });

  it('return the value and add the error after util.appendError', async () => {
    const response = await run('{ partial { value } }');

    expect(response.data).toEqual({ partial: { value: 'partial' } });
    expect(response.errors).toEqual([
      expect.objectContaining({ path: ['partial'], errorType: 'PartialFailure', message: 'some of it went wrong', data: { value: 'data' }, errorInfo: { hint: 'info' } }),
    ]);
  });

  it('refuse the field with util.unauthorized as AppSync words it', async () => {
    expect((await run('{ forbidden { value } }')).errors).toEqual([
      expect.objectContaining({ errorType: 'Unauthorized', message: 'Not Authorized to access forbidden on type Query' }),
    ]);
  });

  it('provide ids and clocks from util', async () => {
    const before = Date.now();
    const { utilities } = (await run('{ utilities { id nowIso seconds millis } }')).data as { utilities: { id: string; nowIso: string; seconds: number; millis: number } };

    expect(utilities.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Date.parse(utilities.nowIso)).toBeGreaterThanOrEqual(before - 1);
    expect(utilities.seconds).toBe(Math.floor(utilities.millis / 1000));
    expect(utilities.millis).toBeGreaterThanOrEqual(before);
  });

  it('invoke a Lambda data source with the request payload and hand its failure to the response handler as ctx.error', async () => {
    const succeeded = await run('{ lambdaOutcome(fail: false) { value type } }');
    const failed = await run('{ lambdaOutcome(fail: true) { value type message } }');

    expect(lambdaPayloads[0]).toEqual({ field: 'lambdaOutcome', arguments: { fail: false } });
    expect(succeeded.data).toEqual({ lambdaOutcome: { value: 'lambda says hi', type: null } });
    expect(failed).toEqual({ data: { lambdaOutcome: { value: null, type: 'RangeError', message: 'out of range' } } });
  });

  it('report a bug in resolver code locally and tell the client only that an internal failure occurred', async () => {
    const response = await run('{ crash { value } }');

    expect(response.errors).toEqual([expect.objectContaining({ errorType: 'InternalFailure', path: ['crash'] })]);
    expect(JSON.stringify(response)).not.toMatch(/TypeError|missing|at /);
    expect(String(internalFailures.at(-1))).toMatch(/TypeError: Cannot read properties of null/);
  });
});

describe('subscription invalidation', () => {
  async function subscribe(roomId: string) {
    const received: AppSyncResponse[] = [];
    let invalidated = false;
    const started = await engine.startSubscription({ query: 'subscription($roomId: ID!) { onRoom(roomId: $roomId) { roomId name } }', variables: { roomId } }, caller, {}, {
      data: (response) => received.push(response),
      invalidated: () => (invalidated = true),
    });
    if (!started.ok) throw new Error(JSON.stringify(started.errors));
    started.activate();
    return { received, isInvalidated: () => invalidated };
  }

  it('ends the subscriptions whose invalidation filter matches what a mutation passed to invalidateSubscriptions', async () => {
    const closing = await subscribe('r1');
    const staying = await subscribe('r2');

    await run('mutation { closeRoom(roomId: "r1") { roomId } }');
    await run('mutation { renameRoom(roomId: "r1", name: "after close") { roomId name } }');
    await run('mutation { renameRoom(roomId: "r2", name: "still open") { roomId name } }');

    expect(closing.isInvalidated()).toBe(true);
    expect(closing.received).toEqual([]);
    expect(staying.isInvalidated()).toBe(false);
    expect(staying.received).toEqual([{ data: { onRoom: { roomId: 'r2', name: 'still open' } } }]);
  });
});

describe('throughJson', () => {
  const roundTrip = (value: unknown): unknown => JSON.parse(JSON.stringify(value) ?? 'null');

  it('gives what printing and parsing JSON gives', () => {
    class Row {
      readonly kind = 'row';
      constructor(readonly at: Date) {}
      get computed(): string {
        return 'not copied: on the prototype';
      }
    }
    const withProto = JSON.parse('{"__proto__": {"polluted": true}, "plain": 1}') as unknown;
    const values: unknown[] = [
      undefined,
      null,
      'text \ud800 "quoted"',
      -0,
      [NaN, Infinity, undefined, () => 1, Symbol('s'), -0, , 3],
      { a: undefined, b: () => 1, c: Symbol('s'), d: NaN, e: [{ f: new Date('2025-01-15T10:30:00Z') }], g: null },
      new Row(new Date(0)),
      { toJSON: (key: string) => ({ key, nested: { toJSON: () => 'inner' } }) },
      { wrapped: [new Number(1), new String('s'), new Boolean(false)] },
      { map: new Map([[1, 2]]), set: new Set([1]), bytes: new Uint8Array([7, 8]), buffer: Buffer.from('hi') },
      withProto,
    ];
    for (const value of values) {
      const copied = throughJson(value);
      expect(copied).toStrictEqual(roundTrip(value));
      expect(JSON.stringify(copied)).toBe(JSON.stringify(roundTrip(value)));
    }
    expect(Object.is(throughJson(-0), 0)).toBe(true);
    expect(Object.getPrototypeOf(throughJson(withProto))).toBe(Object.prototype);
  });

  it('copies, so the receiver cannot change what the sender holds', () => {
    const sent = { nested: { list: [1] } };
    const received = throughJson(sent) as typeof sent;
    received.nested.list.push(2);
    expect(sent.nested.list).toEqual([1]);
  });

  it('refuses a BigInt as JSON does', () => {
    expect(() => throughJson({ n: 1n })).toThrow(TypeError);
  });
});
