import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agentEvents, backupRuns, capacityAlerts } from "../../db/schema/index.js";
import { applicationId, eventually, provisionVolume, startStack, type GraphQLClient, type TestStack } from "../../test/harness.js";

const MiB = 1024 * 1024;
const CONVERSATION = `query($w: ID!) { assistantConversation(workspaceId: $w) { id author text proposal { volumeName fromSizeGiB suggestedSizeGiB state sizeGiB } } }`;
const REPLY = `mutation($input: ReplyToAssistantInput!) { replyToAssistant(input: $input) { author text } }`;
const ALERTS = `query($w: ID!) { capacityAlerts(workspaceId: $w, includeResolved: true) { state level percent volumeId } }`;

type Message = {
  id: string;
  author: string;
  text: string;
  proposal: { volumeName: string; fromSizeGiB: number; suggestedSizeGiB: number; state: string; sizeGiB: number | null } | null;
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

/** A backup writing into the volume, which makes it a backup storage volume mounted in shop. */
async function backupInto(volumeId: string, name: string, keepLast?: number) {
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
        // Sizes here are the tar archives' (a run adds its whole archive); restic's are covered in the backups module.
        format: "PLAIN",
        retention: keepLast ? { keepLast } : null,
      },
    },
  );
  return createBackup.id;
}

const folderOf = (pv: string) =>
  eventually(async () => {
    const dir = stack.lab.clusters.get("acme")!.volumeFolder(pv);
    return dir && existsSync(dir) ? dir : undefined;
  }, "the volume folder");

async function agents() {
  await stack.services.storageWorker!.cycle();
  await stack.services.orchestration.cycle();
  await stack.services.orchestration.cycle();
  await stack.services.userChat.cycle();
}

const conversation = async (client = admin) =>
  (await client.data<{ assistantConversation: Message[] }>(CONVERSATION, { w: acme })).assistantConversation;

describe("spec 5: a backup volume filling up", () => {
  let vol: { id: string; sizeGiB: number; persistentVolumeName: string };

  it("warns the admin once, in the seed's words, with an expansion that can succeed", async () => {
    vol = await provisionVolume(admin, acme, "backup-vol-1", 10);
    await backupInto(vol.id, "nightly");
    const folder = await folderOf(vol.persistentVolumeName);
    await writeFile(path.join(folder, "filler.bin"), randomBytes(Math.round(8.7 * MiB))); // 8.7 of 10 lab GiB
    await agents();
    const messages = await conversation();
    const warning = messages.find((m) => m.proposal?.volumeName === "backup-vol-1")!;
    expect(warning.text).toMatch(
      /^Your backup storage volume 'backup-vol-1' has reached 8[78]% capacity\. Future backups may fail\. Would you like to expand the volume\?/,
    );
    // 8.7 GiB at most 70% full, rounded as a person would (to 10 GiB steps, no longer 5).
    expect(warning.proposal).toMatchObject({ fromSizeGiB: 10, suggestedSizeGiB: 20, state: "PENDING" });
    const alerts = (await admin.data<{ capacityAlerts: Array<{ state: string; level: string; percent: number }> }>(ALERTS, { w: acme }))
      .capacityAlerts;
    expect(alerts).toEqual([expect.objectContaining({ state: "OPEN", level: "WARNING" })]);

    // Nothing new to say: the next cycles stay quiet, and so does a restarted set of agents.
    await agents();
    const { OrchestrationAgent } = await import("./orchestration-agent.js");
    const { UserChatAgent } = await import("./user-chat-agent.js");
    const { WorkspaceRepository } = await import("../workspaces/workspace.repository.js");
    const { createLogger } = await import("../../logger.js");
    const { createInProcessPubSub } = await import("../../graphql/pubsub.js");
    const logger = createLogger({ silent: true });
    await new OrchestrationAgent({
      db: stack.database.db,
      workspaces: new WorkspaceRepository(stack.database.db),
      proxmox: undefined as never,
      vclusters: undefined as never,
      logger,
    }).cycle();
    await new UserChatAgent({ db: stack.database.db, pubsub: createInProcessPubSub(), logger }).cycle();
    expect((await conversation()).filter((m) => m.author === "ASSISTANT")).toHaveLength(1);
  });

  it("lets a member read the conversation but not consent", async () => {
    expect((await conversation(member)).length).toBeGreaterThan(0);
    expect((await member.error(REPLY, { input: { workspaceId: acme, text: "yes" } })).code).toBe("FORBIDDEN");
  });

  it("asks again when an answer is not understood", async () => {
    const [, reply] = (
      await admin.data<{ replyToAssistant: Message[] }>(REPLY, { input: { workspaceId: acme, text: "hmm, what does it cost?" } })
    ).replyToAssistant;
    expect(reply!.text).toMatch(/"yes"/);
  });

  it("on consent expands through the same path as the Storage section, reports the outcome, and clears the alert", async () => {
    const [, reply] = (await admin.data<{ replyToAssistant: Message[] }>(REPLY, { input: { workspaceId: acme, text: "expand to 20 GiB" } }))
      .replyToAssistant;
    expect(reply!.text).toBe("Expanding 'backup-vol-1' from 10 GiB to 20 GiB now; I'll tell you when it is done.");
    await eventually(async () => {
      const { workspace } = await admin.data<{ workspace: { storageVolume: { status: string; sizeGiB: number } } }>(
        `query($w: ID!, $id: ID!) { workspace(id: $w) { storageVolume(id: $id) { status sizeGiB } } }`,
        { w: acme, id: vol.id },
      );
      return workspace.storageVolume.status === "AVAILABLE" && workspace.storageVolume.sizeGiB === 20 ? true : undefined;
    }, "the volume to grow");
    // The claim's tmpfs grows with the PV: usage falls to 8.7 of 20.
    await eventually(async () => {
      await agents();
      const texts = (await conversation()).map((m) => m.text);
      return texts.some((t) => t.startsWith("Done: 'backup-vol-1' is now 20 GiB")) && texts.some((t) => /is back to 4\d% capacity/.test(t))
        ? true
        : undefined;
    }, "the outcome and the all-clear");
    const alerts = (await admin.data<{ capacityAlerts: Array<{ state: string }> }>(ALERTS, { w: acme })).capacityAlerts;
    expect(alerts.every((a) => a.state === "RESOLVED")).toBe(true);
    const proposal = (await conversation()).find((m) => m.proposal)!.proposal!;
    expect(proposal).toMatchObject({ state: "SUCCEEDED", sizeGiB: 20 });
  });

  it("says so when an answer comes for a proposal already handled", async () => {
    const messages = await conversation();
    const handled = messages.find((m) => m.proposal)!;
    const [, reply] = (
      await admin.data<{ replyToAssistant: Message[] }>(REPLY, { input: { workspaceId: acme, messageId: handled.id, action: "ACCEPT" } })
    ).replyToAssistant;
    expect(reply!.text).toMatch(/already carried out/);
  });

  it("takes no for an answer", async () => {
    const other = await provisionVolume(admin, acme, "scratch-vol", 10);
    await backupInto(other.id, "scratch");
    await writeFile(path.join(await folderOf(other.persistentVolumeName), "filler.bin"), randomBytes(9 * MiB));
    await agents();
    const [, reply] = (await admin.data<{ replyToAssistant: Message[] }>(REPLY, { input: { workspaceId: acme, text: "no" } }))
      .replyToAssistant;
    expect(reply!.text).toMatch(/leave 'scratch-vol' at 10 GiB/);
    expect((await conversation()).find((m) => m.proposal?.volumeName === "scratch-vol")!.proposal!.state).toBe("DECLINED");
  });
});

describe("a backup that failed because its destination was full", () => {
  it("is explained with the backup, the application, the run, the volume's usage and the fix", async () => {
    const tiny = await provisionVolume(admin, acme, "tiny-vol", 1);
    const backupId = await backupInto(tiny.id, "too-big", 3);
    const { runBackupNow } = await admin.data<{ runBackupNow: { id: string } }>(`mutation($id: ID!) { runBackupNow(id: $id) { id } }`, {
      id: backupId,
    });
    await eventually(async () => {
      const { backupRun } = await admin.data<{ backupRun: { status: string; failureReason: string } }>(
        `query($id: ID!) { backupRun(id: $id) { status failureReason } }`,
        { id: runBackupNow.id },
      );
      return backupRun.status === "FAILED" ? backupRun : undefined;
    }, "the run to fail");
    const text = await eventually(async () => {
      await agents();
      return (await conversation()).find((m) => m.text.startsWith("The backup 'too-big'"))?.text;
    }, "the failure notification");
    expect(text, text).toMatch(/of application .shop. failed on .+ \(run hks-backup-too-big-[\w-]+\): its destination volume is full/);
    // What the run needed against what was free, and how much to expand by.
    expect(text).toMatch(/It needed [\d.]+ [KMG]iB; [\d.]+ [KMG]?i?B was free\. To fix it, expand the volume by at least [\d.]+ [KMG]iB/);
    expect(text).toMatch(/Would you like to expand the volume\? I suggest \d+ GiB/);
  });
});

describe("a backup volume whose next runs will not fit", () => {
  const GiB = 1024 ** 3;
  let vol: { id: string; persistentVolumeName: string };
  let backupId: string;
  const addRun = (daysAgo: number) =>
    stack.database.db.insert(backupRuns).values({
      workspaceId: acme,
      backupId,
      kind: "BACKUP",
      trigger: "SCHEDULE",
      status: "SUCCEEDED",
      scheduledAt: new Date(Date.now() - daysAgo * 86400_000),
      finishedAt: new Date(Date.now() - daysAgo * 86400_000),
      bytesWritten: 2 * GiB,
    });
  const usageOf = async () =>
    (
      await admin.data<{ workspace: { storageVolume: { usage: { estimatedFullAt: string | null } | null } } }>(
        `query($w: ID!, $id: ID!) { workspace(id: $w) { storageVolume(id: $id) { usage { estimatedFullAt } } } }`,
        { w: acme, id: vol.id },
      )
    ).workspace.storageVolume.usage;
  const alertsOf = () =>
    stack.database.db
      .select()
      .from(capacityAlerts)
      .where(and(eq(capacityAlerts.volumeId, vol.id), eq(capacityAlerts.state, "OPEN")));

  it("raises no alert, badge or message while the backup has run only once", async () => {
    vol = await provisionVolume(admin, acme, "forecast-vol", 10);
    backupId = await backupInto(vol.id, "nightly-f", 10);
    // 5.5 of 10 lab GiB used, as the run wrote it.
    await writeFile(path.join(await folderOf(vol.persistentVolumeName), "snapshots.bin"), randomBytes(Math.round(5.5 * MiB)));
    await addRun(1);
    await agents();
    expect((await usageOf())?.estimatedFullAt).toBeNull();
    expect(await alertsOf()).toEqual([]);
    expect((await conversation()).filter((m) => m.text.includes("forecast-vol"))).toEqual([]);
  });

  it("after two runs of 2 GiB, names the run that will not fit, with what it needs and what will be free", async () => {
    await addRun(2);
    await agents();
    // About 4.5 GiB free: the next two nightly runs fit, the third does not (2 GiB needed, about 0.5 GiB free).
    expect((await usageOf())?.estimatedFullAt).not.toBeNull();
    expect((await alertsOf()).map((a) => a.level)).toEqual(["FORECAST"]);
    const text = (await conversation()).find((m) => m.text.includes("'forecast-vol'"))?.text;
    expect(text, text).toMatch(
      /^The backup 'nightly-f' of shop on \w{3} \d{1,2} \w{3}, 02:00 UTC will not fit in 'forecast-vol' \(needs 2 GiB, [\d.]+ [KM]iB free\)\. 'forecast-vol' is at 5\d% capacity\. Would you like to expand the volume\?/,
    );
  });

  it("says an all-clear only for an alert the admin was warned about", async () => {
    const { AgentEventRepository } = await import("./agent-events.repository.js");
    const before = (await conversation()).length;
    // A clear for an alert that never reached the admin (its warning was never said): nothing to say.
    await new AgentEventRepository(stack.database.db).send({
      workspaceId: acme,
      fromAgent: "STORAGE_WORKER",
      toAgent: "ORCHESTRATION",
      kind: "CAPACITY_CLEARED",
      dedupeKey: "alert:00000000-0000-4000-8000-000000000000:cleared",
      payload: { alertId: "00000000-0000-4000-8000-000000000000", volumeId: vol.id, percent: 20, threshold: 85 },
    });
    await agents();
    const [handled] = await stack.database.db
      .select()
      .from(agentEvents)
      .where(eq(agentEvents.dedupeKey, "alert:00000000-0000-4000-8000-000000000000:cleared"));
    expect(handled?.outcome).toBe("nothing to say");
    expect((await conversation()).slice(before).filter((m) => /is back to/.test(m.text))).toEqual([]);
  });
});
