import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS_DIRECTORY } from './migrate.ts';
import { compileNamed, encodeParam, splitStatements, SqlParameterError } from './sql.ts';

describe('compileNamed', () => {
  it('numbers parameters in order of first use and reuses the number for a repeated name', () => {
    expect(compileNamed('SELECT :b, :a, :b', { a: 1, b: 2 })).toEqual({ text: 'SELECT $1, $2, $1', names: ['b', 'a'], values: [2, 1] });
  });

  it('leaves casts alone, including a cast right after a parameter', () => {
    expect(compileNamed('SELECT :id::uuid, x::text, :at::timestamptz', { id: 'i', at: 't' }).text).toBe('SELECT $1::uuid, x::text, $2::timestamptz');
  });

  it.each([
    ["SELECT ':a', 'it''s :a'", 'string literals with doubled quotes'],
    ["SELECT E'it\\'s :a', e'\\\\', E'x'' :a'", 'escape strings'],
    ['SELECT ":a", "odd""name :a"', 'quoted identifiers'],
    ['SELECT $$ :a $$, $fn$ it\'s $$ :a $fn$', 'dollar-quoted bodies'],
    ['SELECT 1 -- :a\n, /* :a /* nested :a */ still :a */ 2', 'comments'],
    ['SELECT arr[1:2], $1, foo$bar', 'slices, positional parameters and identifiers containing $'],
  ])('leaves %j alone (%s)', (sql) => {
    expect(compileNamed(sql, {})).toEqual({ text: sql, names: [], values: [] });
  });

  it("does not mistake an identifier ending in e for an escape string's prefix", () => {
    expect(compileNamed("SELECT name'\\', :a", { a: 1 }).text).toBe("SELECT name'\\', $1");
  });

  it('finds parameters right after literals and comments', () => {
    expect(compileNamed("SELECT 'x':a, /* c */:b, $$y$$||:c", { a: 1, b: 2, c: 3 }).text).toBe("SELECT 'x'$1, /* c */$2, $$y$$||$3");
  });

  it('refuses a missing parameter, naming it', () => {
    expect(() => compileNamed('SELECT :present, :absent', { present: 1 })).toThrow(new SqlParameterError('missing SQL parameter :absent'));
  });

  it('accepts a parameter present with the value undefined, and ignores extra ones', () => {
    expect(compileNamed('SELECT :a', { a: undefined, unused: 1 })).toEqual({ text: 'SELECT $1', names: ['a'], values: [undefined] });
  });

  it('refuses unterminated literals instead of guessing', () => {
    expect(() => compileNamed("SELECT 'open :a", { a: 1 })).toThrow(SqlParameterError);
    expect(() => compileNamed('SELECT $$ open :a', { a: 1 })).toThrow(SqlParameterError);
    expect(() => compileNamed('SELECT /* open :a', { a: 1 })).toThrow(SqlParameterError);
  });

  it('writes placeholders the way the caller asks', () => {
    expect(compileNamed('SELECT :a, :b, :a', { a: 1, b: 2 }, (position, name) => `($${position}::${name})`).text).toBe('SELECT ($1::a), ($2::b), ($1::a)');
  });
});

describe('splitStatements', () => {
  it('splits on top-level semicolons and trims', () => {
    expect(splitStatements('CREATE TABLE a (id int);\n  INSERT INTO a VALUES (1) ;\n')).toEqual(['CREATE TABLE a (id int)', 'INSERT INTO a VALUES (1)']);
  });

  it('keeps semicolons inside literals, identifiers, comments, dollar bodies and parentheses', () => {
    const statements = [
      "INSERT INTO t VALUES ('a;b', E'c\\';d', \"semi;colon\")",
      '-- note; not a split\nSELECT 1 /* ; */',
      'CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $body$ BEGIN RETURN 1; END; $body$',
      'CREATE RULE r AS ON INSERT TO t DO ALSO (NOTIFY a; NOTIFY b)',
    ];
    expect(splitStatements(statements.join(';\n'))).toEqual(statements);
  });

  it('drops empty statements and pieces holding only comments', () => {
    expect(splitStatements(';; SELECT 1;\n-- the end\n/* really */')).toEqual(['SELECT 1']);
  });

  it('splits the foundation migration into its statements', () => {
    const text = readFileSync(`${MIGRATIONS_DIRECTORY}/0001_foundation.sql`, 'utf8');
    const statements = splitStatements(text);
    expect(statements.length).toBe((text.match(/^(CREATE|ALTER) /gm) ?? []).length);
    expect(statements.every((statement) => /^(--[^\n]*\n|\n)*(CREATE|ALTER) /.test(statement))).toBe(true);
  });
});

describe('encodeParam', () => {
  it('encodes every value the same way for every driver', () => {
    expect(encodeParam(new Date('2024-01-02T03:04:05.678Z'))).toBe('2024-01-02T03:04:05.678Z');
    expect(encodeParam(['a', 1, null])).toBe('["a",1,null]');
    expect(encodeParam({ nested: { list: [] } })).toBe('{"nested":{"list":[]}}');
    expect(encodeParam(undefined)).toBeNull();
    expect(encodeParam(null)).toBeNull();
    expect(encodeParam('text')).toBe('text');
    expect(encodeParam(2.5)).toBe(2.5);
    expect(encodeParam(false)).toBe(false);
  });

  it('refuses values the database would store wrongly', () => {
    expect(() => encodeParam(Number.NaN)).toThrow(SqlParameterError);
    expect(() => encodeParam(Number.POSITIVE_INFINITY)).toThrow(SqlParameterError);
    expect(() => encodeParam(new Date('not a date'))).toThrow(SqlParameterError);
    expect(() => encodeParam(() => 1)).toThrow(SqlParameterError);
  });
});
