import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const screenshotDir = fileURLToPath(new URL('../screenshots/', import.meta.url));

/**
 * Debian's Chromium, headless. playwright-core gives every launch a fresh temporary profile
 * (user-data-dir), so no state leaks between runs; each signed-in user gets a context of their own.
 */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export async function newContext(browser: Browser, width = 1366, height = 900): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width, height }, locale: 'en-GB', timezoneId: 'UTC' });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(screenshotDir, { recursive: true });
  await page.screenshot({ path: `${screenshotDir}${name}.png` });
}

/** Waits until `condition` holds in the page (polled), failing with `what` after `timeoutMs`. */
export async function eventually(what: string, condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
