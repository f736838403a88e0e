import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subscriptionConformance, type ConformanceTarget } from './appsync/testing/conformance.ts';
import { startTestLocalHost, type TestLocalHost } from './testing.ts';

describe('an AppSync client nobody here wrote (Apollo Client 4 + aws-appsync-subscription-link) against the local host', () => {
  let host: TestLocalHost;
  let target: ConformanceTarget;

  beforeAll(async () => {
    host = await startTestLocalHost();
    const recruiter1 = await host.tokenFor('recruiter1@example.com');
    const recruiter2 = await host.tokenFor('recruiter2@example.com');
    // A demo conversation of recruiter1's whose 24-hour window is still open, so a reply may be sent.
    const inbox = await host.graphql<{ data: { inbox: { nodes: { id: string }[] } } }>(recruiter1,
      '{ inbox(first: 100, filter: { assignee: MINE, window: OPEN, optedOut: false }) { nodes { id } } }');
    const conversationId = inbox.body.data.inbox.nodes[0]?.id;
    if (!conversationId) throw new Error('the demo seed has no open conversation assigned to recruiter1');
    target = { graphqlUrl: host.graphqlUrl, conversationId, inScopeToken: recruiter1, outOfScopeToken: recruiter2 };
  });

  afterAll(() => host?.close());

  it('delivers what sendMessage publishes to the assigned recruiter, and refuses and withholds it from another recruiter', async () => {
    const { outsiderMessageErrors } = await subscriptionConformance(target);
    // The real resolver refuses the out-of-scope subscription outright, as AppSync reports a resolver error.
    expect(inspect(outsiderMessageErrors, { depth: 8 })).toMatch(/Unauthorized|Not Authorized/i);
  });
});
