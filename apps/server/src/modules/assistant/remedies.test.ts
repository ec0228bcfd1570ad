import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { backupRuns, plans, workspaces } from "../../db/schema/index.js";
import { applicationId, eventually, provisionVolume, startStack, type GraphQLClient, type TestStack } from "../../test/harness.js";

const GiB = 1024 ** 3;
const CONVERSATION = `query($w: ID!) { assistantConversation(workspaceId: $w) { id author text
  proposal { volumeName state applied expandable remedies { kind label backupName keepLast freesBytes toVolumeId toVolumeName freeBytes } } } }`;
const REPLY = `mutation($input: ReplyToAssistantInput!) { replyToAssistant(input: $input) { author text } }`;
const BACKUP = `query($id: ID!) { backup(id: $id) { retention { keepLast } destination { volumeId path } } }`;
const SET_DAYS = `mutation($w: ID!, $d: Int!) { setWorkspaceForecastDays(workspaceId: $w, days: $d) { id forecastDays } }`;

type Remedy = {
  kind: string;
  label: string;
  keepLast: number | null;
  freesBytes: number | null;
  toVolumeId: string | null;
  toVolumeName: string | null;
};
type Message = {
  id: string;
  author: string;
  text: string;
  proposal: { state: string; applied: string | null; remedies: Remedy[] | null } | null;
};

let stack: TestStack;
let admin: GraphQLClient;
let member: GraphQLClient;
let acme: string;
let shop: string;

beforeAll(async () => {
  stack = await startStack();
  admin = await stack.login("admin@acme.test");
  member = await stack.login("dev@acme.test");
  acme = await stack.workspaceId("acme");
  shop = await applicationId(admin, acme, "shop");
}, 120_000);
afterAll(() => stack?.stop());

async function backupInto(volumeId: string, name: string, keepLast: number) {
  const { createBackup } = await admin.data<{ createBackup: { id: string } }>(
    `mutation($input: CreateBackupInput!) { createBackup(input: $input) { id } }`,
    {
      input: {
        applicationId: shop,
        name,
        schedule: "0 2 * * *",
        timeZone: "UTC",
        source: { pvcName: "shop-db-data" },
        destination: { volumeId, path: name },
        function: { kind: "TAR", compression: "ZSTD" },
        format: "PLAIN",
        retention: { keepLast },
      },
    },
  );
  return createBackup.id;
}

async function agents() {
  await stack.services.storageWorker!.cycle();
  await stack.services.orchestration.cycle();
  await stack.services.orchestration.cycle();
  await stack.services.userChat.cycle();
}

const conversation = async () => (await admin.data<{ assistantConversation: Message[] }>(CONVERSATION, { w: acme })).assistantConversation;

describe("the days an expansion is sized for", () => {
  it("is 90 unless a Workspace Admin sets it, within 7 to 730 days, and a member cannot", async () => {
    const read = async () =>
      (await admin.data<{ workspace: { forecastDays: number } }>(`query($w: ID!) { workspace(id: $w) { forecastDays } }`, { w: acme }))
        .workspace.forecastDays;
    expect(await read()).toBe(90);
    const tooShort = await admin.request(SET_DAYS, { w: acme, d: 3 });
    expect(tooShort.errors?.[0]?.extensions?.code).toBe("INVALID_INPUT");
    expect(tooShort.errors?.[0]?.message).toMatch(/^Size expansions for between 7 and 730 whole days \(3 was given\)/);
    const byMember = await member.request(SET_DAYS, { w: acme, d: 30 });
    expect(byMember.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(await read()).toBe(90);
    const { setWorkspaceForecastDays } = await admin.data<{ setWorkspaceForecastDays: { forecastDays: number } }>(SET_DAYS, {
      w: acme,
      d: 30,
    });
    expect(setWorkspaceForecastDays.forecastDays).toBe(30);
    expect(await read()).toBe(30);
    await admin.data(SET_DAYS, { w: acme, d: 90 });
  });
});

describe("the remedies of a run that did not fit, as clicks", () => {
  let tooBig: string;
  let roomy: { id: string };
  let tiny: { id: string };
  let notice: Message;

  beforeAll(async () => {
    [roomy, tiny] = await Promise.all([provisionVolume(admin, acme, "roomy-vol", 20), provisionVolume(admin, acme, "tiny-rem", 1)]);
    // A backup writing into the roomy volume mounts it, so the monitoring knows its free space.
    await backupInto(roomy.id, "other", 3);
    tooBig = await backupInto(tiny.id, "too-big", 5);
    // Snapshots it kept from before the source grew: half a GiB each, what lowering its retention would free.
    for (let daysAgo = 3; daysAgo >= 1; daysAgo--) {
      const at = new Date(Date.now() - daysAgo * 86400_000);
      await stack.database.db.insert(backupRuns).values({
        workspaceId: acme,
        backupId: tooBig,
        kind: "BACKUP",
        trigger: "SCHEDULE",
        status: "SUCCEEDED",
        scheduledAt: at,
        finishedAt: at,
        bytesWritten: 0.5 * GiB,
        snapshot: `2026120${daysAgo}T020000Z.tar.zst`,
      });
    }
    await agents();
    const { runBackupNow } = await admin.data<{ runBackupNow: { id: string } }>(`mutation($id: ID!) { runBackupNow(id: $id) { id } }`, {
      id: tooBig,
    });
    await eventually(
      async () => {
        const { backupRun } = await admin.data<{ backupRun: { status: string } }>(`query($id: ID!) { backupRun(id: $id) { status } }`, {
          id: runBackupNow.id,
        });
        return backupRun.status === "FAILED" ? backupRun : undefined;
      },
      "the run to fail",
      90_000,
    );
    notice = await eventually(async () => {
      await agents();
      return (await conversation()).find((m) => m.text.startsWith("The backup 'too-big' of application"));
    }, "the failure notice");
  }, 240_000);

  it("offers lowering the retention and moving the backup, each with its figures, next to the expansion", () => {
    expect(notice.text).toMatch(
      /To fix it, expand the volume by at least [\d.]+ [KMG]iB; lower its retention to keep the last \d \(it keeps 5\), which frees [\d.]+ [KMG]iB; or move the backup to 'roomy-vol', which has [\d.]+ GiB free\./,
    );
    expect(notice.text).toMatch(/Would you like to expand the volume\? I suggest \d+ GiB/);
    const remedies = notice.proposal!.remedies!;
    expect(remedies.map((r) => r.kind)).toEqual(["LOWER_RETENTION", "MOVE_BACKUP"]);
    const [lower, move] = remedies;
    expect(notice.text).toContain(`keep the last ${lower!.keepLast}`);
    expect(lower!.label).toMatch(new RegExp(`^Keep the last ${lower!.keepLast} \\(frees [\\d.]+ [KMG]iB\\)$`));
    expect(move).toMatchObject({ toVolumeId: roomy.id, toVolumeName: "roomy-vol" });
  });

  it("refuses a member's click", async () => {
    const res = await member.request(REPLY, {
      input: { workspaceId: acme, messageId: notice.id, action: "ACCEPT", remedy: "MOVE_BACKUP" },
    });
    expect(res.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const { backup } = await admin.data<{ backup: { destination: { volumeId: string } } }>(BACKUP, { id: tooBig });
    expect(backup.destination.volumeId).toBe(tiny.id);
  });

  it("lowers the retention on the admin's click and says what it frees", async () => {
    const lower = notice.proposal!.remedies![0]!;
    const { replyToAssistant } = await admin.data<{ replyToAssistant: Array<{ author: string; text: string }> }>(REPLY, {
      input: { workspaceId: acme, messageId: notice.id, action: "ACCEPT", remedy: "LOWER_RETENTION" },
    });
    expect(replyToAssistant.map((m) => m.author)).toEqual(["USER", "ASSISTANT"]);
    expect(replyToAssistant[0]!.text).toBe(lower.label);
    expect(replyToAssistant[1]!.text).toMatch(
      new RegExp(
        `^Done: the backup 'too-big' now keeps the last ${lower.keepLast} snapshots \\(it kept 5\\); its next prune frees [\\d.]+ [KMG]iB\\.$`,
      ),
    );
    const { backup } = await admin.data<{ backup: { retention: { keepLast: number } } }>(BACKUP, { id: tooBig });
    expect(backup.retention.keepLast).toBe(lower.keepLast);
    const after = (await conversation()).find((m) => m.id === notice.id)!;
    expect(after.proposal).toMatchObject({ state: "SUCCEEDED", applied: "LOWER_RETENTION" });
    // Chosen once: a second click finds the proposal handled and changes nothing.
    const again = await admin.data<{ replyToAssistant: Array<{ text: string }> }>(REPLY, {
      input: { workspaceId: acme, messageId: notice.id, action: "ACCEPT", remedy: "MOVE_BACKUP" },
    });
    expect(again.replyToAssistant[1]!.text).toMatch(/already carried out/);
    const still = await admin.data<{ backup: { destination: { volumeId: string } } }>(BACKUP, { id: tooBig });
    expect(still.backup.destination.volumeId).toBe(tiny.id);
  });

  it("moves the backup to the volume with room on the admin's answer", async () => {
    // The same failure once more, to get a fresh proposal.
    const { runBackupNow } = await admin.data<{ runBackupNow: { id: string } }>(`mutation($id: ID!) { runBackupNow(id: $id) { id } }`, {
      id: tooBig,
    });
    await eventually(
      async () => {
        const { backupRun } = await admin.data<{ backupRun: { status: string } }>(`query($id: ID!) { backupRun(id: $id) { status } }`, {
          id: runBackupNow.id,
        });
        return backupRun.status === "FAILED" ? backupRun : undefined;
      },
      "the run to fail",
      90_000,
    );
    const fresh = await eventually(async () => {
      await agents();
      return (await conversation()).find(
        (m) => m.id !== notice.id && m.text.startsWith("The backup 'too-big' of application") && m.proposal?.state === "PENDING",
      );
    }, "the second failure notice");
    expect(fresh.proposal!.remedies!.some((r) => r.kind === "MOVE_BACKUP")).toBe(true);
    const { replyToAssistant } = await admin.data<{ replyToAssistant: Array<{ text: string }> }>(REPLY, {
      input: { workspaceId: acme, messageId: fresh.id, text: "move it" },
    });
    expect(replyToAssistant[1]!.text).toMatch(
      /^Done: the backup 'too-big' now writes into 'roomy-vol' \([\d.]+ GiB free\), in its folder 'too-big'\. Its snapshots so far stay where they were\.$/,
    );
    const { backup } = await admin.data<{ backup: { destination: { volumeId: string; path: string } } }>(BACKUP, { id: tooBig });
    expect(backup.destination).toEqual({ volumeId: roomy.id, path: "too-big" });
  });
});

describe("a run that did not fit on a volume that cannot be expanded now", () => {
  it("offers the other fixes alone, a 'yes' expands nothing, and a fix still applies", async () => {
    const db = stack.database.db;
    const vol = await provisionVolume(admin, acme, "tiny-blocked", 1);
    const backupId = await backupInto(vol.id, "blocked", 4);
    for (let daysAgo = 3; daysAgo >= 1; daysAgo--) {
      const at = new Date(Date.now() - daysAgo * 86400_000);
      await db.insert(backupRuns).values({
        workspaceId: acme,
        backupId,
        kind: "BACKUP",
        trigger: "SCHEDULE",
        status: "SUCCEEDED",
        scheduledAt: at,
        finishedAt: at,
        bytesWritten: 0.5 * GiB,
        snapshot: `2026120${daysAgo}T020000Z.tar.zst`,
      });
    }
    const [{ planId }] = (await db.select({ planId: workspaces.planId }).from(workspaces).where(eq(workspaces.id, acme))) as [
      { planId: string },
    ];
    const [{ ceiling }] = (await db.select({ ceiling: plans.storageCeilingGiB }).from(plans).where(eq(plans.id, planId))) as [
      { ceiling: number },
    ];
    // The plan's storage used up: no expansion can succeed.
    await db.update(plans).set({ storageCeilingGiB: 0 }).where(eq(plans.id, planId));
    try {
      const { runBackupNow } = await admin.data<{ runBackupNow: { id: string } }>(`mutation($id: ID!) { runBackupNow(id: $id) { id } }`, {
        id: backupId,
      });
      await eventually(
        async () => {
          const { backupRun } = await admin.data<{ backupRun: { status: string } }>(`query($id: ID!) { backupRun(id: $id) { status } }`, {
            id: runBackupNow.id,
          });
          return backupRun.status === "FAILED" ? backupRun : undefined;
        },
        "the run to fail",
        90_000,
      );
      const notice = await eventually(async () => {
        await agents();
        return (await conversation()).find((m) => m.text.startsWith("The backup 'blocked' of application"));
      }, "the failure notice");
      expect(notice.text).toMatch(/It cannot be expanded right now: the workspace has used all of its .+ plan's storage/);
      expect(notice.proposal).toMatchObject({ state: "PENDING", expandable: false });
      const lower = notice.proposal!.remedies!.find((r) => r.kind === "LOWER_RETENTION")!;
      expect(lower.keepLast).toBeGreaterThanOrEqual(1);

      const yes = await admin.data<{ replyToAssistant: Array<{ text: string }> }>(REPLY, {
        input: { workspaceId: acme, messageId: notice.id, text: "yes" },
      });
      expect(yes.replyToAssistant[1]!.text).toBe(
        "'tiny-blocked' cannot be expanded right now; choose one of the other fixes offered, or dismiss.",
      );
      const { replyToAssistant } = await admin.data<{ replyToAssistant: Array<{ text: string }> }>(REPLY, {
        input: { workspaceId: acme, messageId: notice.id, action: "ACCEPT", remedy: "LOWER_RETENTION" },
      });
      expect(replyToAssistant[1]!.text).toMatch(/^Done: the backup 'blocked' now keeps the last \d+ snapshots \(it kept 4\)/);
      const { backup } = await admin.data<{ backup: { retention: { keepLast: number } } }>(BACKUP, { id: backupId });
      expect(backup.retention.keepLast).toBe(lower.keepLast);
    } finally {
      await db.update(plans).set({ storageCeilingGiB: ceiling }).where(eq(plans.id, planId));
    }
  }, 180_000);
});
