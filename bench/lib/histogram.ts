import * as hdr from 'hdr-histogram-js';

/** Latency percentiles in milliseconds, as every benchmark reports them. */
export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p90: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

/**
 * An HDR histogram of latencies recorded in microseconds (3 significant digits, 1 µs .. 10 min), read back in
 * milliseconds. The pure-JS implementation: no WebAssembly start-up cost inside a benchmark.
 */
export class LatencyHistogram {
  private readonly histogram = hdr.build({
    bitBucketSize: 64,
    lowestDiscernibleValue: 1,
    highestTrackableValue: 600_000_000,
    numberOfSignificantValueDigits: 3,
    useWebAssembly: false,
  });

  recordMs(ms: number): void {
    this.histogram.recordValue(Math.max(1, Math.round(ms * 1000)));
  }

  get count(): number {
    return this.histogram.totalCount;
  }

  summary(): LatencySummary {
    const at = (percentile: number) => round(this.histogram.getValueAtPercentile(percentile) / 1000);
    return {
      count: this.histogram.totalCount,
      p50: at(50),
      p90: at(90),
      p95: at(95),
      p99: at(99),
      max: round(this.histogram.maxValue / 1000),
      mean: round(this.histogram.mean / 1000),
    };
  }
}

const round = (ms: number): number => Math.round(ms * 100) / 100;
