import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applicationId, eventually, provisionVolume, startStack, type GraphQLClient, type TestStack } from "../../test/harness.js";
import { formatBytes } from "../assistant/figures.js";
import { steadyState } from "../monitoring/steady-state.js";

const ESTIMATE = `query($input: BackupSpaceEstimateInput!) { backupSpaceEstimate(input: $input) {
  basis neededBytes summary basisWords volumeName capacityBytes freeBytes roomBytes destinationWords fits warning forecastDays
  sharing { name heldBytes steadyBytes } } }`;
const CREATE = `mutation($input: CreateBackupInput!) { createBackup(input: $input) { id } }`;
const RUN_NOW = `mutation($id: ID!) { runBackupNow(id: $id) { id } }`;
const RUNS = `query($id: ID!) { backup(id: $id) { runs(first: 10) { nodes { id status bytesWritten startedAt } } } }`;

type Estimate = {
  basis: string;
  neededBytes: number | null;
  summary: string;
  basisWords: string;
  volumeName: string | null;
  capacityBytes: number | null;
  freeBytes: number | null;
  roomBytes: number | null;
  destinationWords: string | null;
  fits: boolean | null;
  warning: string | null;
  forecastDays: number;
  sharing: Array<{ name: string; heldBytes: number; steadyBytes: number | null }>;
};

let stack: TestStack;
let admin: GraphQLClient;
let acme: string;
let shop: string;
let vol: { id: string };
let tiny: { id: string };

beforeAll(async () => {
  stack = await startStack();
  admin = await stack.login("admin@acme.test");
  acme = await stack.workspaceId("acme");
  shop = await applicationId(admin, acme, "shop");
  [vol, tiny] = await Promise.all([provisionVolume(admin, acme, "estimate-vol", 10), provisionVolume(admin, acme, "estimate-tiny", 1)]);
}, 180_000);
afterAll(() => stack?.stop());

const draft = (patch: Record<string, unknown> = {}) => ({
  applicationId: shop,
  sourcePvcName: "shop-db-data",
  functionKind: "TAR",
  format: "PLAIN",
  volumeId: vol.id,
  schedule: "0 2 * * *",
  timeZone: "UTC",
  retention: { keepLast: 3 },
  ...patch,
});
const estimate = async (input: Record<string, unknown>, client = admin) =>
  (await client.data<{ backupSpaceEstimate: Estimate }>(ESTIMATE, { input })).backupSpaceEstimate;

describe("the space a new backup will need", () => {
  it("PLAIN: a whole archive of the source claim per run, as many as retention keeps and the one before its prune", async () => {
    const e = await estimate(draft());
    expect(e.basis).toBe("SOURCE_SIZE");
    const source = e.neededBytes! / 4;
    // The seeded claim holds about 1.25 MiB of files: 1.25 GiB in lab units.
    expect(source).toBeGreaterThan(1.2 * 1024 ** 3);
    expect(source).toBeLessThan(1.4 * 1024 ** 3);
    expect(e.summary).toBe(`~${formatBytes(e.neededBytes!)} with keep-last 3`);
    expect(e.basisWords).toContain(`'shop-db-data', which holds ${formatBytes(source)}`);
    expect(e).toMatchObject({ volumeName: "estimate-vol", capacityBytes: 10 * 1024 ** 3, fits: true, warning: null, forecastDays: 90 });
    expect(e.destinationWords).toBe(`'estimate-vol' has 10 GiB free of 10 GiB; no other backup writes into it`);
  });

  it("RESTIC: one full copy first; what later runs add is known once they ran", async () => {
    const plain = await estimate(draft());
    const e = await estimate(draft({ format: "RESTIC", retention: { keepLast: 7 } }));
    expect(e.neededBytes).toBeCloseTo(plain.neededBytes! / 4, 0);
    expect(e.basisWords).toMatch(/a full first copy; what later runs add \(after deduplication\) is known once it has run/);
  });

  it("warns when the destination is too small, and says by how much", async () => {
    const e = await estimate(draft({ volumeId: tiny.id }));
    expect(e.fits).toBe(false);
    expect(e.warning).toMatch(
      /^This backup will not fit: it needs ~[\d.]+ GiB at steady state, and 'estimate-tiny' has room for 1 GiB once the backups there level off\. .*expand 'estimate-tiny' by at least [\d.]+ GiB\. You can still save it\.$/,
    );
  });

  it("says a database's size is unknown before its first run, and keeps counting without retention", async () => {
    const db = await estimate(draft({ functionKind: "PG_DUMP", sourcePvcName: null }));
    expect(db).toMatchObject({ basis: "UNKNOWN", neededBytes: null, fits: null, summary: "Not known yet" });
    expect(db.basisWords).toMatch(/The database's size is unknown before the backup has run/);
    const forever = await estimate(draft({ retention: null }));
    expect(forever.summary).toMatch(/^~[\d.]+ GiB after 90 days, and growing: with no retention every snapshot stays$/);
  });

  it("is not shown to another workspace", async () => {
    const other = await stack.login("admin@globex.test");
    const res = await other.request(ESTIMATE, { input: draft() });
    expect(res.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
  });
});

describe("the space an existing backup will need, from its runs", () => {
  let backupId: string;
  let runs: Array<{ bytesWritten: number; startedAt: string }>;

  beforeAll(async () => {
    const { createBackup } = await admin.data<{ createBackup: { id: string } }>(CREATE, {
      input: {
        applicationId: shop,
        name: "estimated",
        schedule: "0 2 * * *",
        timeZone: "UTC",
        source: { pvcName: "shop-db-data" },
        destination: { volumeId: vol.id, path: "estimated" },
        function: { kind: "TAR", compression: "ZSTD" },
        format: "PLAIN",
        retention: { keepLast: 3 },
      },
    });
    backupId = createBackup.id;
    for (let i = 0; i < 2; i++) {
      const { runBackupNow } = await admin.data<{ runBackupNow: { id: string } }>(RUN_NOW, { id: backupId });
      await eventually(
        async () => {
          const { backup } = await admin.data<{ backup: { runs: { nodes: Array<{ id: string; status: string }> } } }>(RUNS, {
            id: backupId,
          });
          const run = backup.runs.nodes.find((r) => r.id === runBackupNow.id);
          if (run?.status === "FAILED") throw new Error("the run failed");
          return run?.status === "SUCCEEDED" ? run : undefined;
        },
        "the run to succeed",
        90_000,
      );
    }
    const { backup } = await admin.data<{ backup: { runs: { nodes: Array<{ bytesWritten: number; startedAt: string }> } } }>(RUNS, {
      id: backupId,
    });
    runs = backup.runs.nodes.slice().reverse();
    await stack.services.storageWorker!.cycle();
  }, 240_000);

  it("projects its runs' sizes as the agent does, for the retention in the form", async () => {
    const e = await estimate(draft({ backupId, retention: { keepLast: 2 } }));
    expect(e.basis).toBe("HISTORY");
    expect(e.basisWords).toBe("From its last 2 runs (what each wrote).");
    const expected = steadyState(
      {
        id: backupId,
        label: "x",
        schedule: "0 2 * * *",
        timeZone: "UTC",
        retention: { keepLast: 2 },
        history: runs.map((r) => ({ at: new Date(r.startedAt), bytes: r.bytesWritten })),
      },
      "PLAIN",
      new Date(),
      90,
    )!;
    expect(e.neededBytes).toBeCloseTo(expected.bytes, -3);
    // Three archives at once (two kept and the next before its prune), each about what the runs wrote.
    expect(e.neededBytes! / 3).toBeCloseTo(runs[1]!.bytesWritten, -6);
  });

  it("counts the other backups sharing the volume at their steady state", async () => {
    const e = await estimate(draft({ retention: { keepLast: 1 } }));
    expect(e.sharing).toHaveLength(1);
    const [estimated] = e.sharing;
    expect(estimated!.name).toBe("estimated");
    expect(estimated!.heldBytes).toBeCloseTo(runs[0]!.bytesWritten + runs[1]!.bytesWritten, -3);
    expect(estimated!.steadyBytes! / 4).toBeCloseTo(runs[1]!.bytesWritten, -6);
    expect(e.roomBytes).toBeCloseTo(e.freeBytes! + estimated!.heldBytes - estimated!.steadyBytes!, -3);
    expect(e.destinationWords).toMatch(/; the other backup there will hold ~[\d.]+ GiB at steady state \([\d.]+ GiB now\)$/);
  });
});
