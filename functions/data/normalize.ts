import type { Row } from './db.ts';

/**
 * The one place raw column values become the canonical row described in db.ts. Every driver feeds it: PGlite
 * and node-postgres with PostgreSQL's text output (type parsing turned off), the Data API with its Field
 * union values (numbers, booleans, strings). So each type accepts both its text form and an already-typed value.
 */

export interface ColumnType {
  /** The column's name as the database reports it (snake_case). */
  readonly name: string;
  /** A PostgreSQL type name such as int8, timestamptz or _text (aliases such as bigint are accepted). */
  readonly typeName: string;
}

const TYPE_ALIASES: Readonly<Record<string, string>> = {
  smallint: 'int2',
  smallserial: 'int2',
  integer: 'int4',
  int: 'int4',
  serial: 'int4',
  bigint: 'int8',
  bigserial: 'int8',
  boolean: 'bool',
  real: 'float4',
  'double precision': 'float8',
  decimal: 'numeric',
  'timestamp with time zone': 'timestamptz',
  'timestamp without time zone': 'timestamp',
};

function canonicalTypeName(typeName: string): string {
  const lower = typeName.trim().toLowerCase();
  if (lower.endsWith('[]')) return `_${canonicalTypeName(lower.slice(0, -2))}`;
  return TYPE_ALIASES[lower] ?? lower;
}

/** snake_case → camelCase; a leading underscore and names already in camelCase stay as they are. */
export function camelCaseColumn(name: string): string {
  return name.replace(/(?<=[A-Za-z0-9])_+([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());
}

/**
 * Each result's keys and canonical types, worked out once for all its rows (the drivers pass one columns array
 * per result): renaming every column of every row again showed in the profile of a 50-row inbox page.
 */
const preparedColumns = new WeakMap<readonly ColumnType[], { readonly keys: string[]; readonly types: string[] }>();

function prepare(columns: readonly ColumnType[]): { readonly keys: string[]; readonly types: string[] } {
  let prepared = preparedColumns.get(columns);
  if (prepared === undefined) {
    prepared = { keys: columns.map((column) => camelCaseColumn(column.name)), types: columns.map((column) => canonicalTypeName(column.typeName)) };
    preparedColumns.set(columns, prepared);
  }
  return prepared;
}

export function normalizeRow(columns: readonly ColumnType[], values: readonly unknown[]): Row {
  const { keys, types } = prepare(columns);
  const row: Row = {};
  for (let index = 0; index < keys.length; index += 1) row[keys[index]!] = normalizeCanonical(types[index]!, values[index]);
  return row;
}

export function normalizeValue(typeName: string, raw: unknown): unknown {
  return normalizeCanonical(canonicalTypeName(typeName), raw);
}

/**
 * A timestamp read from inside a json column (json_build_object, json_agg): PostgreSQL prints it there in its own
 * form; this gives the ISO form every timestamp column gets.
 */
export const jsonTimestamp = (value: string): string => normalizeTimestamp(value) as string;

function normalizeCanonical(type: string, raw: unknown): unknown {
  if (raw === null || raw === undefined) return null;
  if (type.startsWith('_')) {
    const elements = typeof raw === 'string' ? parseArrayLiteral(raw) : raw;
    if (!Array.isArray(elements)) throw new TypeError(`expected an array for a ${type.slice(1)}[] column`);
    return elements.map((element: unknown) => normalizeCanonical(Array.isArray(element) ? type : type.slice(1), element));
  }
  switch (type) {
    case 'bool':
      return typeof raw === 'string' ? raw === 't' || raw === 'true' : Boolean(raw);
    case 'int2':
    case 'int4':
    case 'int8':
    case 'oid':
    case 'numeric':
    case 'float8':
      return Number(raw);
    case 'float4':
      return shortestFloat32(Number(raw));
    case 'json':
    case 'jsonb':
      return typeof raw === 'string' ? JSON.parse(raw) : raw;
    case 'date':
      return normalizeDate(raw);
    case 'timestamptz':
    case 'timestamp':
      return normalizeTimestamp(raw);
    default:
      return raw;
  }
}

/**
 * A real's value written with as few digits as still identify it. PostgreSQL prints reals that way, and the
 * Data API widens them to doubles (0.1 becomes 0.10000000149011612): this makes both read 0.1.
 */
function shortestFloat32(value: number): number {
  if (!Number.isFinite(value)) return value;
  const single = Math.fround(value);
  for (let digits = 1; digits <= 9; digits += 1) {
    const candidate = Number(single.toPrecision(digits));
    if (Math.fround(candidate) === single) return candidate;
  }
  return single;
}

function normalizeDate(raw: unknown): unknown {
  if (raw instanceof Date) return raw.toISOString().slice(0, 10);
  const text = String(raw);
  return /^\d{4}-\d{2}-\d{2}/.test(text) ? text.slice(0, 10) : text;
}

const TIMESTAMP =
  /^(\d{4,})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:(Z)|([+-])(\d{2})(?::?(\d{2}))?(?::?(\d{2}))?)?$/;

/** ISO-8601 in UTC with milliseconds; text without an offset is UTC. infinity and BC dates pass through. */
function normalizeTimestamp(raw: unknown): unknown {
  if (raw instanceof Date) return raw.toISOString();
  const text = String(raw);
  const match = TIMESTAMP.exec(text);
  if (match === null) return text;
  const [, year, month, day, hour, minute, second, fraction = '', , sign, offsetHours = '0', offsetMinutes = '0', offsetSeconds = '0'] =
    match;
  const millisecondDigits = fraction.padEnd(3, '0').slice(0, 3);
  // Already UTC (the drivers' sessions are), in the years ISO-8601 writes with four digits: no Date to build.
  const utc = sign === undefined || Number(offsetHours) + Number(offsetMinutes) + Number(offsetSeconds) === 0;
  if (utc && year!.length === 4) return `${year}-${month}-${day}T${hour}:${minute}:${second}.${millisecondDigits}Z`;
  const milliseconds = Number(millisecondDigits);
  const date = new Date(Date.UTC(2000, Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second), milliseconds));
  date.setUTCFullYear(Number(year));
  if (sign !== undefined) {
    const offsetMs = (Number(offsetHours) * 3600 + Number(offsetMinutes) * 60 + Number(offsetSeconds)) * 1000;
    date.setTime(date.getTime() - (sign === '+' ? offsetMs : -offsetMs));
  }
  return date.toISOString();
}

/** Parses PostgreSQL's text form of an array ('{a,"b c",NULL}', nested braces for more dimensions). */
export function parseArrayLiteral(text: string): unknown[] {
  // A lower bound other than 1 prefixes the literal with its dimensions: '[0:1]={a,b}'.
  const body = text.startsWith('[') ? text.slice(text.indexOf('=') + 1) : text;
  let index = 0;
  const parseLevel = (): unknown[] => {
    if (body[index] !== '{') throw new TypeError(`malformed array literal: ${text}`);
    index += 1;
    const elements: unknown[] = [];
    while (index < body.length) {
      const char = body[index];
      if (char === '}') {
        index += 1;
        return elements;
      }
      if (char === ',') {
        index += 1;
      } else if (char === '{') {
        elements.push(parseLevel());
      } else if (char === '"') {
        let value = '';
        index += 1;
        while (index < body.length && body[index] !== '"') {
          if (body[index] === '\\') index += 1;
          value += body[index] ?? '';
          index += 1;
        }
        index += 1;
        elements.push(value);
      } else {
        const length = body.slice(index).search(/[,}]/);
        const end = length === -1 ? body.length : index + length;
        const value = body.slice(index, end).trim();
        index = end;
        elements.push(value.toUpperCase() === 'NULL' ? null : value);
      }
    }
    throw new TypeError(`malformed array literal: ${text}`);
  };
  return parseLevel();
}
