import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Outbound throughput per sender number (WhatsApp's default is 80 messages a second; beyond it Twilio queues
 * and then fails, and Meta answers error 130429). A token bucket per key: a burst of up to one second's worth,
 * then `ratePerSecond` steady.
 *
 * In-process: it caps what this process sends. The local host runs one worker, so that is the cap. On AWS
 * every concurrently running sender Lambda would hold its own bucket; there the sender's reserved
 * concurrency (or a bucket kept in the database) must bound the total — the AWS wiring's concern.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly ratePerSecond: number,
    private readonly now: () => number = Date.now,
  ) {
    if (!Number.isFinite(ratePerSecond) || ratePerSecond <= 0) throw new RangeError('ratePerSecond: must be a positive number');
  }

  /**
   * Resolves when `key` may send one more message. Callers that find the bucket empty are given the next tokens
   * in the order they asked: the balance goes negative and each waits for its own turn.
   */
  async take(key: string): Promise<void> {
    const capacity = Math.max(1, this.ratePerSecond);
    const at = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: capacity, at };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((at - bucket.at) / 1000) * this.ratePerSecond) - 1;
    bucket.at = at;
    this.buckets.set(key, bucket);
    if (bucket.tokens < 0) await sleep((-bucket.tokens / this.ratePerSecond) * 1000);
  }
}
