import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSecretsManagerEndpoint, type SecretsManagerEndpoint } from '../../infra/aws/testing/secretsManager.ts';
import { ConfigError } from './config.ts';
import { withSecrets } from './lambdaRuntime.ts';

/** The AWS entries' provider credentials and form secrets, read from Secrets Manager (a local endpoint speaking its protocol). */
const TWILIO_ARN = 'arn:aws:secretsmanager:ap-south-1:123456789012:secret:twilio';
const META_ARN = 'arn:aws:secretsmanager:ap-south-1:123456789012:secret:meta';
const BAD_TWILIO_ARN = 'arn:aws:secretsmanager:ap-south-1:123456789012:secret:twilio-bad';
const NOT_JSON_ARN = 'arn:aws:secretsmanager:ap-south-1:123456789012:secret:not-json';
const AUTH_TOKEN = 'f00dfeedf00dfeedf00dfeedf00dfeed';
const FORM_LINK_ARN = 'arn:aws:secretsmanager:ap-south-1:123456789012:secret:form-link';
const FORM_WEBHOOK_ARN = 'arn:aws:secretsmanager:ap-south-1:123456789012:secret:form-webhook';
const SHORT_FORM_LINK_ARN = 'arn:aws:secretsmanager:ap-south-1:123456789012:secret:form-link-short';
const FORM_LINK_SECRET = 'Zq8Xk2Lw9Vb4Nc7Md1Pf6Rg3Sh5Tj0Uy8Wa2Eb4Qc6';
const FORM_WEBHOOK_SECRET = 'Hn3Jm5Kp7Lq9Mr1Ns3Ot5Pu7Qv9';

describe('secrets from Secrets Manager', () => {
  let endpoint: SecretsManagerEndpoint;
  let client: SecretsManagerClient;

  beforeAll(async () => {
    endpoint = await startSecretsManagerEndpoint({
      [TWILIO_ARN]: JSON.stringify({ accountSid: 'AC0123456789abcdef0123456789abcdef', authToken: AUTH_TOKEN, senderNumber: 'whatsapp:+14155238886' }),
      [META_ARN]: JSON.stringify({ appSecret: '', accessToken: '', phoneNumberId: '', verifyToken: 'generated-verify-token' }),
      [BAD_TWILIO_ARN]: JSON.stringify({ accountSid: 'not-a-sid', authToken: AUTH_TOKEN, senderNumber: 'whatsapp:+14155238886' }),
      [NOT_JSON_ARN]: 'accountSid=AC…',
      [FORM_LINK_ARN]: FORM_LINK_SECRET,
      [FORM_WEBHOOK_ARN]: FORM_WEBHOOK_SECRET,
      [SHORT_FORM_LINK_ARN]: 'too-short-1234',
    });
    client = new SecretsManagerClient({ region: 'ap-south-1', endpoint: endpoint.url, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  });
  afterAll(async () => {
    client?.destroy();
    await endpoint?.close();
  });

  it('configures the providers whose secrets are filled in, and leaves one with empty fields unconfigured', async () => {
    const config = await withSecrets({ TWILIO_SECRET_ARN: TWILIO_ARN, META_SECRET_ARN: META_ARN }, client);

    expect(config.twilio).toMatchObject({ accountSid: 'AC0123456789abcdef0123456789abcdef', authToken: AUTH_TOKEN, from: 'whatsapp:+14155238886' });
    expect(config.meta).toBeUndefined();
  });

  it("refuses a malformed field naming the secret's field, never its value", async () => {
    const refusal = withSecrets({ TWILIO_SECRET_ARN: BAD_TWILIO_ARN }, client);

    await expect(refusal).rejects.toThrow(ConfigError);
    await expect(refusal).rejects.toThrow(/the twilio secret's "accountSid": expected AC followed by 32 hex digits/);
    await expect(refusal).rejects.not.toThrow(/not-a-sid|TWILIO_ACCOUNT_SID/);
  });

  it('refuses a secret that is not a JSON object, without echoing it', async () => {
    const refusal = withSecrets({ TWILIO_SECRET_ARN: NOT_JSON_ARN }, client);

    await expect(refusal).rejects.toThrow(/the twilio secret is not a JSON object/);
    await expect(refusal).rejects.not.toThrow(/accountSid=/);
  });

  it('reads no secret when none is named (the local host configures providers from its environment)', async () => {
    const before = endpoint.requested.length;

    const config = await withSecrets({}, client);

    expect(config.twilio).toBeUndefined();
    expect(endpoint.requested.length).toBe(before);
  });

  it('reads the form link and form webhook secrets the stack names', async () => {
    const config = await withSecrets({ FORM_LINK_SECRET_ARN: FORM_LINK_ARN, FORM_WEBHOOK_SECRET_ARN: FORM_WEBHOOK_ARN }, client);

    expect(config.forms).toMatchObject({ linkSecret: FORM_LINK_SECRET, webhookSecret: FORM_WEBHOOK_SECRET });
    expect(endpoint.requested).toEqual(expect.arrayContaining([FORM_LINK_ARN, FORM_WEBHOOK_ARN]));
  });

  it('refuses a form secret too short to sign with, naming the secret, never its value', async () => {
    const refusal = withSecrets({ FORM_LINK_SECRET_ARN: SHORT_FORM_LINK_ARN }, client);

    await expect(refusal).rejects.toThrow(ConfigError);
    await expect(refusal).rejects.toThrow(/the form link secret: .*32/);
    await expect(refusal).rejects.not.toThrow(/too-short-1234|FORM_LINK_SECRET/);
  });
});
