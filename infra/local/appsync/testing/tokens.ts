import { generateKeyPair, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import type { CognitoIdentity } from '../auth.ts';

/** A recruiter as the tests' user pool knows them. */
export interface TestUser {
  readonly sub: string;
  readonly username: string;
  readonly groups: readonly string[];
}

export interface TestTokens {
  /** An ID token like Cognito's for the user. */
  sign(user: TestUser, options?: { readonly expiresAt?: Date }): Promise<string>;
  /** The verifier the engine takes, standing in for the local identity issuer. */
  verifyToken(jwt: string): Promise<CognitoIdentity>;
}

const issuer = 'https://cognito-idp.local.test/wasaprecruit-test';

/** Signs and verifies Cognito-shaped ID tokens with a key pair made for one test file. */
export async function createTestTokens(): Promise<TestTokens> {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  return {
    sign: (user, options) =>
      new SignJWT({ 'cognito:username': user.username, 'cognito:groups': [...user.groups], token_use: 'id' })
        .setProtectedHeader({ alg: 'ES256' })
        .setSubject(user.sub)
        .setIssuer(issuer)
        .setIssuedAt()
        .setExpirationTime(options?.expiresAt ?? '1h')
        .sign(privateKey),
    verifyToken: async (jwt) => {
      const { payload } = await jwtVerify<JWTPayload & { 'cognito:username': string; 'cognito:groups'?: string[] }>(jwt, publicKey, { issuer });
      return {
        sub: payload.sub!,
        issuer,
        username: payload['cognito:username'],
        claims: payload,
        sourceIp: [],
        defaultAuthStrategy: 'ALLOW',
        groups: payload['cognito:groups'] ?? null,
      };
    },
  };
}
