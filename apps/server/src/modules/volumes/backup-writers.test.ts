import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applicationId, provisionVolume, startStack, type GraphQLClient, type TestStack } from "../../test/harness.js";

const WRITERS = `query($w: ID!) { workspace(id: $w) { storageVolumes { id backupWriters { id name applicationId } } } }`;

let stack: TestStack;
let admin: GraphQLClient;
let acme: string;

beforeAll(async () => {
  stack = await startStack();
  admin = await stack.login("admin@acme.test");
  acme = await stack.workspaceId("acme");
}, 120_000);
afterAll(() => stack?.stop());

describe("a volume a backup writes into", () => {
  it("names its backups before a deletion is tried, and the deletion is refused", async () => {
    const volume = await provisionVolume(admin, acme, "backup-vol-1", 10);
    const shop = await applicationId(admin, acme, "shop");
    const writers = async () =>
      (
        await admin.data<{ workspace: { storageVolumes: Array<{ id: string; backupWriters: unknown[] }> } }>(WRITERS, { w: acme })
      ).workspace.storageVolumes.find((v) => v.id === volume.id)?.backupWriters;
    expect(await writers()).toEqual([]);

    const { createBackup } = await admin.data<{ createBackup: { id: string } }>(
      `mutation($input: CreateBackupInput!) { createBackup(input: $input) { id } }`,
      {
        input: {
          applicationId: shop,
          name: "nightly",
          schedule: "0 2 * * *",
          timeZone: "UTC",
          source: { pvcName: "shop-db-data" },
          destination: { volumeId: volume.id, path: "shop" },
          function: { kind: "TAR", compression: "ZSTD" },
        },
      },
    );
    expect(await writers()).toEqual([{ id: createBackup.id, name: "nightly", applicationId: shop }]);
    const refused = await admin.error(`mutation($id: ID!) { deleteStorageVolume(id: $id) { id } }`, { id: volume.id });
    expect(refused.code).toBe("CONFLICT");
  });
});
