import { describe, expect, it } from 'vitest';
import { parseEnv } from './env.ts';

describe('the console configuration', () => {
  it('defaults to the local host on the same origin, signing in through its issuer', () => {
    expect(parseEnv({}, 'http://localhost:4000')).toEqual({ graphqlUrl: 'http://localhost:4000/graphql', region: 'local', cognito: null });
  });

  it('uses Cognito and AppSync when the user pool is configured', () => {
    const env = parseEnv(
      {
        VITE_GRAPHQL_URL: 'https://abc.appsync-api.ap-south-1.amazonaws.com/graphql',
        VITE_AWS_REGION: 'ap-south-1',
        VITE_USER_POOL_ID: 'ap-south-1_AbC123',
        VITE_USER_POOL_CLIENT_ID: '3n4b5urk1ft4fl3mg5e62d9ado',
      },
      'https://main.d1.amplifyapp.com',
    );
    expect(env).toEqual({
      graphqlUrl: 'https://abc.appsync-api.ap-south-1.amazonaws.com/graphql',
      region: 'ap-south-1',
      cognito: { region: 'ap-south-1', userPoolId: 'ap-south-1_AbC123', userPoolClientId: '3n4b5urk1ft4fl3mg5e62d9ado' },
    });
  });

  it('refuses half a Cognito configuration and URLs that are not http(s), naming the variable', () => {
    expect(() => parseEnv({ VITE_USER_POOL_ID: 'ap-south-1_AbC123' }, 'http://localhost')).toThrow(/VITE_USER_POOL_ID and VITE_USER_POOL_CLIENT_ID/);
    expect(() => parseEnv({ VITE_GRAPHQL_URL: 'ftp://example.com/graphql' }, 'http://localhost')).toThrow(/VITE_GRAPHQL_URL/);
  });
});
