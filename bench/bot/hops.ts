import { LatencyHistogram, type LatencySummary } from '../lib/histogram.ts';
import type { JobTimes } from './jobTrace.ts';

/**
 * One newcomer's "Hola" on its way to the bot's answer, every time on the generator's clock
 * (performance.now()): the webhook POST, its acknowledgement, the bot.event jobs the webhook enqueued, the
 * message.send jobs of the bot's messages in the order the bot said them, and when the provider received each.
 */
export interface AspirantTimeline {
  readonly postedAt: number;
  readonly acknowledgedAt: number;
  readonly botEvents: readonly JobTimes[];
  readonly sends: readonly JobTimes[];
  readonly receivedAt: readonly number[];
}

/** The hops of the path to the first reply, in order; each is the time from the previous point to the next. */
export const HOPS = [
  'webhook POST → its transaction committed',
  'committed → first bot.event claimed',
  'bot.event claimed → bot transaction committed',
  'bot committed → welcome message.send claimed',
  'message.send claimed → provider received the welcome',
] as const;

export interface HopBreakdown {
  /** Per hop, over the aspirants where both ends were seen. */
  readonly hops: Record<(typeof HOPS)[number], LatencySummary>;
  readonly acknowledged: LatencySummary;
  /** The second message (the form link): from the first reply's arrival, and its send job's claim after the bot committed. */
  readonly welcomeToFormLink: LatencySummary;
  readonly formLinkSendClaimedAfterBotCommit: LatencySummary;
  /** How long the worker's slot was taken, claim to recorded success: every bot.event (sends it ran included), every send. */
  readonly botEventRun: LatencySummary;
  readonly sendRun: LatencySummary;
}

const minimum = (values: readonly (number | undefined)[]): number | undefined => {
  const known = values.filter((value): value is number => value !== undefined);
  return known.length === 0 ? undefined : Math.min(...known);
};

/** The points of one timeline on the way to the first reply, undefined where the trace did not see one. */
function points(timeline: AspirantTimeline): (number | undefined)[] {
  const welcome = timeline.sends[0];
  return [
    timeline.postedAt,
    minimum(timeline.botEvents.map((job) => job.committedAt)),
    minimum(timeline.botEvents.map((job) => job.claimedAt)),
    welcome?.committedAt,
    welcome?.claimedAt,
    timeline.receivedAt[0],
  ];
}

export function hopBreakdown(timelines: readonly AspirantTimeline[]): HopBreakdown {
  const hops = HOPS.map(() => new LatencyHistogram());
  const acknowledged = new LatencyHistogram();
  const welcomeToFormLink = new LatencyHistogram();
  const formLinkClaim = new LatencyHistogram();
  const botEventRun = new LatencyHistogram();
  const sendRun = new LatencyHistogram();
  const record = (histogram: LatencyHistogram, from: number | undefined, to: number | undefined) => {
    if (from !== undefined && to !== undefined) histogram.recordMs(to - from);
  };
  for (const timeline of timelines) {
    const at = points(timeline);
    HOPS.forEach((_hop, index) => record(hops[index]!, at[index], at[index + 1]));
    record(acknowledged, timeline.postedAt, timeline.acknowledgedAt);
    record(welcomeToFormLink, timeline.receivedAt[0], timeline.receivedAt[1]);
    record(formLinkClaim, timeline.sends[1]?.committedAt, timeline.sends[1]?.claimedAt);
    for (const job of timeline.botEvents) record(botEventRun, job.claimedAt, job.doneAt);
    for (const job of timeline.sends) record(sendRun, job.claimedAt, job.doneAt);
  }
  return {
    hops: Object.fromEntries(HOPS.map((hop, index) => [hop, hops[index]!.summary()])) as HopBreakdown['hops'],
    acknowledged: acknowledged.summary(),
    welcomeToFormLink: welcomeToFormLink.summary(),
    formLinkSendClaimedAfterBotCommit: formLinkClaim.summary(),
    botEventRun: botEventRun.summary(),
    sendRun: sendRun.summary(),
  };
}
