import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestLocalHost, type TestLocalHost } from '../infra/local/testing.ts';
import { eventually, launchChromium, newContext, screenshot } from './support/browser.ts';
import { type ConversationSummary, conversationsOf, messageBubble, sendThroughApi, signIn } from './support/console.ts';
import { hostileScriptRan } from './support/inPage.ts';

/**
 * The recruiter console in Chromium against the real local host (fresh data directory, in-memory
 * PostgreSQL, the demo agency): what a recruiter sees and does, and what must never go wrong — nothing
 * missed after a dropped connection, nothing sent twice, nothing from an aspirant run as code.
 */

let host: TestLocalHost;
let browser: Browser;
let tokens: { admin: string; recruiter1: string; recruiter2: string };
/** Recruiter 1's own conversations whose window is open, one per test that writes, so tests stay independent. */
let writable: ConversationSummary[];
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  [host, browser] = await Promise.all([startTestLocalHost(), launchChromium()]);
  tokens = {
    admin: await host.tokenFor('admin@example.com'),
    recruiter1: await host.tokenFor('recruiter1@example.com'),
    recruiter2: await host.tokenFor('recruiter2@example.com'),
  };
  const openWindows = (window: string) => conversationsOf(host, tokens.recruiter1, { assignee: 'MINE', window, optedOut: false });
  writable = [...(await openWindows('OPEN')), ...(await openWindows('CLOSING'))];
  expect(writable.length).toBeGreaterThanOrEqual(5);
});

afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close();
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
});

async function context(width?: number, height?: number): Promise<BrowserContext> {
  const created = await newContext(browser, width, height);
  contexts.push(created);
  return created;
}

const liveStatus = (page: Page) => page.locator('.connection').getAttribute('data-status');
const waitUntilLive = (page: Page) => eventually('the console is live', async () => (await liveStatus(page)) === 'live');
const inboxRows = (page: Page) => page.getByRole('listbox', { name: 'Conversations' }).getByRole('option');
const composer = (page: Page) => page.getByRole('textbox', { name: /^Message to / });

async function messagesWithBody(conversationId: string, body: string): Promise<number> {
  const { body: answer } = await host.graphql<{ data: { thread: { nodes: { body: string | null }[] } } }>(
    tokens.admin,
    'query ($id: ID!) { thread(conversationId: $id, first: 100) { nodes { body } } }',
    { id: conversationId },
  );
  return answer.data.thread.nodes.filter((message) => message.body === body).length;
}

describe('the recruiter console', () => {
  it('signs a recruiter in and shows the demo inbox, live', async () => {
    const page = await signIn(await context(), host, 'recruiter1@example.com');
    const rows = inboxRows(page);
    await eventually('the inbox lists conversations', async () => (await rows.count()) >= 8);
    await waitUntilLive(page);
    await expect(page.getByRole('button', { name: 'Sign out' }).isVisible()).resolves.toBe(true);
    await screenshot(page, '01-inbox');

    // Keyboard: focus the list, move down, open with Enter.
    await page.getByRole('listbox', { name: 'Conversations' }).focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.getByRole('region', { name: 'Messages' }).waitFor();
    expect(page.url()).toMatch(/\/conversations\/[0-9a-f-]{36}$/);
    await screenshot(page, '02-conversation');
  });

  it('shows a reply at once, confirms it, and an admin watching the conversation sees it arrive', async () => {
    const conversation = writable[0]!;
    const admin = await signIn(await context(), host, 'admin@example.com', `/conversations/${conversation.id}`);
    await admin.getByRole('region', { name: 'Messages' }).waitFor();
    await waitUntilLive(admin);

    const recruiter = await signIn(await context(), host, 'recruiter1@example.com', `/conversations/${conversation.id}`);
    await waitUntilLive(recruiter);
    // Hold the server's answer back, so the optimistic message can be seen before it is confirmed.
    let release = () => {};
    await recruiter.route('**/graphql', async (route) => {
      if (route.request().postData()?.includes('mutation SendMessage')) await new Promise<void>((resolve) => (release = resolve));
      await route.continue();
    });
    const body = `Hola ${Date.now()}, ¿cuándo puedes venir al casting?`;
    await composer(recruiter).fill(body);
    await composer(recruiter).press('Control+Enter');

    const bubble = messageBubble(recruiter, body);
    await bubble.waitFor();
    expect(await bubble.getAttribute('data-message-id')).toMatch(/^optimistic-/);
    expect(await bubble.locator('.ticks').getAttribute('data-status')).toBe('SENDING');
    expect(await composer(recruiter).inputValue()).toBe('');
    await screenshot(recruiter, '03-reply-optimistic');

    release();
    await eventually('the reply is confirmed by the server', async () => /^[0-9a-f-]{36}$/.test((await bubble.getAttribute('data-message-id')) ?? ''));
    await messageBubble(admin, body).waitFor({ timeout: 5000 });
    await screenshot(admin, '04-admin-sees-reply-live');
    expect(await messagesWithBody(conversation.id, body)).toBe(1);
  });

  it('sends a message once, whatever the double clicks and retries', async () => {
    const conversation = writable[1]!;
    const page = await signIn(await context(), host, 'recruiter1@example.com', `/conversations/${conversation.id}`);
    await waitUntilLive(page);

    const doubleClicked = `Double click ${Date.now()}`;
    await composer(page).fill(doubleClicked);
    await page.getByRole('button', { name: 'Send', exact: true }).dblclick();
    await messageBubble(page, doubleClicked).waitFor();

    // The server takes the message but the answer is lost: the console offers a retry with the same key.
    const lostAnswer = `Lost answer ${Date.now()}`;
    let answersLost = 0;
    await page.route('**/graphql', async (route) => {
      if (answersLost === 0 && route.request().postData()?.includes(lostAnswer)) {
        answersLost += 1;
        await route.fetch();
        await route.abort('connectionreset');
      } else {
        await route.continue();
      }
    });
    await composer(page).fill(lostAnswer);
    await composer(page).press('Control+Enter');
    const notSent = page.getByRole('list', { name: 'Messages not sent' });
    await notSent.waitFor();
    await screenshot(page, '05-send-failed-retry');
    await notSent.getByRole('button', { name: 'Retry' }).click();
    await notSent.waitFor({ state: 'detached' });

    await eventually('the server has the retried message', async () => (await messagesWithBody(conversation.id, lostAnswer)) === 1);
    expect(await messagesWithBody(conversation.id, doubleClicked)).toBe(1);
    expect(await messagesWithBody(conversation.id, lostAnswer)).toBe(1);
    expect(answersLost).toBe(1);
    await eventually('the thread shows the message once', async () => (await messageBubble(page, lostAnswer).count()) === 1);
    await page.waitForTimeout(300);
    expect(await messageBubble(page, lostAnswer).count()).toBe(1);
  });

  it('keeps one recruiter out of another recruiter\'s conversations', async () => {
    const theirs = writable[2]!;
    const page = await signIn(await context(), host, 'recruiter2@example.com');
    await page.getByRole('searchbox', { name: 'Search by name or phone' }).fill(theirs.aspirant.displayName);
    await page.getByText('No conversations match these filters.').waitFor();

    await page.goto(`${host.url}/conversations/${theirs.id}`);
    await page.getByRole('alert').filter({ hasText: /not allowed/i }).first().waitFor();
    expect(await page.locator('.message').count()).toBe(0);
    await screenshot(page, '06-other-recruiters-conversation');
  });

  it('shows every message sent while the network was down once it comes back', async () => {
    const conversation = writable[3]!;
    const browserContext = await context();
    const page = await signIn(browserContext, host, 'recruiter1@example.com', `/conversations/${conversation.id}`);
    await waitUntilLive(page);

    await browserContext.setOffline(true);
    await eventually('the console shows it is not live', async () => ['offline', 'reconnecting'].includes((await liveStatus(page)) ?? ''));
    const meanwhile = [1, 2, 3].map((n) => `While you were offline ${n} ${Date.now()}`);
    for (const body of meanwhile) await sendThroughApi(host, tokens.admin, conversation.id, body);
    await screenshot(page, '07-offline');

    await browserContext.setOffline(false);
    await waitUntilLive(page);
    for (const body of meanwhile) await messageBubble(page, body).waitFor({ timeout: 10_000 });
    await screenshot(page, '08-back-online');
  });

  it('loads a thread whose first load failed once the connection is back', async () => {
    const conversation = writable[3]!;
    const browserContext = await context();
    // The network drops while the thread is loading (seen in CI under load): its first load fails.
    await browserContext.route('**/graphql', (route) => (/query Thread\b/.test(route.request().postData() ?? '') ? route.abort('internetdisconnected') : route.fallback()));
    const page = await signIn(browserContext, host, 'recruiter1@example.com', `/conversations/${conversation.id}`);
    await page.locator('.thread').getByText('No connection to the server').waitFor();

    await browserContext.setOffline(true);
    await eventually('the console shows it is not live', async () => ['offline', 'reconnecting'].includes((await liveStatus(page)) ?? ''));
    const body = `Sent while the thread could not load ${Date.now()}`;
    await sendThroughApi(host, tokens.admin, conversation.id, body);
    await browserContext.unroute('**/graphql');

    await browserContext.setOffline(false);
    await waitUntilLive(page);
    await messageBubble(page, body).waitFor({ timeout: 10_000 });
    expect(await page.locator('.thread').getByText('No connection to the server').count()).toBe(0);
  });

  it('shows script in a message body as text, and links only when they are http(s)', async () => {
    const conversation = writable[4]!;
    const hostile = `<script>window.__owned = 1</script><img src=x onerror="window.__owned = 2"> javascript:window.__owned=3 https://example.com/casting?ref=1`;
    await sendThroughApi(host, tokens.admin, conversation.id, hostile);
    const page = await signIn(await context(), host, 'recruiter1@example.com', `/conversations/${conversation.id}`);
    const bubble = messageBubble(page, '<script>window.__owned = 1</script>');
    await bubble.waitFor();

    expect(await bubble.locator('.message__body').innerText()).toBe(hostile);
    expect(await bubble.locator('script, img').count()).toBe(0);
    const links = bubble.locator('a');
    expect(await links.count()).toBe(1);
    expect(await links.first().getAttribute('href')).toBe('https://example.com/casting?ref=1');
    expect(await links.first().getAttribute('rel')).toBe('noopener noreferrer');
    expect(await page.evaluate(hostileScriptRan)).toBeUndefined();
    await screenshot(page, '09-script-as-text');
  });

  it('sends an expired session back to sign in and keeps the draft', async () => {
    const conversation = writable[0]!;
    const browserContext = await context();
    await browserContext.clock.install();
    const page = await signIn(browserContext, host, 'recruiter1@example.com', `/conversations/${conversation.id}`);
    await waitUntilLive(page);
    const draft = `Draft kept across sign-in ${Date.now()}`;
    await composer(page).fill(draft);

    // The local issuer's tokens last an hour.
    await page.clock.fastForward('01:00:05');
    await page.getByText('Your session expired.').waitFor();
    await screenshot(page, '10-session-expired');

    await page.clock.setSystemTime(new Date());
    await page.getByLabel('Email').fill('recruiter1@example.com');
    await page.getByLabel('Password').fill('test-demo-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await composer(page).waitFor();
    expect(await composer(page).inputValue()).toBe(draft);
  });

  it('stays usable at tablet width', async () => {
    const page = await signIn(await context(768, 1024), host, 'recruiter1@example.com');
    await inboxRows(page).first().click();
    await page.getByRole('region', { name: 'Messages' }).waitFor();
    expect(await page.getByRole('listbox', { name: 'Conversations' }).isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Aspirant details' }).click();
    await page.getByRole('heading', { name: 'Shift preferences' }).waitFor();
    await screenshot(page, '11-tablet');
    await page.getByRole('button', { name: 'Close details' }).click();
    await page.getByRole('button', { name: '← Inbox' }).click();
    await page.getByRole('listbox', { name: 'Conversations' }).waitFor();
  });

  it('narrows the inbox with filters and search, kept for the next visit', async () => {
    const page = await signIn(await context(), host, 'recruiter1@example.com');
    const rows = inboxRows(page);
    await eventually('the inbox lists conversations', async () => (await rows.count()) >= 8);
    const everything = await rows.count();

    await page.getByRole('radio', { name: 'Unassigned' }).click();
    await eventually('only unassigned conversations remain', async () => {
      const assignees = await rows.locator('.row__assignee').allInnerTexts();
      return assignees.length > 0 && assignees.length < everything && assignees.every((name) => name === 'Unassigned');
    });
    await page.getByRole('radio', { name: 'All' }).click();
    await page.getByRole('searchbox', { name: 'Search by name or phone' }).fill(writable[0]!.aspirant.displayName);
    await eventually('the search finds the aspirant', async () => (await rows.count()) >= 1 && (await rows.first().innerText()).includes(writable[0]!.aspirant.displayName));
    await page.getByRole('button', { name: 'Clear filters' }).click();

    await page.getByLabel('24-hour window').selectOption('CLOSED');
    await eventually('only closed windows remain', async () => (await rows.locator('.window--closed').count()) === (await rows.count()) && (await rows.count()) > 0);
    await page.reload();
    expect(await page.getByLabel('24-hour window').inputValue()).toBe('CLOSED');
    await page.getByRole('button', { name: 'Clear filters' }).click();
  });

  it('offers only approved templates once the window has closed, and sends one', async () => {
    const closed = (await conversationsOf(host, tokens.recruiter1, { assignee: 'MINE', window: 'CLOSED', optedOut: false }))[0]!;
    const page = await signIn(await context(), host, 'recruiter1@example.com', `/conversations/${closed.id}`);
    await page.getByText('The 24-hour window is closed').waitFor();
    expect(await composer(page).isDisabled()).toBe(true);

    await page.getByRole('button', { name: 'Templates' }).click();
    const picker = page.getByRole('form', { name: 'Approved templates' });
    await picker.getByRole('radio').first().check();
    const inputs = picker.getByRole('textbox');
    for (let index = 0; index < (await inputs.count()); index += 1) {
      if ((await inputs.nth(index).inputValue()) === '') await inputs.nth(index).fill(`valor ${index + 1}`);
    }
    const preview = await picker.locator('.templates__preview').innerText();
    expect(preview).not.toMatch(/\{\{\d+\}\}/);
    await screenshot(page, '12-template-picker');
    await picker.getByRole('button', { name: 'Send template' }).click();
    await messageBubble(page, preview).waitFor();
    await eventually('the template message is confirmed', async () => /^[0-9a-f-]{36}$/.test((await messageBubble(page, preview).getAttribute('data-message-id')) ?? ''));
  });

  it('gives an admin the recruiters, templates, bot texts, knowledge base and failed jobs', async () => {
    const page = await signIn(await context(), host, 'admin@example.com');
    await page.getByRole('link', { name: 'Settings' }).click();
    const recruiters = page.getByRole('region', { name: 'Recruiters' });
    await recruiters.getByRole('cell', { name: 'recruiter2@example.com' }).waitFor();
    await page.getByRole('region', { name: 'Approved WhatsApp templates' }).getByRole('listitem').first().waitFor();
    await page.getByRole('region', { name: 'Failed background jobs' }).getByText(/every job finished|Retry/).first().waitFor();
    await page.getByRole('region', { name: 'What the bot says' }).getByRole('textbox').first().waitFor();
    await screenshot(page, '13-admin-settings');

    const knowledge = page.getByRole('region', { name: 'Knowledge base' });
    await knowledge.getByLabel('Title').fill('Casting days');
    await knowledge.getByLabel('Language').selectOption('EN');
    await knowledge.getByLabel(/^File/).setInputFiles({ name: 'casting-days.md', mimeType: 'text/markdown', buffer: Buffer.from('# Casting days\n\nCastings are on Fridays at 10:00 in our studio.\n') });
    await knowledge.getByRole('button', { name: 'Add document' }).click();
    const row = knowledge.getByRole('row').filter({ hasText: 'Casting days' });
    await row.waitFor();
    page.once('dialog', (dialog) => void dialog.accept());
    await row.getByRole('button', { name: 'Remove' }).click();
    await row.waitFor({ state: 'detached' });
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.getByRole('heading', { name: 'Funnel' }).waitFor();
  });
});
