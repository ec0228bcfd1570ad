import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKubeApiServer, type KubeLab } from "./server.js";
import { clients } from "./test-helpers.js";

const exec = promisify(execFile);
let lab: KubeLab;
let dir: string;
let kubeconfig: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "kube-lab-list-"));
  lab = await startKubeApiServer({
    name: "l",
    namespaces: ["shop", "blog"],
    nodes: [{ name: "pve1", region: "lab", zone: "pve1" }],
    controllers: false,
  });
  kubeconfig = path.join(dir, "kubeconfig");
  await writeFile(kubeconfig, lab.kubeconfig());
  const { core } = clients(lab);
  for (const name of ["a", "b", "c", "d", "e"])
    await core.createNamespacedConfigMap({
      namespace: "shop",
      body: { metadata: { name, labels: { tier: name < "c" ? "front" : "back" } } },
    });
  for (const name of ["p1", "p2", "p3"])
    await core.createNamespacedPod({
      namespace: "shop",
      body: { metadata: { name }, spec: { containers: [{ name: "main", image: "busybox" }] } },
    });
  for (const namespace of ["shop", "blog"])
    await core.createNamespacedPersistentVolumeClaim({
      namespace,
      body: {
        metadata: { name: `data-${namespace}` },
        spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } }, storageClassName: "none" },
      },
    });
});
afterAll(async () => {
  await lab.close();
  await rm(dir, { recursive: true, force: true });
});

/** A request as curl or the Python client sends it: the query string exactly as written. */
async function raw(pathAndQuery: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${lab.url}${pathAndQuery}`, {
    headers: { Authorization: `Bearer ${lab.token}` },
    signal: AbortSignal.timeout(5000),
  });
  return { status: res.status, body: JSON.parse(await res.text()) };
}

const names = (list: { items: Array<{ metadata: { name: string } }> }) => list.items.map((i) => i.metadata.name);

async function kubectl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec("kubectl", ["--kubeconfig", kubeconfig, ...args], { timeout: 30_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

describe("paging with limit and continue", () => {
  it("gives `limit` items and a continue token until the list is done, all at the first page's resourceVersion", async () => {
    const first = await raw("/api/v1/namespaces/shop/configmaps?limit=2");
    expect(first.status).toBe(200);
    expect(names(first.body)).toEqual(["a", "b"]);
    expect(first.body.metadata.remainingItemCount).toBe(3);
    const rv = first.body.metadata.resourceVersion;
    // A change between pages does not show: the pages are one snapshot, as etcd serves them.
    await clients(lab).core.deleteNamespacedConfigMap({ namespace: "shop", name: "d" });
    const second = await raw(`/api/v1/namespaces/shop/configmaps?limit=2&continue=${first.body.metadata.continue}`);
    expect(names(second.body)).toEqual(["c", "d"]);
    expect(second.body.metadata.resourceVersion).toBe(rv);
    const last = await raw(`/api/v1/namespaces/shop/configmaps?limit=2&continue=${second.body.metadata.continue}`);
    expect(names(last.body)).toEqual(["e"]);
    expect(last.body.metadata.continue).toBeUndefined();
    await clients(lab).core.createNamespacedConfigMap({ namespace: "shop", body: { metadata: { name: "d", labels: { tier: "back" } } } });
  });

  it("pages with @kubernetes/client-node's limit/_continue and keeps the label selector", async () => {
    const { core } = clients(lab);
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await core.listNamespacedConfigMap({ namespace: "shop", labelSelector: "tier=back", limit: 1, _continue: token });
      seen.push(...page.items.map((i) => i.metadata?.name ?? ""));
      token = page.metadata?._continue;
    } while (token);
    expect(seen).toEqual(["c", "d", "e"]);
  });

  it("kubectl get --chunk-size=1 fetches page by page and prints every pod", async () => {
    const { code, stdout, stderr } = await kubectl("get", "pods", "-n", "shop", "--chunk-size=1", "-v=6");
    expect(code).toBe(0);
    expect(stdout).toMatch(/p1[\s\S]*p2[\s\S]*p3/);
    expect(stderr).toMatch(/pods\?limit=1 200/);
    expect(stderr).toMatch(/pods\?continue=[\w-]+&limit=1 200/);
  });

  it("answers a malformed continue token 400 and one with a resourceVersion 400, as the apiserver does", async () => {
    const garbage = await raw("/api/v1/namespaces/shop/configmaps?limit=1&continue=not%20a%20token");
    expect(garbage.status).toBe(400);
    expect(garbage.body.message).toMatch(/^invalid continue token: continue key is not valid/);
    const first = await raw("/api/v1/namespaces/shop/configmaps?limit=1");
    const both = await raw(`/api/v1/namespaces/shop/configmaps?limit=1&continue=${first.body.metadata.continue}&resourceVersion=5`);
    expect(both.status).toBe(400);
    expect(both.body.message).toBe("specifying resource version is not allowed when using continue");
  });
});

describe("resourceVersion and resourceVersionMatch", () => {
  it("Exact lists the objects as they were at that version", async () => {
    const { core } = clients(lab);
    const before = await raw("/api/v1/namespaces/shop/configmaps");
    const rv = before.body.metadata.resourceVersion;
    await core.createNamespacedConfigMap({ namespace: "shop", body: { metadata: { name: "later" } } });
    await core.deleteNamespacedConfigMap({ namespace: "shop", name: "a" });
    const exact = await raw(`/api/v1/namespaces/shop/configmaps?resourceVersion=${rv}&resourceVersionMatch=Exact`);
    expect(exact.status).toBe(200);
    expect(names(exact.body)).toEqual(names(before.body));
    expect(exact.body.metadata.resourceVersion).toBe(rv);
    const now = await raw(`/api/v1/namespaces/shop/configmaps?resourceVersion=${rv}&resourceVersionMatch=NotOlderThan`);
    expect(names(now.body)).toContain("later");
    expect(names(now.body)).not.toContain("a");
  });

  it("Exact of a version older than the history answers 410 Expired, a future one 504 Too large", async () => {
    // A fresh lab restarted from a state file keeps no history before its start, like a compacted etcd.
    const stateFile = path.join(dir, "state.json");
    const first = await startKubeApiServer({ name: "h", namespaces: ["shop"], nodes: [], controllers: false, stateFile });
    await first.close();
    const again = await startKubeApiServer({ name: "h", namespaces: ["shop"], nodes: [], controllers: false, stateFile });
    try {
      const res = await fetch(`${again.url}/api/v1/namespaces?resourceVersion=1&resourceVersionMatch=Exact`, {
        headers: { Authorization: `Bearer ${again.token}` },
      });
      expect(res.status).toBe(410);
      const body = await res.json();
      expect(body).toMatchObject({ reason: "Expired" });
      expect(body.message).toMatch(/^too old resource version: 1 \(\d+\)$/);
    } finally {
      await again.close();
    }
    const future = await raw("/api/v1/namespaces/shop/configmaps?resourceVersion=99999999");
    expect(future.status).toBe(504);
    expect(future.body.message).toMatch(/^Timeout: Too large resource version: 99999999, current: \d+$/);
  });

  it("refuses the combinations ValidateListOptions refuses, with a 422 on ListOptions", async () => {
    const cases: Array<[string, string]> = [
      [
        "resourceVersionMatch=Exact",
        "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided",
      ],
      [
        "resourceVersion=0&resourceVersionMatch=Exact",
        'resourceVersionMatch: Forbidden: resourceVersionMatch "exact" is forbidden for resourceVersion "0"',
      ],
      [
        "resourceVersion=1&resourceVersionMatch=Newest",
        'resourceVersionMatch: Unsupported value: "Newest": supported values: "Exact", "NotOlderThan", ""',
      ],
    ];
    for (const [q, message] of cases) {
      const res = await raw(`/api/v1/namespaces/shop/configmaps?${q}`);
      expect({ q, status: res.status, message: res.body.message }).toEqual({
        q,
        status: 422,
        message: `ListOptions.meta.k8s.io "" is invalid: ${message}`,
      });
    }
  });
});

describe("field selectors", () => {
  it("kubectl get pvc -A --field-selector metadata.namespace=shop lists that namespace's claims only", async () => {
    const { code, stdout } = await kubectl("get", "pvc", "-A", "--field-selector", "metadata.namespace=shop", "-o", "name");
    expect(code).toBe(0);
    expect(stdout.trim()).toBe("persistentvolumeclaim/data-shop");
  });

  it("reads =, == and != and refuses a field the kind does not index", async () => {
    expect(names((await raw("/api/v1/persistentvolumeclaims?fieldSelector=metadata.namespace%3D%3Dblog")).body)).toEqual(["data-blog"]);
    expect(names((await raw("/api/v1/persistentvolumeclaims?fieldSelector=metadata.namespace!%3Dblog")).body)).toEqual(["data-shop"]);
    expect(names((await raw("/api/v1/namespaces/shop/pods?fieldSelector=metadata.name%3Dp2,status.phase%3DPending")).body)).toEqual(["p2"]);
    const refused = await raw("/api/v1/namespaces/shop/configmaps?fieldSelector=spec.color%3Dred");
    expect(refused.status).toBe(400);
    expect(refused.body.message).toBe("field label not supported: spec.color");
  });
});

describe("a watch as the Python client opens it", () => {
  it("watch=True with timeoutSeconds streams the existing objects, then ends", async () => {
    const started = Date.now();
    const res = await fetch(`${lab.url}/api/v1/namespaces/shop/pods?watch=True&timeoutSeconds=1&labelSelector=`, {
      headers: { Authorization: `Bearer ${lab.token}` },
    });
    expect(res.status).toBe(200);
    const events = (await res.text())
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(events.map((e) => [e.type, e.object.metadata.name])).toEqual([
      ["ADDED", "p1"],
      ["ADDED", "p2"],
      ["ADDED", "p3"],
    ]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });
});
