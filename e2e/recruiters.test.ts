import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, startTestLocalHost, type TestLocalHost } from '../infra/local/testing.ts';
import { launchChromium, newContext, screenshot } from './support/browser.ts';

/**
 * An admin manages recruiters in the console against the real local host: adds one, who signs in with the
 * temporary password shown once, then deactivates them, after which neither their token nor their password
 * gets them in.
 */

let host: TestLocalHost;
let browser: Browser;

beforeAll(async () => {
  [host, browser] = await Promise.all([startTestLocalHost(), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
});

/** Fills the sign-in page already open in `page`. */
async function submitSignIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
}

const recruitersTable = (page: Page) => page.getByRole('table', { name: 'Recruiters' });

describe('managing recruiters in the console', () => {
  it('adds a recruiter who signs in with the temporary password, and deactivates them so they cannot sign in again', async () => {
    const context = await newContext(browser);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: host.url });
    const page = await context.newPage();
    await page.goto(`${host.url}/settings`);
    await submitSignIn(page, 'admin@example.com', DEMO_PASSWORD);

    const form = page.getByRole('form', { name: 'Add a recruiter' });
    await form.getByLabel('Name').fill('Nina Nueva');
    await form.getByLabel('Email').fill('Nina.Nueva@Agency.Example');
    await form.getByLabel('Role').selectOption({ label: 'Recruiter' });
    await form.getByRole('button', { name: 'Add recruiter' }).click();

    const shown = page.getByLabel('Temporary password', { exact: true });
    await shown.waitFor();
    const temporaryPassword = (await shown.textContent()) ?? '';
    expect(temporaryPassword).toMatch(/^\S{20}$/);
    await page.getByRole('button', { name: 'Copy' }).click();
    await page.getByText('Copied.').waitFor();
    expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(temporaryPassword);
    const ninaRow = recruitersTable(page).getByRole('row').filter({ hasText: 'nina.nueva@agency.example' });
    await expect(ninaRow.textContent()).resolves.toContain('Active');
    await screenshot(page, 'recruiters-01-temporary-password');

    await signOut(page);
    await submitSignIn(page, 'nina.nueva@agency.example', temporaryPassword);
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await screenshot(page, 'recruiters-02-new-recruiter-signed-in');
    const ninaToken = await tokenOf('nina.nueva@agency.example', temporaryPassword);
    expect((await host.graphql<{ data: { me: { email: string } } }>(ninaToken, '{ me { email } }')).body.data.me.email).toBe('nina.nueva@agency.example');
    await signOut(page);

    await submitSignIn(page, 'admin@example.com', DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await page.goto(`${host.url}/settings`);
    page.once('dialog', (dialog) => void dialog.accept());
    await recruitersTable(page).getByRole('button', { name: 'Deactivate Nina Nueva' }).click();
    await recruitersTable(page).getByRole('button', { name: 'Activate Nina Nueva' }).waitFor();
    await expect(ninaRow.textContent()).resolves.toContain('Deactivated');
    await screenshot(page, 'recruiters-03-deactivated');

    const refused = await host.graphql<{ data: unknown; errors?: { errorType: string }[] }>(ninaToken, '{ me { email } }');
    expect(refused.body.errors?.[0]?.errorType).toBe('UnauthorizedException');
    await signOut(page);
    await submitSignIn(page, 'nina.nueva@agency.example', temporaryPassword);
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Wrong email or password');
    await screenshot(page, 'recruiters-04-sign-in-refused');
    await context.close();
  });

  it("offers no button to deactivate the admin's own account", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(`${host.url}/settings`);
    await submitSignIn(page, 'admin@example.com', DEMO_PASSWORD);

    const ownRow = recruitersTable(page).getByRole('row').filter({ hasText: 'admin@example.com' });
    await ownRow.getByText('You').waitFor();
    expect(await ownRow.getByRole('button').count()).toBe(0);
    await context.close();
  });
});

async function tokenOf(email: string, password: string): Promise<string> {
  const response = await fetch(`${host.url}/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: email, password }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { idToken: string }).idToken;
}
