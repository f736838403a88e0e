import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from './histogram.ts';
import { runOpenLoad, timeSequential } from './openLoad.ts';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('open-model load', () => {
  it('fires at the fixed rate even when every request is slower than the interval', async () => {
    const started: number[] = [];
    const result = await runOpenLoad({
      ratePerSecond: 200,
      durationMs: 500,
      fire: async () => {
        started.push(performance.now());
        await sleep(50);
      },
    });
    expect(result.offered).toBe(100);
    expect(result.completed).toBe(100);
    // A closed loop of one would need 100 × 50 ms = 5 s; the open model overlaps them.
    expect(result.elapsedMs).toBeLessThan(1_500);
    // Timers may fire a fraction of a millisecond early; the point is that each latency includes the 50 ms.
    expect(result.latency.summary().p50).toBeGreaterThanOrEqual(45);
    expect(started.at(-1)! - started[0]!).toBeGreaterThan(400);
  });

  it('counts failures and requests beyond the in-flight cap as errors, not latencies', async () => {
    const result = await runOpenLoad({
      ratePerSecond: 100,
      durationMs: 200,
      maxInFlight: 5,
      fire: async (index) => {
        await sleep(1_000);
        if (index % 2 === 0) throw new Error(`request ${index} refused`);
      },
    });
    expect(result.offered).toBe(20);
    expect(result.dropped).toBe(15);
    expect(result.errors).toBe(3);
    expect(result.completed).toBe(2);
    expect(result.firstErrors[0]).toBe('request 0 refused');
  });
});

describe('latency histogram', () => {
  it('reads back percentiles in milliseconds to three significant digits', () => {
    const histogram = new LatencyHistogram();
    for (let ms = 1; ms <= 100; ms += 1) histogram.recordMs(ms);
    const summary = histogram.summary();
    expect(summary.count).toBe(100);
    expect(summary.p50).toBeCloseTo(50, 0);
    expect(summary.p99).toBeCloseTo(99, 0);
    expect(summary.max).toBeCloseTo(100, 0);
  });

  it('times sequential requests after an unrecorded warm-up', async () => {
    let calls = 0;
    const histogram = await timeSequential(5, 3, async () => {
      calls += 1;
      await sleep(2);
    });
    expect(calls).toBe(8);
    expect(histogram.count).toBe(5);
    expect(histogram.summary().p50).toBeGreaterThanOrEqual(1.5);
  });
});
