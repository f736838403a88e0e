import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { loadSchemaSource } from '../../../schema/codegen.ts';
import { appSyncScalars, installAppSyncScalars, type AppSyncScalarName } from './scalars.ts';

const cases: Record<AppSyncScalarName, { valid: unknown[]; invalid: unknown[] }> = {
  AWSDate: { valid: ['1970-01-01', '2024-02-29', '1970-01-01Z', '1970-01-01-07:00'], invalid: ['2023-02-29', '1970-1-1', '1970-01-01T00:00Z', 19700101] },
  AWSTime: { valid: ['12:30', '12:30:15', '12:30:15.123', '12:30Z', '12:30:15+05:30'], invalid: ['24:00', '12:60', '1230', '12:30:15.'] },
  AWSDateTime: {
    valid: ['1970-01-01T12:00Z', '2025-01-15T10:30:00.000Z', '2025-01-15T10:30:00.123456789-05:00', '2025-01-15T10:30:00+05:30:15'],
    invalid: ['2025-01-15T10:30:00', '2025-01-15 10:30:00Z', '2025-13-15T10:30:00Z', '2025-01-15T25:00:00Z', ''],
  },
  AWSTimestamp: { valid: [0, 1737000000], invalid: [1.5, '1737000000', Number.MAX_VALUE] },
  AWSEmail: { valid: ['ana@example.com', 'first.last+tag@mail.example.co'], invalid: ['ana', 'ana@', 'ana@example', 'a na@example.com', '@example.com'] },
  AWSJSON: { valid: ['{"a":1}', '[1,2]', '"text"', 'null'], invalid: ['{a:1}', '', 42] },
  AWSURL: { valid: ['https://example.com/photo.jpg?x=1', 'mailto:ana@example.com', 'http://127.0.0.1:4000/graphql'], invalid: ['example.com', '/relative/path', 'https://', 'http://exa mple.com'] },
  AWSPhone: { valid: ['+12125550100', '+1 212-555-0100', '212 555 0100', '+57 300 123 4567'], invalid: ['+1 (212) 555-0100', '12', 'phone', '+1212555010011223'] },
  AWSIPAddress: { valid: ['127.0.0.1', '10.0.0.0/8', '::1', '2001:db8::/32'], invalid: ['256.0.0.1', '10.0.0.0/33', '2001:db8::/129', 'localhost', '1.2.3.4/8/1'] },
};

describe.each(Object.entries(cases) as [AppSyncScalarName, { valid: unknown[]; invalid: unknown[] }][])('%s', (name, { valid, invalid }) => {
  const scalar = appSyncScalars[name];

  it.each(valid)('accepts %j', (value) => {
    expect(() => scalar.parse(value)).not.toThrow();
    expect(() => scalar.serialize(value)).not.toThrow();
  });

  it.each(invalid)('refuses %j', (value) => {
    expect(() => scalar.parse(value)).toThrow(new RegExp(`valid ${name}`));
  });
});

describe('AWSPhone', () => {
  it('gives the same answer when a phone is checked again (answers are kept)', () => {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      expect(appSyncScalars.AWSPhone.serialize('+525559395152')).toBe('+525559395152');
      expect(() => appSyncScalars.AWSPhone.serialize('+1212555010011223')).toThrow(/valid AWSPhone/);
    }
  });
});

describe('AWSJSON', () => {
  it('hands resolvers the parsed value and serializes values as JSON text', () => {
    expect(appSyncScalars.AWSJSON.parse('{"heightCm":172}')).toEqual({ heightCm: 172 });
    expect(appSyncScalars.AWSJSON.serialize({ heightCm: 172 })).toBe('{"heightCm":172}');
  });

  it('passes JSON a resolver already holds as text through unchanged', () => {
    expect(appSyncScalars.AWSJSON.serialize('{"heightCm":172}')).toBe('{"heightCm":172}');
  });
});

describe('installAppSyncScalars', () => {
  const schema = buildSchema(loadSchemaSource());
  installAppSyncScalars(schema);

  it('checks literals in documents against the scalar', () => {
    const errorsFor = (literal: string) => validate(schema, parse(`mutation { publishMessageEvent(event: ${literal}) { scope } }`));

    expect(errorsFor('"{\\"a\\":1}"')).toEqual([]);
    expect(errorsFor('"{oops"')[0]?.message).toMatch(/valid AWSJSON/);
    expect(errorsFor('42')[0]?.message).toMatch(/AWSJSON/);
  });
});
