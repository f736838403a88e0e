/**
 * Generates TypeScript types from the schema for functions/ and web/. `npm run codegen` writes them; the
 * contract test fails when the committed files differ from what this produces.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { codegen } from '@graphql-codegen/core';
import * as typescriptPlugin from '@graphql-codegen/typescript';
import * as typescriptOperationsPlugin from '@graphql-codegen/typescript-operations';
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

const operationsBanner = '/* Generated from schema/schema.graphql and the gql documents in web/src by `npm run codegen`. Do not edit. */\n';
export const webSourceDir = here('../web/src');
export const webOperationsPath = here('../web/src/generated/operations.ts');

/**
 * The console's operations: every gql`…` literal in web/src outside tests. Interpolations (`${FRAGMENT}`) only
 * splice in fragments that are plucked from their own files, so they are dropped here.
 */
export function webDocuments(): { document: ReturnType<typeof parse> }[] {
  const files = readdirSync(webSourceDir, { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.tsx?$/.test(file) && !/\.test\.tsx?$/.test(file) && !file.startsWith('generated'))
    .sort();
  return files.flatMap((file) =>
    [...readFileSync(join(webSourceDir, file), 'utf8').matchAll(/\bgql`([^`]*)`/g)].map((match) => ({
      document: parse(match[1]!.replace(/\$\{[^}]*\}/g, '')),
    })),
  );
}

/** Result and variable types for the console's operations and fragments (web/src/generated/operations.ts). */
export async function generateWebOperationTypes(): Promise<string> {
  const output = await codegen({
    filename: 'operations.ts',
    schema: parse(printSchema(buildSchema(loadSchemaSource()))),
    documents: webDocuments(),
    config: { scalars: { ...scalars, ID: 'string' }, enumsAsTypes: true, useTypeImports: true, nonOptionalTypename: true, skipTypeNameForRoot: true },
    plugins: [{ 'typescript-operations': {} }],
    pluginMap: { 'typescript-operations': typescriptOperationsPlugin },
  });
  return operationsBanner + output;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const types = await generateTypes();
  for (const target of generatedTargets) writeFileSync(target.path, types);
  writeFileSync(webOperationsPath, await generateWebOperationTypes());
  console.log(`wrote ${[...generatedTargets.map((target) => target.path), webOperationsPath].join(', ')}`);
}
