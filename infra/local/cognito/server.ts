import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { z } from 'zod';

/**
 * A local stand-in for the Cognito user pool operations the GraphQL function calls: the AWS JSON 1.1
 * protocol the official SDK speaks (`POST /` with `X-Amz-Target: AWSCognitoIdentityProviderService.<Op>`),
 * answers and errors in its shape so the SDK raises the same exception classes, and Cognito's rules for a
 * pool whose sign-in name is the email (infra/aws/constructs/auth.ts): the username is the user's sub, the
 * email an alias; temporary passwords follow the pool's policy; RESEND only for users who never signed in.
 * Implements AdminCreateUser, AdminAddUserToGroup, AdminDisableUser, AdminEnableUser and
 * AdminUserGlobalSignOut. Requests are not authenticated: any static credentials work. Tests only; users
 * live in memory.
 */
export interface CognitoEndpoint {
  readonly url: string;
  readonly userPoolId: string;
  /** Every request, in order: the operation and its JSON body as sent. */
  readonly requests: readonly { readonly operation: string; readonly body: Record<string, unknown> }[];
  /** A copy of the user with this email as the pool holds it now. */
  user(email: string): PoolUser | undefined;
  /** What the user's first sign-in does to it: the temporary password is replaced, and RESEND refused from then on. */
  completeFirstSignIn(email: string): void;
  close(): Promise<void>;
}

export interface PoolUser {
  readonly sub: string;
  readonly email: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly status: 'FORCE_CHANGE_PASSWORD' | 'CONFIRMED';
  readonly enabled: boolean;
  readonly temporaryPassword: string | undefined;
  readonly groups: readonly string[];
  /** Invitations e-mailed (the first and each RESEND), with the password each carried. */
  readonly invitations: readonly string[];
  /** How many times every session was revoked. */
  readonly globalSignOuts: number;
}

type MutableUser = { -readonly [Key in keyof PoolUser]: PoolUser[Key] extends readonly (infer Item)[] ? Item[] : PoolUser[Key] };

const SERVICE = 'AWSCognitoIdentityProviderService';

class CognitoError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const attributeList = z.array(z.object({ Name: z.string().min(1), Value: z.string().optional() }));
const userTarget = z.object({ UserPoolId: z.string().min(1), Username: z.string().min(1) });
const createUserSchema = userTarget.extend({
  UserAttributes: attributeList.optional(),
  TemporaryPassword: z.string().optional(),
  MessageAction: z.enum(['RESEND', 'SUPPRESS']).optional(),
  DesiredDeliveryMediums: z.array(z.enum(['EMAIL', 'SMS'])).optional(),
});
const addToGroupSchema = userTarget.extend({ GroupName: z.string().min(1) });

/** The pool's policy (auth.ts): 12+ characters with lower, upper, digit and symbol. */
function passwordProblem(password: string): string | undefined {
  if (password.length < 12) return 'Password did not conform with policy: Password not long enough';
  if (!/[a-z]/.test(password)) return 'Password did not conform with policy: Password must have lowercase characters';
  if (!/[A-Z]/.test(password)) return 'Password did not conform with policy: Password must have uppercase characters';
  if (!/[0-9]/.test(password)) return 'Password did not conform with policy: Password must have numeric characters';
  if (!/[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+-]/.test(password)) return 'Password did not conform with policy: Password must have symbol characters';
  return undefined;
}

const EMAIL = /^[^@\s]+@[^@\s]+$/;

export async function startCognitoEndpoint(options: { userPoolId?: string; groups?: readonly string[] } = {}): Promise<CognitoEndpoint> {
  const userPoolId = options.userPoolId ?? 'ap-south-1_LocalPool';
  const groups = new Set(options.groups ?? ['admin', 'recruiter']);
  const users = new Map<string, MutableUser>();
  const requests: { operation: string; body: Record<string, unknown> }[] = [];

  /** By username (the sub) or by the email alias, as Cognito resolves `Username`. */
  function find(username: string): MutableUser | undefined {
    return users.get(username) ?? [...users.values()].find((user) => user.email === username.toLowerCase());
  }

  function assertPool(id: string): void {
    if (id !== userPoolId) throw new CognitoError('ResourceNotFoundException', `User pool ${id} does not exist.`);
  }

  function target(request: z.output<typeof userTarget>): MutableUser {
    assertPool(request.UserPoolId);
    const user = find(request.Username);
    if (user === undefined) throw new CognitoError('UserNotFoundException', 'User does not exist.');
    return user;
  }

  const describe = (user: MutableUser) => ({
    Username: user.sub,
    Attributes: Object.entries(user.attributes).map(([Name, Value]) => ({ Name, Value })),
    UserCreateDate: Date.now() / 1000,
    UserLastModifiedDate: Date.now() / 1000,
    Enabled: user.enabled,
    UserStatus: user.status,
  });

  function invite(user: MutableUser, temporaryPassword: string | undefined, mediums: readonly string[] | undefined, action: string | undefined) {
    if (temporaryPassword !== undefined) {
      const problem = passwordProblem(temporaryPassword);
      if (problem !== undefined) throw new CognitoError('InvalidPasswordException', problem);
    }
    user.temporaryPassword = temporaryPassword ?? `Generated-${randomUUID()}`;
    if (action !== 'SUPPRESS' && (mediums ?? ['SMS']).includes('EMAIL')) user.invitations.push(user.temporaryPassword);
  }

  const operations: Readonly<Record<string, (body: unknown) => object>> = {
    AdminCreateUser(body) {
      const request = createUserSchema.parse(body);
      if (request.MessageAction === 'RESEND') {
        const user = target(request);
        if (user.status !== 'FORCE_CHANGE_PASSWORD') throw new CognitoError('UnsupportedUserStateException', 'User is not in FORCE_CHANGE_PASSWORD state.');
        invite(user, request.TemporaryPassword, request.DesiredDeliveryMediums, request.MessageAction);
        return { User: describe(user) };
      }
      assertPool(request.UserPoolId);
      const email = request.Username.toLowerCase();
      if (!EMAIL.test(email)) throw new CognitoError('InvalidParameterException', 'Username should be an email.');
      if (find(email) !== undefined) throw new CognitoError('UsernameExistsException', 'An account with the given email already exists.');
      const given = Object.fromEntries((request.UserAttributes ?? []).map((attribute) => [attribute.Name, attribute.Value ?? '']));
      if (given.email !== undefined && given.email.toLowerCase() !== email) {
        throw new CognitoError('InvalidParameterException', 'The email attribute must match the username in a pool that signs in by email.');
      }
      const sub = randomUUID();
      const user: MutableUser = {
        sub,
        email,
        attributes: { ...given, sub, email },
        status: 'FORCE_CHANGE_PASSWORD',
        enabled: true,
        temporaryPassword: undefined,
        groups: [],
        invitations: [],
        globalSignOuts: 0,
      };
      invite(user, request.TemporaryPassword, request.DesiredDeliveryMediums, request.MessageAction);
      users.set(sub, user);
      return { User: describe(user) };
    },
    AdminAddUserToGroup(body) {
      const { GroupName, ...request } = addToGroupSchema.parse(body);
      const user = target(request);
      if (!groups.has(GroupName)) throw new CognitoError('ResourceNotFoundException', 'Group not found.');
      if (!user.groups.includes(GroupName)) user.groups.push(GroupName);
      return {};
    },
    AdminDisableUser(body) {
      target(userTarget.parse(body)).enabled = false;
      return {};
    },
    AdminEnableUser(body) {
      target(userTarget.parse(body)).enabled = true;
      return {};
    },
    AdminUserGlobalSignOut(body) {
      target(userTarget.parse(body)).globalSignOuts += 1;
      return {};
    },
  };

  async function answer(request: http.IncomingMessage): Promise<{ status: number; body: object }> {
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const targetHeader = request.headers['x-amz-target'];
      const operationName = typeof targetHeader === 'string' && targetHeader.startsWith(`${SERVICE}.`) ? targetHeader.slice(SERVICE.length + 1) : '';
      const operation = request.method === 'POST' && Object.hasOwn(operations, operationName) ? operations[operationName] : undefined;
      if (operation === undefined) throw new CognitoError('UnknownOperationException', `${String(targetHeader)} is not supported by the local Cognito endpoint`);
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      } catch {
        throw new CognitoError('InvalidParameterException', 'The request body is not JSON');
      }
      requests.push({ operation: operationName, body: body as Record<string, unknown> });
      return { status: 200, body: operation(body) };
    } catch (caught) {
      const error =
        caught instanceof z.ZodError
          ? new CognitoError('InvalidParameterException', caught.issues.map((issue) => `${issue.path.join('.') || 'request'}: ${issue.message}`).join('; '))
          : caught instanceof CognitoError
            ? caught
            : new CognitoError('InternalErrorException', String(caught), 500);
      return { status: error.status, body: { __type: error.type, message: error.message } };
    }
  }

  const server = http.createServer((request, response) => {
    void answer(request).then(({ status, body }) => {
      response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() });
      response.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    userPoolId,
    requests,
    user: (email) => structuredClone(find(email)),
    completeFirstSignIn(email) {
      const user = find(email);
      if (user === undefined) throw new Error(`no user ${email} in the local pool`);
      user.status = 'CONFIRMED';
      user.temporaryPassword = undefined;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The official SDK client pointed at a local endpoint, with static credentials and no retries. */
export function localCognitoClient(endpoint: Pick<CognitoEndpoint, 'url'>): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    region: 'ap-south-1',
    endpoint: endpoint.url,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
}
