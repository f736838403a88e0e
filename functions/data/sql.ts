/**
 * SQL text handling shared by every driver: `:name` parameters compiled to `$n` positions, statements split
 * for migrations, and one parameter encoding. Both scanners follow PostgreSQL's lexical rules so that a colon
 * or semicolon inside a literal, quoted identifier, dollar-quoted body or comment is left alone.
 */

export class SqlParameterError extends Error {
  override name = 'SqlParameterError';
}

/** Where code (as opposed to literals, quoted identifiers and comments) may hold parameters and separators. */
interface CodeVisitor {
  /** Called for each character of code; returns how many characters it consumed (0 means "just this one, copied"). */
  onCode(sql: string, index: number): number;
}

const IDENTIFIER_CHAR = /[A-Za-z0-9_$\u0080-\uffff]/;
const DOLLAR_TAG = /^\$(?:[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/;

/** Index just past the literal, identifier, dollar body or comment starting at `index`, or -1 when code starts there. */
function skipNonCode(sql: string, index: number): number {
  const char = sql[index];
  const next = sql[index + 1];
  const previous = index > 0 ? sql[index - 1]! : '';
  if (char === '-' && next === '-') {
    const end = sql.indexOf('\n', index);
    return end === -1 ? sql.length : end + 1;
  }
  if (char === '/' && next === '*') return skipBlockComment(sql, index);
  if (char === "'") {
    const escapes = (previous === 'E' || previous === 'e') && (index < 2 || !IDENTIFIER_CHAR.test(sql[index - 2]!));
    return skipQuoted(sql, index, "'", escapes);
  }
  if (char === '"') return skipQuoted(sql, index, '"', false);
  if (char === '$' && !IDENTIFIER_CHAR.test(previous)) {
    const tag = DOLLAR_TAG.exec(sql.slice(index, index + 64))?.[0];
    if (tag !== undefined) {
      const end = sql.indexOf(tag, index + tag.length);
      if (end === -1) throw new SqlParameterError(`unterminated dollar-quoted string starting with ${tag}`);
      return end + tag.length;
    }
  }
  return -1;
}

function skipBlockComment(sql: string, start: number): number {
  // PostgreSQL block comments nest.
  let depth = 0;
  let index = start;
  while (index < sql.length) {
    if (sql.startsWith('/*', index)) {
      depth += 1;
      index += 2;
    } else if (sql.startsWith('*/', index)) {
      depth -= 1;
      index += 2;
      if (depth === 0) return index;
    } else {
      index += 1;
    }
  }
  throw new SqlParameterError('unterminated block comment');
}

function skipQuoted(sql: string, start: number, quote: string, backslashEscapes: boolean): number {
  let index = start + 1;
  while (index < sql.length) {
    const char = sql[index];
    if (backslashEscapes && char === '\\') {
      index += 2;
    } else if (char === quote) {
      if (sql[index + 1] === quote) index += 2;
      else return index + 1;
    } else {
      index += 1;
    }
  }
  throw new SqlParameterError(`unterminated ${quote === "'" ? 'string literal' : 'quoted identifier'}`);
}

/** Walks `sql`, handing every code position to the visitor and skipping everything else. */
function scan(sql: string, visitor: CodeVisitor): void {
  let index = 0;
  while (index < sql.length) {
    const skippedTo = skipNonCode(sql, index);
    if (skippedTo !== -1) {
      index = skippedTo;
      continue;
    }
    index += Math.max(1, visitor.onCode(sql, index));
  }
}

const PARAMETER_NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

export interface CompiledSql<V> {
  /** The SQL with `$1..$n` in place of `:name`. */
  readonly text: string;
  /** Parameter names in position order ($1 is names[0]); a name used twice has one position. */
  readonly names: string[];
  /** Their values, in the same order. */
  readonly values: V[];
}

/**
 * Turns `:name` parameters into `$1..$n` (the same name gets the same number). `::casts` and anything inside
 * literals, quoted identifiers, dollar-quoted bodies and comments are left alone. A parameter missing from
 * `params` is an error naming it; a key present with the value undefined is fine. `placeholder` writes
 * each occurrence differently when a caller needs casts around them.
 */
export function compileNamed<V>(
  sql: string,
  params: Readonly<Record<string, V>>,
  placeholder: (position: number, name: string) => string = (position) => `$${position}`,
): CompiledSql<V> {
  const { pieces, occurrences } = parametersOf(sql);
  const positions = new Map<string, number>();
  const names: string[] = [];
  const values: V[] = [];
  let text = pieces[0]!;
  occurrences.forEach((name, index) => {
    if (!Object.hasOwn(params, name)) throw new SqlParameterError(`missing SQL parameter :${name}`);
    let position = positions.get(name);
    if (position === undefined) {
      names.push(name);
      values.push(params[name] as V);
      position = values.length;
      positions.set(name, position);
    }
    text += placeholder(position, name) + pieces[index + 1]!;
  });
  return { text, names, values };
}

/** A statement split around its `:name` occurrences: pieces[i] comes before occurrences[i], the last piece after all. */
interface ParsedParameters {
  readonly pieces: readonly string[];
  readonly occurrences: readonly string[];
}

/**
 * Statements are mostly the same few texts, run again and again: each is scanned once (scanning every query's
 * text showed in the profile of webhook ingestion). Bounded, in case a caller builds texts without end.
 */
const parsedStatements = new Map<string, ParsedParameters>();
const PARSED_STATEMENTS_KEPT = 2_000;

function parametersOf(sql: string): ParsedParameters {
  const cached = parsedStatements.get(sql);
  if (cached !== undefined) return cached;
  const pieces: string[] = [];
  const occurrences: string[] = [];
  let copiedUpTo = 0;
  scan(sql, {
    onCode(text, index) {
      if (text[index] !== ':') return 0;
      if (text[index + 1] === ':') return 2;
      const name = PARAMETER_NAME.exec(text.slice(index + 1, index + 130))?.[0];
      if (name === undefined) return 0;
      pieces.push(text.slice(copiedUpTo, index));
      occurrences.push(name);
      copiedUpTo = index + 1 + name.length;
      return 1 + name.length;
    },
  });
  pieces.push(sql.slice(copiedUpTo));
  const parsed = { pieces, occurrences };
  if (parsedStatements.size >= PARSED_STATEMENTS_KEPT) parsedStatements.clear();
  parsedStatements.set(sql, parsed);
  return parsed;
}

/**
 * Splits a script into statements on top-level semicolons (not inside parentheses, literals, identifiers,
 * dollar-quoted bodies or comments). Statements are trimmed; pieces holding nothing but comments are dropped.
 */
export function splitStatements(sqlText: string): string[] {
  const pieces: string[] = [];
  let start = 0;
  let depth = 0;
  scan(sqlText, {
    onCode(text, index) {
      const char = text[index];
      if (char === '(') depth += 1;
      else if (char === ')') depth = Math.max(0, depth - 1);
      else if (char === ';' && depth === 0) {
        pieces.push(text.slice(start, index));
        start = index + 1;
      }
      return 0;
    },
  });
  pieces.push(sqlText.slice(start));
  return pieces.map((piece) => piece.trim()).filter((piece) => stripComments(piece).trim() !== '');
}

function stripComments(sql: string): string {
  let result = '';
  let index = 0;
  while (index < sql.length) {
    const skippedTo = skipNonCode(sql, index);
    if (skippedTo === -1) {
      result += sql[index];
      index += 1;
    } else {
      const isComment = sql.startsWith('--', index) || sql.startsWith('/*', index);
      if (!isComment) result += sql.slice(index, skippedTo);
      index = skippedTo;
    }
  }
  return result;
}

export type EncodedParam = string | number | boolean | null;

/**
 * The one parameter encoding every driver uses: Dates as ISO strings, arrays and objects as JSON (bind them
 * with `::jsonb`), undefined as null, everything else unchanged.
 */
export function encodeParam(value: unknown): EncodedParam {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new SqlParameterError('an invalid Date cannot be a SQL parameter');
    return value.toISOString();
  }
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new SqlParameterError(`${value} cannot be a SQL parameter`);
    return value;
  }
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'object') return JSON.stringify(value);
  throw new SqlParameterError(`a ${typeof value} cannot be a SQL parameter`);
}
