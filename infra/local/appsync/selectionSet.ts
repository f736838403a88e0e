import {
  getDirectiveValues,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  print,
  type FieldNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';

/** The parts of graphql's resolve info the selection-set views need. */
export interface SelectionSource {
  readonly fieldNodes: readonly FieldNode[];
  readonly fragments: Readonly<Record<string, FragmentDefinitionNode>>;
  readonly variableValues: Readonly<Record<string, unknown>>;
}

function isIncluded(node: SelectionNode, variables: Readonly<Record<string, unknown>>): boolean {
  if (getDirectiveValues(GraphQLSkipDirective, node, variables)?.['if'] === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, node, variables)?.['if'] !== false;
}

/**
 * AppSync's `info.selectionSetList`: every field below the resolved one as a slash-separated path of response
 * keys (an alias replaces the field name), fragments expanded, `__typename` left out, each path once.
 */
export function selectionSetList(source: SelectionSource): string[] {
  const paths = new Set<string>();
  const collect = (selectionSet: SelectionSetNode, prefix: string): void => {
    for (const selection of selectionSet.selections) {
      if (!isIncluded(selection, source.variableValues)) continue;
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value.startsWith('__')) continue;
        const path = prefix + (selection.alias ?? selection.name).value;
        paths.add(path);
        if (selection.selectionSet) collect(selection.selectionSet, `${path}/`);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        collect(selection.selectionSet, prefix);
      } else {
        const fragment = source.fragments[selection.name.value];
        if (fragment) collect(fragment.selectionSet, prefix);
      }
    }
  };
  for (const node of source.fieldNodes) if (node.selectionSet) collect(node.selectionSet, '');
  return [...paths];
}

/** AppSync's `info.selectionSetGraphQL`: the selection set as written, fragment spreads kept, inline fragments kept. */
export function selectionSetGraphQL(source: SelectionSource): string {
  const selections = source.fieldNodes.flatMap((node) => node.selectionSet?.selections ?? []);
  return selections.length === 0 ? '' : print({ kind: Kind.SELECTION_SET, selections });
}

/** The operation's top-level fields by response key (graphql merges repeats of one key), fragments expanded. */
export function rootFields(
  operation: OperationDefinitionNode,
  fragments: Readonly<Record<string, FragmentDefinitionNode>>,
  variables: Readonly<Record<string, unknown>>,
): { readonly responseKey: string; readonly node: FieldNode }[] {
  const fields: { responseKey: string; node: FieldNode }[] = [];
  const collect = (selectionSet: SelectionSetNode): void => {
    for (const selection of selectionSet.selections) {
      if (!isIncluded(selection, variables)) continue;
      if (selection.kind === Kind.FIELD) {
        const responseKey = (selection.alias ?? selection.name).value;
        if (!fields.some((field) => field.responseKey === responseKey)) fields.push({ responseKey, node: selection });
      }
      else if (selection.kind === Kind.INLINE_FRAGMENT) collect(selection.selectionSet);
      else if (fragments[selection.name.value]) collect(fragments[selection.name.value]!.selectionSet);
    }
  };
  collect(operation.selectionSet);
  return fields;
}
