import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadSchemaSource } from '../../../../schema/codegen.ts';
import { bindings, dataSources } from '../../../../resolvers/manifest.ts';
import { createAppSyncEngine, type AppSyncEngine, type AppSyncEngineOptions } from '../engine.ts';
import type { AppSyncGraphqlError } from '../errors.ts';

/** The engine over the real schema and manifest, served on 127.0.0.1 at a free port. */
export interface TestHost {
  readonly engine: AppSyncEngine;
  readonly server: Server;
  /** http://127.0.0.1:<port>/graphql */
  readonly graphqlUrl: string;
  /** ws://127.0.0.1:<port>/graphql/realtime */
  readonly realtimeUrl: string;
  close(): Promise<void>;
}

export async function startTestHost(options: Pick<AppSyncEngineOptions, 'invokeLambda' | 'verifyToken' | 'keepAliveMs' | 'onInternalError'>): Promise<TestHost> {
  const engine = await createAppSyncEngine({ schemaSource: loadSchemaSource(), bindings, dataSources, ...options });
  const server = createServer(engine.http);
  engine.attachRealtime(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    engine,
    server,
    graphqlUrl: `http://127.0.0.1:${port}/graphql`,
    realtimeUrl: `ws://127.0.0.1:${port}/graphql/realtime`,
    close: async () => {
      await engine.close();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

/** A response body as tests read it: a GraphQL response, or a request-level error list. */
export interface WireBody {
  readonly data?: unknown;
  readonly errors?: readonly (Partial<AppSyncGraphqlError> & { readonly errorType: string | null; readonly message: string })[];
}

export interface GraphqlHttpResult {
  readonly status: number;
  readonly contentType: string | null;
  readonly body: WireBody;
}

/** POSTs a raw body (a string is sent as is) to the GraphQL endpoint. */
export async function postGraphql(url: string, body: unknown, token?: string): Promise<GraphqlHttpResult> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token === undefined ? {} : { authorization: token }) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, contentType: response.headers.get('content-type'), body: (await response.json()) as WireBody };
}
