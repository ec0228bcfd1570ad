import { Kind } from "graphql";
import type { DocumentNode, FieldNode, OperationDefinitionNode, VariableDefinitionNode } from "graphql";
import { VolumeRowRefreshQuery } from "../graphql/volume-usage";

/** The most rows one poll re-reads (a screenful and the rows just around it fit well within). */
export const MAX_POLLED_ROWS = 100;

const cache = new Map<number, DocumentNode>();

/**
 * `VolumeRowRefresh` with its `storageVolume(id: $volumeId)` field repeated `count` times, aliased
 * `v0`, `v1`, … with variables `$v0`, `$v1`, …: one request re-reads exactly the rows on screen
 * (the schema has no "these ids" list field). One document per count, so the client's document
 * caches see the same object each time.
 */
export function volumeRowsRefreshQuery(count: number): DocumentNode {
  if (!Number.isInteger(count) || count < 1 || count > MAX_POLLED_ROWS) {
    throw new RangeError(`volumeRowsRefreshQuery: count must be 1..${MAX_POLLED_ROWS}, got ${count}`);
  }
  const cached = cache.get(count);
  if (cached) return cached;

  const template = VolumeRowRefreshQuery as DocumentNode;
  const operation = template.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const workspace = operation?.selectionSet.selections.find((s): s is FieldNode => s.kind === Kind.FIELD && s.name.value === "workspace");
  const volumeField = workspace?.selectionSet?.selections.find(
    (s): s is FieldNode => s.kind === Kind.FIELD && s.name.value === "storageVolume",
  );
  const volumeVar = operation?.variableDefinitions?.find((v) => v.variable.name.value === "volumeId");
  if (!operation || !workspace?.selectionSet || !volumeField || !volumeVar) {
    throw new Error("VolumeRowRefresh no longer has workspace { storageVolume(id: $volumeId) }");
  }

  const name = (value: string) => ({ kind: Kind.NAME, value }) as const;
  const fields: FieldNode[] = [];
  const variables: VariableDefinitionNode[] = [];
  for (let i = 0; i < count; i++) {
    const variable = { kind: Kind.VARIABLE, name: name(`v${i}`) } as const;
    variables.push({ ...volumeVar, variable });
    fields.push({
      ...volumeField,
      alias: name(`v${i}`),
      arguments: (volumeField.arguments ?? []).map((arg) => (arg.name.value === "id" ? { ...arg, value: variable } : arg)),
    });
  }
  const document: DocumentNode = {
    ...template,
    definitions: template.definitions.map((definition) =>
      definition !== operation
        ? definition
        : {
            ...operation,
            name: name("VolumeRowsRefresh"),
            variableDefinitions: [...(operation.variableDefinitions ?? []).filter((v) => v !== volumeVar), ...variables],
            selectionSet: {
              ...operation.selectionSet,
              selections: operation.selectionSet.selections.map((s) =>
                s !== workspace
                  ? s
                  : {
                      ...workspace,
                      selectionSet: {
                        ...workspace.selectionSet!,
                        selections: workspace.selectionSet!.selections.flatMap((f) => (f === volumeField ? fields : [f])),
                      },
                    },
              ),
            },
          },
    ),
  };
  cache.set(count, document);
  return document;
}

/** The variables of `volumeRowsRefreshQuery(ids.length)`. */
export function volumeRowsVariables(workspaceId: string, ids: readonly string[]): Record<string, string> {
  const variables: Record<string, string> = { workspaceId };
  ids.forEach((id, i) => (variables[`v${i}`] = id));
  return variables;
}
