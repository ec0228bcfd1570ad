import { KubeConfig } from "@kubernetes/client-node";
import { startKubeApiServer, type KubeLab } from "@hks/lab";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../../test/harness.js";
import { ClusterWatches, NotFollowedError } from "./cluster-watches.js";
import { VClusterClient } from "./vcluster-client.js";

// One vCluster of the lab over HTTPS, watched for ConfigMaps and Secrets (two informers: two open watches when followed).

let lab: KubeLab;
let client: VClusterClient;
let watches: ClusterWatches<"maps" | "secrets"> | undefined;
const KINDS = { maps: { apiVersion: "v1", kind: "ConfigMap" }, secrets: { apiVersion: "v1", kind: "Secret" } };

beforeAll(async () => {
  lab = await startKubeApiServer({
    name: "cw",
    namespaces: ["shop"],
    nodes: [{ name: "pve1", region: "lab", zone: "pve1" }],
    controllers: false,
  });
  const kc = new KubeConfig();
  kc.loadFromString(lab.kubeconfig());
  client = new VClusterClient("cw", kc);
});
afterEach(() => watches?.stopAll());
afterAll(() => lab.close());

const create = (onDemand: boolean) => (watches = new ClusterWatches({ forName: () => client }, KINDS, { onDemand, backoffMs: 50 }));
/** The watches the lab holds open right now (ended by the count: the followers that remain reconnect). */
const openWatches = () => lab.endWatches();

describe("the watches of the followed vClusters", () => {
  it("with several replicas, start() opens nothing for a vCluster not followed here, and says why", async () => {
    const w = create(false);
    lab.requests.reset();
    const unfollowed = w.start("cw");
    await expect(unfollowed.synced()).rejects.toBeInstanceOf(NotFollowedError);
    expect(unfollowed.list("maps")).toEqual([]);
    expect(w.names()).toEqual([]);
    await new Promise((r) => setTimeout(r, 200));
    expect(lab.requests.counts().reads).toBe(0);
  });

  it("follow() opens the vCluster's watches, start() then hands them out, and the last release closes them", async () => {
    const w = create(false);
    lab.store.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a", namespace: "shop" } } as never);
    const first = w.follow("cw");
    const second = w.follow("cw");
    expect(second.watch).toBe(first.watch);
    expect(w.start("cw")).toBe(first.watch);
    await w.start("cw").synced(5000);
    expect(
      w
        .start("cw")
        .list("maps")
        .map((m) => m.metadata?.name),
    ).toContain("a");
    await eventually(async () => (lab.requests.counts().watches >= 2 ? true : undefined), "both informers to open their watch");
    expect(openWatches()).toBe(2);

    // One of two followers lets go (two workspaces on one vCluster): the other keeps the watch, which reconnects.
    first.release();
    first.release();
    await eventually(async () => (w.start("cw").hasSynced && lab.requests.counts().watches >= 4 ? true : undefined), "the watches resumed");
    expect(w.names()).toEqual(["cw"]);

    second.release();
    expect(w.names()).toEqual([]);
    await expect(w.start("cw").synced()).rejects.toBeInstanceOf(NotFollowedError);
    await eventually(async () => (openWatches() === 0 ? true : undefined), "the lab to see the watches closed");
    lab.requests.reset();
    await new Promise((r) => setTimeout(r, 300));
    expect(lab.requests.counts().reads).toBe(0);
  });

  it("one instance alone starts a vCluster's watch at first use", async () => {
    const w = create(true);
    await w.start("cw").synced(5000);
    expect(w.names()).toEqual(["cw"]);
  });
});
