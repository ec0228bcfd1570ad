/** What both sides of the fan-out bench agree on: the document, and how an event's sequence number rides in its payload. */
import { Kind, print, visit, type DocumentNode, type SelectionSetNode } from "graphql";
import { StorageVolumeChangedDocument } from "../../../apps/web/src/gql/graphql.js";

/** The events' sizeGiB is BASE_SIZE + sequence, so a client knows which event it got. Warm-up events come after the measured ones. */
export const BASE_SIZE = 100;
export const WARMUP_FROM = 10_000;

/** The dashboard's own subscription, with the __typename Apollo Client adds to every selection set. */
export const SUBSCRIPTION: string = print(
  visit(StorageVolumeChangedDocument as unknown as DocumentNode, {
    SelectionSet: {
      leave(node: SelectionSetNode, _key, parent) {
        const isOperationRoot = parent && !Array.isArray(parent) && (parent as { kind?: string }).kind === Kind.OPERATION_DEFINITION;
        if (isOperationRoot || node.selections.some((s) => s.kind === Kind.FIELD && s.name.value === "__typename")) return undefined;
        return { ...node, selections: [...node.selections, { kind: Kind.FIELD, name: { kind: Kind.NAME, value: "__typename" } }] };
      },
    },
  }),
);

/** The sequence number of an event as a subscriber received it. */
export const sequenceOf = (payload: unknown): number | undefined => {
  const size = (payload as { data?: { storageVolumeChanged?: { sizeGiB?: number } } })?.data?.storageVolumeChanged?.sizeGiB;
  return typeof size === "number" ? size - BASE_SIZE : undefined;
};
