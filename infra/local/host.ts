/**
 * The local AppSync-compatible host: the same schema, resolver manifest and handlers as on AWS, served on one
 * port — GraphQL at /graphql, AppSync's real-time protocol at /graphql/realtime, the Cognito-shaped token
 * issuer, the WhatsApp providers' webhooks as API Gateway HTTP API v2 events, signed media URLs, the built
 * console — plus the job worker that runs what those changes queued (sending messages, fetching media).
 */
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { AppSyncResolverEvent } from 'aws-lambda';
import { bindings, dataSources } from '../../resolvers/manifest.ts';
import { loadSchemaSource } from '../../schema/codegen.ts';
import { LOCAL_MEDIA_PATH, LocalBlobStore } from '../../functions/blobs/localBlobStore.ts';
import { openBlobStore } from '../../functions/blobs/openBlobStore.ts';
import { publicWebhookUrl } from '../../functions/channels/provider.ts';
import { openDb } from '../../functions/data/connect.ts';
import type { Db } from '../../functions/data/db.ts';
import { openRecruiterDirectory } from '../../functions/directory/open.ts';
import { createServices } from '../../functions/domain/services.ts';
import { formRoutes } from '../../functions/forms/http.ts';
import type { FormLinkSettings } from '../../functions/forms/links.ts';
import { createGraphqlHandler } from '../../functions/graphql/handler.ts';
import { withJobWakeups } from '../../functions/jobs/wakeups.ts';
import { startWorker, type WorkerOptions } from '../../functions/jobs/worker.ts';
import type { EventPublisher } from '../../functions/live/publisher.ts';
import { openLlmProvider } from '../../functions/llm/open.ts';
import type { LlmProvider } from '../../functions/llm/provider.ts';
import type { FetchMediaOptions } from '../../functions/media/fetchMedia.ts';
import type { Config } from '../../functions/shared/config.ts';
import { loadOrCreateLocalSecret } from '../../functions/shared/localSecrets.ts';
import { logger } from '../../functions/shared/logger.ts';
import { WEBHOOK_PATHS, webhookRoutes } from '../../functions/webhooks/routes.ts';
import { channelProviders, type ChannelOverrides } from '../../functions/worker/channels.ts';
import { createJobHandlers } from '../../functions/worker/handlers.ts';
import { createAppSyncEngine, type AppSyncEngine } from './appsync/engine.ts';
import { BodyTooLargeError, readBody } from './http/body.ts';
import { toHttpApiEvent, writeHttpApiResult, type HttpApiHandler } from './http/httpApiEvent.ts';
import { createStaticConsole } from './http/staticConsole.ts';
import { createIdentityIssuer } from './identity/issuer.ts';
import { handleTokenRequest } from './identity/tokenEndpoint.ts';
import { seedDemo } from './seed/demo.ts';

/** A webhook route: API Gateway's `routeKey` (e.g. `POST /webhooks/twilio/whatsapp`) and its Lambda. */
export interface HttpApiRoute {
  readonly routeKey: string;
  readonly handler: HttpApiHandler;
}

export interface LocalHostOptions {
  /** An already open database (tests); by default the one the configuration names. */
  readonly db?: Db;
  /** More HTTP API routes besides the providers' webhooks (a route with the same key replaces the webhook's). */
  readonly httpApiRoutes?: readonly HttpApiRoute[];
  /** The built console; defaults to web/dist. */
  readonly consoleDir?: string;
  /**
   * WhatsApp providers to use instead of the ones the configuration builds from TWILIO_* and META_*: the local
   * sandbox, or the real adapters pointed at local endpoints. Each one serves its channel's webhooks, sends its
   * conversations' messages and downloads their media. A channel with neither is not configured: its webhooks
   * answer 404 and its sends fail with the reason.
   */
  readonly channels?: ChannelOverrides;
  /**
   * Media download options besides each provider's host allow-list — for providers on this machine,
   * `{ testOnly: { allowLoopbackOrigins: [origin] } }` (never set in production).
   */
  readonly mediaFetch?: Omit<FetchMediaOptions, 'hosts'>;
  /** The job worker's timing (tests poll and retry faster); concurrency comes from WORKER_CONCURRENCY. */
  readonly worker?: Pick<WorkerOptions, 'pollMs' | 'retry' | 'leaseMs'>;
  /** Extra plain routes (the WhatsApp sandbox's /simulator and /sandbox/*); answers true when it handled the request. */
  readonly routes?: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
  /** The clock of the domain, the bot and the job worker (tests move it); default the system clock. */
  readonly now?: () => Date;
  /** The bot's language model instead of the one LLM_PROVIDER names. */
  readonly llm?: LlmProvider;
}

export interface LocalHost {
  readonly url: string;
  /** PUBLIC_URL, or this host's own URL when PORT was 0: the base of signed webhooks and media URLs. */
  readonly publicUrl: string;
  readonly db: Db;
  readonly engine: AppSyncEngine;
  readonly server: Server;
  /** Stops the worker (letting running jobs finish), then the server; closes the database it opened. */
  close(): Promise<void>;
}

const defaultConsoleDir = fileURLToPath(new URL('../../web/dist/', import.meta.url));
const WEBHOOK_BODY_LIMIT = 1024 * 1024;
const FORM_LINK_SECRET_FILE = 'form-link-secret';
const TOKEN_BODY_LIMIT = 16 * 1024;

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}

export async function startLocalHost(config: Config, options: LocalHostOptions = {}): Promise<LocalHost> {
  let route = async (_req: IncomingMessage, res: ServerResponse): Promise<void> => sendJson(res, 503, { error: 'starting', message: 'the host is starting' });
  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (error instanceof BodyTooLargeError) return sendJson(res, 413, { error: 'payload_too_large', message: error.message });
      logger.error('request failed', { path: req.url, error: error as Error });
      if (!res.headersSent) sendJson(res, 500, { error: 'internal_error', message: 'internal error' });
    });
  });
  // Listening first tells the port: with PORT=0 (tests) the public URL names the port actually bound.
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, '0.0.0.0', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const publicUrl = config.publicUrl.replace(/:0$/, `:${port}`);
  const closeServer = () => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  };

  let db: Db | undefined;
  try {
    db = withJobWakeups(options.db ?? (await openDb(config)));
    const started = await startServices(config, options, db, publicUrl, server);
    route = started.route;
    return {
      url: `http://localhost:${port}`,
      publicUrl,
      db,
      engine: started.engine,
      server,
      async close() {
        await started.stop();
        await closeServer();
        if (!options.db) await db!.close();
      },
    };
  } catch (error) {
    await closeServer();
    if (db !== undefined && !options.db) await db.close();
    throw error;
  }
}

async function startServices(config: Config, options: LocalHostOptions, db: Db, publicUrl: string, server: Server) {
  if (config.seedDemo) {
    const seeded = await seedDemo(db, { password: config.seedPassword });
    if (seeded.seeded) logger.info('seeded the demo agency', { recruiters: seeded.recruiters, aspirants: seeded.aspirants });
  }
  const issuer = createIdentityIssuer({ publicUrl, dataDir: config.dataDir, tokenTtlSeconds: config.tokenTtlSeconds });
  const blobStore = await openBlobStore({
    dataDir: config.dataDir,
    publicUrl,
    region: config.awsRegion,
    s3Bucket: config.blobs.s3Bucket,
    s3Endpoint: config.blobs.s3Endpoint,
    s3ForcePathStyle: config.blobs.s3ForcePathStyle,
    mediaUrlSecret: config.blobs.mediaUrlSecret,
  });
  const mediaUrl = (key: string) => blobStore.signedUrl(key, config.blobs.mediaUrlTtlSeconds);
  const formLinks: FormLinkSettings = {
    secret: config.forms.linkSecret ?? (await loadOrCreateLocalSecret(config.dataDir, FORM_LINK_SECRET_FILE)),
    ttlDays: config.forms.linkTtlDays,
    // The console serves the form page.
    baseUrl: `${publicUrl}/apply`,
  };
  const now = options.now;
  // Accounts admins create: rows the local issuer signs in against, or a Cognito user pool when USER_POOL_ID is set.
  const directory = openRecruiterDirectory(config);
  const domain = { db, mediaUrl, formLinks, bot: config.bot, blobs: async () => blobStore, now, directory };

  // The handlers publish through the engine and the engine invokes the GraphQL handler; publishing starts
  // only after both exist.
  const publisher: EventPublisher = { publish: (event) => engine.publisher.publish(event) };
  const graphqlHandler = createGraphqlHandler({ ...domain, publisher });
  const engine: AppSyncEngine = await createAppSyncEngine({
    schemaSource: loadSchemaSource(),
    bindings,
    dataSources,
    invokeLambda: (_dataSource, event) => graphqlHandler(event as AppSyncResolverEvent<Record<string, unknown>>),
    verifyToken: (jwt) => issuer.verifyToken(jwt),
  });

  const services = createServices({ ...domain, publisher });
  const providers = channelProviders(config, options.channels);
  if (Object.keys(providers).length === 0) logger.info('no WhatsApp provider configured: webhooks answer 404 and sends fail until one is');
  const worker = startWorker({
    db,
    handlers: createJobHandlers({
      services,
      providers,
      blobStore,
      statusCallbackUrl: publicWebhookUrl(publicUrl, WEBHOOK_PATHS.twilioStatus),
      outboundRatePerSecond: config.outboundRatePerSecond,
      mediaFetch: options.mediaFetch,
      bot: config.botEnabled ? { llm: options.llm ?? openLlmProvider(config.llm) } : null,
    }),
    concurrency: config.workerConcurrency,
    ...(now ? { now } : {}),
    ...options.worker,
  });

  const webhooks = webhookRoutes({
    services,
    providers,
    publicUrl,
    policy: { staleInboundSeconds: config.staleInboundSeconds, automationLimitPerMinute: config.inboundAutomationLimitPerMinute },
  });
  const routes = new Map(
    [...webhooks, ...formRoutes({ services, webhookSecret: config.forms.webhookSecret }), ...(options.httpApiRoutes ?? [])].map((httpRoute) => [httpRoute.routeKey, httpRoute.handler]),
  );
  const consoleDir = options.consoleDir ?? defaultConsoleDir;
  const serveConsole = existsSync(consoleDir) ? createStaticConsole(consoleDir) : undefined;
  const jwksPath = `${new URL(issuer.issuer).pathname}/.well-known/jwks.json`;

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://local').pathname;
    const routeKey = `${req.method} ${path}`;
    if (path === '/graphql') return engine.http(req, res);
    if (routeKey === 'GET /healthz') {
      const healthy = await db.query('SELECT 1 AS ok').then(() => true, () => false);
      return sendJson(res, healthy ? 200 : 503, { status: healthy ? 'ok' : 'database unavailable' });
    }
    if (routeKey === 'POST /auth/token') {
      let body: unknown;
      try {
        body = JSON.parse((await readBody(req, TOKEN_BODY_LIMIT)).toString('utf8'));
      } catch {
        return sendJson(res, 400, { error: 'bad_request', message: 'expected a JSON body { "username": string, "password": string }' });
      }
      const answer = await handleTokenRequest({ db, issuer }, body);
      return sendJson(res, answer.status, answer.body);
    }
    if (routeKey === `GET ${jwksPath}`) return sendJson(res, 200, await issuer.jwks());
    if (req.method === 'GET' && path.startsWith(LOCAL_MEDIA_PATH) && blobStore instanceof LocalBlobStore) {
      const media = await blobStore.serve(req.url ?? '/');
      res.writeHead(media.status, media.headers).end(media.body);
      return;
    }
    const matched = matchRoute(routes, req.method ?? 'GET', path);
    if (matched) {
      const rawBody = await readBody(req, WEBHOOK_BODY_LIMIT);
      const event = toHttpApiEvent(req, rawBody, matched.routeKey);
      return writeHttpApiResult(res, await matched.handler(matched.pathParameters ? { ...event, pathParameters: matched.pathParameters } : event));
    }
    if (options.routes && (await options.routes(req, res))) return;
    if (serveConsole && (await serveConsole(req, res))) return;
    sendJson(res, 404, { error: 'not_found', message: `no route for ${routeKey}` });
  };
  engine.attachRealtime(server);

  return {
    route,
    engine,
    async stop() {
      await worker.stop();
      await engine.close();
    },
  };
}

/**
 * API Gateway's route matching: an exact route key first, else one whose `{name}` segments each take one
 * path segment (given to the handler as pathParameters, decoded).
 */
function matchRoute(routes: ReadonlyMap<string, HttpApiHandler>, method: string, path: string) {
  const exact = routes.get(`${method} ${path}`);
  if (exact) return { routeKey: `${method} ${path}`, handler: exact, pathParameters: undefined };
  const segments = path.split('/');
  for (const [routeKey, handler] of routes) {
    const [routeMethod, routePath = ''] = routeKey.split(' ');
    const template = routePath.split('/');
    if (routeMethod !== method || template.length !== segments.length || !routePath.includes('{')) continue;
    const pathParameters: Record<string, string> = {};
    const fits = template.every((part, index) => {
      const name = /^\{(\w+)\}$/.exec(part)?.[1];
      if (name === undefined) return part === segments[index];
      const decoded = decodeSegment(segments[index]!);
      if (!decoded) return false;
      pathParameters[name] = decoded;
      return true;
    });
    if (fits) return { routeKey, handler, pathParameters };
  }
  return undefined;
}

/** A path segment decoded, or undefined when it is empty or not valid percent-encoding. */
function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment) || undefined;
  } catch {
    return undefined;
  }
}
