import type { BrowserContext, Page } from 'playwright-core';
import { DEMO_PASSWORD, type TestLocalHost } from '../../infra/local/testing.ts';

/** Signs a demo user in through the sign-in page (on `path`) and waits for the console. */
export async function signIn(context: BrowserContext, host: Pick<TestLocalHost, 'url'>, email: string, path = '/', password = DEMO_PASSWORD): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${host.url}${path}`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  return page;
}

export interface ConversationSummary {
  readonly id: string;
  readonly channel: 'WHATSAPP_TWILIO' | 'WHATSAPP_META';
  readonly aspirant: { readonly id: string; readonly displayName: string; readonly phone: string; readonly assignee: { readonly id: string } | null };
}

/** Conversations through the API, as the given user sees them. */
export async function conversationsOf(host: TestLocalHost, token: string, filter: Record<string, unknown>): Promise<ConversationSummary[]> {
  const { body } = await host.graphql<{ data: { inbox: { nodes: ConversationSummary[] } } }>(
    token,
    `query ($filter: InboxFilter) { inbox(filter: $filter, first: 100) { nodes { id channel aspirant { id displayName phone assignee { id } } } } }`,
    { filter },
  );
  return body.data.inbox.nodes;
}

/** A recruiter's message through the API (what another console, or a retry, would send). */
export async function sendThroughApi(host: TestLocalHost, token: string, conversationId: string, body: string): Promise<string> {
  const { body: answer } = await host.graphql<{ data: { sendMessage: { id: string } } | null; errors?: unknown }>(
    token,
    `mutation ($input: SendMessageInput!) { sendMessage(input: $input) { id } }`,
    { input: { conversationId, body, idempotencyKey: `e2e-${Date.now()}-${Math.random().toString(36).slice(2)}` } },
  );
  if (!answer.data) throw new Error(`sendMessage failed: ${JSON.stringify(answer.errors)}`);
  return answer.data.sendMessage.id;
}

export const messageBubble = (page: Page, text: string) => page.locator('.message').filter({ hasText: text });
