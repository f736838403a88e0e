import { isIP } from 'node:net';
import { GraphQLError, Kind, type GraphQLScalarType, type GraphQLSchema, type ValueNode } from 'graphql';
import { isPossiblePhoneNumber } from 'libphonenumber-js';
import { BoundedCache } from '../boundedCache.ts';

/**
 * AppSync's built-in scalars with AppSync's validation. Inputs (variables and literals) that do not conform
 * are refused before any resolver runs; outputs are checked too, because AppSync refuses to serialize a
 * malformed value a resolver returns, and a local host that let it through would hide the bug.
 */
interface ScalarBehaviour {
  /** Validates a client-supplied value and returns what resolvers see. */
  readonly parse: (value: unknown) => unknown;
  /** Validates a resolver's value and returns what goes on the wire. */
  readonly serialize: (value: unknown) => unknown;
  /** The literal kind the scalar accepts in a document. */
  readonly literalKind: Kind.STRING | Kind.INT;
}

const invalid = (scalar: string, value: unknown): GraphQLError =>
  new GraphQLError(`Unable to parse ${JSON.stringify(value) ?? String(value)} as a valid ${scalar}`);

function stringScalar(name: string, isValid: (value: string) => boolean): ScalarBehaviour {
  const check = (value: unknown): string => {
    if (typeof value !== 'string' || !isValid(value)) throw invalid(name, value);
    return value;
  };
  return { parse: check, serialize: check, literalKind: Kind.STRING };
}

const OFFSET = '(?:Z|[+-]\\d{2}:\\d{2}(?::\\d{2})?)';
const TIME = '(\\d{2}):(\\d{2})(?::(\\d{2})(?:\\.\\d{1,9})?)?';
const DATE = '(\\d{4})-(\\d{2})-(\\d{2})';
const datePattern = new RegExp(`^${DATE}${OFFSET}?$`);
const timePattern = new RegExp(`^${TIME}${OFFSET}?$`);
// AppSync requires the offset on AWSDateTime ("1970-01-01T12:00Z"), but not on AWSDate or AWSTime.
const dateTimePattern = new RegExp(`^${DATE}T${TIME}${OFFSET}$`);

function isCalendarDate(year: string, month: string, day: string): boolean {
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  return date.getUTCMonth() === Number(month) - 1 && date.getUTCDate() === Number(day);
}

function isClockTime(hours: string, minutes: string, seconds = '00'): boolean {
  return Number(hours) < 24 && Number(minutes) < 60 && Number(seconds) < 60;
}

function isAwsDate(value: string): boolean {
  const match = datePattern.exec(value);
  return match !== null && isCalendarDate(match[1]!, match[2]!, match[3]!);
}

function isAwsTime(value: string): boolean {
  const match = timePattern.exec(value);
  return match !== null && isClockTime(match[1]!, match[2]!, match[3]);
}

function isAwsDateTime(value: string): boolean {
  const match = dateTimePattern.exec(value);
  return match !== null && isCalendarDate(match[1]!, match[2]!, match[3]!) && isClockTime(match[4]!, match[5]!, match[6]);
}

const emailPattern = /^[^\s@]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

function isAwsUrl(value: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:\S+$/.test(value)) return false;
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

/**
 * libphonenumber takes some 10 µs a number, and every inbox or search row carries a phone (the same few
 * thousand again and again): each string's answer is kept.
 */
const phoneValidity = new BoundedCache<string, boolean>(10_000);

// AppSync: digit groups separated by spaces or hyphens; without a country code the number is read as NANP.
function isAwsPhone(value: string): boolean {
  let valid = phoneValidity.get(value);
  if (valid === undefined) {
    valid = /^\+?\d[\d -]*\d$/.test(value) && isPossiblePhoneNumber(value, 'US');
    phoneValidity.set(value, valid);
  }
  return valid;
}

function isAwsIpAddress(value: string): boolean {
  const [address, prefix, ...rest] = value.split('/');
  if (rest.length > 0 || address === undefined) return false;
  const version = isIP(address);
  if (version === 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}

const awsTimestamp: ScalarBehaviour = {
  parse: (value) => {
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw invalid('AWSTimestamp', value);
    return value;
  },
  serialize: (value) => {
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw invalid('AWSTimestamp', value);
    return value;
  },
  literalKind: Kind.INT,
};

/** Input is a JSON string and resolvers see the parsed value; output is a JSON string. */
const awsJson: ScalarBehaviour = {
  parse: (value) => {
    if (typeof value !== 'string') throw invalid('AWSJSON', value);
    try {
      return JSON.parse(value) as unknown;
    } catch {
      throw invalid('AWSJSON', value);
    }
  },
  serialize: (value) => {
    if (typeof value !== 'string') return JSON.stringify(value);
    // A resolver may hand back JSON it already holds as text; AppSync passes it through once it parses.
    try {
      JSON.parse(value);
      return value;
    } catch {
      throw invalid('AWSJSON', value);
    }
  },
  literalKind: Kind.STRING,
};

export const appSyncScalars = {
  AWSDate: stringScalar('AWSDate', isAwsDate),
  AWSTime: stringScalar('AWSTime', isAwsTime),
  AWSDateTime: stringScalar('AWSDateTime', isAwsDateTime),
  AWSTimestamp: awsTimestamp,
  AWSEmail: stringScalar('AWSEmail', (value) => emailPattern.test(value)),
  AWSJSON: awsJson,
  AWSURL: stringScalar('AWSURL', isAwsUrl),
  AWSPhone: stringScalar('AWSPhone', isAwsPhone),
  AWSIPAddress: stringScalar('AWSIPAddress', isAwsIpAddress),
} as const satisfies Record<string, ScalarBehaviour>;

export type AppSyncScalarName = keyof typeof appSyncScalars;

function literalValue(name: string, behaviour: ScalarBehaviour, node: ValueNode): unknown {
  if (node.kind !== behaviour.literalKind) throw new GraphQLError(`Expected a ${behaviour.literalKind === Kind.INT ? 'integer' : 'string'} literal for ${name}`, { nodes: node });
  return behaviour.parse(node.kind === Kind.INT ? Number(node.value) : (node as { value: string }).value);
}

/** Gives the schema's AppSync scalar declarations (from schema/appsync.graphql) AppSync's behaviour. */
export function installAppSyncScalars(schema: GraphQLSchema): void {
  for (const [name, behaviour] of Object.entries(appSyncScalars) as [AppSyncScalarName, ScalarBehaviour][]) {
    const scalar = schema.getType(name) as GraphQLScalarType | undefined;
    if (scalar === undefined) throw new Error(`the schema does not declare AppSync's scalar ${name}`);
    scalar.serialize = behaviour.serialize;
    scalar.parseValue = behaviour.parse;
    scalar.parseLiteral = (node) => literalValue(name, behaviour, node);
  }
}
