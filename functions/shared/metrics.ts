/**
 * The business metrics the domain reports, behind a port so the domain never depends on how they are shipped:
 * EMF through Powertools on AWS (functions/shared/powertoolsMetrics.ts), nothing locally.
 */
export interface AppMetrics {
  /** Adds `value` (default 1) to a counter. */
  count(name: MetricName, value?: number): void;
  /** Records one duration, in milliseconds. */
  duration(name: MetricName, ms: number): void;
}

export const METRICS = {
  /** New inbound messages a webhook stored (redeliveries excluded). */
  messagesIn: 'MessagesIn',
  /** Outbound messages the provider accepted. */
  messagesOut: 'MessagesOut',
  /** From an inbound message's arrival (its occurred_at) until the bot's reply to it was written. */
  botLatency: 'BotLatency',
  /** An entry's unhandled failures: thrown errors and failed jobs of a batch. */
  errors: 'Errors',
} as const;

export type MetricName = (typeof METRICS)[keyof typeof METRICS];

export const noMetrics: AppMetrics = { count() {}, duration() {} };
