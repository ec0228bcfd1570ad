import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { ApiException, CoreV1Api, KubeConfig, Watch } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKubeApiServer, type KubeLab } from "./server.js";

const exec = promisify(execFile);
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "kube-lab-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function clientFor(lab: KubeLab): { kc: KubeConfig; core: CoreV1Api } {
  const kc = new KubeConfig();
  kc.loadFromString(lab.kubeconfig());
  return { kc, core: kc.makeApiClient(CoreV1Api) };
}

async function until<T>(check: () => T | undefined, timeoutMs = 3000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() - start > timeoutMs) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("watch", () => {
  let lab: KubeLab;
  beforeAll(async () => {
    lab = await startKubeApiServer({ name: "w", namespaces: ["apps"], nodes: [] });
  });
  afterAll(() => lab.close());

  it("delivers the current state and then changes", async () => {
    const { kc, core } = clientFor(lab);
    await core.createNamespacedEvent({
      namespace: "apps",
      body: { metadata: { name: "before" }, involvedObject: { kind: "Pod", name: "x" } },
    });
    const events: string[] = [];
    const controller = await new Watch(kc).watch(
      "/api/v1/namespaces/apps/events",
      {},
      (phase, obj) => events.push(`${phase} ${obj.metadata.name}`),
      () => undefined,
    );
    await until(() => (events.length >= 1 ? true : undefined));
    await core.createNamespacedEvent({
      namespace: "apps",
      body: { metadata: { name: "after" }, involvedObject: { kind: "Pod", name: "x" }, message: "1" },
    });
    await core.replaceNamespacedEvent({
      name: "after",
      namespace: "apps",
      body: { metadata: { name: "after" }, involvedObject: { kind: "Pod", name: "x" }, message: "2" },
    });
    await core.deleteNamespacedEvent({ name: "after", namespace: "apps" });
    await until(() => (events.length >= 4 ? true : undefined));
    expect(events).toEqual(["ADDED before", "ADDED after", "MODIFIED after", "DELETED after"]);
    controller.abort();
  });

  it("resumes from a resourceVersion, filters by selector and honours timeoutSeconds", async () => {
    const { core } = clientFor(lab);
    const list = await core.listPersistentVolume();
    const rv = list.metadata?.resourceVersion ?? "";
    const pvBody = (name: string, labels: Record<string, string>) => ({
      metadata: { name, labels },
      spec: { capacity: { storage: "1Gi" }, accessModes: ["ReadWriteOnce"], hostPath: { path: `/tmp/${name}` } },
    });
    await core.createPersistentVolume({ body: pvBody("w1", { team: "a" }) });
    await core.createPersistentVolume({ body: pvBody("w2", { team: "b" }) });
    const res = await fetch(`${lab.url}/api/v1/persistentvolumes?watch=1&resourceVersion=${rv}&labelSelector=team%3Da&timeoutSeconds=1`, {
      headers: { authorization: `Bearer ${lab.token}` },
    });
    const text = await res.text(); // ends after timeoutSeconds
    const lines = text
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { type: string; object: { metadata: { name: string }; status: { phase: string } } });
    expect(lines.map((l) => `${l.type} ${l.object.metadata.name}`)).toEqual(["ADDED w1", "MODIFIED w1"]);
    expect(lines[1]?.object.status.phase).toBe("Available");
  });
});

describe("persistence", () => {
  it("keeps objects, token and resourceVersions across a restart", async () => {
    const stateFile = path.join(dir, "state", "kube.json");
    const first = await startKubeApiServer({ name: "p", namespaces: ["apps"], nodes: [{ name: "n1", region: "r", zone: "z" }], stateFile });
    const { core } = clientFor(first);
    await core.createPersistentVolume({
      body: {
        metadata: { name: "keep" },
        spec: { capacity: { storage: "1Gi" }, accessModes: ["ReadWriteOnce"], hostPath: { path: "/x" } },
      },
    });
    const before = await core.readPersistentVolume({ name: "keep" });
    const kubeconfig = first.kubeconfig();
    await first.close();
    expect(JSON.parse(await readFile(stateFile, "utf8")).objects.length).toBeGreaterThan(3);

    const second = await startKubeApiServer({
      name: "p",
      namespaces: ["apps"],
      nodes: [{ name: "n1", region: "r", zone: "z" }],
      stateFile,
    });
    try {
      expect(second.token).toBe(first.token);
      expect(second.kubeconfig()).toBe(kubeconfig); // same port, token and CA when the port is free
      const after = await clientFor(second).core.readPersistentVolume({ name: "keep" });
      expect(after.metadata?.uid).toBe(before.metadata?.uid);
      expect(after.status?.phase).toBe("Available");
      const ns = await clientFor(second).core.createNamespace({ body: { metadata: { name: "later" } } });
      expect(Number(ns.metadata?.resourceVersion)).toBeGreaterThan(Number(before.metadata?.resourceVersion));
      // Changes from before the restart are gone: a watch from then must relist.
      const gone = await fetch(`${second.url}/api/v1/persistentvolumes?watch=true&resourceVersion=1`, {
        headers: { authorization: `Bearer ${second.token}` },
      });
      expect(JSON.parse((await gone.text()).trim())).toMatchObject({
        type: "ERROR",
        object: { kind: "Status", code: 410, reason: "Expired" },
      });
    } finally {
      await second.close();
    }
  });
});

describe("faults", () => {
  let lab: KubeLab;
  beforeAll(async () => {
    lab = await startKubeApiServer({ name: "f", namespaces: [], nodes: [] });
  });
  afterAll(() => lab.close());

  it("fails matching requests with a Status in-process and over HTTP", async () => {
    const { core } = clientFor(lab);
    lab.faults.add({ method: "GET", path: "^/api/v1/namespaces/default$", action: "fail", status: 503, message: "etcd is down", times: 1 });
    try {
      await core.readNamespace({ name: "default" });
      throw new Error("expected failure");
    } catch (error) {
      expect((error as ApiException<unknown>).code).toBe(503);
    }
    expect((await core.readNamespace({ name: "default" })).metadata?.name).toBe("default");

    const add = await fetch(`${lab.url}/_lab/faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ path: "/persistentvolumes", action: "fail" }),
    });
    expect(add.status).toBe(201);
    const failed = await fetch(`${lab.url}/api/v1/persistentvolumes`, { headers: { authorization: `Bearer ${lab.token}` } });
    expect(failed.status).toBe(500);
    expect(await failed.json()).toMatchObject({ kind: "Status", reason: "InternalError", code: 500 });
    await fetch(`${lab.url}/_lab/faults`, { method: "DELETE" });
    expect((await fetch(`${lab.url}/api/v1/persistentvolumes`, { headers: { authorization: `Bearer ${lab.token}` } })).status).toBe(200);
  });

  it("hangs matching requests until close", async () => {
    const hanging = await startKubeApiServer({ name: "h", namespaces: [], nodes: [] });
    hanging.faults.add({ path: "^/api/v1/nodes$", action: "hang" });
    const abort = AbortSignal.timeout(300);
    await expect(
      fetch(`${hanging.url}/api/v1/nodes`, { headers: { authorization: `Bearer ${hanging.token}` }, signal: abort }),
    ).rejects.toThrow();
    const pending = fetch(`${hanging.url}/api/v1/nodes`, { headers: { authorization: `Bearer ${hanging.token}` } });
    await new Promise((r) => setTimeout(r, 50));
    await hanging.close();
    await expect(pending).rejects.toThrow();
  });
});

describe("kubectl", () => {
  let lab: KubeLab;
  let kubeconfig: string;
  beforeAll(async () => {
    lab = await startKubeApiServer({ name: "acme", namespaces: ["apps"], nodes: [{ name: "pve1", region: "lab", zone: "pve1" }] });
    kubeconfig = path.join(dir, "acme.kubeconfig");
    await writeFile(kubeconfig, lab.kubeconfig());
  });
  afterAll(() => lab.close());

  const kubectl = async (...args: string[]) => {
    try {
      const { stdout, stderr } = await exec("kubectl", ["--kubeconfig", kubeconfig, ...args], { timeout: 30_000 });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code?: number; stdout?: string; stderr?: string };
      return { code: e.code ?? 1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
    }
  };

  it("gets, applies, describes and deletes", async () => {
    const nodes = await kubectl("get", "nodes");
    expect(nodes.stdout).toMatch(/NAME\s+STATUS\s+ROLES\s+VERSION\s+AGE\npve1\s+Ready/);
    const manifest = path.join(dir, "manifest.yaml");
    await writeFile(
      manifest,
      `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: { name: proxmox, annotations: { storageclass.kubernetes.io/is-default-class: "true" } }
provisioner: csi.proxmox.sinextra.dev
allowVolumeExpansion: true
reclaimPolicy: Retain
---
apiVersion: v1
kind: PersistentVolume
metadata: { name: pv-data }
spec:
  capacity: { storage: 10Gi }
  accessModes: [ReadWriteOnce]
  storageClassName: proxmox
  csi: { driver: csi.proxmox.sinextra.dev, volumeHandle: lab/pve1/local-lvm/vm-9999-disk-0 }
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: data, namespace: apps }
spec:
  accessModes: [ReadWriteOnce]
  resources: { requests: { storage: 5Gi } }
---
apiVersion: batch/v1
kind: CronJob
metadata: { name: backup, namespace: apps }
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers: [{ name: b, image: busybox }]
`,
    );
    const applied = await kubectl("apply", "-f", manifest);
    expect(applied.stderr).toBe("");
    expect(applied.stdout).toContain("persistentvolumeclaim/data created");
    expect(applied.stdout).toContain("cronjob.batch/backup created");
    const again = await kubectl("apply", "-f", manifest);
    expect(again.stdout).toContain("persistentvolume/pv-data unchanged");

    const pvc = await kubectl("get", "pvc", "-n", "apps");
    expect(pvc.stdout).toMatch(/data\s+Bound\s+pv-data\s+10Gi\s+RWO\s+proxmox/);
    const sc = await kubectl("get", "sc");
    expect(sc.stdout).toContain("proxmox (default)");
    const json = JSON.parse((await kubectl("get", "pv", "pv-data", "-o", "json")).stdout);
    expect(json.status.phase).toBe("Bound");
    const described = await kubectl("describe", "pvc", "data", "-n", "apps");
    expect(described.stdout).toMatch(/Status:\s+Bound/);
    expect(described.stdout).toMatch(/Volume:\s+pv-data/);
    expect((await kubectl("describe", "pv", "pv-data")).stdout).toMatch(/VolumeHandle:\s+lab\/pve1\/local-lvm\/vm-9999-disk-0/);

    const ssa = await kubectl("apply", "--server-side", "--field-manager=ops", "-f", manifest);
    expect(ssa.code).toBe(0);

    const refused = await kubectl("patch", "sc", "proxmox", "-p", '{"parameters":{"x":"y"}}');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('The StorageClass "proxmox" is invalid: parameters: Forbidden: updates to parameters are forbidden.');

    const deleted = await kubectl("delete", "pvc", "data", "-n", "apps");
    expect(deleted.stdout).toContain('persistentvolumeclaim "data" deleted');
    expect((await kubectl("get", "pv", "pv-data")).stdout).toMatch(/Released/);
    const missing = await kubectl("get", "pvc", "data", "-n", "apps");
    expect(missing.stderr).toContain('Error from server (NotFound): persistentvolumeclaims "data" not found');
  }, 120_000);
});
