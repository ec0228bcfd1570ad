import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Kind, type DocumentNode, type FieldNode, type OperationDefinitionNode, type VariableDefinitionNode } from "graphql";

const web = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../web/src");

/**
 * Every operation the dashboard sends, read from its generated documents (apps/web/src/gql/graphql.ts), plus
 * the one it builds at run time: VolumeRowRefresh's storageVolume field aliased once per polled row, at the
 * most rows the dashboard polls (MAX_POLLED_ROWS in volume-rows-query.ts). For tests and the cost bench.
 */
export function dashboardDocuments(): Map<string, DocumentNode> {
  const text = readFileSync(path.join(web, "gql/graphql.ts"), "utf8");
  const documents = new Map<string, DocumentNode>();
  for (const match of text.matchAll(/export const (\w+)Document = (\{"kind":"Document".*?) as unknown as DocumentNode/g)) {
    documents.set(match[1]!, JSON.parse(match[2]!) as DocumentNode);
  }
  const rows = readFileSync(path.join(web, "features/storage/utils/volume-rows-query.ts"), "utf8").match(/MAX_POLLED_ROWS = (\d+)/);
  const refresh = documents.get("VolumeRowRefresh");
  if (refresh && rows) documents.set(`VolumeRowsRefresh(${rows[1]})`, aliasedRows(refresh, Number(rows[1])));
  return documents;
}

/** The same document volumeRowsRefreshQuery(count) builds in the dashboard. */
function aliasedRows(template: DocumentNode, count: number): DocumentNode {
  const operation = template.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const workspace = operation.selectionSet.selections.find((s): s is FieldNode => s.kind === Kind.FIELD && s.name.value === "workspace")!;
  const volume = workspace.selectionSet!.selections.find((s): s is FieldNode => s.kind === Kind.FIELD && s.name.value === "storageVolume")!;
  const volumeVariable = operation.variableDefinitions!.find((v) => v.variable.name.value === "volumeId")!;
  const name = (value: string) => ({ kind: Kind.NAME, value }) as const;
  const fields: FieldNode[] = [];
  const variables: VariableDefinitionNode[] = [];
  for (let i = 0; i < count; i++) {
    const variable = { kind: Kind.VARIABLE, name: name(`v${i}`) } as const;
    variables.push({ ...volumeVariable, variable });
    fields.push({
      ...volume,
      alias: name(`v${i}`),
      arguments: (volume.arguments ?? []).map((a) => (a.name.value === "id" ? { ...a, value: variable } : a)),
    });
  }
  const selections = workspace.selectionSet!.selections.flatMap((f) => (f === volume ? fields : [f]));
  const rewritten: OperationDefinitionNode = {
    ...operation,
    variableDefinitions: [...operation.variableDefinitions!.filter((v) => v !== volumeVariable), ...variables],
    selectionSet: {
      ...operation.selectionSet,
      selections: operation.selectionSet.selections.map((s) =>
        s === workspace ? { ...workspace, selectionSet: { ...workspace.selectionSet!, selections } } : s,
      ),
    },
  };
  return { ...template, definitions: template.definitions.map((d) => (d === operation ? rewritten : d)) };
}
