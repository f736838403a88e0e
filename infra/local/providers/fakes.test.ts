import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeMetaGraphApi, type FakeMetaGraphApi } from './metaGraphApi.ts';
import { startFakeTwilioApi, type FakeTwilioApi } from './twilioApi.ts';

/** The local provider endpoints refuse malformed requests the way the real APIs do, in their error formats. */

const ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
const AUTH_TOKEN = 'f00dfeedf00dfeedf00dfeedf00dfeed';
const ACCESS_TOKEN = 'EAAG-local';
const PHONE_NUMBER_ID = '106540352242922';

let twilio: FakeTwilioApi;
let meta: FakeMetaGraphApi;

beforeAll(async () => {
  twilio = await startFakeTwilioApi({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  meta = await startFakeMetaGraphApi({ accessToken: ACCESS_TOKEN, phoneNumberId: PHONE_NUMBER_ID, displayPhoneNumber: '+15550783881' });
});

afterAll(async () => {
  await twilio.close();
  await meta.close();
});

async function createTwilioMessage(params: Record<string, string>, authorization = `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`) {
  const response = await fetch(`${twilio.url}/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`, {
    method: 'POST',
    headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('the local Twilio API', () => {
  const whatsapp = { From: 'whatsapp:+14155238886', To: 'whatsapp:+525512345678' };

  it.each([
    ['no content', whatsapp, 21619],
    ['ContentVariables that are not a JSON object', { ...whatsapp, ContentSid: 'HX1', ContentVariables: '[1]' }, 21656],
    ['a To that is not a WhatsApp address', { ...whatsapp, To: '+525512345678', Body: 'x' }, 21211],
    ['a From that is not a WhatsApp address', { ...whatsapp, From: 'agency', Body: 'x' }, 21212],
  ])('refuses a message with %s in Twilio error JSON', async (_, params, code) => {
    const { status, body } = await createTwilioMessage(params);
    expect(status).toBe(400);
    expect(body).toEqual({ code, message: expect.any(String), more_info: `https://www.twilio.com/docs/errors/${code}`, status: 400 });
    expect(twilio.sent).toEqual([]);
  });

  it('refuses wrong credentials with 401 and code 20003', async () => {
    const { status, body } = await createTwilioMessage({ ...whatsapp, Body: 'x' }, `Basic ${Buffer.from(`${ACCOUNT_SID}:nope`).toString('base64')}`);
    expect({ status, code: body.code }).toEqual({ status: 401, code: 20003 });
  });

  it("answers 404 with code 20404 outside the account's resources", async () => {
    const response = await fetch(`${twilio.url}/2010-04-01/Accounts/AC99999999999999999999999999999999/Messages.json`, { method: 'POST' });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: 20404 });
  });

  it('serves no media behind an unknown CDN link', async () => {
    expect((await fetch(`${twilio.url}/cdn/made-up`)).status).toBe(404);
  });
});

describe('the local Meta Graph API', () => {
  const post = (path: string, body: unknown, token = ACCESS_TOKEN) =>
    fetch(`${meta.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it.each([
    ['no content for its type', { messaging_product: 'whatsapp', to: '525512345678', type: 'image' }],
    ['another product', { messaging_product: 'sms', to: '525512345678', type: 'text', text: { body: 'x' } }],
    ['a recipient that is not a number', { messaging_product: 'whatsapp', to: 'ana', type: 'text', text: { body: 'x' } }],
  ])('refuses a message with %s as Graph error 100', async (_, body) => {
    const response = await post(`/v23.0/${PHONE_NUMBER_ID}/messages`, body);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 100, type: 'OAuthException', fbtrace_id: expect.any(String) } });
    expect(meta.sent).toEqual([]);
  });

  it('refuses sends from another phone number id and unknown paths', async () => {
    const message = { messaging_product: 'whatsapp', to: '525512345678', type: 'text', text: { body: 'x' } };
    expect(await (await post('/v23.0/999/messages', message)).json()).toMatchObject({ error: { code: 100 } });
    expect(await (await post('/latest/999/messages', message)).json()).toMatchObject({ error: { code: 2500 } });
  });

  it('refuses a wrong token with 401 and code 190, downloads included', async () => {
    const id = meta.addMedia(new Uint8Array([1]), 'image/jpeg');
    const response = await fetch(`${meta.url}/v23.0/${id}`, { headers: { authorization: 'Bearer nope' } });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: 190 } });
    expect((await fetch(`${meta.url}/whatsapp_business/attachments/?mid=${id}`)).status).toBe(401);
  });
});
