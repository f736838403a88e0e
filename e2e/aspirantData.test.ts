import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AspirantExport } from '../functions/domain/aspirantData.ts';
import { startTestLocalHost, type TestLocalHost } from '../infra/local/testing.ts';
import { eventually, launchChromium, newContext, screenshot } from './support/browser.ts';
import { conversationsOf, signIn } from './support/console.ts';

/**
 * An aspirant's data rights in the console: an admin exports the aspirant's data as a JSON file, then erases
 * them after typing their phone number; the conversation leaves every console at once, a recruiter's too.
 */

let host: TestLocalHost;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  [host, browser] = await Promise.all([startTestLocalHost(), launchChromium()]);
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await host?.close();
});

async function context(): Promise<BrowserContext> {
  const created = await newContext(browser);
  contexts.push(created);
  return created;
}

const waitUntilLive = (page: Page) => eventually('the console is live', async () => (await page.locator('.connection').getAttribute('data-status')) === 'live');
const inboxRow = (page: Page, conversationId: string) => page.locator(`[id="conversation-${conversationId}"]`);
const panel = (page: Page) => page.getByRole('complementary', { name: 'Aspirant details' });

describe("an aspirant's data rights", () => {
  it('exports the data as JSON, erases the aspirant after confirmation, and every console drops the conversation live', async () => {
    const recruiterToken = await host.tokenFor('recruiter1@example.com');
    const adminToken = await host.tokenFor('admin@example.com');
    // The newest conversation recruiter 1 sees: the top row of their inbox.
    const [conversation] = await conversationsOf(host, recruiterToken, { assignee: 'ALL' });
    const { aspirant } = conversation!;
    const { body: thread } = await host.graphql<{ data: { thread: { nodes: { body: string | null }[] } } }>(
      adminToken,
      'query ($id: ID!) { thread(conversationId: $id, first: 100) { nodes { body } } }',
      { id: conversation!.id },
    );
    const bodies = thread.data.thread.nodes.flatMap((message) => (message.body ? [message.body] : []));
    expect(bodies.length).toBeGreaterThan(0);

    const recruiter = await signIn(await context(), host, 'recruiter1@example.com', `/conversations/${conversation!.id}`);
    await panel(recruiter).getByRole('button', { name: 'Export data (JSON)' }).waitFor();
    expect(await panel(recruiter).getByRole('button', { name: 'Erase aspirant…' }).count()).toBe(0);
    await waitUntilLive(recruiter);
    await inboxRow(recruiter, conversation!.id).waitFor();

    const admin = await signIn(await context(), host, 'admin@example.com', `/conversations/${conversation!.id}`);
    await waitUntilLive(admin);
    const [download] = await Promise.all([admin.waitForEvent('download'), panel(admin).getByRole('button', { name: 'Export data (JSON)' }).click()]);
    expect(download.suggestedFilename()).toBe(`aspirant-${aspirant.id}.json`);
    const exported = JSON.parse(await readFile((await download.path())!, 'utf8')) as AspirantExport;
    expect(exported.aspirant).toMatchObject({ id: aspirant.id, phone: aspirant.phone });
    expect(exported.conversations.flatMap((exportedConversation) => exportedConversation.messages.map((message) => message.body))).toEqual(expect.arrayContaining(bodies));

    await panel(admin).getByRole('button', { name: 'Erase aspirant…' }).click();
    const dialog = admin.getByRole('dialog', { name: `Erase ${aspirant.displayName}?` });
    const erase = dialog.getByRole('button', { name: 'Erase permanently' });
    const confirmation = dialog.getByLabel(/^Type the phone number/);
    await confirmation.fill('+1 000 000 0000');
    expect(await erase.isDisabled()).toBe(true);
    await confirmation.fill(aspirant.phone);
    expect(await erase.isEnabled()).toBe(true);
    await screenshot(admin, 'aspirant-data-01-erase-confirmation');
    await erase.click();

    await eventually('the admin is back at the inbox without the conversation', async () => new URL(admin.url()).pathname === '/' && (await inboxRow(admin, conversation!.id).count()) === 0);
    await eventually("the recruiter's console dropped the open conversation", async () => new URL(recruiter.url()).pathname === '/' && (await inboxRow(recruiter, conversation!.id).count()) === 0);
    await screenshot(recruiter, 'aspirant-data-02-recruiter-after-erasure');
    const { body: after } = await host.graphql<{ data: { aspirant: unknown } }>(adminToken, 'query ($id: ID!) { aspirant(id: $id) { id } }', { id: aspirant.id });
    expect(after.data.aspirant).toBeNull();
  });
});
