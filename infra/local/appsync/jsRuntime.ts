import { randomUUID } from 'node:crypto';
import { compileFunction, createContext } from 'node:vm';
import { build } from 'esbuild';
import { AppSyncError, notAuthorized } from './errors.ts';
import { checkSubscriptionFilter, toSubscriptionFilter, type SubscriptionFilter } from './subscriptionFilters.ts';

/**
 * A small APPSYNC_JS runtime: resolver files are bundled as AWS bundles them (esbuild, @aws-appsync/utils
 * left external) and evaluated in their own V8 context, where `@aws-appsync/utils` resolves to the runtime
 * below instead of the package's empty stand-ins. APPSYNC_JS handlers are synchronous, so the runtime tracks
 * one invocation at a time: what a handler records (appended errors, filters, invalidations) lands on it.
 *
 * `extensions.setSubscriptionInvalidationFilter` stores the filter with the subscription, and
 * `extensions.invalidateSubscriptions` called by a mutation's resolver closes the subscriptions of that field
 * whose invalidation filter matches the payload once the mutation completes.
 */

/** The `ctx` handlers receive. */
export interface ResolverContext {
  readonly arguments: Record<string, unknown>;
  readonly args: Record<string, unknown>;
  readonly identity: unknown;
  readonly source: unknown;
  readonly request: { readonly headers: Readonly<Record<string, string>>; readonly domainName: null };
  readonly info: {
    readonly fieldName: string;
    readonly parentTypeName: string;
    readonly variables: Readonly<Record<string, unknown>>;
    readonly selectionSetList: readonly string[];
    readonly selectionSetGraphQL: string;
  };
  readonly stash: Record<string, unknown>;
  result?: unknown;
  error?: { readonly message: string; readonly type: string };
}

export interface SubscriptionInvalidation {
  readonly subscriptionField: string;
  readonly payload: unknown;
}

/** What one resolver run produced besides its value. */
export interface ResolverSideEffects {
  readonly appendedErrors: AppSyncError[];
  subscriptionFilter?: SubscriptionFilter;
  invalidationFilter?: SubscriptionFilter;
  readonly invalidations: SubscriptionInvalidation[];
}

/** The outcome of the data source a request handler addressed. */
export type DataSourceOutcome = { readonly result: unknown } | { readonly error: { readonly message: string; readonly type: string } };

interface UnitResolverModule {
  request(ctx: ResolverContext): unknown;
  response(ctx: ResolverContext): unknown;
}

class EarlyReturn {
  constructor(readonly value: unknown) {}
}

/**
 * A value as it arrives after crossing AppSync's wire (to a Lambda and back, out of a resolver's V8 context):
 * JSON, with undefined read as null.
 */
export const throughJson = (value: unknown): unknown => jsonCopy(value, '') ?? null;

/**
 * What `JSON.parse(JSON.stringify(value))` gives, built directly: a fresh copy after `toJSON`, with boxed
 * primitives unwrapped, non-finite numbers as null, undefined, functions and symbols left out of objects and
 * null in arrays, and a BigInt refused. Several times faster than printing and parsing the text, which every
 * Lambda result paid (an inbox page: some 80 kB). A cycle fails too, as a RangeError.
 */
function jsonCopy(value: unknown, key: string): unknown {
  if (typeof value === 'object' && value !== null) {
    if (typeof (value as { toJSON?: unknown }).toJSON === 'function') value = (value as { toJSON(key: string): unknown }).toJSON(key);
    if (value instanceof Number || value instanceof String || value instanceof Boolean) value = value.valueOf();
  }
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      // JSON prints -0 as 0.
      return Number.isFinite(value) ? (value === 0 ? 0 : value) : null;
    case 'bigint':
      throw new TypeError('Do not know how to serialize a BigInt');
    case 'object':
      if (value === null) return null;
      return Array.isArray(value) ? jsonCopyArray(value) : jsonCopyObject(value as Record<string, unknown>);
    default:
      return undefined;
  }
}

function jsonCopyArray(array: readonly unknown[]): unknown[] {
  const copy = new Array<unknown>(array.length);
  for (let index = 0; index < array.length; index += 1) copy[index] = jsonCopy(array[index], String(index)) ?? null;
  return copy;
}

function jsonCopyObject(object: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const name of Object.keys(object)) {
    const copied = jsonCopy(object[name], name);
    if (copied === undefined) continue;
    // An own "__proto__" key (e.g. in stored form answers) stays a key, as JSON.parse makes it.
    if (name === '__proto__') Object.defineProperty(copy, name, { value: copied, enumerable: true, writable: true, configurable: true });
    else copy[name] = copied;
  }
  return copy;
}

const bundles = new Map<string, Promise<string>>();

/** Bundles a resolver file once per process, with the options AWS documents for APPSYNC_JS. */
export function bundleResolverCode(path: string): Promise<string> {
  let bundle = bundles.get(path);
  if (bundle === undefined) {
    bundle = build({
      entryPoints: [path],
      bundle: true,
      write: false,
      format: 'cjs',
      platform: 'node',
      target: 'esnext',
      external: ['@aws-appsync/utils'],
      logLevel: 'silent',
    }).then((result) => result.outputFiles[0]!.text);
    bundle.catch(() => bundles.delete(path));
    bundles.set(path, bundle);
  }
  return bundle;
}

interface Invocation {
  readonly fieldName: string;
  readonly parentTypeName: string;
  readonly effects: ResolverSideEffects;
}

export class AppSyncJsRuntime {
  private current: Invocation | undefined;
  private readonly modules = new Map<string, Promise<UnitResolverModule>>();

  /** What `import { util, extensions, runtime } from '@aws-appsync/utils'` gives resolver code. */
  private readonly utilsModule = {
    util: {
      error: (message: string, errorType?: string, data?: unknown, errorInfo?: unknown): never => {
        throw new AppSyncError(message, errorType ?? null, data ?? null, errorInfo ?? null);
      },
      appendError: (message: string, errorType?: string, data?: unknown, errorInfo?: unknown): void => {
        this.invocation().effects.appendedErrors.push(new AppSyncError(message, errorType ?? null, data ?? null, errorInfo ?? null));
      },
      unauthorized: (): never => {
        const { fieldName, parentTypeName } = this.invocation();
        throw notAuthorized(fieldName, parentTypeName);
      },
      autoId: (): string => randomUUID(),
      time: {
        nowISO8601: (): string => new Date().toISOString(),
        nowEpochSeconds: (): number => Math.floor(Date.now() / 1000),
        nowEpochMilliSeconds: (): number => Date.now(),
      },
      transform: { toSubscriptionFilter },
    },
    extensions: {
      setSubscriptionFilter: (filter: unknown): void => {
        this.invocation().effects.subscriptionFilter = checkSubscriptionFilter(throughJson(filter));
      },
      setSubscriptionInvalidationFilter: (filter: unknown): void => {
        this.invocation().effects.invalidationFilter = checkSubscriptionFilter(throughJson(filter));
      },
      invalidateSubscriptions: (invalidation: { subscriptionField: string; payload: unknown }): void => {
        this.invocation().effects.invalidations.push(throughJson(invalidation) as SubscriptionInvalidation);
      },
    },
    runtime: {
      earlyReturn: (value?: unknown): never => {
        throw new EarlyReturn(value);
      },
    },
  };

  private invocation(): Invocation {
    if (this.current === undefined) throw new Error('@aws-appsync/utils was called outside a resolver handler');
    return this.current;
  }

  private load(path: string): Promise<UnitResolverModule> {
    let loaded = this.modules.get(path);
    if (loaded === undefined) {
      loaded = bundleResolverCode(path).then((code) => this.evaluate(path, code));
      this.modules.set(path, loaded);
    }
    return loaded;
  }

  private evaluate(path: string, code: string): UnitResolverModule {
    const module = { exports: {} as Record<string, unknown> };
    const requireUtils = (specifier: string): unknown => {
      if (specifier !== '@aws-appsync/utils') throw new Error(`${path}: "${specifier}" is not available to APPSYNC_JS resolvers locally`);
      return this.utilsModule;
    };
    const context = createContext({ console });
    compileFunction(code, ['exports', 'require', 'module'], { parsingContext: context, filename: path })(module.exports, requireUtils, module);
    const { request, response } = module.exports;
    if (typeof request !== 'function' || typeof response !== 'function') throw new Error(`${path} must export request and response functions`);
    return { request: request as UnitResolverModule['request'], response: response as UnitResolverModule['response'] };
  }

  /** Bundles and evaluates resolver files ahead of use, so a broken file fails the host at start. */
  async preload(paths: Iterable<string>): Promise<void> {
    await Promise.all([...new Set(paths)].map((path) => this.load(path)));
  }

  private within<T>(invocation: Invocation, handler: () => T): T {
    this.current = invocation;
    try {
      return handler();
    } finally {
      this.current = undefined;
    }
  }

  /**
   * Runs a unit resolver: the request handler, then the data source it addressed (skipped by
   * `runtime.earlyReturn`), then the response handler with `ctx.result` or `ctx.error` set.
   */
  async runUnitResolver(
    path: string,
    ctx: ResolverContext,
    callDataSource: (request: unknown) => Promise<DataSourceOutcome>,
  ): Promise<{ readonly value: unknown; readonly effects: ResolverSideEffects }> {
    const resolver = await this.load(path);
    const invocation: Invocation = {
      fieldName: ctx.info.fieldName,
      parentTypeName: ctx.info.parentTypeName,
      effects: { appendedErrors: [], invalidations: [] },
    };
    const run = (handler: () => unknown): unknown => {
      try {
        return this.within(invocation, handler);
      } catch (signal) {
        if (signal instanceof EarlyReturn) return signal;
        throw signal;
      }
    };
    const request = run(() => resolver.request(ctx));
    if (request instanceof EarlyReturn) return { value: throughJson(request.value), effects: invocation.effects };
    const outcome = await callDataSource(throughJson(request));
    if ('error' in outcome) ctx.error = outcome.error;
    else ctx.result = outcome.result;
    const response = run(() => resolver.response(ctx));
    return { value: throughJson(response instanceof EarlyReturn ? response.value : response), effects: invocation.effects };
  }
}
