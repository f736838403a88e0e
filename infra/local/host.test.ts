import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { startTestLocalHost, type TestLocalHost } from './testing.ts';

interface InboxPage {
  data: { inbox: { nodes: { id: string; aspirant: { id: string; status: string; assignee: { email: string } | null } }[] } } | null;
  errors?: { errorType: string; message: string }[];
}

const INBOX = '{ inbox(first: 100) { nodes { id aspirant { id status assignee { email } } } } }';

describe('the local host', () => {
  let host: TestLocalHost;
  let consoleDir: string;
  const webhookEvents: APIGatewayProxyEventV2[] = [];

  beforeAll(async () => {
    consoleDir = await mkdtemp(join(tmpdir(), 'wasaprecruit-console-'));
    await mkdir(join(consoleDir, 'assets'));
    await writeFile(join(consoleDir, 'index.html'), '<!doctype html><title>console</title>');
    await writeFile(join(consoleDir, 'assets', 'app-1234.js'), 'console.log("app")');
    host = await startTestLocalHost({
      consoleDir,
      httpApiRoutes: [{
        routeKey: 'POST /webhooks/echo',
        handler: async (event) => {
          webhookEvents.push(event);
          return { statusCode: 202, headers: { 'content-type': 'text/plain' }, body: `got ${event.body}` };
        },
      }],
    });
  });

  afterAll(async () => {
    await host?.close();
    await rm(consoleDir, { recursive: true, force: true });
  });

  it('answers /healthz once the database answers', async () => {
    const response = await fetch(`${host.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('issues Cognito-shaped tokens to seeded users and refuses wrong credentials', async () => {
    const token = await host.tokenFor('admin@example.com');
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ email: 'admin@example.com', 'cognito:groups': ['admin'], token_use: 'id' });

    const wrong = await fetch(`${host.url}/auth/token`, { method: 'POST', body: JSON.stringify({ username: 'admin@example.com', password: 'nope' }) });
    expect(wrong.status).toBe(401);
    const malformed = await fetch(`${host.url}/auth/token`, { method: 'POST', body: '{"username":' });
    expect(malformed.status).toBe(400);
  });

  it('publishes the issuer keys where Cognito does, so tokens can be verified by anyone', async () => {
    const token = await host.tokenFor('recruiter1@example.com');
    const { iss } = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { iss: string };
    const jwks = (await (await fetch(`${host.url}${new URL(iss).pathname}/.well-known/jwks.json`)).json()) as { keys: { kty: string }[] };
    expect(jwks.keys[0]?.kty).toBe('RSA');
  });

  it('serves the demo inbox: admins see every conversation, a recruiter only theirs and the unassigned', async () => {
    const admin = await host.graphql<InboxPage>(await host.tokenFor('admin@example.com'), INBOX);
    const recruiter = await host.graphql<InboxPage>(await host.tokenFor('recruiter1@example.com'), INBOX);
    const assignees = (page: InboxPage) => new Set(page.data!.inbox.nodes.map((node) => node.aspirant.assignee?.email ?? null));

    expect(assignees(admin.body)).toEqual(new Set(['recruiter1@example.com', 'recruiter2@example.com', null]));
    expect(assignees(recruiter.body)).toEqual(new Set(['recruiter1@example.com', null]));
    expect(new Set(admin.body.data!.inbox.nodes.map((node) => node.aspirant.status)).size).toBe(10);
  });

  it("answers Unauthorized when a recruiter reads or changes another recruiter's aspirant, and changes nothing", async () => {
    const admin = await host.graphql<InboxPage>(await host.tokenFor('admin@example.com'), INBOX);
    const theirs = admin.body.data!.inbox.nodes.find((node) => node.aspirant.assignee?.email === 'recruiter2@example.com')!;
    const recruiter1 = await host.tokenFor('recruiter1@example.com');

    const read = await host.graphql<{ data: { conversation: unknown }; errors: { errorType: string }[] }>(
      recruiter1, 'query($id: ID!) { conversation(id: $id) { id } }', { id: theirs.id });
    expect(read.body.errors.map((error) => error.errorType)).toEqual(['Unauthorized']);
    expect(read.body.data.conversation).toBeNull();

    const change = await host.graphql<{ errors: { errorType: string }[] }>(
      recruiter1, 'mutation($id: ID!) { updateAspirantStatus(aspirantId: $id, status: WITHDRAWN) { id } }', { id: theirs.aspirant.id });
    expect(change.body.errors.map((error) => error.errorType)).toEqual(['Unauthorized']);
    const [row] = await host.db.query<{ status: string }>('SELECT status FROM aspirants WHERE id = :id::uuid', { id: theirs.aspirant.id });
    expect(row?.status.toUpperCase()).toBe(theirs.aspirant.status);
  });

  it('refuses requests without a valid token as AppSync does', async () => {
    const missing = await host.graphql<{ errors: { errorType: string }[] }>(undefined, '{ me { id } }');
    expect(missing.status).toBe(401);
    expect(missing.body.errors[0]?.errorType).toBe('UnauthorizedException');
    const forged = await host.graphql<{ errors: { errorType: string }[] }>('eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', '{ me { id } }');
    expect(forged.status).toBe(401);
  });

  it('keeps publish mutations to the backend: a recruiter calling one is not authorized', async () => {
    const token = await host.tokenFor('admin@example.com');
    const attempt = await host.graphql<{ data: { publishMessageEvent: unknown }; errors: { errorType: string }[] }>(token,
      'mutation { publishMessageEvent(event: "{}") { conversationId } }');
    expect(attempt.body.errors[0]?.errorType).toBe('Unauthorized');
    expect(attempt.body.data.publishMessageEvent).toBeNull();
  });

  it('hands webhooks to their Lambda as an API Gateway HTTP API v2 event and writes its result back', async () => {
    const response = await fetch(`${host.url}/webhooks/echo?source=test`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-signature': 'abc' },
      body: 'Body=hola',
    });
    expect(response.status).toBe(202);
    expect(await response.text()).toBe('got Body=hola');
    expect(webhookEvents.at(-1)).toMatchObject({
      version: '2.0',
      routeKey: 'POST /webhooks/echo',
      rawPath: '/webhooks/echo',
      rawQueryString: 'source=test',
      queryStringParameters: { source: 'test' },
      headers: { 'x-signature': 'abc', 'content-type': 'application/x-www-form-urlencoded' },
      requestContext: { http: { method: 'POST', path: '/webhooks/echo' }, stage: '$default' },
      body: 'Body=hola',
      isBase64Encoded: false,
    });
  });

  it('answers 404 on the WhatsApp webhooks of channels that are not configured, and refuses unsigned media URLs', async () => {
    const twilio = await fetch(`${host.url}/webhooks/twilio/whatsapp`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Body=hola' });
    expect({ status: twilio.status, body: await twilio.text() }).toEqual({ status: 404, body: 'whatsapp_twilio is not configured' });
    expect((await fetch(`${host.url}/webhooks/meta/whatsapp?hub.mode=subscribe&hub.verify_token=x&hub.challenge=1`)).status).toBe(404);
    const media = await fetch(`${host.url}/media/media/some-id/photo.jpg`);
    expect({ status: media.status, body: await media.text() }).toEqual({ status: 403, body: 'the URL is not signed' });
  });

  it('names its own port in its public URL when started on port 0', () => {
    expect(host.publicUrl).toBe(host.url);
    expect(host.publicUrl).not.toMatch(/:0$/);
  });

  it('serves the built console with client-side routes falling back to index.html, and never files outside it', async () => {
    const asset = await fetch(`${host.url}/assets/app-1234.js`);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(await asset.text()).toBe('console.log("app")');
    const route = await fetch(`${host.url}/apply/some-token`);
    expect(await route.text()).toContain('<title>console</title>');
    const escape = await fetch(`${host.url}/..%2f..%2fetc%2fpasswd`);
    expect(await escape.text()).not.toContain('root:');
  });
});
