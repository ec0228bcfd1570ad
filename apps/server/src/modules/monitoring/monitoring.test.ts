import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applications, backupRuns, backups, capacityAlerts, volumeUsage } from "../../db/schema/index.js";
import { createLogger } from "../../logger.js";
import { VClusters } from "../../platform/kubernetes/vclusters.js";
import { PrometheusClient, ScrapeClient } from "../../platform/prometheus/client.js";
import {
  eventually,
  freePort,
  provisionVolume,
  startStack,
  type GraphQLClient,
  type ProvisionedVolume,
  type TestStack,
} from "../../test/harness.js";
import { mountVolume } from "../../test/kube.js";
import { WorkspaceRepository } from "../workspaces/workspace.repository.js";
import { answerAboutVolume } from "../assistant/volume-answers.js";
import { VolumeRepository } from "../volumes/volume.repository.js";
import { rowsOf } from "../../db/rows.js";
import { StorageWorkerAgent } from "./storage-worker-agent.js";

const MiB = 1024 * 1024;
const GiB = 1024 ** 3;

let stack: TestStack;
let admin: GraphQLClient;
let acme: string;
let volume: ProvisionedVolume;
let folder: string;

const USAGE = `query($w: ID!, $id: ID!) { workspace(id: $w) { storageVolume(id: $id) { usage { usedBytes capacityBytes percent estimatedFullAt } usageHistory(hours: 1) { usedBytes } } } }`;
type Usage = { usedBytes: number; capacityBytes: number; percent: number; estimatedFullAt: string | null };

beforeAll(async () => {
  stack = await startStack();
  admin = await stack.login("admin@acme.test");
  acme = await stack.workspaceId("acme");
  volume = await provisionVolume(admin, acme, "mon-vol", 10);
  // An application mounts it through a claim, as a backup's destination would be.
  folder = await mountVolume(stack.lab, "acme", volume, "mon-claim");
}, 120_000);
afterAll(() => stack?.stop());

const usage = async () =>
  (
    await admin.data<{ workspace: { storageVolume: { usage: Usage | null; usageHistory: Array<{ usedBytes: number }> } } }>(USAGE, {
      w: acme,
      id: volume.id,
    })
  ).workspace.storageVolume;

describe("the StorageWorkerAgent", () => {
  it("reads every volume's usage with one query per cycle, as a share of its capacity", async () => {
    await writeFile(path.join(folder, "a.bin"), randomBytes(6 * MiB)); // 6 real MiB = 6 lab GiB of 10
    const result = await stack.services.storageWorker!.cycle();
    expect(result).toMatchObject({ queries: 1, sampled: 1 });
    const { usage: u } = await usage();
    expect(u!.capacityBytes).toBe(10 * GiB);
    expect(u!.percent).toBeGreaterThanOrEqual(60);
    expect(u!.percent).toBeLessThan(61);
  });

  // The least-squares forecast used to call this "full within a minute"; a trend over seconds is no evidence.
  it("does not forecast from seconds of growth: a trend needs 6 hours of samples", async () => {
    for (let i = 0; i < 2; i++) {
      await writeFile(path.join(folder, `grow-${i}.bin`), randomBytes(1 * MiB));
      await new Promise((r) => setTimeout(r, 300));
      await stack.services.storageWorker!.cycle();
    }
    const { usage: u, usageHistory } = await usage();
    expect(usageHistory.length).toBeGreaterThanOrEqual(3);
    expect(u!.percent).toBeGreaterThanOrEqual(80);
    expect(u!.estimatedFullAt).toBeNull();
  });

  it("maps the host kubelet's synced claim names back to the volume", async () => {
    const agent = new StorageWorkerAgent({
      db: stack.database.db,
      vclusters: new VClusters(stack.lab.dir!),
      workspaces: new WorkspaceRepository(stack.database.db),
      metrics: new ScrapeClient(() => [{ url: stack.lab.kubeletMetricsUrl }]),
      logger: createLogger({ silent: true }),
    });
    expect(await agent.cycle()).toMatchObject({ queries: 1, sampled: 1 });
  });
});

describe("the forecast window", () => {
  // Prometheus cannot be moved through time, so this source reports what the test says, for the claim the volume
  // really has in the lab; the agent maps it through the vCluster's PV as always.
  const at = (hours: number) => new Date(Date.UTC(2031, 0, 1) + hours * 3600_000);
  let clock = at(0);
  let used = 0;
  let capacity = 4 * GiB;
  const series = () => [
    {
      name: "kubelet_volume_stats_used_bytes",
      labels: { vcluster: "acme", namespace: "shop", persistentvolumeclaim: "mon-claim" },
      value: used,
    },
    {
      name: "kubelet_volume_stats_capacity_bytes",
      labels: { vcluster: "acme", namespace: "shop", persistentvolumeclaim: "mon-claim" },
      value: capacity,
    },
  ];
  const agent = () =>
    new StorageWorkerAgent({
      db: stack.database.db,
      vclusters: new VClusters(stack.lab.dir!),
      metrics: { describe: () => "the test's figures", instant: async () => series() },
      logger: createLogger({ silent: true }),
      now: () => clock,
    });

  // A trend now needs 6 h of samples and less than 15% free (capacity-policy.ts): the volume is small and nearly full.
  it("forecasts a nearly full volume from the last 6 hours only, and starts afresh at a new capacity", async () => {
    const worker = agent();
    // Six hours of shrinking usage, then six and a half of steady growth: 20 MiB an hour from 3.3 GiB.
    const usedAt = (h: number) => (h <= 6 ? 3.9 * GiB - h * 100 * MiB : 3.3 * GiB + (h - 6) * 20 * MiB);
    for (let h = 0; h <= 12.5; h += 0.5) {
      clock = at(h);
      used = usedAt(h);
      await worker.cycle();
    }
    // Only the growth is in the window now: 20 MiB an hour with 14% of 4 GiB free fills it in ~29 hours.
    const { usage: u } = await usage();
    const expected = at(12.5 + (4 * GiB - usedAt(12.5)) / (20 * MiB)).getTime();
    expect(Math.abs(Date.parse(u!.estimatedFullAt!) - expected)).toBeLessThan(60_000);

    // An expansion: growth at the old size says nothing about the new one, until 6 hours of samples at the new size.
    capacity = 4.125 * GiB;
    for (let h = 13; h < 19; h += 0.5) {
      clock = at(h);
      used = usedAt(h);
      await worker.cycle();
      expect((await usage()).usage!.estimatedFullAt).toBeNull();
    }
    clock = at(19.5);
    used = usedAt(19.5);
    await worker.cycle();
    const after = (await usage()).usage!;
    expect(after.capacityBytes).toBe(4.125 * GiB);
    expect(Math.abs(Date.parse(after.estimatedFullAt!) - at(19.5 + (4.125 * GiB - usedAt(19.5)) / (20 * MiB)).getTime())).toBeLessThan(
      60_000,
    );
  });
});

describe("the samples' retention", () => {
  it("drops samples past a month at the hourly prune, found through the time index rather than a scan", async () => {
    const samplesOf = async () =>
      Number(
        rowsOf<{ n: number }>(
          await stack.database.db.execute(sql`select count(*)::int as n from capacity_samples where at < '2031-01-02'`),
        )[0]!.n,
      );
    // The forecast test above wrote a day of samples in January 2031; a cycle 32 days later prunes them.
    expect(await samplesOf()).toBeGreaterThan(0);
    const later = new Date(Date.UTC(2031, 1, 2));
    await new StorageWorkerAgent({
      db: stack.database.db,
      vclusters: new VClusters(stack.lab.dir!),
      metrics: { describe: () => "nothing", instant: async () => [] },
      logger: createLogger({ silent: true }),
      now: () => later,
    }).cycle();
    expect(await samplesOf()).toBe(0);

    await stack.database.db.transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      const plan = JSON.stringify(await tx.execute(sql`explain delete from capacity_samples where at < now() - interval '31 days'`));
      expect(plan).toContain("capacity_samples_at");
    });
  });
});

describe("with a real Prometheus scraping the lab", () => {
  let prometheus: ChildProcess | undefined;
  let dir: string;
  afterAll(async () => {
    prometheus?.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 300));
    prometheus?.kill("SIGKILL");
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it.skipIf(!existsSync("/usr/bin/prometheus"))("samples the same usage through PromQL", async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "hks-prom-"));
    await writeFile(path.join(dir, "prometheus.yml"), `global:\n  scrape_interval: 1s\n${stack.lab.prometheusScrapeConfig()}`);
    const port = await freePort();
    prometheus = spawn(
      "/usr/bin/prometheus",
      [`--config.file=${dir}/prometheus.yml`, `--storage.tsdb.path=${dir}/data`, `--web.listen-address=127.0.0.1:${port}`],
      { stdio: "ignore" },
    );
    const agent = new StorageWorkerAgent({
      db: stack.database.db,
      vclusters: new VClusters(stack.lab.dir!),
      workspaces: new WorkspaceRepository(stack.database.db),
      metrics: new PrometheusClient(`http://127.0.0.1:${port}`),
      logger: createLogger({ silent: true }),
    });
    // The first sample is queryable some seconds after Prometheus starts.
    const result = await eventually(
      async () => {
        const r = await agent.cycle().catch(() => undefined);
        return r && r.sampled >= 1 ? r : undefined;
      },
      "Prometheus to have the volume's series",
      40_000,
    );
    expect(result.queries).toBe(1);
    const direct = stack.lab.clusters.get("acme")!.volumeUsage(volume.persistentVolumeName)!;
    const { usage: u } = await usage();
    expect(Math.abs(u!.usedBytes - direct.usedBytes) / direct.capacityBytes).toBeLessThan(0.05);
  });
});

describe("a backup volume's forecast", () => {
  // The volume's figures come from the test (as in the forecast window above); the Backup and its runs are rows, as the
  // run tracker leaves them, so the projection can be checked at a chosen moment.
  const now = new Date("2031-02-03T12:00:00Z"); // a Monday
  let used = 2 * GiB;
  const series = () =>
    ["used", "capacity"].map((kind) => ({
      name: `kubelet_volume_stats_${kind}_bytes`,
      labels: { vcluster: "acme", namespace: "shop", persistentvolumeclaim: "mon-claim" },
      value: kind === "used" ? used : 10 * GiB,
    }));
  const worker = () =>
    new StorageWorkerAgent({
      db: stack.database.db,
      vclusters: new VClusters(stack.lab.dir!),
      metrics: { describe: () => "the test's figures", instant: async () => series() },
      logger: createLogger({ silent: true }),
      now: () => now,
    });
  const openAlert = async () =>
    (
      await stack.database.db
        .select()
        .from(capacityAlerts)
        .where(and(eq(capacityAlerts.volumeId, volume.id), eq(capacityAlerts.state, "OPEN")))
    )[0];
  let backupId: string;
  const addRun = (at: string, bytes: number) =>
    stack.database.db.insert(backupRuns).values({
      workspaceId: acme,
      backupId,
      kind: "BACKUP",
      trigger: "SCHEDULE",
      status: "SUCCEEDED",
      scheduledAt: new Date(at),
      startedAt: new Date(at),
      finishedAt: new Date(at),
      bytesWritten: bytes,
    });

  beforeAll(async () => {
    const db = stack.database.db;
    const [app] = await db
      .select()
      .from(applications)
      .where(and(eq(applications.workspaceId, acme), eq(applications.name, "shop")));
    const [backup] = await db
      .insert(backups)
      .values({
        workspaceId: acme,
        applicationId: app!.id,
        name: "nightly",
        schedule: "0 2 * * *",
        timeZone: "Europe/Berlin",
        destinationVolumeId: volume.id,
        destinationPath: "/shop",
        functionKind: "TAR",
        retention: { keepLast: 30 },
        cronJobName: "backup-nightly",
      })
      .returning();
    backupId = backup!.id;
  });

  it("raises no alert and no forecast for a new volume with one run", async () => {
    await addRun("2031-02-03T01:00:00Z", 3 * GiB);
    await worker().cycle();
    expect((await usage()).usage!.estimatedFullAt).toBeNull();
    expect(await openAlert()).toBeUndefined();
  });

  it("after two runs, forecasts the first run that will not fit and raises a FORECAST alert", async () => {
    await addRun("2031-02-02T01:00:00Z", 3 * GiB);
    used = 5 * GiB;
    await worker().cycle();
    // 5 GiB free, 3 GiB a night: Tuesday's run fits, Wednesday's (02:00 in Berlin, 01:00 UTC) does not.
    expect((await usage()).usage!.estimatedFullAt).toBe("2031-02-05T01:00:00.000Z");
    const alert = await openAlert();
    expect(alert?.level).toBe("FORECAST");
    const [row] = await stack.database.db.select().from(volumeUsage).where(eq(volumeUsage.volumeId, volume.id));
    expect(row!.forecastSource).toBe("BACKUPS");
    expect(row!.forecastFailure).toMatchObject({ label: "the backup 'nightly' of shop", neededBytes: 3 * GiB, freeBytes: 2 * GiB });
  });

  it("draws the projection for the chart through the API: each step with its source, and the run that will not fit", async () => {
    const { workspace } = await admin.data<{
      workspace: {
        storageVolume: {
          usage: {
            projection: {
              evidence: boolean;
              steps: Array<{ kind: string; source: string; deltaBytes: number; usedBytes: number }>;
              firstFailure: { backupName: string; neededBytes: number; freeBytes: number } | null;
            };
          };
        };
      };
    }>(
      `query($w: ID!, $id: ID!) { workspace(id: $w) { storageVolume(id: $id) { usage { projection {
        evidence steps { at kind backupName source deltaBytes usedBytes } firstFailure { at backupName neededBytes freeBytes } plateauBytes
      } } } } }`,
      { w: acme, id: volume.id },
    );
    const { projection } = workspace.storageVolume.usage;
    expect(projection.evidence).toBe(true);
    expect(projection.steps).toEqual([
      expect.objectContaining({ kind: "RUN", source: "nightly backup of shop", deltaBytes: 3 * GiB, usedBytes: 8 * GiB }),
    ]);
    expect(projection.firstFailure).toMatchObject({ backupName: "nightly", neededBytes: 3 * GiB, freeBytes: 2 * GiB });
  });

  it("answers how full the volume is with the run that will not fit, and with where retention levels it off", async () => {
    const record = (await new VolumeRepository(stack.database.db, acme).get(volume.id))!;
    expect(await answerAboutVolume(stack.database.db, "how full is mon-vol?", [record])).toBe(
      "'mon-vol' holds 5 GiB of 10 GiB (50%), measured Mon 3 Feb, 13:00 CET. The backup 'nightly' of shop on Wed 5 Feb, 02:00 CET will not fit in 'mon-vol' (needs 3 GiB, 2 GiB free).",
    );
    // Keeping two snapshots, each run's prune frees what it wrote: 5 GiB + a 3 GiB run, less the oldest 3 GiB.
    await stack.database.db
      .update(backups)
      .set({ retention: { keepLast: 2 } })
      .where(eq(backups.id, backupId));
    await worker().cycle();
    expect((await usage()).usage!.estimatedFullAt).toBeNull();
    expect(await answerAboutVolume(stack.database.db, "how full is mon-vol?", [record])).toMatch(
      /^'mon-vol' holds 5 GiB of 10 GiB \(50%\), measured Mon 3 Feb, 13:00 CET\. With keep-last 2, 'mon-vol' levels off at 80%\.$/,
    );
  });
});
