import { join } from 'node:path';
import {
  defaultFieldResolver,
  isObjectType,
  locatedError,
  responsePathAsArray,
  type GraphQLError,
  type GraphQLFieldResolver,
  type GraphQLSchema,
} from 'graphql';
import type { Binding } from '../../../resolvers/manifest.ts';
import { fieldAuthRule, isAllowed, type Caller } from './auth.ts';
import { AppSyncError, internalFailure, lambdaFailure, notAuthorized } from './errors.ts';
import { AppSyncJsRuntime, throughJson, type DataSourceOutcome, type ResolverContext, type ResolverSideEffects, type SubscriptionInvalidation } from './jsRuntime.ts';
import { selectionSetGraphQL, selectionSetList, type SelectionSource } from './selectionSet.ts';

/** Invokes the Lambda behind a data source with an event and returns what the function returned. */
export type InvokeLambda = (dataSourceName: string, event: unknown) => Promise<unknown>;

export type DataSourceKinds = Readonly<Record<string, { readonly kind: 'lambda' | 'none' }>>;

/** Per-request state the resolvers share: who calls, how, and what resolvers recorded on the side. */
export interface RequestContext {
  readonly caller: Caller;
  readonly headers: Readonly<Record<string, string>>;
  /** The operation's variables as the client sent them (AppSync's `info.variables`). */
  readonly variables: Readonly<Record<string, unknown>>;
  readonly appendedErrors: GraphQLError[];
  readonly invalidations: SubscriptionInvalidation[];
}

export function newRequestContext(caller: Caller, headers: Readonly<Record<string, string>>, variables: Readonly<Record<string, unknown>>): RequestContext {
  return { caller, headers, variables, appendedErrors: [], invalidations: [] };
}

/** One field resolution, in the terms AppSync hands to resolvers. */
export interface FieldCall {
  readonly typeName: string;
  readonly fieldName: string;
  readonly arguments: Record<string, unknown>;
  readonly source: unknown;
  readonly context: RequestContext;
  readonly selection: SelectionSource;
}

export interface ResolverOptions {
  readonly bindings: readonly Binding[];
  readonly dataSources: DataSourceKinds;
  readonly resolverCodeDir: string;
  readonly invokeLambda: InvokeLambda;
  /** Hears about bugs (in the engine or in resolver code); the client gets an InternalFailure error. */
  readonly onInternalError: (error: unknown) => void;
}

/** Builds each bound field's resolver from the manifest and runs it the way AppSync would. */
export class ManifestResolvers {
  private readonly runtime = new AppSyncJsRuntime();
  private readonly byField = new Map<string, Binding>();

  constructor(
    schema: GraphQLSchema,
    private readonly options: ResolverOptions,
  ) {
    for (const binding of options.bindings) {
      const type = schema.getType(binding.typeName);
      if (!isObjectType(type) || type.getFields()[binding.fieldName] === undefined) {
        throw new Error(`the resolver manifest binds ${binding.typeName}.${binding.fieldName}, which the schema does not define`);
      }
      if (options.dataSources[binding.dataSource] === undefined) {
        throw new Error(`${binding.typeName}.${binding.fieldName} uses the unknown data source "${binding.dataSource}"`);
      }
      if (binding.code === undefined && options.dataSources[binding.dataSource]?.kind !== 'lambda') {
        throw new Error(`${binding.typeName}.${binding.fieldName} has no code, so its data source must be a Lambda`);
      }
      this.byField.set(`${binding.typeName}.${binding.fieldName}`, binding);
    }
  }

  /** Bundles every APPSYNC_JS file the manifest names. */
  preload(): Promise<void> {
    return this.runtime.preload(this.options.bindings.flatMap((binding) => (binding.code ? [this.codePath(binding.code)] : [])));
  }

  has(typeName: string, fieldName: string): boolean {
    return this.byField.has(`${typeName}.${fieldName}`);
  }

  private codePath(file: string): string {
    return join(this.options.resolverCodeDir, file);
  }

  /** Resolves one bound field: a direct Lambda invocation, or an APPSYNC_JS unit resolver. */
  async resolve(call: FieldCall): Promise<{ readonly value: unknown; readonly effects?: ResolverSideEffects }> {
    try {
      return await this.run(call);
    } catch (error) {
      if (error instanceof AppSyncError) throw error;
      this.options.onInternalError(error);
      throw internalFailure();
    }
  }

  private async run(call: FieldCall): Promise<{ readonly value: unknown; readonly effects?: ResolverSideEffects }> {
    const binding = this.byField.get(`${call.typeName}.${call.fieldName}`);
    if (binding === undefined) return { value: null };
    if (binding.code === undefined) return { value: await this.invokeDirect(binding.dataSource, call) };
    return this.runtime.runUnitResolver(this.codePath(binding.code), resolverContext(call), (request) => this.callDataSource(binding.dataSource, request));
  }

  private async invokeDirect(dataSource: string, call: FieldCall): Promise<unknown> {
    const context = resolverContext(call);
    const event = {
      arguments: context.arguments,
      identity: context.identity,
      source: context.source,
      request: context.request,
      info: context.info,
      prev: null,
      stash: {},
    };
    try {
      return throughJson(await this.options.invokeLambda(dataSource, throughJson(event)));
    } catch (thrown) {
      const failure = lambdaFailure(thrown);
      throw new AppSyncError(failure.message, failure.type);
    }
  }

  private async callDataSource(name: string, request: unknown): Promise<DataSourceOutcome> {
    const payload = (request as { payload?: unknown } | null)?.payload ?? null;
    if (this.options.dataSources[name]?.kind === 'none') return { result: payload };
    const operation = (request as { operation?: unknown } | null)?.operation;
    if (operation !== 'Invoke') throw new AppSyncError(`Unsupported Lambda operation ${JSON.stringify(operation)}: only Invoke runs locally`, 'BadRequest');
    try {
      return { result: throughJson(await this.options.invokeLambda(name, throughJson(payload))) };
    } catch (thrown) {
      return { error: lambdaFailure(thrown) };
    }
  }
}

function resolverContext(call: FieldCall): ResolverContext {
  const { caller, headers, variables } = call.context;
  return {
    arguments: call.arguments,
    args: call.arguments,
    identity: caller.identity,
    source: call.source ?? null,
    request: { headers, domainName: null },
    info: {
      fieldName: call.fieldName,
      parentTypeName: call.typeName,
      variables,
      selectionSetList: selectionSetList(call.selection),
      selectionSetGraphQL: selectionSetGraphQL(call.selection),
    },
    stash: {},
  };
}

/**
 * Installs resolvers on every field of the schema: the manifest's for bound Query and Mutation fields, graphql's
 * default elsewhere, and in front of each the auth-directive check, so that every field resolved — nested ones
 * included — is refused to a caller its directives do not admit. Subscription fields keep the default
 * resolver: their manifest resolver runs when a subscription starts, and events are projected by default
 * resolution.
 */
export function installResolvers(schema: GraphQLSchema, resolvers: ManifestResolvers): void {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const bound = type === schema.getQueryType() || type === schema.getMutationType();
    for (const field of Object.values(type.getFields())) {
      const rule = fieldAuthRule(schema, type, field);
      const resolve: GraphQLFieldResolver<unknown, RequestContext> =
        bound && resolvers.has(type.name, field.name)
          ? async (source, args, context, info) => {
              const { value, effects } = await resolvers.resolve({ typeName: type.name, fieldName: field.name, arguments: args, source, context, selection: info });
              const path = responsePathAsArray(info.path);
              for (const error of effects?.appendedErrors ?? []) context.appendedErrors.push(locatedError(error, info.fieldNodes, path));
              context.invalidations.push(...(effects?.invalidations ?? []));
              return value;
            }
          : defaultFieldResolver;
      field.resolve = (source, args, context: RequestContext, info) => {
        if (!isAllowed(rule, context.caller)) throw notAuthorized(field.name, type.name);
        return resolve(source, args, context, info);
      };
    }
  }
}
