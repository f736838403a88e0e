import type { AppSyncIdentityCognito } from 'aws-lambda';
import { Kind, parse, type SelectionSetNode } from 'graphql';
import type { GraphqlEvent } from '../handler.ts';

/**
 * Factories for the events AppSync sends the GraphQL Lambda, for tests of the handler and of anything that
 * hosts it. Identities look like the Cognito identities AppSync builds from a user-pool token.
 */

export interface IdentityOf {
  readonly id: string;
  readonly email?: string;
  /** Cognito groups; default ['recruiter']. */
  readonly groups?: readonly string[];
}

export function cognitoIdentity(recruiter: IdentityOf): AppSyncIdentityCognito {
  const groups = [...(recruiter.groups ?? ['recruiter'])];
  const username = recruiter.email ?? recruiter.id;
  return {
    sub: recruiter.id,
    issuer: 'http://localhost:4000/local-cognito',
    username,
    claims: { sub: recruiter.id, email: recruiter.email, 'cognito:groups': groups, 'cognito:username': username, token_use: 'id' },
    sourceIp: ['127.0.0.1'],
    defaultAuthStrategy: 'ALLOW',
    groups,
  };
}

/**
 * AppSync's selectionSetList for a selection written as GraphQL, e.g. `nodes { id aspirant { notes { body } } }`
 * → ["nodes", "nodes/id", "nodes/aspirant", "nodes/aspirant/notes", "nodes/aspirant/notes/body"].
 */
export function selectionSetListOf(selection: string): string[] {
  const paths: string[] = [];
  const walk = (set: SelectionSetNode, prefix: string): void => {
    for (const node of set.selections) {
      if (node.kind === Kind.FIELD) {
        const path = `${prefix}${node.name.value}`;
        paths.push(path);
        if (node.selectionSet !== undefined) walk(node.selectionSet, `${path}/`);
      } else if (node.kind === Kind.INLINE_FRAGMENT) {
        walk(node.selectionSet, prefix);
      }
    }
  };
  const [operation] = parse(`{ ${selection} }`).definitions;
  if (operation?.kind !== Kind.OPERATION_DEFINITION) throw new Error('selection must be a plain selection set');
  walk(operation.selectionSet, '');
  return paths;
}

export interface ResolverEventOptions {
  readonly arguments?: Record<string, unknown>;
  /** An AppSync identity; null for a request without one. */
  readonly identity: AppSyncIdentityCognito | null;
  /** The field's selection as GraphQL (what goes between its braces); empty for scalars. */
  readonly selection?: string;
}

/** A direct Lambda resolver event for `Type.field` ("Query.inbox", "Mutation.sendMessage", …). */
export function resolverEvent(field: string, options: ResolverEventOptions): GraphqlEvent {
  const [parentTypeName = '', fieldName = ''] = field.split('.');
  const selection = options.selection ?? '';
  return {
    arguments: options.arguments ?? {},
    identity: options.identity,
    source: null,
    request: { headers: { 'content-type': 'application/json' }, domainName: null },
    info: {
      parentTypeName,
      fieldName,
      variables: {},
      selectionSetList: selection === '' ? [] : selectionSetListOf(selection),
      selectionSetGraphQL: selection === '' ? '' : `{ ${selection} }`,
    },
    prev: null,
    stash: {},
  };
}

/**
 * The payload resolvers/code/subscribeWithinScope.ts invokes the Lambda with when a subscription starts:
 * arguments, identity, source and info without a selection set.
 */
export function subscriptionAuthorizationEvent(
  fieldName: 'onMessageEvent' | 'onAspirantEvent',
  args: Record<string, unknown>,
  identity: AppSyncIdentityCognito | null,
): GraphqlEvent {
  return {
    arguments: args,
    identity,
    source: null,
    info: { fieldName, parentTypeName: 'Subscription', variables: args },
  } as unknown as GraphqlEvent;
}
