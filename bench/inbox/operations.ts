import { type DefinitionNode, type DocumentNode, Kind, print, visit } from 'graphql';
import { webDocuments } from '../../schema/codegen.ts';

/**
 * The console's own operations (web/src), as it sends them: the named operation with every fragment it
 * spreads, transitively. The benchmark times what the browser asks for, not a lighter stand-in.
 */
export function consoleOperation(name: string): string {
  const definitions = webDocuments().flatMap(({ document }) => document.definitions);
  const operation = definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION && definition.name?.value === name);
  if (operation === undefined) throw new Error(`the console has no operation ${name}`);
  const fragments = new Map(
    definitions.flatMap((definition) => (definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition] as const] : [])),
  );
  const included = new Map<string, DefinitionNode>();
  const include = (definition: DefinitionNode) =>
    visit(definition, {
      FragmentSpread(spread) {
        const fragment = fragments.get(spread.name.value);
        if (fragment === undefined) throw new Error(`${name} spreads the unknown fragment ${spread.name.value}`);
        if (included.has(spread.name.value)) return;
        included.set(spread.name.value, fragment);
        include(fragment);
      },
    });
  include(operation);
  const document: DocumentNode = { kind: Kind.DOCUMENT, definitions: [operation, ...included.values()] };
  return print(document);
}
