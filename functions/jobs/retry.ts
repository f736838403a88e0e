/** How a failing job is retried on the PostgreSQL queue (SQS retries by its visibility timeout and redrive policy). */
export interface RetryPolicy {
  /** The delay cap after the first failed attempt; it doubles with each further one. */
  readonly baseMs: number;
  /** The largest delay cap. */
  readonly maxMs: number;
  /** Attempts in all, the first included; the job is dead-lettered when the last one fails. */
  readonly maxAttempts: number;
}

/** 8 attempts over about 5 minutes on average (at most about 10): rides out a provider's brief outage. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseMs: 5_000, maxMs: 15 * 60_000, maxAttempts: 8 };

export function retryPolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  const policy = { ...DEFAULT_RETRY_POLICY, ...overrides };
  if (!Number.isFinite(policy.baseMs) || policy.baseMs < 0) throw new RangeError('retry.baseMs: must be a finite number >= 0');
  if (!Number.isFinite(policy.maxMs) || policy.maxMs < policy.baseMs) throw new RangeError('retry.maxMs: must be a finite number >= retry.baseMs');
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) throw new RangeError('retry.maxAttempts: must be an integer >= 1');
  return policy;
}

/**
 * The wait before the next attempt after attempt number `failedAttempt` (1-based) failed: exponential backoff
 * with full jitter, uniform in [0, min(maxMs, baseMs · 2^(failedAttempt − 1))]. The jitter spreads retries of
 * jobs that failed together (a provider outage) so they do not return as one burst.
 */
export function retryDelayMs(policy: RetryPolicy, failedAttempt: number, random: () => number = Math.random): number {
  const cap = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(failedAttempt - 1, 52));
  return Math.round(random() * cap);
}
