import type { APIGatewayProxyEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { httpApiEventOf } from './restApiEvent.ts';

/** A REST API proxy event (payload 1.0) for a route with a path parameter, as API Gateway sends it. */
function restEvent(overrides: Partial<APIGatewayProxyEvent>): APIGatewayProxyEvent {
  return {
    resource: '/api/forms/{token}',
    path: '/api/forms/v1.abc.def',
    httpMethod: 'GET',
    headers: { Accept: 'application/json' },
    multiValueHeaders: { Accept: ['application/json'] },
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: { token: 'v1.abc.def' },
    stageVariables: null,
    body: null,
    isBase64Encoded: false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123defg',
      authorizer: null,
      protocol: 'HTTP/1.1',
      httpMethod: 'GET',
      identity: { sourceIp: '203.0.113.7', userAgent: 'Mozilla/5.0' } as APIGatewayProxyEvent['requestContext']['identity'],
      path: '/live/api/forms/v1.abc.def',
      stage: 'live',
      requestId: 'request-1',
      requestTimeEpoch: 1_700_000_000_000,
      resourceId: 'res123',
      resourcePath: '/api/forms/{token}',
    },
    ...overrides,
  };
}

describe('REST API events as HTTP API events', () => {
  it("carries the route's path parameters, and lower-cases headers as HTTP APIs do", () => {
    const event = httpApiEventOf(restEvent({}), 'GET /api/forms/{token}');

    expect(event).toMatchObject({ routeKey: 'GET /api/forms/{token}', rawPath: '/api/forms/v1.abc.def', pathParameters: { token: 'v1.abc.def' }, headers: { accept: 'application/json' } });
  });

  it('has no path parameters for a route without any', () => {
    const event = httpApiEventOf(restEvent({ resource: '/webhooks/form', path: '/webhooks/form', httpMethod: 'POST', pathParameters: null }), 'POST /webhooks/form');

    expect(event).not.toHaveProperty('pathParameters');
  });
});
