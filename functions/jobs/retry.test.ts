import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeFailure, MAX_FAILURE_LENGTH } from './failure.ts';
import { DEFAULT_RETRY_POLICY, retryDelayMs, retryPolicy } from './retry.ts';

describe('retry backoff', () => {
  it('waits a uniformly jittered time within a cap that doubles per failed attempt up to the maximum', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 60_000 }),
        fc.integer({ min: 0, max: 3_600_000 }),
        fc.integer({ min: 1, max: 60 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (baseMs, extraMs, attempt, draw) => {
          const policy = { baseMs, maxMs: baseMs + extraMs, maxAttempts: 8 };
          const cap = Math.min(policy.maxMs, baseMs * 2 ** (attempt - 1));
          const delay = retryDelayMs(policy, attempt, () => draw);
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThanOrEqual(cap);
          expect(Math.abs(delay - draw * cap)).toBeLessThanOrEqual(0.5);
        },
      ),
    );
  });

  it('grows the cap from the base to the maximum with the defaults', () => {
    const caps = Array.from({ length: 10 }, (_, index) => retryDelayMs(DEFAULT_RETRY_POLICY, index + 1, () => 1));
    expect(caps).toEqual([5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 320_000, 640_000, 900_000, 900_000]);
    expect(retryDelayMs(DEFAULT_RETRY_POLICY, 100_000, () => 0.999)).toBe(899_100);
    expect(DEFAULT_RETRY_POLICY.maxAttempts).toBe(8);
  });

  it('refuses a policy that cannot work', () => {
    expect(() => retryPolicy({ baseMs: -1 })).toThrow('retry.baseMs');
    expect(() => retryPolicy({ baseMs: 10, maxMs: 5 })).toThrow('retry.maxMs');
    expect(() => retryPolicy({ maxAttempts: 1.5 })).toThrow('retry.maxAttempts');
    expect(retryPolicy({ maxAttempts: 3 })).toEqual({ ...DEFAULT_RETRY_POLICY, maxAttempts: 3 });
  });
});

describe('stored failure descriptions', () => {
  it('keeps the name and message and masks what carries secrets', () => {
    const error = new TypeError(
      'GET https://AC123:authtoken@api.twilio.com/2010-04-01/Media/ME1?Signature=abc&X-Amz-Credential=key#frag failed; ' +
        'Authorization: Bearer eyJhbGciOi.payload.sig; api_key=sk_live_123, "password": "hunter2", secretToken=xyz (retry)',
    );
    expect(describeFailure(error)).toBe(
      'TypeError: GET https://api.twilio.com/2010-04-01/Media/ME1?… failed; ' +
        'Authorization: [redacted] [redacted]; api_key=[redacted], "password": "[redacted]", secretToken=[redacted] (retry)',
    );
  });

  it('leaves out the stack and the cause, and cuts long messages', () => {
    const error = new Error('x'.repeat(5_000), { cause: new Error('token=inner') });
    const described = describeFailure(error);
    expect(described).toHaveLength(MAX_FAILURE_LENGTH);
    expect(described).not.toContain('inner');
    expect(described).not.toContain('at ');
    expect(describeFailure('plain string')).toBe('thrown value: plain string');
  });
});
