import { describe, expect, it } from 'vitest';
import { camelCaseColumn, normalizeRow, normalizeValue, parseArrayLiteral } from './normalize.ts';

describe('normalizeValue', () => {
  it.each([
    ['2024-05-06 07:08:09.123456+05:30', '2024-05-06T01:38:09.123Z'],
    ['2024-05-06 07:08:09-03', '2024-05-06T10:08:09.000Z'],
    ['1900-01-01 00:00:00+00:19:32', '1899-12-31T23:40:28.000Z'],
    ['2024-05-06 07:08:09.9999', '2024-05-06T07:08:09.999Z'],
    ['2024-05-06 07:08:09.5', '2024-05-06T07:08:09.500Z'],
    ['2024-05-06T07:08:09Z', '2024-05-06T07:08:09.000Z'],
    ['0099-01-01 00:00:00', '0099-01-01T00:00:00.000Z'],
    ['infinity', 'infinity'],
  ])('reads the timestamp %j as %j', (raw, expected) => {
    expect(normalizeValue('timestamptz', raw)).toBe(expected);
    expect(normalizeValue('timestamp', raw)).toBe(expected);
  });

  it('reads dates as YYYY-MM-DD whatever form they arrive in', () => {
    expect(normalizeValue('date', '2024-02-29')).toBe('2024-02-29');
    expect(normalizeValue('date', new Date('2024-02-29T00:00:00Z'))).toBe('2024-02-29');
  });

  it('reads integers and numerics from text or numbers', () => {
    expect(normalizeValue('int8', '9007199254740991')).toBe(9_007_199_254_740_991);
    expect(normalizeValue('bigint', 42)).toBe(42);
    expect(normalizeValue('numeric', '12.50')).toBe(12.5);
    expect(normalizeValue('int4', '-7')).toBe(-7);
  });

  it('writes reals with as few digits as identify them, whether text or a widened double', () => {
    expect(normalizeValue('float4', '0.1')).toBe(0.1);
    expect(normalizeValue('float4', 0.10000000149011612)).toBe(0.1);
    expect(normalizeValue('real', Math.fround(1 / 3))).toBe(0.33333334);
    expect(normalizeValue('float8', '0.1')).toBe(0.1);
  });

  it('reads booleans from text or booleans', () => {
    expect([normalizeValue('bool', 't'), normalizeValue('bool', 'f'), normalizeValue('boolean', true)]).toEqual([true, false, true]);
  });

  it('parses json and jsonb text', () => {
    expect(normalizeValue('jsonb', '{"a":[1,null]}')).toEqual({ a: [1, null] });
    expect(normalizeValue('json', '"text"')).toBe('text');
  });

  it('reads arrays from the text form or from already split values', () => {
    expect(normalizeValue('_int8', '{1,2,NULL}')).toEqual([1, 2, null]);
    expect(normalizeValue('integer[]', [3, 4])).toEqual([3, 4]);
    expect(normalizeValue('_timestamptz', ['2024-01-01 00:00:00'])).toEqual(['2024-01-01T00:00:00.000Z']);
    expect(normalizeValue('_int4', '{{1,2},{3,4}}')).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('keeps null and passes other types through', () => {
    expect(normalizeValue('timestamptz', null)).toBeNull();
    expect(normalizeValue('uuid', 'a67a4f68-0036-4c35-a731-95c3020fb35f')).toBe('a67a4f68-0036-4c35-a731-95c3020fb35f');
    expect(normalizeValue('interval', '1 day')).toBe('1 day');
  });
});

describe('parseArrayLiteral', () => {
  it('reads quoted elements with escapes, NULL and unquoted text', () => {
    expect(parseArrayLiteral('{plain,"with space","quote \\" and \\\\",NULL,"NULL", trimmed }')).toEqual([
      'plain',
      'with space',
      'quote " and \\',
      null,
      'NULL',
      'trimmed',
    ]);
  });

  it('reads an empty array and one with explicit bounds', () => {
    expect(parseArrayLiteral('{}')).toEqual([]);
    expect(parseArrayLiteral('[0:1]={a,b}')).toEqual(['a', 'b']);
  });

  it('refuses malformed text', () => {
    expect(() => parseArrayLiteral('a,b')).toThrow(TypeError);
    expect(() => parseArrayLiteral('{a,b')).toThrow(TypeError);
  });
});

describe('normalizeRow', () => {
  it('names keys in camelCase and normalizes each column by its type', () => {
    const columns = [
      { name: 'created_at', typeName: 'timestamptz' },
      { name: 'inbound_count', typeName: 'int4' },
      { name: 'alreadyCamel', typeName: 'text' },
    ];
    expect(normalizeRow(columns, ['2024-01-01 00:00:00+00', '3', 'x'])).toEqual({ createdAt: '2024-01-01T00:00:00.000Z', inboundCount: 3, alreadyCamel: 'x' });
  });

  it('keeps names that are not snake_case', () => {
    expect(['_private', '?column?', 'window_expires_at', 'a__b'].map(camelCaseColumn)).toEqual(['_private', '?column?', 'windowExpiresAt', 'aB']);
  });
});
