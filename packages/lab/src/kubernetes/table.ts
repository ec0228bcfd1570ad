import type { KindDef } from "./kinds/kind.js";
import { humanAge } from "./kinds/kind.js";
import { DEFAULT_CLASS_ANNOTATION } from "./kinds/persistent-volume-claim.js";
import type { KubeObject } from "./types.js";

/** Server-side printing (meta.k8s.io/v1 Table), which `kubectl get` asks for. */
export function toTable(def: KindDef, items: KubeObject[], resourceVersion: string, includeObject: string | null): unknown {
  const columns = def.columns ?? [];
  const lastSeen = def.kind === "Event" ? columns.find((c) => c.name === "Last Seen") : undefined;
  const rest = columns.filter((c) => c !== lastSeen);
  const columnDefinitions = [
    ...(lastSeen ? [{ name: "Last Seen", type: "string", format: "", description: "", priority: 0 }] : []),
    ...(def.kind === "Event"
      ? []
      : [{ name: "Name", type: "string", format: "name", description: "Name must be unique within a namespace.", priority: 0 }]),
    ...rest.map((c) => ({
      name: c.name,
      type: c.type,
      format: c.format ?? "",
      description: c.description ?? "",
      priority: c.priority ?? 0,
    })),
    ...(def.kind === "Event"
      ? []
      : [
          {
            name: "Age",
            type: "string",
            format: "",
            description: "CreationTimestamp is a timestamp representing the server time when this object was created.",
            priority: 0,
          },
        ]),
  ];
  const rows = items.map((obj) => {
    let name = obj.metadata.name ?? "";
    if (def.kind === "StorageClass" && obj.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === "true") name += " (default)";
    const cells = [
      ...(lastSeen ? [lastSeen.cell(obj)] : []),
      ...(def.kind === "Event" ? [] : [name]),
      ...rest.map((c) => c.cell(obj)),
      ...(def.kind === "Event" ? [] : [humanAge(obj.metadata.creationTimestamp)]),
    ];
    const row: Record<string, unknown> = { cells };
    if (includeObject === "Object") row.object = obj;
    else if (includeObject !== "None") row.object = { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: obj.metadata };
    return row;
  });
  return { kind: "Table", apiVersion: "meta.k8s.io/v1", metadata: { resourceVersion }, columnDefinitions, rows };
}
