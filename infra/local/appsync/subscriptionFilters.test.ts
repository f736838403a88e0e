import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkSubscriptionFilter, matchesSubscriptionFilter, toSubscriptionFilter, type SubscriptionFilter } from './subscriptionFilters.ts';

const filter = (operator: string, value: unknown, fieldName = 'field'): SubscriptionFilter =>
  checkSubscriptionFilter({ filterGroup: [{ filters: [{ fieldName, operator, value }] }] });

describe('toSubscriptionFilter', () => {
  it('puts the conditions of one object in one group', () => {
    expect(toSubscriptionFilter({ severity: { ge: 2, le: 4 }, classification: { eq: 'security' } })).toEqual({
      filterGroup: [
        {
          filters: [
            { fieldName: 'severity', operator: 'ge', value: 2 },
            { fieldName: 'severity', operator: 'le', value: 4 },
            { fieldName: 'classification', operator: 'eq', value: 'security' },
          ],
        },
      ],
    });
  });

  it('distributes or into one group per alternative, each keeping the shared conditions', () => {
    expect(toSubscriptionFilter({ a: { eq: 1 }, or: [{ b: { eq: 2 } }, { c: { eq: 3 } }] })).toEqual({
      filterGroup: [
        {
          filters: [
            { fieldName: 'a', operator: 'eq', value: 1 },
            { fieldName: 'b', operator: 'eq', value: 2 },
          ],
        },
        {
          filters: [
            { fieldName: 'a', operator: 'eq', value: 1 },
            { fieldName: 'c', operator: 'eq', value: 3 },
          ],
        },
      ],
    });
  });

  it('multiplies out an and of ors', () => {
    const result = toSubscriptionFilter({ and: [{ or: [{ a: { eq: 1 } }, { a: { eq: 2 } }] }, { or: [{ b: { eq: 1 } }, { b: { eq: 2 } }] }] });

    expect(result.filterGroup.map((group) => group.filters.map((condition) => `${condition.fieldName}=${String(condition.value)}`))).toEqual([
      ['a=1', 'b=1'],
      ['a=1', 'b=2'],
      ['a=2', 'b=1'],
      ['a=2', 'b=2'],
    ]);
  });

  it('leaves out ignored fields and requires one of the rules in every group', () => {
    const result = toSubscriptionFilter({ a: { eq: 1 }, internal: { eq: 'x' } }, ['internal'], { b: { eq: 2 }, c: { eq: 3 } });

    expect(result.filterGroup.map((group) => group.filters.map((condition) => condition.fieldName))).toEqual([
      ['a', 'b'],
      ['a', 'c'],
    ]);
  });

  it('refuses unknown operators and malformed specs', () => {
    expect(() => toSubscriptionFilter({ a: { like: 'x' } })).toThrow(/unknown operator "like"/);
    expect(() => toSubscriptionFilter({ a: 1 })).toThrow(/takes an object of operators/);
    expect(() => toSubscriptionFilter({ or: { a: { eq: 1 } } })).toThrow(/takes a list/);
    expect(() => checkSubscriptionFilter({ filterGroup: [{ filters: [{ fieldName: 'a', operator: 'in', value: 'x' }] }] })).toThrow(/wrong kind of value/);
  });
});

describe('matchesSubscriptionFilter', () => {
  it.each([
    ['eq', 'a', 'a', true],
    ['eq', 'a', 'b', false],
    ['ne', 'a', 'b', true],
    ['gt', 5, 4, true],
    ['gt', 4, 4, false],
    ['ge', 4, 4, true],
    ['lt', 'a', 'b', true],
    ['le', 'b', 'a', false],
    ['gt', '5', 4, false],
    ['contains', 'recruiting', 'cruit', true],
    ['contains', ['vip', 'minor'], 'vip', true],
    ['contains', ['vip'], 'minor', false],
    ['notContains', ['vip'], 'minor', true],
    ['beginsWith', 'unassigned', 'un', true],
    ['beginsWith', 'rec-1', 'un', false],
    ['in', 'rec-1', ['rec-1', 'unassigned'], true],
    ['in', 'rec-2', ['rec-1', 'unassigned'], false],
    ['notIn', 'rec-2', ['rec-1', 'unassigned'], true],
    ['between', 3, [1, 5], true],
    ['between', 6, [1, 5], false],
    ['containsAny', ['a', 'b'], ['c', 'b'], true],
    ['containsAny', ['a', 'b'], ['c', 'd'], false],
  ])('%s: %j against %j is %s', (operator, actual, expected, outcome) => {
    expect(matchesSubscriptionFilter(filter(operator, expected), { field: actual })).toBe(outcome);
  });

  it('reads dotted field names as paths into the event', () => {
    const event = { conversation: { aspirant: { status: 'NEW' } } };

    expect(matchesSubscriptionFilter(filter('eq', 'NEW', 'conversation.aspirant.status'), event)).toBe(true);
    expect(matchesSubscriptionFilter(filter('eq', 'NEW', 'conversation.missing.status'), event)).toBe(false);
  });

  it('passes an event when any group passes, and a group only when all its conditions do', () => {
    const scoped = toSubscriptionFilter({ kind: { eq: 'message' }, or: [{ scope: { eq: 'rec-1' } }, { scope: { eq: 'unassigned' } }] });

    expect(matchesSubscriptionFilter(scoped, { kind: 'message', scope: 'unassigned' })).toBe(true);
    expect(matchesSubscriptionFilter(scoped, { kind: 'message', scope: 'rec-2' })).toBe(false);
    expect(matchesSubscriptionFilter(scoped, { kind: 'status', scope: 'rec-1' })).toBe(false);
  });

  it('agrees with the direct reading of an in filter for any scope', () => {
    fc.assert(
      fc.property(fc.string(), fc.array(fc.string(), { maxLength: 4 }), (scope, allowed) => {
        const scoped = toSubscriptionFilter({ scope: { in: allowed } });
        expect(matchesSubscriptionFilter(scoped, { scope })).toBe(allowed.includes(scope));
        expect(matchesSubscriptionFilter(toSubscriptionFilter({ scope: { notIn: allowed } }), { scope })).toBe(!allowed.includes(scope));
      }),
    );
  });
});
