import type { SubscriptionFilter } from '@aws-appsync/utils';
import { AppSyncError } from './errors.ts';

/**
 * AppSync's enhanced subscription filters: `{filterGroup: [{filters: [{fieldName, operator, value}]}]}`.
 * Groups are ORed, the filters of a group ANDed; a fieldName may be a dotted path into the event.
 */
export type { SubscriptionFilter };

export const filterOperators = ['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'contains', 'notContains', 'beginsWith', 'in', 'notIn', 'between', 'containsAny'] as const;
export type FilterOperator = (typeof filterOperators)[number];

interface FilterCondition {
  readonly fieldName: string;
  readonly operator: FilterOperator;
  readonly value: unknown;
}

type Conjunction = readonly FilterCondition[];

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isOperator = (value: unknown): value is FilterOperator => (filterOperators as readonly unknown[]).includes(value);

const invalidFilter = (message: string): AppSyncError => new AppSyncError(`Invalid subscription filter: ${message}`, 'ValidationError');

const combine = (left: readonly Conjunction[], right: readonly Conjunction[]): Conjunction[] =>
  left.flatMap((a) => right.map((b) => [...a, ...b]));

/** Rewrites a filter object with `and`/`or` into disjunctive normal form: a list of ANDed condition groups. */
function toConjunctions(spec: Readonly<Record<string, unknown>>, ignoredFields: ReadonlySet<string>): Conjunction[] {
  let groups: Conjunction[] = [[]];
  for (const [key, value] of Object.entries(spec)) {
    if (key === 'or' || key === 'and') {
      if (!Array.isArray(value) || !value.every(isRecord)) throw invalidFilter(`"${key}" takes a list of filter objects`);
      const parts = value.map((part) => toConjunctions(part, ignoredFields));
      groups = key === 'or' ? combine(groups, parts.flat()) : parts.reduce(combine, groups);
    } else if (!ignoredFields.has(key)) {
      if (!isRecord(value)) throw invalidFilter(`"${key}" takes an object of operators`);
      const conditions = Object.entries(value).map(([operator, operand]): FilterCondition => {
        if (!isOperator(operator)) throw invalidFilter(`unknown operator "${operator}" on "${key}"`);
        return { fieldName: key, operator, value: operand };
      });
      groups = groups.map((group) => [...group, ...conditions]);
    }
  }
  return groups;
}

/**
 * `util.transform.toSubscriptionFilter(obj, ignoredFields?, rules?)`: `or` and `and` are distributed into
 * filter groups; `rules` are alternatives of which at least one must hold, added to every group.
 */
export function toSubscriptionFilter(spec: unknown, ignoredFields: readonly string[] = [], rules?: unknown): SubscriptionFilter {
  if (!isRecord(spec)) throw invalidFilter('toSubscriptionFilter takes an object');
  let groups = toConjunctions(spec, new Set(ignoredFields));
  if (rules !== undefined && rules !== null) {
    if (!isRecord(rules)) throw invalidFilter('rules must be an object');
    const alternatives = Object.entries(rules).flatMap(([key, rule]) => toConjunctions({ [key]: rule }, new Set()));
    groups = combine(groups, alternatives);
  }
  return { filterGroup: groups.map((filters) => ({ filters })) } as SubscriptionFilter;
}

/** Checks a filter handed to `extensions.setSubscriptionFilter` and returns it in a shape the matcher trusts. */
export function checkSubscriptionFilter(filter: unknown): SubscriptionFilter {
  if (!isRecord(filter) || !Array.isArray(filter['filterGroup'])) throw invalidFilter('expected {filterGroup: [...]}');
  for (const group of filter['filterGroup']) {
    if (!isRecord(group) || !Array.isArray(group['filters'])) throw invalidFilter('each filter group needs a filters list');
    for (const condition of group['filters']) {
      if (!isRecord(condition) || typeof condition['fieldName'] !== 'string' || !isOperator(condition['operator'])) {
        throw invalidFilter('each filter needs a fieldName and a known operator');
      }
      const needsList = ['in', 'notIn', 'containsAny', 'between'].includes(condition['operator']);
      if (needsList !== Array.isArray(condition['value'])) throw invalidFilter(`"${condition['operator']}" on "${condition['fieldName']}" has the wrong kind of value`);
      if (condition['operator'] === 'between' && (condition['value'] as unknown[]).length !== 2) throw invalidFilter('"between" takes [low, high]');
    }
  }
  return filter as unknown as SubscriptionFilter;
}

function valueAt(payload: unknown, fieldName: string): unknown {
  let value: unknown = payload;
  for (const key of fieldName.split('.')) value = isRecord(value) ? value[key] : undefined;
  return value;
}

/** Equality of JSON values, as the filters compare them. */
export const sameValue = (a: unknown, b: unknown): boolean => a === b || JSON.stringify(a) === JSON.stringify(b);

function compare(actual: unknown, expected: unknown): number | undefined {
  const comparable = (typeof actual === 'number' && typeof expected === 'number') || (typeof actual === 'string' && typeof expected === 'string');
  if (!comparable) return undefined;
  return actual < expected ? -1 : actual > expected ? 1 : 0;
}

function holds(operator: FilterOperator, actual: unknown, expected: unknown): boolean {
  const order = compare(actual, expected);
  switch (operator) {
    case 'eq':
      return sameValue(actual, expected);
    case 'ne':
      return !sameValue(actual, expected);
    case 'gt':
      return order !== undefined && order > 0;
    case 'ge':
      return order !== undefined && order >= 0;
    case 'lt':
      return order !== undefined && order < 0;
    case 'le':
      return order !== undefined && order <= 0;
    case 'contains':
      if (typeof actual === 'string') return typeof expected === 'string' && actual.includes(expected);
      return Array.isArray(actual) && actual.some((item) => sameValue(item, expected));
    case 'notContains':
      return !holds('contains', actual, expected);
    case 'beginsWith':
      return typeof actual === 'string' && typeof expected === 'string' && actual.startsWith(expected);
    case 'in':
      return (expected as unknown[]).some((candidate) => sameValue(actual, candidate));
    case 'notIn':
      return !holds('in', actual, expected);
    case 'between': {
      const [low, high] = expected as [unknown, unknown];
      return holds('ge', actual, low) && holds('le', actual, high);
    }
    case 'containsAny':
      return Array.isArray(actual) && (expected as unknown[]).some((candidate) => actual.some((item) => sameValue(item, candidate)));
  }
}

/** Whether an event passes a filter: some group whose every condition holds. */
export function matchesSubscriptionFilter(filter: SubscriptionFilter, payload: unknown): boolean {
  return filter.filterGroup.some((group) =>
    group.filters.every((condition) => holds(condition.operator as FilterOperator, valueAt(payload, condition.fieldName), condition.value)),
  );
}
