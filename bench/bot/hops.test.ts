import { describe, expect, it } from 'vitest';
import { HOPS, hopBreakdown, type AspirantTimeline } from './hops.ts';

describe('the bot path broken into hops', () => {
  const timeline: AspirantTimeline = {
    postedAt: 100,
    acknowledgedAt: 112,
    // The webhook enqueues two bot events; the first claimed one answers.
    botEvents: [
      { committedAt: 110, claimedAt: 113, doneAt: 150 },
      { committedAt: 110, claimedAt: 114, doneAt: 131 },
    ],
    sends: [
      { committedAt: 130, claimedAt: 131, doneAt: 140 },
      { committedAt: 130, claimedAt: 141, doneAt: 149 },
    ],
    receivedAt: [135, 145],
  };

  it('measures each hop from the previous point, the first bot event and the first message counting', () => {
    const breakdown = hopBreakdown([timeline]);
    // The histogram keeps three significant digits.
    const about = (ms: number) => expect.closeTo(ms, 1);
    expect(HOPS.map((hop) => breakdown.hops[hop].p50)).toEqual([10, 3, 17, 1, 4].map(about));
    expect(breakdown.acknowledged.p50).toEqual(about(12));
    expect(breakdown.welcomeToFormLink.p50).toEqual(about(10));
    expect(breakdown.formLinkSendClaimedAfterBotCommit.p50).toEqual(about(11));
    expect([breakdown.botEventRun.count, breakdown.botEventRun.max]).toEqual([2, about(37)]);
    expect([breakdown.sendRun.count, breakdown.sendRun.max]).toEqual([2, about(9)]);
  });

  it('leaves out a hop whose ends the trace did not see, and counts the others', () => {
    const unseenClaims = { ...timeline, botEvents: [{ committedAt: 110 }], sends: [{ committedAt: 130 }] };
    const breakdown = hopBreakdown([unseenClaims, timeline]);
    expect(breakdown.hops[HOPS[0]].count).toBe(2);
    expect(breakdown.hops[HOPS[1]].count).toBe(1);
    expect(breakdown.hops[HOPS[4]].count).toBe(1);
  });
});
