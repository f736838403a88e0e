/**
 * Benchmark knobs (BENCH_*) from the environment, for shorter or different runs. Unset or empty means the
 * default; anything else must parse, or the run stops before it starts with the variable's name in the error.
 */

function setting(name: string): string | undefined {
  const text = process.env[name];
  return text === undefined || text === '' ? undefined : text;
}

/** A number > 0, or with `whole` a whole number ≥ `minimum` (default 1). */
export function envNumber(name: string, fallback: number, options: { readonly whole?: boolean; readonly minimum?: number } = {}): number {
  const text = setting(name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (options.whole) {
    const minimum = options.minimum ?? 1;
    if (!Number.isInteger(value) || value < minimum) throw new Error(`${name}: expected a whole number ≥ ${minimum}, got ${JSON.stringify(text)}`);
  } else if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`${name}: expected a positive number, got ${JSON.stringify(text)}`);
  }
  return value;
}

/** Positive whole numbers separated by commas. */
export function envWholeNumbers(name: string, fallback: readonly number[]): number[] {
  const text = setting(name);
  if (text === undefined) return [...fallback];
  const values = text.split(',').map((part) => Number(part.trim()));
  if (values.some((value) => !Number.isInteger(value) || value <= 0)) throw new Error(`${name}: expected positive whole numbers separated by commas, got ${JSON.stringify(text)}`);
  return values;
}

/** Names from `choices` separated by commas. */
export function envChoices<Choice extends string>(name: string, choices: readonly Choice[], fallback: readonly Choice[]): Choice[] {
  const text = setting(name);
  if (text === undefined) return [...fallback];
  const names = text.split(',').map((part) => part.trim()).filter((part) => part !== '');
  const unknown = names.filter((part) => !(choices as readonly string[]).includes(part));
  if (unknown.length > 0 || names.length === 0) throw new Error(`${name}: unknown ${JSON.stringify(text)}; choose from ${choices.join(', ')}`);
  return names as Choice[];
}
