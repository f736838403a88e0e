import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import {
  buildSchema,
  execute,
  getArgumentValues,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  Kind,
  locatedError,
  parse,
  validate,
  type DocumentNode,
  type ExecutionResult,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import type { EventPublisher } from '../../../functions/live/publisher.ts';
import type { Binding } from '../../../resolvers/manifest.ts';
import { BoundedCache } from '../boundedCache.ts';
import { isAllowed, fieldAuthRule, localBackendCaller, type Caller, type CognitoIdentity } from './auth.ts';
import { AuthenticationError, notAuthorized, reportInternalFailure, toAppSyncError, type AppSyncGraphqlError, type AppSyncRequestError, type AppSyncResponse } from './errors.ts';
import { createGraphqlHttpHandler } from './http.ts';
import { InProcessEventPublisher } from './publisher.ts';
import { attachRealtime, type RealtimeEndpoint } from './realtime.ts';
import type { ResolverSideEffects } from './jsRuntime.ts';
import { installResolvers, ManifestResolvers, newRequestContext, type DataSourceKinds, type InvokeLambda, type RequestContext } from './resolvers.ts';
import { installAppSyncScalars } from './scalars.ts';
import { rootFields } from './selectionSet.ts';
import { subscriptionFieldsByMutation, SubscriptionRegistry } from './subscriptions.ts';

export interface GraphqlRequest {
  readonly query: string;
  readonly variables?: Readonly<Record<string, unknown>> | null;
  readonly operationName?: string | null;
}

export interface AppSyncEngineOptions {
  /** schema/appsync.graphql + schema/schema.graphql, as `loadSchemaSource()` returns them. */
  readonly schemaSource: string;
  /** The resolver manifest's bindings and data sources (resolvers/manifest.ts). */
  readonly bindings: readonly Binding[];
  readonly dataSources: DataSourceKinds;
  /** Runs the Lambda behind a data source, e.g. `(_name, event) => graphqlHandler(event)`. */
  readonly invokeLambda: InvokeLambda;
  /** Verifies a Cognito ID/access token and returns the caller's identity; throws when it is not valid. */
  readonly verifyToken: (jwt: string) => Promise<CognitoIdentity> | CognitoIdentity;
  /** Where APPSYNC_JS files named by bindings live; defaults to resolvers/code/. */
  readonly resolverCodeDir?: string;
  /** The realtime keep-alive interval; AppSync sends `ka` every minute. */
  readonly keepAliveMs?: number;
  /** Hears about bugs that clients are told only "internal failure" about. Defaults to console.error. */
  readonly onInternalError?: (error: unknown) => void;
}

/** The outcome of a realtime `start`: errors, or a subscription that receives events once activated. */
export type SubscriptionStart =
  | { readonly ok: false; readonly errors: readonly (AppSyncGraphqlError | AppSyncRequestError)[] }
  | { readonly ok: true; readonly activate: () => () => void };

/** Where a started subscription's events go. */
export interface SubscriptionSink {
  data(response: AppSyncResponse): void;
  /** A mutation invalidated the subscription; it receives nothing more. */
  invalidated(): void;
}

export interface AppSyncEngine {
  readonly schema: GraphQLSchema;
  /** `POST /graphql` for node:http. */
  readonly http: (req: IncomingMessage, res: ServerResponse) => void;
  /** Serves the real-time protocol at /graphql/realtime on an existing server. */
  attachRealtime(server: Server): RealtimeEndpoint;
  /** Publishes live events through the IAM-only publish mutations, as the backend does on AWS. */
  readonly publisher: EventPublisher;
  authenticate(authorization: string | undefined, sourceIp?: string): Promise<Caller>;
  execute(request: GraphqlRequest, caller: Caller, headers?: Readonly<Record<string, string>>): Promise<AppSyncResponse>;
  /** Runs a document as the backend's IAM role, in-process (there is no HTTP IAM). */
  executeAsIam(document: string, variables?: Readonly<Record<string, unknown>>): Promise<AppSyncResponse>;
  startSubscription(request: GraphqlRequest, caller: Caller, headers: Readonly<Record<string, string>>, sink: SubscriptionSink): Promise<SubscriptionStart>;
  /** Closes every realtime endpoint attached (servers stay the caller's to close). */
  close(): Promise<void>;
}

const defaultResolverCodeDir = fileURLToPath(new URL('../../../resolvers/code/', import.meta.url));

interface PreparedOperation {
  readonly document: DocumentNode;
  readonly operation: OperationDefinitionNode;
  readonly fragments: Readonly<Record<string, FragmentDefinitionNode>>;
  readonly variables: Readonly<Record<string, unknown>>;
  readonly coercedVariables: Readonly<Record<string, unknown>>;
}

/** Creates the engine and bundles every APPSYNC_JS resolver, so a broken one fails here rather than mid-request. */
export async function createAppSyncEngine(options: AppSyncEngineOptions): Promise<AppSyncEngine> {
  const onInternalError = options.onInternalError ?? reportInternalFailure;
  const schema = buildSchema(options.schemaSource);
  installAppSyncScalars(schema);
  const resolvers = new ManifestResolvers(schema, {
    bindings: options.bindings,
    dataSources: options.dataSources,
    resolverCodeDir: options.resolverCodeDir ?? defaultResolverCodeDir,
    invokeLambda: options.invokeLambda,
    onInternalError,
  });
  await resolvers.preload();
  installResolvers(schema, resolvers);
  return new Engine(schema, resolvers, options, onInternalError);
}

/** Node reports IPv4 peers on dual-stack sockets as ::ffff:a.b.c.d. */
const plainIp = (address: string): string => address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');

/**
 * Query texts whose parse and validation are kept, and the longest kept: the consoles and the publisher send a
 * few short documents again and again; the bounds keep what a caller can make the host hold small.
 */
const MAX_CHECKED_DOCUMENTS = 500;
const MAX_CHECKED_DOCUMENT_LENGTH = 16 * 1024;

class Engine implements AppSyncEngine {
  readonly http: (req: IncomingMessage, res: ServerResponse) => void;
  readonly publisher: EventPublisher;
  private readonly registry = new SubscriptionRegistry();
  private readonly subscriptionFields: ReadonlyMap<string, readonly string[]>;
  private readonly realtimeEndpoints = new Set<RealtimeEndpoint>();
  /** Parsed documents and their validation errors, by query text (validation depends on the schema alone). */
  private readonly checkedDocuments = new BoundedCache<string, { readonly document: DocumentNode; readonly errors: readonly GraphQLError[] }>(MAX_CHECKED_DOCUMENTS);

  constructor(
    readonly schema: GraphQLSchema,
    private readonly resolvers: ManifestResolvers,
    private readonly options: AppSyncEngineOptions,
    private readonly onInternalError: (error: unknown) => void,
  ) {
    this.subscriptionFields = subscriptionFieldsByMutation(schema);
    this.http = createGraphqlHttpHandler(this, this.onInternalError);
    this.publisher = new InProcessEventPublisher(this);
  }

  attachRealtime(server: Server): RealtimeEndpoint {
    const endpoint = attachRealtime(server, this, { keepAliveMs: this.options.keepAliveMs ?? 60_000, onInternalError: this.onInternalError });
    this.realtimeEndpoints.add(endpoint);
    return endpoint;
  }

  async close(): Promise<void> {
    await Promise.all([...this.realtimeEndpoints].map((endpoint) => endpoint.close()));
    this.realtimeEndpoints.clear();
  }

  async authenticate(authorization: string | undefined, sourceIp?: string): Promise<Caller> {
    if (!authorization) throw new AuthenticationError('Valid authorization header not provided.');
    let identity: CognitoIdentity;
    try {
      identity = await this.options.verifyToken(authorization);
    } catch (error) {
      // jose, which verifies tokens here, marks expiry with this code; AppSync words it separately.
      const expired = (error as { code?: unknown } | null)?.code === 'ERR_JWT_EXPIRED';
      throw new AuthenticationError(expired ? 'Token has expired.' : 'Unable to parse JWT token.');
    }
    return { mode: 'AMAZON_COGNITO_USER_POOLS', identity: sourceIp ? { ...identity, sourceIp: [plainIp(sourceIp)] } : identity };
  }

  private format(errors: readonly GraphQLError[], errorType?: string): AppSyncGraphqlError[] {
    return errors.map((error) => toAppSyncError(error, errorType));
  }

  /** Parses, validates and picks the operation; AppSync answers request-level failures with data null. */
  private prepare(request: GraphqlRequest): PreparedOperation | { readonly errors: AppSyncGraphqlError[] } {
    let checked = this.checkedDocuments.get(request.query);
    if (checked === undefined) {
      let parsed: DocumentNode;
      try {
        parsed = parse(request.query);
      } catch (error) {
        if (error instanceof GraphQLError) return { errors: this.format([error], 'InvalidSyntax') };
        throw error;
      }
      checked = { document: parsed, errors: validate(this.schema, parsed) };
      if (request.query.length <= MAX_CHECKED_DOCUMENT_LENGTH) this.checkedDocuments.set(request.query, checked);
    }
    const { document } = checked;
    if (checked.errors.length > 0) return { errors: this.format(checked.errors, 'ValidationError') };
    const operation = getOperationAST(document, request.operationName ?? undefined);
    if (!operation) {
      const message = request.operationName ? `Unknown operation named "${request.operationName}".` : 'Must provide operation name if query contains multiple operations.';
      return { errors: this.format([new GraphQLError(message)], 'ValidationError') };
    }
    const variables = request.variables ?? {};
    const coerced = getVariableValues(this.schema, operation.variableDefinitions ?? [], variables);
    if (coerced.errors) return { errors: this.format(coerced.errors, 'ValidationError') };
    const fragments = Object.fromEntries(
      document.definitions.flatMap((definition) => (definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition] as const] : [])),
    );
    return { document, operation, fragments, variables, coercedVariables: coerced.coerced };
  }

  private response(result: ExecutionResult, context: RequestContext): AppSyncResponse {
    const errors = [...(result.errors ?? []), ...context.appendedErrors];
    return { data: result.data ?? null, ...(errors.length > 0 ? { errors: this.format(errors) } : {}) };
  }

  async execute(request: GraphqlRequest, caller: Caller, headers: Readonly<Record<string, string>> = {}): Promise<AppSyncResponse> {
    const prepared = this.prepare(request);
    if ('errors' in prepared) return { data: null, errors: prepared.errors };
    const { document, operation, variables } = prepared;
    if (operation.operation === 'subscription') {
      return { data: null, errors: this.format([new GraphQLError('Subscriptions are served at /graphql/realtime.')], 'UnsupportedOperation') };
    }
    const context = newRequestContext(caller, headers, variables);
    const result = await execute({ schema: this.schema, document, operationName: request.operationName, variableValues: variables, contextValue: context });
    if (operation.operation === 'mutation') await this.fanOut(prepared, result, context);
    return this.response(result, context);
  }

  executeAsIam(document: string, variables: Readonly<Record<string, unknown>> = {}): Promise<AppSyncResponse> {
    return this.execute({ query: document, variables }, localBackendCaller);
  }

  /**
   * Publishes each top-level mutation field that completed without error to the subscriptions that
   * `@aws_subscribe` ties to it: its result, as the mutation selected it, is the event. Then runs the
   * invalidations the mutation's resolvers asked for.
   */
  private async fanOut(prepared: PreparedOperation, result: ExecutionResult, context: RequestContext): Promise<void> {
    const failedKeys = new Set([...(result.errors ?? []), ...context.appendedErrors].map((error) => error.path?.[0]));
    const deliveries: Promise<void>[] = [];
    for (const { responseKey, node } of rootFields(prepared.operation, prepared.fragments, prepared.coercedVariables)) {
      const event = result.data?.[responseKey];
      if (failedKeys.has(responseKey) || event === null || event === undefined) continue;
      for (const fieldName of this.subscriptionFields.get(node.name.value) ?? []) {
        for (const subscription of this.registry.reachedBy(fieldName, event)) {
          deliveries.push(subscription.deliver(event).catch(this.onInternalError));
        }
      }
    }
    await Promise.all(deliveries);
    for (const { subscriptionField, payload } of context.invalidations) this.registry.invalidate(subscriptionField, payload);
  }

  async startSubscription(request: GraphqlRequest, caller: Caller, headers: Readonly<Record<string, string>>, sink: SubscriptionSink): Promise<SubscriptionStart> {
    const prepared = this.prepare(request);
    if ('errors' in prepared) return { ok: false, errors: prepared.errors };
    const { document, operation, fragments, variables, coercedVariables } = prepared;
    if (operation.operation !== 'subscription') {
      return { ok: false, errors: [{ errorType: 'UnsupportedOperation', message: `${operation.operation} not supported through the realtime channel` }] };
    }
    const subscriptionType = this.schema.getSubscriptionType()!;
    // Validation admits exactly one top-level field in a subscription.
    const [{ responseKey, node }] = rootFields(operation, fragments, coercedVariables) as [ReturnType<typeof rootFields>[number]];
    const field = subscriptionType.getFields()[node.name.value]!;
    const refuse = (error: unknown): SubscriptionStart => ({ ok: false, errors: this.format([locatedError(error, [node], [responseKey])]) });
    if (!isAllowed(fieldAuthRule(this.schema, subscriptionType, field), caller)) return refuse(notAuthorized(field.name, subscriptionType.name));

    const context = newRequestContext(caller, headers, variables);
    const args = getArgumentValues(field, node, coercedVariables);
    let effects: ResolverSideEffects | undefined;
    try {
      ({ effects } = await this.resolvers.resolve({
        typeName: subscriptionType.name,
        fieldName: field.name,
        arguments: args,
        source: null,
        context,
        selection: { fieldNodes: [node], fragments, variableValues: coercedVariables },
      }));
    } catch (error) {
      return refuse(error);
    }
    if (effects?.appendedErrors.length) return { ok: false, errors: this.format(effects.appendedErrors.map((error) => locatedError(error, [node], [responseKey]))) };

    const deliver = async (event: unknown): Promise<void> => {
      const projection = newRequestContext(caller, headers, variables);
      const result = await execute({
        schema: this.schema,
        document,
        operationName: request.operationName,
        variableValues: variables,
        rootValue: { [field.name]: event },
        contextValue: projection,
      });
      sink.data(this.response(result, projection));
    };
    return {
      ok: true,
      activate: () =>
        this.registry.add({
          fieldName: field.name,
          arguments: args,
          filter: effects?.subscriptionFilter,
          invalidationFilter: effects?.invalidationFilter,
          deliver,
          invalidate: () => sink.invalidated(),
        }),
    };
  }
}
