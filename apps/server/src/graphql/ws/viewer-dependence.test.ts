import "reflect-metadata";
import { getOperationAST, parse } from "graphql";
import { beforeAll, describe, expect, it } from "vitest";
import { createInProcessPubSub } from "../pubsub.js";
import { buildAppSchema } from "../schema.js";
import { firstViewerDependentField } from "./viewer-dependence.js";
import { viewerIndependentFields } from "./viewer-independent-fields.js";

let check: (query: string) => string | null;

beforeAll(async () => {
  const schema = await buildAppSchema({ pubsub: createInProcessPubSub() });
  const independent = viewerIndependentFields();
  check = (query) => {
    const document = parse(query);
    return firstViewerDependentField(schema, document, getOperationAST(document)!, independent);
  };
});

describe("which subscriptions may share one execution across viewers", () => {
  it("shares the dashboard's volume subscription, cost and usage included", () => {
    expect(
      check(`subscription($w: ID!) { storageVolumeChanged(workspaceId: $w) { __typename id ...Row } }
             fragment Row on StorageVolume { name sizeGiB requestedSizeGiB status monthlyCost currency createdAt usage { percent sampledAt } usageHistory { at } }`),
    ).toBeNull();
    expect(check(`subscription($w: ID!) { assistantMessageAdded(workspaceId: $w) { id text proposal { state } } }`)).toBeNull();
  });

  it("does not share a backup run's log, which is fetched only for the viewer's own workspaces", () => {
    expect(check(`subscription($a: ID!) { backupRunChanged(applicationId: $a) { id status durationSeconds } }`)).toBeNull();
    expect(check(`subscription($a: ID!) { backupRunChanged(applicationId: $a) { id ... on BackupRun { logs } } }`)).toBe("BackupRun.logs");
  });

  it("treats a resolver nobody vouched for as reading the viewer", () => {
    expect(check(`query { me { email } }`)).toBe("Query.me");
  });
});
