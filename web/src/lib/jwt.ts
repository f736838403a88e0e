/** The claims the console reads from a Cognito-shaped ID token. The server verifies tokens; this only decodes. */
export interface TokenClaims {
  readonly sub: string;
  readonly email: string;
  readonly groups: readonly string[];
  /** Seconds since the epoch. */
  readonly exp: number;
}

export function decodeClaims(jwt: string): TokenClaims {
  const payload = jwt.split('.')[1];
  if (payload === undefined) throw new Error('not a JWT');
  const base64 = payload.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(payload.length / 4) * 4, '=');
  const json = new TextDecoder().decode(Uint8Array.from(atob(base64), (char) => char.charCodeAt(0)));
  const claims = JSON.parse(json) as Record<string, unknown>;
  if (typeof claims.sub !== 'string' || typeof claims.exp !== 'number') throw new Error('token without sub or exp');
  const groups = claims['cognito:groups'];
  return {
    sub: claims.sub,
    email: typeof claims.email === 'string' ? claims.email : '',
    groups: Array.isArray(groups) ? groups.filter((group): group is string => typeof group === 'string') : [],
    exp: claims.exp,
  };
}
