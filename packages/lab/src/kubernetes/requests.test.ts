import { KubeConfig, KubernetesObjectApi, PatchStrategy } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKubeApiServer, type KubeLab } from "./server.js";

let lab: KubeLab;
let objects: KubernetesObjectApi;

beforeAll(async () => {
  lab = await startKubeApiServer({
    name: "acme",
    namespaces: ["apps"],
    nodes: [{ name: "pve1", region: "lab", zone: "pve1" }],
    controllers: false,
  });
  const kc = new KubeConfig();
  kc.loadFromString(lab.kubeconfig());
  objects = KubernetesObjectApi.makeApiClient(kc);
});
afterAll(() => lab.close());

const configMap = (data: Record<string, string>) => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name: "settings", namespace: "apps" },
  data,
});

describe("the API's request counter", () => {
  it("counts what clients ask, reads apart from writes, and starts over on reset", async () => {
    lab.requests.reset();
    await objects.create(configMap({ a: "1" }));
    await objects.patch(configMap({ a: "2" }), undefined, undefined, "test", true, PatchStrategy.ServerSideApply);
    await objects.read({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "settings", namespace: "apps" } });
    await objects.list("v1", "ConfigMap", "apps");
    await objects.delete({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "settings", namespace: "apps" } });
    const counts = lab.requests.counts();
    expect(counts.byMethod).toMatchObject({ POST: 1, PATCH: 1, DELETE: 1 });
    expect(counts.writes).toBe(3);
    // The read, the list, and the discovery documents the client looks up first.
    expect(counts.reads).toBeGreaterThanOrEqual(2);
    expect(counts.reads).toBe(counts.byMethod["GET"]);

    // Scrapes and health probes are not API requests.
    await fetch(lab.metricsUrl);
    await fetch(`${lab.url}/healthz`);
    expect(lab.requests.counts()).toEqual(counts);

    lab.requests.reset();
    expect(lab.requests.counts()).toEqual({ reads: 0, writes: 0, byMethod: {}, watches: 0 });
  });
});
