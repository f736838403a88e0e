/**
 * Generates TypeScript types from the schema for functions/ and web/. `npm run codegen` writes them; the
 * contract test fails when the committed files differ from what this produces.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { codegen } from '@graphql-codegen/core';
import * as typescriptPlugin from '@graphql-codegen/typescript';
import { buildSchema, parse, printSchema } from 'graphql';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export const schemaPath = here('./schema.graphql');
export const appsyncBuiltinsPath = here('./appsync.graphql');

/** schema.graphql with AppSync's own scalars and directives prepended, as AppSync sees it. */
export function loadSchemaSource(): string {
  return `${readFileSync(appsyncBuiltinsPath, 'utf8')}\n${readFileSync(schemaPath, 'utf8')}`;
}

const scalars = {
  AWSDate: 'string',
  AWSTime: 'string',
  AWSDateTime: 'string',
  AWSTimestamp: 'number',
  AWSEmail: 'string',
  AWSJSON: 'string',
  AWSURL: 'string',
  AWSPhone: 'string',
  AWSIPAddress: 'string',
};

export const generatedTargets = [
  { path: here('../functions/generated/graphql.ts') },
  { path: here('../web/src/generated/graphql.ts') },
] as const;

const banner = '/* Generated from schema/schema.graphql by `npm run codegen`. Do not edit. */\n';

export async function generateTypes(): Promise<string> {
  const schema = buildSchema(loadSchemaSource());
  const output = await codegen({
    filename: 'graphql.ts',
    schema: parse(printSchema(schema)),
    documents: [],
    config: { scalars, enumsAsTypes: true, avoidOptionals: { field: true, inputValue: false }, useTypeImports: true },
    plugins: [{ typescript: {} }],
    pluginMap: { typescript: typescriptPlugin },
  });
  return banner + output;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const types = await generateTypes();
  for (const target of generatedTargets) writeFileSync(target.path, types);
  console.log(`wrote ${generatedTargets.map((target) => target.path).join(', ')}`);
}
