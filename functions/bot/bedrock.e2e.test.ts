import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { startBedrockEndpoint, type BedrockEndpoint } from '../../infra/local/bedrock/server.ts';
import { startFakeTwilioApi, type FakeTwilioApi } from '../../infra/local/providers/twilioApi.ts';
import { signedTwilioWebhook, twilioInboundParams } from '../../infra/local/providers/twilioWebhooks.ts';
import { startTestLocalHost, type TestLocalHost } from '../../infra/local/testing.ts';
import { createTwilioChannel } from '../channels/twilio/provider.ts';
import { WEBHOOK_PATHS } from '../webhooks/routes.ts';

/**
 * LLM_PROVIDER=bedrock on the full local host: the configuration builds the Bedrock provider (official SDK,
 * Converse API) pointed by BEDROCK_ENDPOINT at the local Converse stand-in, and the bot's supervisor classifies
 * through it. Credentials come from the SDK's default chain, as on AWS (here the environment).
 */
const TWILIO = { accountSid: 'AC99887766554433221100ffeeddccbbaa', authToken: 'c0ffeec0ffeec0ffeec0ffeec0ffee00', sender: '+14155238886' };
const MODEL = 'anthropic.claude-3-haiku-20240307-v1:0';

let bedrock: BedrockEndpoint;
let twilio: FakeTwilioApi;
let host: TestLocalHost;

beforeAll(async () => {
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDLOCALTEST');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'local-test-secret');
  bedrock = await startBedrockEndpoint();
  twilio = await startFakeTwilioApi({ accountSid: TWILIO.accountSid, authToken: TWILIO.authToken, callbackDelayMs: 2 });
  host = await startTestLocalHost({
    channels: { twilio: createTwilioChannel({ accountSid: TWILIO.accountSid, authToken: TWILIO.authToken, whatsappFrom: TWILIO.sender, apiBaseUrl: twilio.url }) },
    worker: { pollMs: 20 },
    env: { LLM_PROVIDER: 'bedrock', BEDROCK_MODEL_ID: MODEL, BEDROCK_ENDPOINT: bedrock.url, AWS_REGION: 'us-east-1', QUIET_HOURS: 'off' },
  });
});

afterAll(async () => {
  await host?.close();
  await twilio?.close();
  await bedrock?.close();
  vi.unstubAllEnvs();
});

async function say(from: string, body: string): Promise<void> {
  const params = twilioInboundParams({ accountSid: TWILIO.accountSid, from, to: TWILIO.sender, body });
  const webhook = signedTwilioWebhook(TWILIO.authToken, `${host.publicUrl}${WEBHOOK_PATHS.twilioMessages}`, params);
  expect((await fetch(`${host.url}${WEBHOOK_PATHS.twilioMessages}`, { method: 'POST', headers: webhook.headers, body: webhook.body })).status).toBe(200);
}

async function messagesTo(phone: string, count: number): Promise<string[]> {
  const deadline = Date.now() + 8000;
  for (;;) {
    const texts = twilio.sent.filter((message) => message.params.To === `whatsapp:${phone}`).map((message) => String(message.params.Body));
    if (texts.length >= count) return texts;
    if (Date.now() > deadline) throw new Error(`expected ${count} messages to ${phone}, got ${texts.length}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

it('classifies the aspirant’s free text through Bedrock’s Converse API and records the model in the trace', async () => {
  const phone = '+5233100000001';
  await say(phone, 'Hola');
  await messagesTo(phone, 2);
  expect(bedrock.calls).toHaveLength(0);

  await say(phone, 'Quiero hablar con una persona, por favor');
  const [, , handoff] = await messagesTo(phone, 3);
  expect(handoff).toContain('reclutador');
  expect(bedrock.calls.length).toBeGreaterThanOrEqual(1);
  expect(bedrock.calls[0]).toMatchObject({ modelId: MODEL, authorization: expect.stringContaining('AKIDLOCALTEST') });
  // The aspirant's words travel as delimited data, never in the system prompt.
  expect(JSON.stringify(bedrock.calls[0]!.body.system)).not.toContain('persona, por favor');

  const [trace] = await host.db.query<{ intent: string; detail: { via: string } }>(
    "SELECT intent, detail FROM bot_traces WHERE agent = 'supervisor' ORDER BY created_at DESC LIMIT 1",
  );
  expect(trace).toEqual({ intent: 'human', detail: { via: `bedrock:${MODEL}` } });
  const [conversation] = await host.db.query<{ needsRecruiter: boolean }>(
    'SELECT c.needs_recruiter FROM conversations c JOIN aspirants a ON a.id = c.aspirant_id WHERE a.phone = :phone',
    { phone },
  );
  expect(conversation!.needsRecruiter).toBe(true);
});
