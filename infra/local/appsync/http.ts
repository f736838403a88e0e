import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLargeError, readBody } from '../http/body.ts';
import type { AppSyncEngine, GraphqlRequest } from './engine.ts';
import { AuthenticationError, reportInternalFailure, type AppSyncRequestError } from './errors.ts';

/** AppSync's request-size limit. */
export const MAX_REQUEST_BYTES = 1024 * 1024;

export const GRAPHQL_PATH = '/graphql';

const corsHeaders = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'POST, OPTIONS',
  'access-control-allow-headers': 'authorization, content-type, x-amz-date, x-amz-security-token, x-amz-user-agent, x-api-key',
  'access-control-max-age': '86400',
};

class RequestFailure extends Error {
  constructor(
    readonly status: number,
    readonly error: AppSyncRequestError,
  ) {
    super(error.message);
  }
}

const malformed = (message: string): RequestFailure => new RequestFailure(400, { errorType: 'MalformedHttpRequestException', message });

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...corsHeaders });
  res.end(JSON.stringify(body));
}

function headersOf(req: IncomingMessage): Record<string, string> {
  return Object.fromEntries(
    Object.entries(req.headers).flatMap(([name, value]) => (value === undefined ? [] : [[name, Array.isArray(value) ? value.join(',') : value]])),
  );
}

const isJsonObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads `{query, variables, operationName}` the way AppSync does: anything else is a malformed request. */
async function readGraphqlRequest(req: IncomingMessage): Promise<GraphqlRequest> {
  let body: Buffer;
  try {
    body = await readBody(req, MAX_REQUEST_BYTES);
  } catch (error) {
    if (!(error instanceof BodyTooLargeError)) throw error;
    req.resume();
    throw new RequestFailure(413, { errorType: 'PayloadTooLargeException', message: `Request body exceeds the limit of ${MAX_REQUEST_BYTES} bytes.` });
  }
  if (body.length === 0) throw malformed('Request body is empty.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw malformed('Unable to parse GraphQL query.');
  }
  if (!isJsonObject(parsed) || typeof parsed['query'] !== 'string') throw malformed('Unable to parse GraphQL query.');
  const { query, variables, operationName } = parsed;
  if (variables !== undefined && variables !== null && !isJsonObject(variables)) throw malformed('Unable to parse GraphQL query.');
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') throw malformed('Unable to parse GraphQL query.');
  return { query, variables: variables ?? null, operationName: operationName ?? null };
}

/**
 * The GraphQL endpoint: `POST /graphql` with a Cognito token in the Authorization header, answered in AppSync's
 * shapes. Request-level failures are `{errors: [{errorType, message}]}` with a 4xx status; anything the query
 * itself gets wrong is a GraphQL response with status 200, as AppSync answers it.
 */
export function createGraphqlHttpHandler(
  engine: Pick<AppSyncEngine, 'authenticate' | 'execute'>,
  onInternalError: (error: unknown) => void = reportInternalFailure,
): (req: IncomingMessage, res: ServerResponse) => void {
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://local').pathname;
    if (path !== GRAPHQL_PATH) throw new RequestFailure(404, { errorType: 'NotFoundException', message: `No route for ${path}.` });
    if (req.method === 'OPTIONS') {
      res.writeHead(204, corsHeaders).end();
      return;
    }
    if (req.method !== 'POST') throw new RequestFailure(405, { errorType: 'MethodNotAllowedException', message: 'Use POST.' });
    const headers = headersOf(req);
    let caller;
    try {
      caller = await engine.authenticate(headers['authorization'], req.socket.remoteAddress);
    } catch (error) {
      if (error instanceof AuthenticationError) {
        req.resume();
        throw new RequestFailure(401, { errorType: 'UnauthorizedException', message: error.message });
      }
      throw error;
    }
    const request = await readGraphqlRequest(req);
    send(res, 200, await engine.execute(request, caller, headers));
  };
  return (req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (error instanceof RequestFailure) {
        send(res, error.status, { errors: [error.error] });
        return;
      }
      onInternalError(error);
      if (!res.headersSent) send(res, 500, { errors: [{ errorType: 'InternalFailure', message: 'An internal failure occurred.' }] });
    });
  };
}
