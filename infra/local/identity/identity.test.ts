import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openInMemoryDb } from '../../../functions/data/connect.ts';
import type { Db } from '../../../functions/data/db.ts';
import { hashPassword, verifyPassword } from '../../../functions/directory/passwords.ts';
import { createGraphqlHandler } from '../../../functions/graphql/handler.ts';
import { resolverEvent } from '../../../functions/graphql/testing/events.ts';
import { insertRecruiter } from '../../../functions/graphql/testing/fixtures.ts';
import { RecordingPublisher } from '../../../functions/graphql/testing/recordingPublisher.ts';
import { createIdentityIssuer } from './issuer.ts';
import { handleTokenRequest } from './tokenEndpoint.ts';

const PUBLIC_URL = 'http://localhost:4000';
const ADA = { id: '6f1d2c3b-4a5e-4f60-8a71-b82c93d4e5f6', email: 'admin@example.com', name: 'Ada Admin', role: 'admin' } as const;

describe('passwords', () => {
  it('verifies the right password only, with a fresh salt per hash', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse batterY', hash)).toBe(false);
    expect(await hashPassword('correct horse battery')).not.toBe(hash);
  });

  it('never matches a malformed hash', async () => {
    for (const stored of ['', 'plain-text', 'scrypt$0$8$1$c2FsdA$aGFzaA', 'bcrypt$2b$10$abc', 'scrypt$16384$8$1$c2FsdA$c2hvcnQ']) {
      expect(await verifyPassword('anything', stored)).toBe(false);
    }
  });
});

describe('the local issuer', () => {
  it('issues Cognito-shaped id and access tokens', async () => {
    const issuer = createIdentityIssuer({ publicUrl: `${PUBLIC_URL}/`, tokenTtlSeconds: 600 });
    const tokens = await issuer.issueTokens(ADA);
    expect(tokens.expiresIn).toBe(600);
    const id = decodeJwt(tokens.idToken);
    expect(id).toMatchObject({
      sub: ADA.id,
      iss: `${PUBLIC_URL}/local-cognito`,
      aud: 'wasaprecruit-local',
      token_use: 'id',
      email: ADA.email,
      'cognito:username': ADA.email,
      'cognito:groups': ['admin'],
    });
    expect(id.exp! - id.iat!).toBe(600);
    expect(id.auth_time).toBe(id.iat);
    expect(decodeJwt(tokens.accessToken)).toMatchObject({
      sub: ADA.id,
      token_use: 'access',
      client_id: 'wasaprecruit-local',
      username: ADA.email,
      scope: 'aws.cognito.signin.user.admin',
    });
    expect(decodeProtectedHeader(tokens.idToken).alg).toBe('RS256');
  });

  it('verifies either token into the identity AppSync passes to resolvers', async () => {
    const issuer = createIdentityIssuer({ publicUrl: PUBLIC_URL });
    const tokens = await issuer.issueTokens(ADA);
    for (const token of [tokens.idToken, tokens.accessToken]) {
      expect(await issuer.verifyToken(token)).toMatchObject({
        sub: ADA.id,
        issuer: `${PUBLIC_URL}/local-cognito`,
        username: ADA.email,
        groups: ['admin'],
        sourceIp: [],
        defaultAuthStrategy: 'ALLOW',
        claims: expect.objectContaining({ sub: ADA.id }),
      });
    }
  });

  it('publishes a JWKS that verifies its tokens', async () => {
    const issuer = createIdentityIssuer({ publicUrl: PUBLIC_URL });
    const { idToken } = await issuer.issueTokens(ADA);
    const jwks = await issuer.jwks();
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).not.toHaveProperty('d');
    expect(jwks.keys[0]!.kid).toBe(decodeProtectedHeader(idToken).kid);
    const { payload } = await jwtVerify(idToken, createLocalJWKSet(jwks), { issuer: issuer.issuer, audience: issuer.clientId });
    expect(payload.sub).toBe(ADA.id);
  });

  it('refuses tampered, foreign, expired and other-client tokens', async () => {
    let now = new Date('2025-03-10T12:00:00Z');
    const issuer = createIdentityIssuer({ publicUrl: PUBLIC_URL, tokenTtlSeconds: 60, now: () => now });
    const { idToken } = await issuer.issueTokens(ADA);
    const [header, payload, signature] = idToken.split('.');
    const forged = Buffer.from(JSON.stringify({ ...decodeJwt(idToken), 'cognito:groups': ['admin', 'superuser'] })).toString('base64url');
    const foreign = (await createIdentityIssuer({ publicUrl: PUBLIC_URL }).issueTokens(ADA)).idToken;
    const otherClient = (await createIdentityIssuer({ publicUrl: PUBLIC_URL, clientId: 'someone-else', now: () => now }).issueTokens(ADA)).idToken;
    for (const token of [`${header}.${forged}.${signature}`, foreign, otherClient, 'not.a.jwt', '']) {
      await expect(issuer.verifyToken(token)).rejects.toMatchObject({ name: 'Unauthorized' });
    }
    expect((await issuer.verifyToken(`${header}.${payload}.${signature}`)).sub).toBe(ADA.id);
    now = new Date(now.getTime() + 61_000);
    await expect(issuer.verifyToken(idToken)).rejects.toMatchObject({ name: 'Unauthorized' });
  });

  describe('signing key', () => {
    let dataDir: string;
    beforeAll(async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'identity-'));
    });
    afterAll(async () => {
      await rm(dataDir, { recursive: true, force: true });
    });

    it('is made on first use, kept private on disk and reused after a restart', async () => {
      const first = createIdentityIssuer({ publicUrl: PUBLIC_URL, dataDir });
      expect(await readdir(dataDir)).toEqual([]);
      const { idToken } = await first.issueTokens(ADA);
      const keyFile = join(dataDir, 'identity', 'signing-key.json');
      expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
      expect(await readdir(join(dataDir, 'identity'))).toEqual(['signing-key.json']);
      const restarted = createIdentityIssuer({ publicUrl: PUBLIC_URL, dataDir });
      expect((await restarted.verifyToken(idToken)).sub).toBe(ADA.id);
    });

    it('is shared when two issuers start at once', async () => {
      const racing = await mkdtemp(join(tmpdir(), 'identity-race-'));
      const [one, two] = [createIdentityIssuer({ publicUrl: PUBLIC_URL, dataDir: racing }), createIdentityIssuer({ publicUrl: PUBLIC_URL, dataDir: racing })];
      const [tokensOne, tokensTwo] = await Promise.all([one.issueTokens(ADA), two.issueTokens(ADA)]);
      expect((await two.verifyToken(tokensOne.idToken)).sub).toBe(ADA.id);
      expect((await one.verifyToken(tokensTwo.idToken)).sub).toBe(ADA.id);
      await rm(racing, { recursive: true, force: true });
    });
  });
});

describe('POST /auth/token', () => {
  let db: Db;
  const issuer = createIdentityIssuer({ publicUrl: PUBLIC_URL });
  let recruiterId: string;

  beforeAll(async () => {
    db = await openInMemoryDb();
    const passwordHash = await hashPassword('s3cret-pass');
    recruiterId = await insertRecruiter(db, { name: 'Ana Recruiter', email: 'ana@example.com', passwordHash });
    await insertRecruiter(db, { name: 'Rita Retired', email: 'rita@example.com', passwordHash, active: false });
    await insertRecruiter(db, { name: 'No Password', email: 'nopass@example.com' });
  });
  afterAll(async () => {
    await db?.close();
  });

  it('answers 400 to a malformed body', async () => {
    for (const body of [null, 'username=ana', {}, { username: 'ana@example.com' }, { username: 'ana@example.com', password: 42 }]) {
      expect(await handleTokenRequest({ db, issuer }, body)).toMatchObject({ status: 400, body: { error: 'bad_request' } });
    }
  });

  it('answers 401 to a wrong password, an unknown user, an inactive recruiter or one without a password', async () => {
    for (const [username, password] of [
      ['ana@example.com', 'wrong-pass'],
      ['nobody@example.com', 's3cret-pass'],
      ['rita@example.com', 's3cret-pass'],
      ['nopass@example.com', ''],
      ['nopass@example.com', 'anything'],
    ]) {
      const response = await handleTokenRequest({ db, issuer }, { username, password });
      expect(response.status).toBe(password === '' ? 400 : 401);
    }
  });

  it('answers 200 with tokens whose identity the GraphQL handler accepts', async () => {
    const response = await handleTokenRequest({ db, issuer }, { username: ' Ana@Example.com ', password: 's3cret-pass' });
    expect(response.status).toBe(200);
    if (response.status !== 200) return;
    expect(response.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 3600 });
    const identity = await issuer.verifyToken(response.body.idToken);
    expect(identity).toMatchObject({ sub: recruiterId, groups: ['recruiter'] });
    const handler = createGraphqlHandler({ db, publisher: new RecordingPublisher() });
    expect(await handler(resolverEvent('Query.me', { identity, selection: 'id email' }))).toMatchObject({ id: recruiterId, email: 'ana@example.com' });
  });
});
