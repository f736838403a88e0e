import { afterEach, describe, expect, it, vi } from 'vitest';
import { envChoices, envNumber, envWholeNumbers } from './env.ts';

afterEach(() => vi.unstubAllEnvs());

describe('benchmark knobs from the environment', () => {
  it('falls back to the default when unset or empty', () => {
    vi.stubEnv('BENCH_TEST_KNOB', '');
    expect(envNumber('BENCH_TEST_KNOB', 7)).toBe(7);
    expect(envWholeNumbers('BENCH_TEST_UNSET', [1, 2])).toEqual([1, 2]);
    expect(envChoices('BENCH_TEST_UNSET', ['a', 'b'], ['b'])).toEqual(['b']);
  });

  it('reads what is set', () => {
    vi.stubEnv('BENCH_TEST_KNOB', '2.5');
    expect(envNumber('BENCH_TEST_KNOB', 7)).toBe(2.5);
    vi.stubEnv('BENCH_TEST_KNOB', '0');
    expect(envNumber('BENCH_TEST_KNOB', 7, { whole: true, minimum: 0 })).toBe(0);
    vi.stubEnv('BENCH_TEST_KNOB', '100, 250');
    expect(envWholeNumbers('BENCH_TEST_KNOB', [])).toEqual([100, 250]);
    vi.stubEnv('BENCH_TEST_KNOB', 'b,a');
    expect(envChoices('BENCH_TEST_KNOB', ['a', 'b'], ['a'])).toEqual(['b', 'a']);
  });

  it('refuses what does not parse, naming the variable', () => {
    vi.stubEnv('BENCH_TEST_KNOB', 'fast');
    expect(() => envNumber('BENCH_TEST_KNOB', 7)).toThrow(/BENCH_TEST_KNOB: expected a positive number/);
    vi.stubEnv('BENCH_TEST_KNOB', '1.5');
    expect(() => envNumber('BENCH_TEST_KNOB', 7, { whole: true })).toThrow(/whole number ≥ 1/);
    vi.stubEnv('BENCH_TEST_KNOB', '100,-5');
    expect(() => envWholeNumbers('BENCH_TEST_KNOB', [])).toThrow(/positive whole numbers/);
    vi.stubEnv('BENCH_TEST_KNOB', 'a,c');
    expect(() => envChoices('BENCH_TEST_KNOB', ['a', 'b'], ['a'])).toThrow(/choose from a, b/);
  });
});
