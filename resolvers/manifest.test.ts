import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { buildSchema, isObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { loadSchemaSource } from '../schema/codegen.ts';
import { bindings, dataSources } from './manifest.ts';

const schema = buildSchema(loadSchemaSource());
const rootTypes = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter(isObjectType);
const key = (typeName: string, fieldName: string) => `${typeName}.${fieldName}`;
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

describe('resolver manifest', () => {
  it('binds every Query, Mutation and Subscription field exactly once', () => {
    const schemaFields = rootTypes.flatMap((type) => Object.keys(type.getFields()).map((field) => key(type.name, field)));
    const bound = bindings.map((binding) => key(binding.typeName, binding.fieldName));
    expect(schemaFields.filter((field) => !bound.includes(field))).toEqual([]);
    expect(bound.filter((field, index) => bound.indexOf(field) !== index)).toEqual([]);
  });

  it('names only fields that exist in the schema', () => {
    const fieldsOf = (typeName: string) => {
      const type = schema.getType(typeName);
      return isObjectType(type) ? Object.keys(type.getFields()) : [];
    };
    const missing = bindings.filter((binding) => !fieldsOf(binding.typeName).includes(binding.fieldName));
    expect(missing).toEqual([]);
  });

  it('names existing data sources and APPSYNC_JS files, and NONE bindings always have code', () => {
    for (const binding of bindings) {
      expect(Object.keys(dataSources), key(binding.typeName, binding.fieldName)).toContain(binding.dataSource);
      if (binding.code) expect(existsSync(new URL(`./code/${binding.code}`, import.meta.url)), binding.code).toBe(true);
      if (dataSources[binding.dataSource].kind === 'none') expect(binding.code, key(binding.typeName, binding.fieldName)).toBeDefined();
    }
  });

  it('keeps publish mutations IAM-only and their subscriptions wired to them', () => {
    const mutationFields = schema.getMutationType()!.getFields();
    const publishers = Object.values(mutationFields).filter((field) => field.name.startsWith('publish'));
    expect(publishers.length).toBeGreaterThan(0);
    for (const field of publishers) {
      expect(field.astNode?.directives?.map((directive) => directive.name.value), field.name).toEqual(['aws_iam']);
    }
    const subscribed = Object.values(schema.getSubscriptionType()!.getFields()).flatMap((field) =>
      field.astNode?.directives?.filter((directive) => directive.name.value === 'aws_subscribe') ?? []);
    const named = subscribed.flatMap((directive) => {
      const argument = directive.arguments?.find((arg) => arg.name.value === 'mutations');
      return argument?.value.kind === 'ListValue' ? argument.value.values.map((value) => (value.kind === 'StringValue' ? value.value : '')) : [];
    });
    expect(named.sort()).toEqual(publishers.map((field) => field.name).sort());
  });
});

describe('APPSYNC_JS resolver code', () => {
  const eslint = new ESLint({ cwd: repoRoot, overrideConfigFile: `${repoRoot}.config/eslint.config.js` });

  it('passes @aws-appsync/eslint-plugin', async () => {
    const results = await eslint.lintFiles(['resolvers/code/**/*.ts']);
    const problems = results.flatMap((result) => result.messages.map((message) => `${result.filePath}:${message.line} ${message.ruleId}: ${message.message}`));
    expect(results.length).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  }, 120_000);

  it('is linted by rules that reject what the runtime cannot run', async () => {
    const [result] = await eslint.lintText('export function request(ctx) { try { return ctx.args } catch (e) { return e } }\n', {
      filePath: `${repoRoot}resolvers/code/publishPassthrough.ts`,
    });
    expect(result?.messages.map((message) => message.ruleId)).toContain('@aws-appsync/no-try');
  });
});
