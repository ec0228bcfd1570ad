import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applicationId, eventually, provisionVolume, startStack, type GraphQLClient, type TestStack } from "../../test/harness.js";

const GiB = 1024 ** 3;

const CREATE = `mutation($input: CreateBackupInput!) { createBackup(input: $input) { id } }`;
const RUN_NOW = `mutation($id: ID!) { runBackupNow(id: $id) { id } }`;
const RUNS = `query($id: ID!) { backup(id: $id) { runs(first: 10) { nodes { id status message bytesWritten logs } } } }`;
const USAGE = `query($w: ID!, $id: ID!) { workspace(id: $w) { storageVolume(id: $id) { usage { usedBytes capacityBytes } } } }`;
const PLATFORM = `{ platform { lab bytesPerGiB note } }`;

type Run = { id: string; status: string; message: string | null; bytesWritten: number | null; logs: string | null };
type Usage = { usedBytes: number; capacityBytes: number };

let stack: TestStack;
let admin: GraphQLClient;
let acme: string;
let shop: string;
let volume: { id: string };

beforeAll(async () => {
  stack = await startStack();
  admin = await stack.login("admin@acme.test");
  acme = await stack.workspaceId("acme");
  shop = await applicationId(admin, acme, "shop");
  volume = await provisionVolume(admin, acme, "units-vol", 20);
}, 120_000);
afterAll(() => stack?.stop());

/** The volume's usage as the Storage table shows it, after a fresh sample. */
const usage = () =>
  eventually(async () => {
    await stack.services.storageWorker!.cycle();
    const { workspace } = await admin.data<{ workspace: { storageVolume: { usage: Usage | null } } }>(USAGE, { w: acme, id: volume.id });
    return workspace.storageVolume.usage ?? undefined;
  }, "the volume's usage");

describe("sizes on the lab", () => {
  it("says once that the platform is the lab and what a GiB is here", async () => {
    const { platform } = await admin.data<{ platform: { lab: boolean; bytesPerGiB: number; note: string } }>(PLATFORM);
    expect(platform).toMatchObject({ lab: true, bytesPerGiB: stack.lab.bytesPerGiB });
    expect(platform.note).toContain("1 GiB here is 1 MiB on this machine");
    expect((await stack.anonymous().request(PLATFORM)).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("reports a run's size in the unit of the volume usage it grew, in the row, its message and its log", async () => {
    const { createBackup } = await admin.data<{ createBackup: { id: string } }>(CREATE, {
      input: {
        applicationId: shop,
        name: "units",
        schedule: "0 3 * * *",
        timeZone: "UTC",
        source: { pvcName: "shop-db-data" },
        destination: { volumeId: volume.id, path: "units" },
        function: { kind: "TAR" },
        // The tar function's space check is what the log assertion reads.
        format: "PLAIN",
        retention: { keepLast: 3 },
      },
    });
    const before = await usage();
    expect(before.capacityBytes).toBe(20 * GiB);
    const { runBackupNow } = await admin.data<{ runBackupNow: { id: string } }>(RUN_NOW, { id: createBackup.id });
    const run = await eventually(
      async () => {
        const { backup } = await admin.data<{ backup: { runs: { nodes: Run[] } } }>(RUNS, { id: createBackup.id });
        const r = backup.runs.nodes.find((n) => n.id === runBackupNow.id);
        return r?.status === "SUCCEEDED" && r.logs !== null ? r : undefined;
      },
      "the run to succeed",
      30_000,
    );
    const after = await usage();
    const grew = after.usedBytes - before.usedBytes;
    // The archive is the growth, give or take the folder and page rounding (a real 4 KiB page is 4 lab MiB).
    expect(run.bytesWritten!).toBeGreaterThan(GiB / 2);
    expect(Math.abs(grew - run.bytesWritten!)).toBeLessThan(run.bytesWritten! * 0.05);
    const shown = `${(run.bytesWritten! / GiB).toFixed(1)} GiB`;
    expect(run.message).toContain(shown);
    // The log's space check reads the destination like the Storage table: free of its 20 GiB, not of 20 real MiB.
    expect(run.logs).toMatch(/destination free [\d.]+ GiB of 20\.0 GiB/);
  });
});
