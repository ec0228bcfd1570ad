import { KubeConfig } from "@kubernetes/client-node";
import { startKubeApiServer, type KubeLab } from "@hks/lab";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../../test/harness.js";
import { Informer, type WatchedObject } from "./informer.js";
import { VClusterClient } from "./vcluster-client.js";

// The informer against the lab's apiserver over HTTPS: list once, watch with bookmarks, resume, relist on 410.

let lab: KubeLab;
let client: VClusterClient;

beforeAll(async () => {
  lab = await startKubeApiServer({
    name: "inf",
    namespaces: ["shop"],
    nodes: [{ name: "pve1", region: "lab", zone: "pve1" }],
    controllers: false,
    bookmarkIntervalMs: 200,
  });
  const kc = new KubeConfig();
  kc.loadFromString(lab.kubeconfig());
  client = new VClusterClient("inf", kc);
});
afterAll(() => lab.close());

const configMap = (name: string, labels: Record<string, string> = { app: "x" }) =>
  lab.store.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: "shop", labels } } as never);
const unrelatedWrite = (name: string) =>
  lab.store.create({ apiVersion: "v1", kind: "Secret", metadata: { name, namespace: "shop" }, type: "Opaque" } as never);

function informer() {
  const inf = new Informer<WatchedObject>(client, { apiVersion: "v1", kind: "ConfigMap", labelSelector: "app=x" }, { backoffMs: 50 });
  const seen: string[] = [];
  inf.on((type, object) => seen.push(`${type} ${object.metadata?.name}`));
  return { inf, seen };
}

const names = (inf: Informer<WatchedObject>) =>
  inf
    .list()
    .map((o) => o.metadata?.name)
    .sort();

describe("the informer", () => {
  it("lists once, then follows changes by watch (selector applied), with no further requests while idle", async () => {
    configMap("a");
    configMap("other", { app: "y" });
    const { inf, seen } = informer();
    inf.start();
    try {
      await inf.waitForSync();
      expect(names(inf)).toEqual(["a"]);
      configMap("b");
      lab.store.delete("v1", "ConfigMap", "shop", "a");
      await eventually(async () => (names(inf).join() === "b" ? true : undefined), "the watch to bring b and take a");
      expect(seen).toEqual(["ADDED a", "ADDED b", "DELETED a"]);
      lab.requests.reset();
      await new Promise((r) => setTimeout(r, 1000));
      expect(lab.requests.counts().reads).toBe(0);
      expect(inf.stats).toMatchObject({ lists: 1, watches: 1, expired: 0 });
    } finally {
      inf.stop();
    }
  });

  it("resumes from a bookmark after the history is compacted and the connection drops, without relisting", async () => {
    const { inf } = informer();
    inf.start();
    try {
      await inf.waitForSync();
      unrelatedWrite("s1"); // moves the store on without a ConfigMap event: only a bookmark tells the informer
      await new Promise((r) => setTimeout(r, 600));
      lab.store.compact();
      lab.endWatches();
      configMap("c");
      await eventually(async () => (names(inf).includes("c") ? true : undefined), "the resumed watch to bring c");
      expect(inf.stats).toMatchObject({ lists: 1, expired: 0 });
      expect(inf.stats.watches).toBeGreaterThanOrEqual(2);
    } finally {
      inf.stop();
    }
  });

  it("relists on a 410, as an ERROR event or as an HTTP 410, telling only the differences", async () => {
    const { inf, seen } = informer();
    inf.start();
    try {
      await inf.waitForSync();
      inf.stop(); // disconnected while things change and the history is forgotten
      unrelatedWrite("s2");
      lab.store.compact();
      configMap("d");
      lab.store.delete("v1", "ConfigMap", "shop", "b");
      seen.length = 0;
      inf.start();
      await eventually(async () => (names(inf).join() === "c,d" ? true : undefined), "the relist after 410");
      expect(inf.stats.expired).toBe(1);
      expect(inf.stats.lists).toBe(2);
      expect(seen.sort()).toEqual(["ADDED d", "DELETED b"]);

      lab.faults.add({ path: "/configmaps$", query: "watch=", action: "fail", status: 410, message: "too old", times: 1 });
      lab.endWatches();
      configMap("e");
      await eventually(async () => (names(inf).includes("e") ? true : undefined), "the relist after an HTTP 410");
      expect(inf.stats.expired).toBe(2);
      expect(inf.stats.lists).toBe(3);
    } finally {
      lab.faults.clear();
      inf.stop();
    }
  });

  it("retries with backoff while the vCluster refuses, then catches up", async () => {
    const { inf } = informer();
    lab.faults.add({ path: "/configmaps$", action: "fail", status: 503, times: 3 });
    inf.start();
    try {
      await inf.waitForSync();
      expect(inf.stats.failures).toBeGreaterThanOrEqual(2);
      expect(names(inf)).toEqual(["c", "d", "e"]);
    } finally {
      lab.faults.clear();
      inf.stop();
    }
  });
});
