import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestLocalHost, type TestLocalHost } from '../infra/local/testing.ts';
import { addDays, funnelStageLabels, responseTimeText } from '../web/src/features/dashboard/lib/figures.ts';
import type { Dashboard } from '../web/src/generated/graphql.ts';
import { eventually, launchChromium, newContext, screenshot } from './support/browser.ts';
import { signIn } from './support/console.ts';

/** The dashboard in Chromium over the demo agency: the figures on screen are the API's, for the range shown. */

let host: TestLocalHost;
let browser: Browser;

beforeAll(async () => {
  [host, browser] = await Promise.all([startTestLocalHost(), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
});

async function dashboardThroughApi(token: string, from: string, through: string): Promise<Dashboard> {
  const { body } = await host.graphql<{ data: { dashboard: Dashboard } }>(
    token,
    `query ($range: DateRangeInput!) {
       dashboard(range: $range) {
         funnel { stage aspirants } medianFirstResponseSeconds medianFirstRecruiterResponseSeconds botMessages recruiterMessages botShare
       }
     }`,
    { range: { from, to: addDays(through, 1) } },
  );
  return body.data.dashboard;
}

/** The funnel table's rows as [stage label, aspirants], once the page shows figures. */
async function funnelTable(page: Page): Promise<[string, number][]> {
  const rows = page.getByRole('table').getByRole('row');
  const cells = await rows.evaluateAll((elements) =>
    elements.slice(1).map((row) => [row.querySelector('th')?.textContent ?? '', Number(row.querySelector('td')?.textContent)] as [string, number]),
  );
  return cells;
}

describe('the dashboard', () => {
  it("shows an admin the demo agency's funnel, response times and bot share as the API computes them", async () => {
    const context = await newContext(browser);
    const page = await signIn(context, host, 'admin@example.com', '/dashboard');
    await page.getByRole('heading', { name: 'Funnel' }).waitFor();
    await eventually('the figures are loaded', async () => (await page.locator('main[aria-busy="true"]').count()) === 0);

    const from = await page.getByLabel('From', { exact: true }).inputValue();
    const through = await page.getByLabel('Through', { exact: true }).inputValue();
    expect(addDays(from, 29)).toBe(through);
    const expected = await dashboardThroughApi(await host.tokenFor('admin@example.com'), from, through);
    // The demo agency's aspirants all first wrote in the last days, and some got all the way.
    expect(expected.funnel[0]!.aspirants).toBeGreaterThanOrEqual(30);
    expect(expected.funnel.at(-1)!.aspirants).toBeGreaterThan(0);

    const stages = page.getByRole('region', { name: 'Funnel' }).getByRole('listitem');
    expect(await stages.count()).toBe(expected.funnel.length);
    for (const [index, stage] of expected.funnel.entries()) {
      expect(await stages.nth(index).innerText()).toMatch(new RegExp(`^${funnelStageLabels[stage.stage]}\\s+${stage.aspirants} \\(`));
    }
    await page.getByText('Funnel as a table').click();
    expect(await funnelTable(page)).toEqual(expected.funnel.map((stage) => [funnelStageLabels[stage.stage], stage.aspirants]));

    const figure = (term: string) => page.locator('dt', { hasText: new RegExp(`^\\s*${term}\\s*$`) }).locator('xpath=following-sibling::dd');
    expect(await figure('First answer \\(bot or recruiter\\)').innerText()).toBe(responseTimeText(expected.medianFirstResponseSeconds));
    expect(await figure('First recruiter answer').innerText()).toBe(responseTimeText(expected.medianFirstRecruiterResponseSeconds));
    expect(await figure('Bot').innerText()).toMatch(new RegExp(`^${expected.botMessages} messages`));
    expect(await figure('Recruiters').innerText()).toMatch(new RegExp(`^${expected.recruiterMessages} messages`));
    await screenshot(page, 'dashboard-admin');

    // A start after the end is explained, not asked for.
    await page.getByLabel('From', { exact: true }).fill(addDays(through, 1));
    await page.getByRole('alert').filter({ hasText: 'The end date must not be before the start date.' }).waitFor();
    await context.close();
  });
});
