import { randomUUID } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AppSyncIdentityCognito } from 'aws-lambda';
import { calculateJwkThumbprint, type CryptoKey, exportJWK, generateKeyPair, importJWK, type JWK, jwtVerify, SignJWT } from 'jose';
import { UnauthorizedError } from '../../../functions/shared/errors.ts';
import { BoundedCache } from '../boundedCache.ts';

/**
 * The local stand-in for a Cognito user pool: it signs RS256 tokens whose claims look like Cognito's, so the
 * console and the local AppSync host treat them exactly as they treat real ones.
 */
export interface IdentityIssuerOptions {
  /** The host's public URL; tokens are issued by `${publicUrl}/local-cognito`. */
  readonly publicUrl: string;
  /** Keep the signing key in `${dataDir}/identity/` across restarts; without it the key lives in memory. */
  readonly dataDir?: string;
  readonly clientId?: string;
  readonly tokenTtlSeconds?: number;
  readonly now?: () => Date;
}

export interface TokenSubject {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly role: 'admin' | 'recruiter';
}

export interface IssuedTokens {
  readonly idToken: string;
  readonly accessToken: string;
  /** Seconds until both tokens expire. */
  readonly expiresIn: number;
}

export interface IdentityIssuer {
  readonly issuer: string;
  readonly clientId: string;
  issueTokens(subject: TokenSubject): Promise<IssuedTokens>;
  /** The AppSync Cognito identity for an id or access token; Unauthorized when it is not valid now. */
  verifyToken(jwt: string): Promise<AppSyncIdentityCognito>;
  /** The JSON Web Key Set with the public signing key. */
  jwks(): Promise<{ keys: JWK[] }>;
}

export const LOCAL_CLIENT_ID = 'wasaprecruit-local';
const ALGORITHM = 'RS256';
/** How many verified tokens' identities are kept (about one per signed-in session; the oldest go first). */
const MAX_VERIFIED_TOKENS = 1000;

interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
  readonly publicJwk: JWK;
}

export function createIdentityIssuer(options: IdentityIssuerOptions): IdentityIssuer {
  const issuer = `${options.publicUrl.replace(/\/+$/, '')}/local-cognito`;
  const clientId = options.clientId ?? LOCAL_CLIENT_ID;
  const ttlSeconds = options.tokenTtlSeconds ?? 3600;
  const now = options.now ?? (() => new Date());
  let signingKey: Promise<SigningKey> | undefined;
  const key = () => (signingKey ??= loadOrCreateKey(options.dataDir === undefined ? undefined : join(options.dataDir, 'identity')));
  // The signing key is fixed for the issuer's life, so a token once verified stays valid until it expires:
  // the RSA check (a few hundred µs, on every GraphQL request) runs once per token.
  const verified = new BoundedCache<string, { readonly identity: AppSyncIdentityCognito; readonly expiresAt: number }>(MAX_VERIFIED_TOKENS);
  // jose's test: a token is expired once `exp` is at or before now, in whole seconds.
  const unexpired = (expiresAt: number) => Math.floor(now().getTime() / 1000) < expiresAt;

  return {
    issuer,
    clientId,

    async issueTokens(subject) {
      const { kid, privateKey } = await key();
      const issuedAt = Math.floor(now().getTime() / 1000);
      const session = { origin_jti: randomUUID(), event_id: randomUUID(), auth_time: issuedAt };
      const groups = [subject.role];
      const sign = (claims: Record<string, unknown>, audience?: string) => {
        const token = new SignJWT({ ...session, ...claims })
          .setProtectedHeader({ alg: ALGORITHM, kid })
          .setSubject(subject.id)
          .setIssuer(issuer)
          .setIssuedAt(issuedAt)
          .setExpirationTime(issuedAt + ttlSeconds)
          .setJti(randomUUID());
        return (audience === undefined ? token : token.setAudience(audience)).sign(privateKey);
      };
      const [idToken, accessToken] = await Promise.all([
        sign(
          {
            token_use: 'id',
            email: subject.email,
            email_verified: true,
            name: subject.name,
            'cognito:username': subject.email,
            'cognito:groups': groups,
          },
          clientId,
        ),
        sign({
          token_use: 'access',
          client_id: clientId,
          username: subject.email,
          scope: 'aws.cognito.signin.user.admin',
          'cognito:groups': groups,
        }),
      ]);
      return { idToken, accessToken, expiresIn: ttlSeconds };
    },

    async verifyToken(jwt) {
      const known = verified.get(jwt);
      if (known !== undefined) {
        if (unexpired(known.expiresAt)) return known.identity;
        verified.delete(jwt);
      }
      const { publicKey } = await key();
      let claims: Record<string, unknown>;
      try {
        ({ payload: claims } = await jwtVerify(jwt, publicKey, { issuer, algorithms: [ALGORITHM], currentDate: now() }));
      } catch {
        throw new UnauthorizedError('invalid or expired token');
      }
      // Like Cognito: id tokens name the client in aud, access tokens in client_id.
      const forThisClient =
        (claims.token_use === 'id' && claims.aud === clientId) || (claims.token_use === 'access' && claims.client_id === clientId);
      if (!forThisClient || typeof claims.sub !== 'string') throw new UnauthorizedError('invalid or expired token');
      const groups = Array.isArray(claims['cognito:groups']) ? claims['cognito:groups'].filter((group) => typeof group === 'string') : null;
      const username = claims['cognito:username'] ?? claims.username;
      const identity: AppSyncIdentityCognito = {
        sub: claims.sub,
        issuer,
        username: typeof username === 'string' ? username : claims.sub,
        claims,
        sourceIp: [],
        defaultAuthStrategy: 'ALLOW',
        groups,
      };
      // A token with a not-before date would become valid later: verified afresh each time (this issuer sets none).
      if (typeof claims.exp === 'number' && claims.nbf === undefined) verified.set(jwt, { identity, expiresAt: claims.exp });
      return identity;
    },

    async jwks() {
      const { kid, publicJwk } = await key();
      return { keys: [{ ...publicJwk, kid, alg: ALGORITHM, use: 'sig' }] };
    },
  };
}

/** The signing key from `directory` (made there on first use, readable by the owner only), or a fresh one in memory. */
async function loadOrCreateKey(directory: string | undefined): Promise<SigningKey> {
  const file = directory === undefined ? undefined : join(directory, 'signing-key.json');
  if (file !== undefined) {
    const stored = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (stored !== undefined) return fromPrivateJwk(JSON.parse(stored) as JWK);
  }
  const { privateKey } = await generateKeyPair(ALGORITHM, { extractable: true });
  const privateJwk = await exportJWK(privateKey);
  if (directory !== undefined && file !== undefined) {
    await mkdir(directory, { recursive: true, mode: 0o700 });
    // Written aside, then linked into place: the link appears complete or not at all, and fails if a key exists.
    const draft = `${file}.${randomUUID()}.tmp`;
    await writeFile(draft, JSON.stringify(privateJwk), { mode: 0o600, flag: 'wx' });
    try {
      await link(draft, file);
    } catch (error) {
      // Another process made the key first: use theirs, so every token verifies everywhere.
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return fromPrivateJwk(JSON.parse(await readFile(file, 'utf8')) as JWK);
      throw error;
    } finally {
      await unlink(draft);
    }
  }
  return fromPrivateJwk(privateJwk);
}

async function fromPrivateJwk(privateJwk: JWK): Promise<SigningKey> {
  const { kty, n, e } = privateJwk;
  const publicJwk: JWK = { kty, n, e };
  return {
    kid: await calculateJwkThumbprint(publicJwk),
    privateKey: (await importJWK(privateJwk, ALGORITHM)) as CryptoKey,
    publicKey: (await importJWK(publicJwk, ALGORITHM)) as CryptoKey,
    publicJwk,
  };
}
