import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { and, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { capacityAlerts, capacitySamples, storageVolumes, volumeUsage } from "../../db/schema/index.js";
import { createLogger } from "../../logger.js";
import { VClusters } from "../../platform/kubernetes/vclusters.js";
import { PrometheusClient, type MetricsSource } from "../../platform/prometheus/client.js";
import type { Sample } from "../../platform/prometheus/exposition.js";
import { eventually, freePort, provisionVolume, startStack, type ProvisionedVolume, type TestStack } from "../../test/harness.js";
import { mountVolume } from "../../test/kube.js";
import { WorkspaceLeaseRepository } from "../workspaces/workspace-lease.repository.js";
import { OwnedWorkspaces } from "../workspaces/workspace-share.js";
import { StorageWorkerAgent, VOLUME_STATS_QUERY } from "./storage-worker-agent.js";

const MiB = 1024 * 1024;
const hasPrometheus = existsSync("/usr/bin/prometheus");

let stack: TestStack;
let acme: string;
let globex: string;
let volume: ProvisionedVolume;
let folder: string;
let prometheus: ChildProcess | undefined;
let dir: string | undefined;
let prometheusUrl: string;

/** The test volume's series: its claim in the vCluster, or the name the claim is synced to on the host. */
const ofVolume = (s: Sample) => ["shard-claim", "shard-claim-x-shop-x-acme"].includes(s.labels["persistentvolumeclaim"] ?? "");

/** The real Prometheus, with each query and the series it answered kept for the test to look at. */
const asked: Array<{ query: string; series: Sample[] }> = [];
const metrics = (): MetricsSource => {
  const client = new PrometheusClient(prometheusUrl);
  return {
    describe: () => client.describe(),
    instant: async (query) => {
      const series = await client.instant(query);
      asked.push({ query, series });
      return series;
    },
  };
};

const agent = (share: OwnedWorkspaces) =>
  new StorageWorkerAgent({
    db: stack.database.db,
    vclusters: new VClusters(stack.lab.dir!),
    metrics: metrics(),
    logger: createLogger({ silent: true }),
    share,
    // Every sampled volume is written each cycle: the test is about whether the lease lets it be.
    rewriteUnchangedMs: 0,
  });

const shareOf = (owner: string, leases: Array<{ workspaceId: string; token: number }>, vcluster: (id: string) => string) => {
  const share = new OwnedWorkspaces();
  for (const l of leases) share.add({ workspaceId: l.workspaceId, vclusterName: vcluster(l.workspaceId), owner, token: l.token });
  return share;
};

beforeAll(async () => {
  stack = await startStack();
  const admin = await stack.login("admin@acme.test");
  acme = await stack.workspaceId("acme");
  globex = await stack.workspaceId("globex");
  volume = await provisionVolume(admin, acme, "shard-vol", 10);
  folder = await mountVolume(stack.lab, "acme", volume, "shard-claim");
  if (!hasPrometheus) return;
  dir = await mkdtemp(path.join(os.tmpdir(), "hks-prom-shard-"));
  await writeFile(path.join(dir, "prometheus.yml"), `global:\n  scrape_interval: 1s\n${stack.lab.prometheusScrapeConfig()}`);
  const port = await freePort();
  prometheusUrl = `http://127.0.0.1:${port}`;
  prometheus = spawn(
    "/usr/bin/prometheus",
    [`--config.file=${dir}/prometheus.yml`, `--storage.tsdb.path=${dir}/data`, `--web.listen-address=127.0.0.1:${port}`],
    { stdio: "ignore" },
  );
  // Both the vCluster's and the host kubelet's series of the volume, before any test asks.
  await eventually(
    async () => ((await new PrometheusClient(prometheusUrl).instant(VOLUME_STATS_QUERY)).filter(ofVolume).length === 4 ? true : undefined),
    "Prometheus to have the volume's series",
    40_000,
  );
}, 120_000);
afterAll(async () => {
  prometheus?.kill("SIGTERM");
  await new Promise((r) => setTimeout(r, 300));
  prometheus?.kill("SIGKILL");
  if (dir) await rm(dir, { recursive: true, force: true });
  await stack?.stop();
});

const vclusterOf = (id: string) => (id === acme ? "acme" : "globex");
const usageRow = async () => (await stack.database.db.select().from(volumeUsage).where(eq(volumeUsage.volumeId, volume.id)))[0];
const samples = async () =>
  (await stack.database.db.select({ n: count() }).from(capacitySamples).where(eq(capacitySamples.volumeId, volume.id)))[0]!.n;
const openAlerts = async () =>
  (
    await stack.database.db
      .select()
      .from(capacityAlerts)
      .where(and(eq(capacityAlerts.volumeId, volume.id), eq(capacityAlerts.state, "OPEN")))
  ).length;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!hasPrometheus)("the StorageWorkerAgent with sharded workspaces", () => {
  it("asks Prometheus only for the series of the vClusters it holds, through the vCluster and from the host kubelet", async () => {
    const leases = new WorkspaceLeaseRepository(stack.database.db, "split-a");
    const held = await leases.acquire([acme, globex], 60_000);

    asked.length = 0;
    expect(await agent(shareOf("split-a", held, vclusterOf)).cycle()).toMatchObject({ queries: 1, sampled: 1, written: 1 });
    const [both] = asked;
    expect(both!.query).not.toBe(VOLUME_STATS_QUERY);
    // The volume's two series under its virtual names (vcluster label) and two under the host's synced names.
    expect(both!.series.filter((s) => ofVolume(s) && s.labels["vcluster"] === "acme")).toHaveLength(2);
    expect(both!.series.filter((s) => ofVolume(s) && !s.labels["vcluster"] && s.labels["namespace"] === "vcluster-acme")).toHaveLength(2);
    // Every series answered is one of the held vClusters'.
    expect(
      both!.series.every((s) => ["acme", "globex"].includes(s.labels["vcluster"] ?? s.labels["namespace"]!.replace("vcluster-", ""))),
    ).toBe(true);

    // Holding Globex alone, Acme's series are not even asked for, though Prometheus has them.
    asked.length = 0;
    const globexOnly = shareOf(
      "split-a",
      held.filter((l) => l.workspaceId === globex),
      vclusterOf,
    );
    expect(await agent(globexOnly).cycle()).toMatchObject({ queries: 1, sampled: 0, written: 0 });
    expect(asked[0]!.series.filter((s) => s.labels["vcluster"] === "acme" || s.labels["namespace"] === "vcluster-acme")).toEqual([]);
    expect((await new PrometheusClient(prometheusUrl).instant(VOLUME_STATS_QUERY)).filter(ofVolume)).toHaveLength(4);

    // Holding nothing, there is nothing to ask.
    asked.length = 0;
    expect(await agent(new OwnedWorkspaces()).cycle()).toMatchObject({ queries: 0, sampled: 0 });
    expect(asked).toEqual([]);
    await leases.release(held);
  });

  it("writes no sample and raises no alert for a workspace whose lease moved to another replica, and does under the new lease", async () => {
    // 9 real MiB = 9 lab GiB of 10: over the 85% threshold, an alert to raise.
    await writeFile(path.join(folder, "full.bin"), randomBytes(9 * MiB));
    await eventually(
      async () =>
        (await new PrometheusClient(prometheusUrl).instant(VOLUME_STATS_QUERY)).some(
          (s) => s.name === "kubelet_volume_stats_used_bytes" && s.labels["vcluster"] === "acme" && s.value > 8.5 * 1024 * MiB,
        )
          ? true
          : undefined,
      "Prometheus to see the volume nearly full",
      20_000,
    );
    const a = new WorkspaceLeaseRepository(stack.database.db, "fence-a");
    const b = new WorkspaceLeaseRepository(stack.database.db, "fence-b");
    const heldByA = await a.acquire([acme], 300);
    expect(heldByA).toHaveLength(1);
    // Replica a stalls past its lease and b takes Acme over; a has not noticed yet and still counts Acme as its own.
    await sleep(500);
    const heldByB = await b.acquire([acme], 60_000);
    expect(heldByB[0]!.token).toBe(heldByA[0]!.token + 1);

    const before = { row: await usageRow(), samples: await samples(), alerts: await openAlerts() };
    const stale = await agent(shareOf("fence-a", heldByA, vclusterOf)).cycle();
    expect(stale).toMatchObject({ sampled: 1, written: 0, fencedOut: 1, alerts: 0 });
    expect((await usageRow())?.sampledAt).toEqual(before.row?.sampledAt);
    expect(await samples()).toBe(before.samples);
    expect(await openAlerts()).toBe(before.alerts);

    const current = await agent(shareOf("fence-b", heldByB, vclusterOf)).cycle();
    expect(current).toMatchObject({ sampled: 1, written: 1, fencedOut: 0, alerts: 1 });
    expect(await samples()).toBe(before.samples + 1);
    expect((await usageRow())!.usedBytes).toBeGreaterThan(8.5 * 1024 * MiB);
    expect(await openAlerts()).toBe(before.alerts + 1);
    await b.release(heldByB);
  });

  it("reads again what another replica wrote while the workspace was away, rather than what it remembers", async () => {
    // The volume is still nearly full, its alert open (the test above). Replica a follows Acme for a cycle.
    const a = new WorkspaceLeaseRepository(stack.database.db, "back-a");
    const b = new WorkspaceLeaseRepository(stack.database.db, "back-b");
    const shareA = shareOf("back-a", await a.acquire([acme], 300), vclusterOf);
    const replicaA = agent(shareA);
    expect(await replicaA.cycle()).toMatchObject({ sampled: 1, written: 1, alerts: 0 });
    const leftByA = (await usageRow())!.trendSamples;
    expect(await openAlerts()).toBe(1);

    // Its lease lapses; b runs Acme for two cycles, and the admin's alert is cleared meanwhile (an expansion would).
    shareA.remove(acme);
    await sleep(500);
    const heldByB = await b.acquire([acme], 60_000);
    const replicaB = agent(shareOf("back-b", heldByB, vclusterOf));
    await replicaB.cycle();
    await replicaB.cycle();
    expect((await usageRow())!.trendSamples).toBe(leftByA + 2);
    await stack.database.db
      .update(capacityAlerts)
      .set({ state: "RESOLVED", resolvedAt: new Date() })
      .where(eq(capacityAlerts.volumeId, volume.id));
    await b.release(heldByB);

    // a takes Acme back under a new token: its trend goes on from b's row, and it raises the alert afresh (from memory it
    // would have carried its own older trend and taken the cleared alert for open).
    const [back] = await a.acquire([acme], 60_000);
    shareA.add({ workspaceId: acme, vclusterName: "acme", owner: "back-a", token: back!.token });
    expect(await replicaA.cycle()).toMatchObject({ sampled: 1, written: 1, alerts: 1 });
    expect((await usageRow())!.trendSamples).toBe(leftByA + 3);
    expect(await openAlerts()).toBe(1);
    await a.release([back!]);
  });

  it("follows a volume that leaves and comes back between cycles, though it keeps the volume list from cycle to cycle", async () => {
    const leases = new WorkspaceLeaseRepository(stack.database.db, "list-a");
    const held = await leases.acquire([acme], 60_000);
    const replica = agent(shareOf("list-a", held, vclusterOf));
    const setStatus = (status: "AVAILABLE" | "DELETING") =>
      stack.database.db.update(storageVolumes).set({ status }).where(eq(storageVolumes.id, volume.id));
    expect(await replica.cycle()).toMatchObject({ volumes: 1, sampled: 1 });
    expect(await replica.cycle()).toMatchObject({ volumes: 1, sampled: 1 });
    try {
      await setStatus("DELETING");
      expect(await replica.cycle()).toMatchObject({ volumes: 0, sampled: 0, written: 0 });
    } finally {
      await setStatus("AVAILABLE");
    }
    expect(await replica.cycle()).toMatchObject({ volumes: 1, sampled: 1, written: 1 });
    await leases.release(held);
  });
});
