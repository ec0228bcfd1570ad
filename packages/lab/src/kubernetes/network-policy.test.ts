import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { ApiException, KubeConfig, KubernetesObjectApi, NetworkingV1Api, PatchStrategy } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKubeApiServer, type KubeLab } from "./server.js";

const exec = promisify(execFile);
let lab: KubeLab;
let dir: string;
let net: NetworkingV1Api;
let objects: KubernetesObjectApi;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "kube-lab-netpol-"));
  lab = await startKubeApiServer({ name: "np", namespaces: ["shop"], nodes: [], controllers: false });
  const kc = new KubeConfig();
  kc.loadFromString(lab.kubeconfig());
  net = kc.makeApiClient(NetworkingV1Api);
  objects = KubernetesObjectApi.makeApiClient(kc);
});
afterAll(async () => {
  await lab.close();
  await rm(dir, { recursive: true, force: true });
});

const policy = (name: string, port: number | string, extra: Record<string, unknown> = {}) => ({
  apiVersion: "networking.k8s.io/v1",
  kind: "NetworkPolicy",
  metadata: { name, namespace: "shop" },
  spec: {
    podSelector: { matchLabels: { role: "serve" } },
    ingress: [{ _from: [{ podSelector: { matchLabels: { role: "copy" } } }], ports: [{ port }] }],
    ...extra,
  },
});

describe("NetworkPolicy (networking.k8s.io/v1)", () => {
  it("stores a policy applied server-side, with the apiserver's defaults, and deletes it", async () => {
    await objects.patch(policy("serve-only", 20123), undefined, undefined, "hks", true, PatchStrategy.ServerSideApply);
    const read = await net.readNamespacedNetworkPolicy({ name: "serve-only", namespace: "shop" });
    expect(read.spec?.policyTypes).toEqual(["Ingress"]);
    expect(read.spec?.ingress?.[0]?._from).toEqual([{ podSelector: { matchLabels: { role: "copy" } } }]);
    expect(read.spec?.ingress?.[0]?.ports).toEqual([{ port: 20123, protocol: "TCP" }]);
    const listed = await net.listNamespacedNetworkPolicy({ namespace: "shop" });
    expect(listed.items.map((p) => p.metadata?.name)).toEqual(["serve-only"]);

    await net.deleteNamespacedNetworkPolicy({ name: "serve-only", namespace: "shop" });
    const gone = await net.readNamespacedNetworkPolicy({ name: "serve-only", namespace: "shop" }).catch((e: ApiException<unknown>) => e);
    expect((gone as ApiException<unknown>).code).toBe(404);
  });

  it("refuses an unknown policy type or a port out of range with 422, storing nothing", async () => {
    const refused = await net
      .createNamespacedNetworkPolicy({ namespace: "shop", body: policy("bad", 70000, { policyTypes: ["Sideways"] }) as never })
      .catch((e: ApiException<string>) => e);
    expect((refused as ApiException<string>).code).toBe(422);
    const body = JSON.parse((refused as ApiException<string>).body) as { details: { causes: Array<{ field: string }> } };
    expect(body.details.causes.map((c) => c.field).sort()).toEqual(["spec.ingress[0].ports[0].port", "spec.policyTypes[0]"]);
    expect((await net.listNamespacedNetworkPolicy({ namespace: "shop" })).items).toEqual([]);
  });

  it("is served to kubectl by its short name", async () => {
    await net.createNamespacedNetworkPolicy({ namespace: "shop", body: policy("by-kubectl", "restic") as never });
    const kubeconfig = path.join(dir, "kubeconfig");
    await writeFile(kubeconfig, lab.kubeconfig());
    const { stdout } = await exec("kubectl", ["--kubeconfig", kubeconfig, "get", "netpol", "-n", "shop"], { timeout: 30_000 });
    expect(stdout).toMatch(/^NAME\s+POD-SELECTOR\s+AGE\n/);
    expect(stdout).toMatch(/by-kubectl\s+role=serve\s+/);
  }, 40_000);
});
