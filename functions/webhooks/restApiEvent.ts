import type { APIGatewayProxyEvent, APIGatewayProxyEventV2, APIGatewayProxyResult, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/**
 * On AWS the webhooks sit behind an API Gateway REST API, because only REST APIs take a WAF web ACL (HTTP
 * APIs cannot be associated with one); REST APIs send Lambda proxy events in payload format 1.0. The webhook
 * handlers (and the local host) speak HTTP API payload format 2.0, so the Lambda entry translates at the edge.
 */

/** The HTTP API v2 event API Gateway would have sent for this REST API request, under `routeKey`. */
export function httpApiEventOf(event: APIGatewayProxyEvent, routeKey: string): APIGatewayProxyEventV2 {
  // Repeated headers and query parameters are joined with commas, as HTTP APIs do.
  const headers: Record<string, string> = {};
  for (const [name, values] of Object.entries(event.multiValueHeaders ?? {})) {
    if (values !== undefined) headers[name.toLowerCase()] = values.join(',');
  }
  const query = new URLSearchParams();
  for (const [name, values] of Object.entries(event.multiValueQueryStringParameters ?? {})) {
    for (const value of values ?? []) query.append(name, value);
  }
  const queryStringParameters = Object.fromEntries(
    Object.entries(event.multiValueQueryStringParameters ?? {}).map(([name, values]) => [name, (values ?? []).join(',')]),
  );
  // The values of the route's path template's parameters, e.g. {token} in /api/forms/{token}.
  const pathParameters = event.pathParameters === null ? undefined : (Object.fromEntries(Object.entries(event.pathParameters).filter(([, value]) => value !== undefined)) as Record<string, string>);
  const context = event.requestContext;
  return {
    version: '2.0',
    routeKey,
    // The resource path: the stage name is not part of it (WEBHOOK_BASE_URL ends with the stage).
    rawPath: event.path,
    // Re-encoded from the decoded parameters: the providers sign no query string on these routes.
    rawQueryString: query.toString(),
    headers,
    ...(Object.keys(queryStringParameters).length > 0 ? { queryStringParameters } : {}),
    ...(pathParameters === undefined ? {} : { pathParameters }),
    requestContext: {
      accountId: context.accountId,
      apiId: context.apiId,
      domainName: context.domainName ?? '',
      domainPrefix: context.domainPrefix ?? '',
      http: {
        method: event.httpMethod,
        path: event.path,
        protocol: context.protocol,
        sourceIp: context.identity.sourceIp,
        userAgent: context.identity.userAgent ?? '',
      },
      requestId: context.requestId,
      routeKey,
      stage: context.stage,
      time: context.requestTime ?? new Date(context.requestTimeEpoch).toUTCString(),
      timeEpoch: context.requestTimeEpoch,
    },
    ...(event.body === null ? {} : { body: event.body }),
    isBase64Encoded: event.isBase64Encoded,
  };
}

/** A structured HTTP API result as the REST API's proxy integration expects it. */
export function restApiResultOf(result: APIGatewayProxyStructuredResultV2): APIGatewayProxyResult {
  const headers = Object.fromEntries(Object.entries(result.headers ?? {}).map(([name, value]) => [name, String(value)]));
  return { statusCode: result.statusCode ?? 200, headers, body: result.body ?? '', isBase64Encoded: result.isBase64Encoded ?? false };
}
