import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTwilioChannel } from '../functions/channels/twilio/provider.ts';
import { solidImage } from '../functions/media/testing/samples.ts';
import { WEBHOOK_PATHS } from '../functions/webhooks/routes.ts';
import { startFakeTwilioApi, type FakeTwilioApi } from '../infra/local/providers/twilioApi.ts';
import { signedTwilioWebhook, twilioInboundParams } from '../infra/local/providers/twilioWebhooks.ts';
import { startTestLocalHost, type TestLocalHost } from '../infra/local/testing.ts';
import { eventually, launchChromium, newContext, screenshot } from './support/browser.ts';
import { conversationsOf, messageBubble, signIn } from './support/console.ts';
import { imageLoaded, noteWhenTextShows, recordedNotifications, recordedTicks, recordNotifications, recordTicksOf, whenTextShowed } from './support/inPage.ts';

/**
 * WhatsApp through the console: aspirants write through signed Twilio webhooks, the real Twilio adapter
 * sends replies to a local endpoint speaking Twilio's API, whose signed status callbacks move the ticks.
 */

const TWILIO = { accountSid: 'AC0123456789abcdef0123456789abcdef', authToken: 'f00dfeedf00dfeedf00dfeedf00dfeed', sender: '+14155238886' };

let twilio: FakeTwilioApi;
let host: TestLocalHost;
let browser: Browser;
const contexts: BrowserContext[] = [];
let phoneCounter = 0;
/** A number nobody in the demo has (US 212-555 range). */
const newPhone = () => `+1212555${String(8100 + phoneCounter++).padStart(4, '0')}`;

beforeAll(async () => {
  // Status callbacks spaced out, so each tick can be seen on screen.
  twilio = await startFakeTwilioApi({ accountSid: TWILIO.accountSid, authToken: TWILIO.authToken, callbackDelayMs: 400 });
  [host, browser] = await Promise.all([
    startTestLocalHost({
      channels: { twilio: createTwilioChannel({ accountSid: TWILIO.accountSid, authToken: TWILIO.authToken, whatsappFrom: TWILIO.sender, apiBaseUrl: twilio.url }) },
      mediaFetch: { testOnly: { allowLoopbackOrigins: [twilio.url] } },
      worker: { pollMs: 20 },
    }),
    launchChromium(),
  ]);
});

afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close();
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
  await twilio?.close();
});

async function recruiterPage(path = '/', prepare?: (context: BrowserContext) => Promise<void>): Promise<Page> {
  const context = await newContext(browser);
  contexts.push(context);
  await prepare?.(context);
  const page = await signIn(context, host, 'recruiter1@example.com', path);
  await eventually('the console is live', async () => (await page.locator('.connection').getAttribute('data-status')) === 'live');
  return page;
}

/** An aspirant's WhatsApp message as Twilio posts it: form-encoded and signed for our public URL. */
async function aspirantWrites(from: string, fields: { body?: string; profileName?: string; media?: { url: string; contentType: string }[] } = {}): Promise<void> {
  const params = twilioInboundParams({ accountSid: TWILIO.accountSid, from, to: TWILIO.sender, ...fields });
  const webhook = signedTwilioWebhook(TWILIO.authToken, `${host.publicUrl}${WEBHOOK_PATHS.twilioMessages}`, params);
  const answer = await fetch(`${host.url}${WEBHOOK_PATHS.twilioMessages}`, { method: 'POST', headers: webhook.headers, body: webhook.body });
  expect(answer.status).toBe(200);
}

/** Starts watching the page for `text`; the returned function waits for it and says when it showed. */
async function watchFor(page: Page, text: string): Promise<() => Promise<number>> {
  await page.evaluate(noteWhenTextShows, text);
  return async () => {
    let seenAt: number | undefined;
    await eventually(`"${text}" shows`, async () => (seenAt = await page.evaluate(whenTextShowed, text)) !== undefined);
    return seenAt!;
  };
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

describe('WhatsApp in the console', () => {
  it('shows a new aspirant who writes through a signed webhook, live, and measures webhook-to-screen latency', async () => {
    const page = await recruiterPage();
    const phone = newPhone();
    const firstWords = `Hola, quiero ser modelo ${Date.now()}`;
    const inboxShows = await watchFor(page, 'Marina Webhook');
    const sentAt = Date.now();
    await aspirantWrites(phone, { body: firstWords, profileName: 'Marina Webhook' });
    const newConversationMs = (await inboxShows()) - sentAt;
    const row = page.getByRole('listbox', { name: 'Conversations' }).getByRole('option').filter({ hasText: 'Marina Webhook' });
    expect(await row.locator('.badge').innerText()).toBe('1');
    await screenshot(page, '20-webhook-new-aspirant');

    // With the conversation open: what she wrote, the bot's answer with its trace, and then each message from
    // the webhook's POST to its bubble on screen.
    await row.click();
    await messageBubble(page, firstWords).waitFor();
    const botReply = page.locator('.message--bot').first();
    await botReply.waitFor();
    await botReply.getByText(/^Bot trace/).click();
    await botReply.locator('.trace__steps li').first().waitFor();
    await screenshot(page, '21-bot-reply-with-trace');
    await eventually('the conversation is live', async () => (await page.locator('.connection').getAttribute('data-status')) === 'live');
    const latencies: number[] = [];
    for (let n = 1; n <= 7; n += 1) {
      const text = `Mensaje ${n} ${Date.now()}`;
      const shown = await watchFor(page, text);
      const postedAt = Date.now();
      await aspirantWrites(phone, { body: text, profileName: 'Marina Webhook' });
      latencies.push((await shown()) - postedAt);
    }
    // Opened and read while visible: the badge goes.
    await eventually('the open conversation is marked read', async () => (await row.locator('.badge').count()) === 0);
    console.info(`webhook-to-screen latency in Chromium: new conversation ${newConversationMs} ms; open thread median ${median(latencies)} ms, max ${Math.max(...latencies)} ms (n=${latencies.length})`);
    expect(median(latencies)).toBeLessThan(2000);
  });

  it('moves the ticks of a reply as the provider reports sent, delivered and read', async () => {
    const phone = newPhone();
    await aspirantWrites(phone, { body: 'Hi, is the casting still open?', profileName: 'Tara Ticks' });
    const page = await recruiterPage();
    await page.getByRole('listbox', { name: 'Conversations' }).getByRole('option').filter({ hasText: 'Tara Ticks' }).click();
    await messageBubble(page, 'Hi, is the casting still open?').waitFor();
    await eventually('the conversation is live', async () => (await page.locator('.connection').getAttribute('data-status')) === 'live');

    const reply = `Yes! Come on Friday ${Date.now()}`;
    await page.evaluate(recordTicksOf, reply);
    await page.getByRole('textbox', { name: /^Message to / }).fill(reply);
    await page.getByRole('textbox', { name: /^Message to / }).press('Control+Enter');

    await eventually('the reply shows as read', async () => (await messageBubble(page, reply).locator('.ticks').getAttribute('data-status')) === 'READ', 15_000);
    const ticks = await page.evaluate(recordedTicks);
    expect(ticks[0]).toBe('SENDING');
    expect(ticks.filter((status) => ['SENT', 'DELIVERED', 'READ'].includes(status))).toEqual(['SENT', 'DELIVERED', 'READ']);
    expect(twilio.sent.some((message) => message.params.Body === reply)).toBe(true);
    await screenshot(page, '22-ticks-read');
  });

  it('shows a photo the aspirant sends inline, and full size in a lightbox', async () => {
    const phone = newPhone();
    await aspirantWrites(phone, { body: 'Hola, soy Paula', profileName: 'Paula Photo' });
    const page = await recruiterPage();
    await page.getByRole('listbox', { name: 'Conversations' }).getByRole('option').filter({ hasText: 'Paula Photo' }).click();
    await messageBubble(page, 'Hola, soy Paula').waitFor();
    await eventually('the conversation is live', async () => (await page.locator('.connection').getAttribute('data-status')) === 'live');

    const photo = twilio.addMedia(await solidImage('jpeg', 320, 480), 'image/jpeg');
    await aspirantWrites(phone, { body: 'Mi foto de perfil', profileName: 'Paula Photo', media: [{ url: photo, contentType: 'image/jpeg' }] });
    const image = messageBubble(page, 'Mi foto de perfil').locator('.media__photo img');
    await image.waitFor({ timeout: 15_000 });
    await eventually('the photo has loaded', () => image.evaluate(imageLoaded));

    await messageBubble(page, 'Mi foto de perfil').getByRole('button', { name: 'Open photo' }).click();
    const lightbox = page.getByRole('dialog');
    await lightbox.waitFor();
    await eventually('the full photo has loaded', () => lightbox.locator('img').evaluate(imageLoaded));
    await screenshot(page, '23-photo-lightbox');
    await page.keyboard.press('Escape');
    await lightbox.waitFor({ state: 'detached' });
  });

  it('alerts a recruiter who opted in about new messages in their own conversations, and only those', async () => {
    const token = await host.tokenFor('recruiter1@example.com');
    const overTwilio = async (assignee: string) =>
      (await conversationsOf(host, token, { assignee, optedOut: false })).find((conversation) => conversation.channel === 'WHATSAPP_TWILIO')!;
    const [mine, unassigned] = [await overTwilio('MINE'), await overTwilio('UNASSIGNED')];
    const page = await recruiterPage('/settings', async (context) => {
      await context.addInitScript(recordNotifications);
    });
    await page.getByLabel('Desktop notification when the console is in the background').check();
    await page.getByLabel('Play a sound').check();
    await screenshot(page, '24-alert-settings');
    await page.getByRole('link', { name: 'Inbox' }).click();
    await page.getByRole('listbox', { name: 'Conversations' }).getByRole('option').first().waitFor();

    // Events arrive in order: once the second one has been shown, the first has been handled too.
    await aspirantWrites(unassigned.aspirant.phone, { body: 'Not yours yet' });
    await aspirantWrites(mine.aspirant.phone, { body: 'Are you there? I have a question' });
    await eventually('a notification was shown', async () => (await page.evaluate(recordedNotifications)).length > 0);
    await page.waitForTimeout(500);
    expect(await page.evaluate(recordedNotifications)).toEqual([
      { title: `New message from ${mine.aspirant.displayName}`, body: 'Are you there? I have a question' },
    ]);
  });

  it('passes a conversation from the bot to a recruiter and back, and shows the form the aspirant submits live', async () => {
    const phone = newPhone();
    await aspirantWrites(phone, { body: 'Hola! Quiero trabajar como modelo', profileName: 'Flor Formulario' });
    const page = await recruiterPage();
    await page.getByRole('listbox', { name: 'Conversations' }).getByRole('option').filter({ hasText: 'Flor Formulario' }).click();
    await page.locator('.message--bot').first().waitFor();
    const banner = page.locator('.bot-banner');
    await banner.getByText('The bot is handling this conversation').waitFor();

    await banner.getByRole('button', { name: 'Take over' }).click();
    await banner.getByText('Bot paused').waitFor();

    await page.getByRole('button', { name: 'Send form link' }).click();
    const formLink = page.locator('.message--recruiter a[href*="/apply/"]').first();
    await formLink.waitFor();
    expect(await formLink.getAttribute('rel')).toBe('noopener noreferrer');
    const token = new URL((await formLink.getAttribute('href'))!).pathname.split('/').pop()!;

    // The aspirant fills in the form; the panel beside the conversation shows it without a reload.
    const submitted = await fetch(`${host.url}/api/forms/${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        fullName: 'Flor Formulario Díaz',
        dateOfBirth: '2001-04-12',
        city: 'Guadalajara',
        heightCm: 172,
        shiftPreferences: [
          { day: 'SAT', window: 'MORNING' },
          { day: 'SUN', window: 'AFTERNOON' },
        ],
        consents: { dataProcessing: true, whatsappContact: true },
      }),
    });
    expect(submitted.status).toBe(200);
    const panel = page.getByRole('complementary', { name: 'Aspirant details' });
    await panel.getByText('Guadalajara').waitFor();
    await panel.getByText('172 cm').waitFor();
    expect(await panel.getByRole('cell', { name: 'Sat Morning: available' }).count()).toBe(1);
    await panel.getByRole('heading', { name: 'Flor Formulario Díaz' }).waitFor();
    await screenshot(page, '25-form-submitted-live');

    await page.getByRole('button', { name: 'Request photos' }).click();
    await eventually('the photo request is in the thread', async () => (await page.locator('.message--recruiter').count()) >= 2);

    await banner.getByRole('button', { name: 'Hand back to the bot' }).click();
    await banner.getByText('The bot is handling this conversation').waitFor({ timeout: 15_000 });
  });
});
