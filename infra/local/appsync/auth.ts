import { getDirectiveValues, type DirectiveNode, type GraphQLField, type GraphQLObjectType, type GraphQLSchema } from 'graphql';

/**
 * Who is calling, and AppSync's auth directives. The API's default mode is the Cognito user pool; a type's
 * directives replace the default for all its fields, and a field's own directives replace its type's.
 */

/** The identity AppSync gives resolvers for a Cognito user-pool caller. */
export interface CognitoIdentity {
  readonly sub: string;
  readonly issuer: string;
  readonly username: string;
  readonly claims: Readonly<Record<string, unknown>>;
  readonly sourceIp: readonly string[];
  readonly defaultAuthStrategy: string;
  readonly groups: readonly string[] | null;
}

/** The identity AppSync gives resolvers for a SigV4 (IAM) caller. */
export interface IamIdentity {
  readonly accountId: string;
  readonly cognitoIdentityPoolId: null;
  readonly cognitoIdentityId: null;
  readonly cognitoIdentityAuthType: null;
  readonly cognitoIdentityAuthProvider: null;
  readonly sourceIp: readonly string[];
  readonly username: string;
  readonly userArn: string;
}

export type Caller =
  | { readonly mode: 'AMAZON_COGNITO_USER_POOLS'; readonly identity: CognitoIdentity }
  | { readonly mode: 'AWS_IAM'; readonly identity: IamIdentity };

/** The backend's own functions, which publish through the IAM-only mutations. Only reachable in-process. */
export const localBackendCaller: Caller = {
  mode: 'AWS_IAM',
  identity: {
    accountId: '000000000000',
    cognitoIdentityPoolId: null,
    cognitoIdentityId: null,
    cognitoIdentityAuthType: null,
    cognitoIdentityAuthProvider: null,
    sourceIp: ['127.0.0.1'],
    username: 'AROALOCALBACKEND:wasaprecruit-local',
    userArn: 'arn:aws:sts::000000000000:assumed-role/wasaprecruit-local-backend/wasaprecruit-local',
  },
};

type AuthMode = 'AMAZON_COGNITO_USER_POOLS' | 'AWS_IAM' | 'API_KEY' | 'OPENID_CONNECT' | 'AWS_LAMBDA';

interface AllowedMode {
  readonly mode: AuthMode;
  /** Cognito only: the caller must belong to one of these groups. */
  readonly groups?: readonly string[];
}

/** The modes that may resolve one field. */
export type FieldAuthRule = readonly AllowedMode[];

const directiveModes: Readonly<Record<string, AuthMode>> = {
  aws_cognito_user_pools: 'AMAZON_COGNITO_USER_POOLS',
  aws_auth: 'AMAZON_COGNITO_USER_POOLS',
  aws_iam: 'AWS_IAM',
  aws_api_key: 'API_KEY',
  aws_oidc: 'OPENID_CONNECT',
  aws_lambda: 'AWS_LAMBDA',
};

const defaultRule: FieldAuthRule = [{ mode: 'AMAZON_COGNITO_USER_POOLS' }];

function modesOf(schema: GraphQLSchema, directives: readonly DirectiveNode[]): AllowedMode[] {
  return directives.flatMap((node): AllowedMode[] => {
    const mode = directiveModes[node.name.value];
    if (mode === undefined) return [];
    const definition = schema.getDirective(node.name.value);
    const groups = definition ? (getDirectiveValues(definition, { directives: [node] })?.['cognito_groups'] as string[] | undefined) : undefined;
    return [groups ? { mode, groups } : { mode }];
  });
}

export function fieldAuthRule(schema: GraphQLSchema, type: GraphQLObjectType, field: GraphQLField<unknown, unknown>): FieldAuthRule {
  const fieldModes = modesOf(schema, field.astNode?.directives ?? []);
  if (fieldModes.length > 0) return fieldModes;
  const typeDirectives = [type.astNode, ...type.extensionASTNodes].flatMap((node) => node?.directives ?? []);
  const typeModes = modesOf(schema, typeDirectives);
  return typeModes.length > 0 ? typeModes : defaultRule;
}

export function isAllowed(rule: FieldAuthRule, caller: Caller): boolean {
  return rule.some((allowed) => {
    if (allowed.mode !== caller.mode) return false;
    if (allowed.groups === undefined || caller.mode !== 'AMAZON_COGNITO_USER_POOLS') return true;
    const callerGroups = caller.identity.groups ?? [];
    return allowed.groups.some((group) => callerGroups.includes(group));
  });
}
