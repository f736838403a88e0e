/**
 * The local AppSync-compatible host: the same schema, resolver manifest and handlers as on AWS, served on one
 * port — GraphQL at /graphql, AppSync's real-time protocol at /graphql/realtime, the Cognito-shaped token
 * issuer, webhooks as API Gateway HTTP API v2 events, and the built console.
 */
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { AppSyncResolverEvent } from 'aws-lambda';
import { bindings, dataSources } from '../../resolvers/manifest.ts';
import { loadSchemaSource } from '../../schema/codegen.ts';
import { openDb } from '../../functions/data/connect.ts';
import type { Db } from '../../functions/data/db.ts';
import { createGraphqlHandler } from '../../functions/graphql/handler.ts';
import type { EventPublisher } from '../../functions/live/publisher.ts';
import type { Config } from '../../functions/shared/config.ts';
import { logger } from '../../functions/shared/logger.ts';
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
  readonly httpApiRoutes?: readonly HttpApiRoute[];
  /** The built console; defaults to web/dist. */
  readonly consoleDir?: string;
}

export interface LocalHost {
  readonly url: string;
  readonly db: Db;
  readonly engine: AppSyncEngine;
  readonly server: Server;
  close(): Promise<void>;
}

const defaultConsoleDir = fileURLToPath(new URL('../../web/dist/', import.meta.url));
const WEBHOOK_BODY_LIMIT = 1024 * 1024;
const TOKEN_BODY_LIMIT = 16 * 1024;

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}

export async function startLocalHost(config: Config, options: LocalHostOptions = {}): Promise<LocalHost> {
  const db = options.db ?? (await openDb(config));
  if (config.seedDemo) {
    const seeded = await seedDemo(db, { password: config.seedPassword });
    if (seeded.seeded) logger.info('seeded the demo agency', { recruiters: seeded.recruiters, aspirants: seeded.aspirants });
  }
  const issuer = createIdentityIssuer({ publicUrl: config.publicUrl, dataDir: config.dataDir, tokenTtlSeconds: config.tokenTtlSeconds });

  // The handler publishes through the engine and the engine invokes the handler; publishing starts only
  // after both exist.
  const publisher: EventPublisher = { publish: (event) => engine.publisher.publish(event) };
  const graphqlHandler = createGraphqlHandler({ db, publisher });
  const engine: AppSyncEngine = await createAppSyncEngine({
    schemaSource: loadSchemaSource(),
    bindings,
    dataSources,
    invokeLambda: (_dataSource, event) => graphqlHandler(event as AppSyncResolverEvent<Record<string, unknown>>),
    verifyToken: (jwt) => issuer.verifyToken(jwt),
  });

  const routes = new Map((options.httpApiRoutes ?? []).map((route) => [route.routeKey, route.handler]));
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
    const webhook = routes.get(routeKey);
    if (webhook) {
      const rawBody = await readBody(req, WEBHOOK_BODY_LIMIT);
      return writeHttpApiResult(res, await webhook(toHttpApiEvent(req, rawBody, routeKey)));
    }
    if (serveConsole && (await serveConsole(req, res))) return;
    sendJson(res, 404, { error: 'not_found', message: `no route for ${routeKey}` });
  };

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (error instanceof BodyTooLargeError) return sendJson(res, 413, { error: 'payload_too_large', message: error.message });
      logger.error('request failed', { path: req.url, error: error as Error });
      if (!res.headersSent) sendJson(res, 500, { error: 'internal_error', message: 'internal error' });
    });
  });
  engine.attachRealtime(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, '0.0.0.0', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://localhost:${port}`,
    db,
    engine,
    server,
    async close() {
      await engine.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (!options.db) await db.close();
    },
  };
}
