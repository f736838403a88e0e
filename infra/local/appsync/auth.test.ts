import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { appsyncBuiltinsPath } from '../../../schema/codegen.ts';
import { localBackendCaller, type Caller } from './auth.ts';
import { createAppSyncEngine, type AppSyncEngine } from './engine.ts';

/**
 * Auth-directive semantics on a schema made to exercise them (the real schema grants every type to both
 * modes, so it cannot show a nested refusal).
 */
const schemaSource = `${readFileSync(appsyncBuiltinsPath, 'utf8')}
type Query {
  profile: Profile @aws_cognito_user_pools @aws_iam
  payroll: Payroll @aws_cognito_user_pools(cognito_groups: ["admin"])
  greeting: String
}
type Profile @aws_iam @aws_cognito_user_pools {
  name: String
  salary: Int @aws_cognito_user_pools(cognito_groups: ["admin"])
  internal: Internal
}
type Internal {
  note: String
}
type Payroll {
  total: Int
}
`;

const cognito = (groups: string[]): Caller => ({
  mode: 'AMAZON_COGNITO_USER_POOLS',
  identity: { sub: `user-${groups.join('-')}`, issuer: 'test', username: 'user', claims: {}, sourceIp: [], defaultAuthStrategy: 'ALLOW', groups },
});
const recruiter = cognito(['recruiter']);
const admin = cognito(['admin']);

let engine: AppSyncEngine;

beforeAll(async () => {
  engine = await createAppSyncEngine({
    schemaSource,
    bindings: [
      { typeName: 'Query', fieldName: 'profile', dataSource: 'graphql' },
      { typeName: 'Query', fieldName: 'payroll', dataSource: 'graphql' },
      { typeName: 'Query', fieldName: 'greeting', dataSource: 'graphql' },
    ],
    dataSources: { graphql: { kind: 'lambda' } },
    invokeLambda: async (_dataSource, event) => {
      const field = (event as { info: { fieldName: string } }).info.fieldName;
      if (field === 'profile') return { name: 'Ana', salary: 100, internal: { note: 'confidential' } };
      if (field === 'payroll') return { total: 1000 };
      return 'hola';
    },
    verifyToken: () => {
      throw new Error('not used');
    },
  });
});

const run = (query: string, caller: Caller) => engine.execute({ query }, caller);
const refusal = (field: string, type: string) => expect.objectContaining({ errorType: 'Unauthorized', message: `Not Authorized to access ${field} on type ${type}` });

describe('auth directives', () => {
  it('admit any listed mode on a field', async () => {
    expect((await run('{ profile { name } }', recruiter)).data).toEqual({ profile: { name: 'Ana' } });
    expect((await run('{ profile { name } }', localBackendCaller)).data).toEqual({ profile: { name: 'Ana' } });
  });

  it('give fields without directives on a type without directives the default Cognito mode only', async () => {
    expect((await run('{ greeting }', recruiter)).data).toEqual({ greeting: 'hola' });
    const asIam = await run('{ greeting }', localBackendCaller);

    expect(asIam.data).toEqual({ greeting: null });
    expect(asIam.errors).toEqual([refusal('greeting', 'Query')]);
  });

  it('check nested fields: an IAM caller is refused a field of a Cognito-only type, and only that field is nulled', async () => {
    const response = await run('{ profile { name internal { note } } }', localBackendCaller);

    expect(response.data).toEqual({ profile: { name: 'Ana', internal: { note: null } } });
    expect(response.errors).toEqual([
      expect.objectContaining({ errorType: 'Unauthorized', message: 'Not Authorized to access note on type Internal', path: ['profile', 'internal', 'note'] }),
    ]);
  });

  it("let a field's own directive override its type's", async () => {
    const asRecruiter = await run('{ profile { name salary } }', recruiter);
    const asIam = await run('{ profile { salary } }', localBackendCaller);

    expect(asRecruiter.data).toEqual({ profile: { name: 'Ana', salary: null } });
    expect(asRecruiter.errors).toEqual([refusal('salary', 'Profile')]);
    expect(asIam.errors).toEqual([refusal('salary', 'Profile')]);
    expect((await run('{ profile { salary } }', admin)).data).toEqual({ profile: { salary: 100 } });
  });

  it('restrict @aws_cognito_user_pools(cognito_groups) to members of those groups', async () => {
    expect((await run('{ payroll { total } }', recruiter)).errors).toEqual([refusal('payroll', 'Query')]);
    expect((await run('{ payroll { total } }', admin)).data).toEqual({ payroll: { total: 1000 } });
  });
});
