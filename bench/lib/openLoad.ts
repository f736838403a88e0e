import { LatencyHistogram } from './histogram.ts';

export interface OpenLoadOptions {
  /** Arrivals per second, fixed: a slow server cannot slow the generator down. */
  readonly ratePerSecond: number;
  readonly durationMs: number;
  /**
   * Requests still in flight beyond this are not started and count as errors (`dropped`), so an overloaded
   * server shows as failures instead of unbounded memory in the generator.
   */
  readonly maxInFlight?: number;
  /** One request; throws (or rejects) on an error. `index` counts from 0. */
  readonly fire: (index: number) => Promise<void>;
}

export interface OpenLoadResult {
  readonly offered: number;
  readonly completed: number;
  readonly errors: number;
  readonly dropped: number;
  /** Latency from each request's scheduled start (not its actual start), so generator lag counts against the server. */
  readonly latency: LatencyHistogram;
  /** How far behind schedule the generator fired, at worst (ms): large values mean the figures are suspect. */
  readonly maxScheduleLagMs: number;
  readonly firstErrors: string[];
  readonly elapsedMs: number;
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Open-model load: request i is due at start + i / rate; every due request is fired, whatever is still running. */
export async function runOpenLoad(options: OpenLoadOptions): Promise<OpenLoadResult> {
  const total = Math.round((options.ratePerSecond * options.durationMs) / 1000);
  const intervalMs = 1000 / options.ratePerSecond;
  const maxInFlight = options.maxInFlight ?? 10_000;
  const latency = new LatencyHistogram();
  const firstErrors: string[] = [];
  const pending = new Set<Promise<void>>();
  let completed = 0;
  let errors = 0;
  let dropped = 0;
  let maxScheduleLagMs = 0;
  const start = performance.now();

  for (let index = 0; index < total; index += 1) {
    const due = start + index * intervalMs;
    const wait = due - performance.now();
    if (wait > 2) await sleep(wait - 1);
    while (performance.now() < due) await tick();
    maxScheduleLagMs = Math.max(maxScheduleLagMs, performance.now() - due);
    if (pending.size >= maxInFlight) {
      dropped += 1;
      continue;
    }
    const request = options
      .fire(index)
      .then(
        () => {
          completed += 1;
          latency.recordMs(performance.now() - due);
        },
        (error: unknown) => {
          errors += 1;
          if (firstErrors.length < 5) firstErrors.push(error instanceof Error ? error.message : String(error));
        },
      )
      .finally(() => pending.delete(request));
    pending.add(request);
  }
  await Promise.all(pending);
  return { offered: total, completed, errors, dropped, latency, maxScheduleLagMs: Math.round(maxScheduleLagMs * 100) / 100, firstErrors, elapsedMs: Math.round(performance.now() - start) };
}

/** Closed loop for query latency: `count` requests one after another, after `warmup` unrecorded ones. */
export async function timeSequential(count: number, warmup: number, request: (index: number) => Promise<void>): Promise<LatencyHistogram> {
  for (let index = 0; index < warmup; index += 1) await request(index);
  const latency = new LatencyHistogram();
  for (let index = 0; index < count; index += 1) {
    const started = performance.now();
    await request(index);
    latency.recordMs(performance.now() - started);
  }
  return latency;
}
