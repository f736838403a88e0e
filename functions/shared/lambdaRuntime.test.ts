import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSecretsManagerEndpoint, type SecretsManagerEndpoint } from '../../infra/aws/testing/secretsManager.ts';
import { ConfigError } from './config.ts';
import { withProviderSecrets } from './lambdaRuntime.ts';

/** The AWS entries' provider credentials, read from Secrets Manager (a local endpoint speaking its protocol). */
const TWILIO_ARN = 'arn:aws:secretsmanager:ap-south-1:123456789012:secret:twilio';
const META_ARN = 'arn:aws:secretsmanager:ap-south-1:123456789012:secret:meta';
const BAD_TWILIO_ARN = 'arn:aws:secretsmanager:ap-south-1:123456789012:secret:twilio-bad';
const NOT_JSON_ARN = 'arn:aws:secretsmanager:ap-south-1:123456789012:secret:not-json';
const AUTH_TOKEN = 'f00dfeedf00dfeedf00dfeedf00dfeed';

describe('provider credentials from Secrets Manager', () => {
  let endpoint: SecretsManagerEndpoint;
  let client: SecretsManagerClient;

  beforeAll(async () => {
    endpoint = await startSecretsManagerEndpoint({
      [TWILIO_ARN]: JSON.stringify({ accountSid: 'AC0123456789abcdef0123456789abcdef', authToken: AUTH_TOKEN, senderNumber: 'whatsapp:+14155238886' }),
      [META_ARN]: JSON.stringify({ appSecret: '', accessToken: '', phoneNumberId: '', verifyToken: 'generated-verify-token' }),
      [BAD_TWILIO_ARN]: JSON.stringify({ accountSid: 'not-a-sid', authToken: AUTH_TOKEN, senderNumber: 'whatsapp:+14155238886' }),
      [NOT_JSON_ARN]: 'accountSid=AC…',
    });
    client = new SecretsManagerClient({ region: 'ap-south-1', endpoint: endpoint.url, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  });
  afterAll(async () => {
    client?.destroy();
    await endpoint?.close();
  });

  it('configures the providers whose secrets are filled in, and leaves one with empty fields unconfigured', async () => {
    const config = await withProviderSecrets({ TWILIO_SECRET_ARN: TWILIO_ARN, META_SECRET_ARN: META_ARN }, client);

    expect(config.twilio).toMatchObject({ accountSid: 'AC0123456789abcdef0123456789abcdef', authToken: AUTH_TOKEN, from: 'whatsapp:+14155238886' });
    expect(config.meta).toBeUndefined();
  });

  it("refuses a malformed field naming the secret's field, never its value", async () => {
    const refusal = withProviderSecrets({ TWILIO_SECRET_ARN: BAD_TWILIO_ARN }, client);

    await expect(refusal).rejects.toThrow(ConfigError);
    await expect(refusal).rejects.toThrow(/the twilio secret's "accountSid": expected AC followed by 32 hex digits/);
    await expect(refusal).rejects.not.toThrow(/not-a-sid|TWILIO_ACCOUNT_SID/);
  });

  it('refuses a secret that is not a JSON object, without echoing it', async () => {
    const refusal = withProviderSecrets({ TWILIO_SECRET_ARN: NOT_JSON_ARN }, client);

    await expect(refusal).rejects.toThrow(/the twilio secret is not a JSON object/);
    await expect(refusal).rejects.not.toThrow(/accountSid=/);
  });

  it('reads no secret when none is named (the local host configures providers from its environment)', async () => {
    const before = endpoint.requested.length;

    const config = await withProviderSecrets({}, client);

    expect(config.twilio).toBeUndefined();
    expect(endpoint.requested.length).toBe(before);
  });
});
