import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { Caller } from './auth.ts';
import type { AppSyncEngine, SubscriptionSink, SubscriptionStart } from './engine.ts';
import { AuthenticationError, type AppSyncRequestError } from './errors.ts';

/**
 * AppSync's real-time WebSocket protocol (subprotocol `graphql-ws`) at /graphql/realtime, the path AppSync
 * serves it at on custom domains. The connection authenticates with a header object `{Authorization, host}`,
 * base64 in `?header=...&payload=e30=` or base64url in a `header-...` subprotocol; every `start` carries its
 * own authorization as well.
 */
export const REALTIME_PATH = '/graphql/realtime';
/** What connection_ack tells clients: the longest they should wait for a `ka`. */
export const CONNECTION_TIMEOUT_MS = 300_000;
export const MAX_SUBSCRIPTIONS_PER_CONNECTION = 100;

export interface RealtimeEndpoint {
  /** Stops accepting connections and closes the open ones. */
  close(): Promise<void>;
}

export interface RealtimeOptions {
  readonly keepAliveMs: number;
  readonly onInternalError: (error: unknown) => void;
}

type RealtimeEngine = Pick<AppSyncEngine, 'authenticate' | 'startSubscription'>;

type ConnectionAuth = { readonly ok: true; readonly caller: Caller } | { readonly ok: false; readonly message: string };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const unsupported = (type: string): AppSyncRequestError => ({ errorType: 'UnsupportedOperation', message: `${type} not supported through the realtime channel` });

/** The header object of the handshake or of a start message; base64 and base64url both decode here. */
function decodeHeaderObject(encoded: string): Record<string, unknown> | undefined {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8'));
    return isRecord(decoded) ? decoded : undefined;
  } catch {
    return undefined;
  }
}

function authorizationOf(headers: Readonly<Record<string, unknown>>): string | undefined {
  const entry = Object.entries(headers).find(([name]) => name.toLowerCase() === 'authorization');
  return typeof entry?.[1] === 'string' ? entry[1] : undefined;
}

function headersOf(req: IncomingMessage): Record<string, string> {
  return Object.fromEntries(
    Object.entries(req.headers).flatMap(([name, value]) => (value === undefined ? [] : [[name, Array.isArray(value) ? value.join(',') : value]])),
  );
}

async function authenticateHandshake(engine: RealtimeEngine, req: IncomingMessage, protocols: readonly string[]): Promise<ConnectionAuth> {
  const fromProtocol = protocols.find((protocol) => protocol.startsWith('header-'))?.slice('header-'.length);
  // Query strings turn an unescaped base64 '+' into a space.
  const fromQuery = new URL(req.url ?? '/', 'http://local').searchParams.get('header')?.replaceAll(' ', '+');
  const encoded = fromProtocol ?? fromQuery;
  if (!encoded) return { ok: false, message: 'Valid authorization header not provided.' };
  const headers = decodeHeaderObject(encoded);
  if (headers === undefined) return { ok: false, message: 'Unable to parse the authorization header.' };
  try {
    return { ok: true, caller: await engine.authenticate(authorizationOf(headers), req.socket.remoteAddress) };
  } catch (error) {
    if (error instanceof AuthenticationError) return { ok: false, message: error.message };
    throw error;
  }
}

function refuseUpgrade(socket: Duplex, status: string, error: AppSyncRequestError): void {
  const body = JSON.stringify({ errors: [error] });
  socket.end(`HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

/** Serves the real-time endpoint on an existing server; other upgrade paths are left to other listeners. */
export function attachRealtime(server: Server, engine: RealtimeEngine, options: RealtimeOptions): RealtimeEndpoint {
  const webSockets = new WebSocketServer({ noServer: true, handleProtocols: (protocols) => (protocols.has('graphql-ws') ? 'graphql-ws' : false) });
  const connections = new Set<RealtimeConnection>();

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    if (new URL(req.url ?? '/', 'http://local').pathname !== REALTIME_PATH) return;
    const protocols = String(req.headers['sec-websocket-protocol'] ?? '')
      .split(',')
      .map((protocol) => protocol.trim())
      .filter(Boolean);
    if (!protocols.includes('graphql-ws')) {
      refuseUpgrade(socket, '400 Bad Request', { errorType: 'UnsupportedOperation', message: 'The realtime endpoint speaks the graphql-ws subprotocol only.' });
      return;
    }
    authenticateHandshake(engine, req, protocols).then(
      (auth) =>
        webSockets.handleUpgrade(req, socket, head, (webSocket) => {
          const connection = new RealtimeConnection(webSocket, auth, engine, options, { headers: headersOf(req), sourceIp: req.socket.remoteAddress });
          connections.add(connection);
          webSocket.once('close', () => connections.delete(connection));
        }),
      (error: unknown) => {
        options.onInternalError(error);
        refuseUpgrade(socket, '500 Internal Server Error', { errorType: 'InternalFailure', message: 'An internal failure occurred.' });
      },
    );
  };
  server.on('upgrade', onUpgrade);

  return {
    close: async () => {
      server.off('upgrade', onUpgrade);
      for (const connection of connections) connection.close(1001, 'server shutting down');
      await new Promise<void>((resolve) => webSockets.close(() => resolve()));
    },
  };
}

/** One subscription of a connection; `stop` is set once it is live. */
interface SubscriptionEntry {
  stop?: () => void;
}

class RealtimeConnection {
  private readonly subscriptions = new Map<string, SubscriptionEntry>();
  private keepAlive: NodeJS.Timeout | undefined;

  constructor(
    private readonly webSocket: WebSocket,
    private readonly auth: ConnectionAuth,
    private readonly engine: RealtimeEngine,
    private readonly options: RealtimeOptions,
    private readonly handshake: { readonly headers: Readonly<Record<string, string>>; readonly sourceIp: string | undefined },
  ) {
    webSocket.on('message', (raw) => this.receive(raw));
    webSocket.on('close', () => this.dispose());
    // A protocol error closes the socket; 'close' cleans up.
    webSocket.on('error', () => undefined);
  }

  close(code: number, reason: string): void {
    this.webSocket.close(code, reason);
  }

  private send(message: Record<string, unknown>): void {
    if (this.webSocket.readyState === WebSocket.OPEN) this.webSocket.send(JSON.stringify(message));
  }

  private sendErrors(id: string | undefined, errors: readonly unknown[]): void {
    this.send({ type: 'error', ...(id === undefined ? {} : { id }), payload: { errors } });
  }

  private receive(raw: RawData): void {
    if (!this.auth.ok) {
      // A connection whose handshake carried no valid credential answers anything with connection_error.
      this.send({ type: 'connection_error', payload: { errors: [{ errorType: 'UnauthorizedException', message: this.auth.message, errorCode: 401 }] } });
      this.webSocket.close(1000, 'unauthorized');
      return;
    }
    let message: unknown;
    try {
      message = JSON.parse(raw.toString());
    } catch {
      this.sendErrors(undefined, [unsupported('unknown')]);
      return;
    }
    const type = isRecord(message) && typeof message['type'] === 'string' ? message['type'] : 'unknown';
    const id = isRecord(message) && typeof message['id'] === 'string' && message['id'] !== '' ? message['id'] : undefined;
    switch (type) {
      case 'connection_init':
        this.acknowledge();
        return;
      case 'start':
        this.start(id, (message as Record<string, unknown>)['payload']).catch((error: unknown) => {
          this.options.onInternalError(error);
          if (id !== undefined) this.subscriptions.delete(id);
          this.sendErrors(id, [{ errorType: 'InternalFailure', message: 'An internal failure occurred.' }]);
        });
        return;
      case 'stop':
        this.stop(id);
        return;
      default:
        this.sendErrors(id, [unsupported(type)]);
    }
  }

  private acknowledge(): void {
    this.send({ type: 'connection_ack', payload: { connectionTimeoutMs: CONNECTION_TIMEOUT_MS } });
    this.send({ type: 'ka' });
    this.keepAlive ??= setInterval(() => this.send({ type: 'ka' }), this.options.keepAliveMs);
  }

  private async start(id: string | undefined, payload: unknown): Promise<void> {
    if (id === undefined) {
      this.sendErrors(undefined, [{ errorType: 'ValidationError', message: 'A start message needs a subscription id.' }]);
      return;
    }
    if (this.subscriptions.has(id)) {
      this.sendErrors(id, [{ errorType: 'DuplicatedOperationError', message: `Subscription ${id} is already running on this connection.` }]);
      return;
    }
    if (this.subscriptions.size >= MAX_SUBSCRIPTIONS_PER_CONNECTION) {
      this.sendErrors(id, [{ errorType: 'MaxSubscriptionsReachedError', message: `Max number of ${MAX_SUBSCRIPTIONS_PER_CONNECTION} subscriptions reached` }]);
      return;
    }
    const entry: SubscriptionEntry = {};
    this.subscriptions.set(id, entry);
    const isCurrent = (): boolean => this.subscriptions.get(id) === entry;
    const outcome = await this.startSubscription(payload, {
      data: (response) => {
        if (isCurrent()) this.send({ type: 'data', id, payload: response });
      },
      invalidated: () => {
        if (!isCurrent()) return;
        this.subscriptions.delete(id);
        this.send({ type: 'complete', id });
      },
    });
    // Stopped, or the socket closed, while the subscription resolver ran.
    if (!isCurrent()) return;
    if (!outcome.ok) {
      this.subscriptions.delete(id);
      this.sendErrors(id, outcome.errors);
      return;
    }
    this.send({ type: 'start_ack', id });
    entry.stop = outcome.activate();
  }

  private async startSubscription(payload: unknown, sink: SubscriptionSink): Promise<SubscriptionStart> {
    const malformed: SubscriptionStart = { ok: false, errors: [{ errorType: 'MalformedHttpRequestException', message: 'Unable to parse GraphQL query.' }] };
    if (!isRecord(payload) || typeof payload['data'] !== 'string') return malformed;
    let data: unknown;
    try {
      data = JSON.parse(payload['data']);
    } catch {
      return malformed;
    }
    if (!isRecord(data) || typeof data['query'] !== 'string' || (data['variables'] != null && !isRecord(data['variables']))) return malformed;
    const extensions = isRecord(payload['extensions']) ? payload['extensions'] : {};
    const authorization = isRecord(extensions['authorization']) ? authorizationOf(extensions['authorization']) : undefined;
    let caller: Caller;
    try {
      caller = await this.engine.authenticate(authorization, this.handshake.sourceIp);
    } catch (error) {
      if (error instanceof AuthenticationError) return { ok: false, errors: [{ errorType: 'UnauthorizedException', message: error.message }] };
      throw error;
    }
    const request = {
      query: data['query'],
      variables: (data['variables'] as Record<string, unknown> | null | undefined) ?? null,
      operationName: typeof data['operationName'] === 'string' ? data['operationName'] : null,
    };
    return this.engine.startSubscription(request, caller, this.handshake.headers, sink);
  }

  private stop(id: string | undefined): void {
    if (id === undefined) {
      this.sendErrors(undefined, [{ errorType: 'ValidationError', message: 'A stop message needs a subscription id.' }]);
      return;
    }
    this.subscriptions.get(id)?.stop?.();
    this.subscriptions.delete(id);
    this.send({ type: 'complete', id });
  }

  private dispose(): void {
    clearInterval(this.keepAlive);
    for (const entry of this.subscriptions.values()) entry.stop?.();
    this.subscriptions.clear();
  }
}
