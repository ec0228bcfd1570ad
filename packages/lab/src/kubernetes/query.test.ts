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

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "kube-lab-query-"));
  lab = await startKubeApiServer({
    name: "q",
    namespaces: ["shop"],
    nodes: [{ name: "pve1", region: "lab", zone: "pve1" }],
    controllers: false,
  });
  await clients(lab).core.createNamespacedConfigMap({ namespace: "shop", body: { metadata: { name: "c1", labels: { app: "a" } } } });
});
afterAll(async () => {
  await lab.close();
  await rm(dir, { recursive: true, force: true });
});

/** A request as curl, the Python client or a Go client sends it: the query string exactly as written. */
async function raw(pathAndQuery: string, init: RequestInit = {}): Promise<{ status: number; text: string; json: () => any }> {
  const res = await fetch(`${lab.url}${pathAndQuery}`, {
    ...init,
    headers: { Authorization: `Bearer ${lab.token}`, "Content-Type": "application/json", ...(init.headers as Record<string, string>) },
    signal: AbortSignal.timeout(5000),
  });
  const text = await res.text();
  return { status: res.status, text, json: () => JSON.parse(text) };
}

describe("query parameters, read as the apiserver reads them", () => {
  it("watch=True, watch=1, watch=t and allowWatchBookmarks=true open a watch; watch=False lists", async () => {
    for (const value of ["True", "1", "t", "TRUE", "true"]) {
      const r = await raw(`/api/v1/namespaces/shop/configmaps?watch=${value}&allowWatchBookmarks=true&timeoutSeconds=1`);
      expect(r.status, value).toBe(200);
      const first = JSON.parse(r.text.split("\n")[0] ?? "{}");
      expect(first, value).toMatchObject({ type: "ADDED", object: { metadata: { name: "c1" } } });
    }
    for (const value of ["False", "0", "f", ""]) {
      const r = await raw(`/api/v1/namespaces/shop/configmaps?watch=${value}`);
      expect(r.json(), value).toMatchObject({ kind: "ConfigMapList" });
    }
  }, 20_000);

  it("answers what the apiserver refuses with 400 BadRequest Status objects", async () => {
    for (const query of [
      "watch=yes",
      "timeoutSeconds=abc",
      "limit=ten",
      "allowWatchBookmarks=maybe",
      "resourceVersion=abc",
      "labelSelector=a%20in%20(b",
    ]) {
      const r = await raw(`/api/v1/namespaces/shop/configmaps?${query}`);
      expect(r.status, query).toBe(400);
      expect(r.json(), query).toMatchObject({ kind: "Status", status: "Failure", reason: "BadRequest", code: 400 });
    }
    const bad = await raw(`/api/v1/namespaces/shop/configmaps?dryRun=Foo`, {
      method: "POST",
      body: JSON.stringify({ metadata: { name: "x" } }),
    });
    expect(bad.status).toBe(400);
    expect(bad.json().message).toContain("dryRun");
    const policy = await raw(`/api/v1/namespaces/shop/configmaps/c1?propagationPolicy=Sometimes`, { method: "DELETE" });
    expect(policy.status).toBe(422);
    expect(policy.json().message).toContain('"Background", "Foreground", "Orphan"');
  });

  it("dryRun=All answers the object and persists nothing", async () => {
    const r = await raw(`/api/v1/namespaces/shop/configmaps?dryRun=All`, {
      method: "POST",
      body: JSON.stringify({ metadata: { name: "dry" } }),
    });
    expect(r.status).toBe(201);
    expect((await raw(`/api/v1/namespaces/shop/configmaps/dry`)).status).toBe(404);
    const del = await raw(`/api/v1/namespaces/shop/configmaps/c1?dryRun=All&propagationPolicy=Background`, { method: "DELETE" });
    expect(del.status).toBe(200);
    expect((await raw(`/api/v1/namespaces/shop/configmaps/c1`)).status).toBe(200);
  });

  it("answers SelfSubjectAccessReviews: kubectl auth can-i says yes to the vCluster admin", async () => {
    const review = await raw(`/apis/authorization.k8s.io/v1/selfsubjectaccessreviews`, {
      method: "POST",
      body: JSON.stringify({
        apiVersion: "authorization.k8s.io/v1",
        kind: "SelfSubjectAccessReview",
        spec: { resourceAttributes: { namespace: "shop", verb: "create", resource: "persistentvolumeclaims" } },
      }),
    });
    expect(review.status).toBe(201);
    expect(review.json()).toMatchObject({ kind: "SelfSubjectAccessReview", status: { allowed: true } });
    const kubeconfig = path.join(dir, "kubeconfig");
    await writeFile(kubeconfig, lab.kubeconfig());
    const { stdout } = await exec("kubectl", ["--kubeconfig", kubeconfig, "auth", "can-i", "create", "pvc", "-n", "shop"], {
      timeout: 30_000,
    });
    expect(stdout.trim()).toBe("yes");
  }, 40_000);

  it("@kubernetes/client-node's watch still streams (it sends watch=true)", async () => {
    const list = await clients(lab).core.listNamespacedConfigMap({ namespace: "shop", labelSelector: "app=a" });
    expect(list.items.map((i) => i.metadata?.name)).toEqual(["c1"]);
  });
});

describe("write options, validated as Create/Update/PatchOptions", () => {
  const invalidMessage = async (pathAndQuery: string, init: RequestInit) => {
    const r = await raw(pathAndQuery, init);
    return { status: r.status, message: r.json().message as string };
  };

  it("refuses a fieldManager over 128 bytes or with control characters (422), and accepts 128", async () => {
    const body = (name: string) => JSON.stringify({ metadata: { name } });
    expect(
      await invalidMessage(`/api/v1/namespaces/shop/configmaps?fieldManager=${"m".repeat(129)}`, { method: "POST", body: body("long") }),
    ).toEqual({
      status: 422,
      message: 'CreateOptions.meta.k8s.io "" is invalid: fieldManager: Too long: must have at most 128 bytes',
    });
    expect(
      await invalidMessage(`/api/v1/namespaces/shop/configmaps?fieldManager=ops%07bot`, { method: "POST", body: body("bell") }),
    ).toEqual({
      status: 422,
      message:
        'CreateOptions.meta.k8s.io "" is invalid: fieldManager: Invalid value: "ops\\u0007bot": invalid character U+0007 (at position 3)',
    });
    const ok = await raw(`/api/v1/namespaces/shop/configmaps?fieldManager=${"m".repeat(128)}`, { method: "POST", body: body("ok128") });
    expect(ok.status).toBe(201);
    expect(ok.json().metadata.managedFields[0].manager).toBe("m".repeat(128));
  });

  it("allows force only on apply patches, and requires a fieldManager for apply", async () => {
    expect(
      await invalidMessage(`/api/v1/namespaces/shop/configmaps/c1?force=true`, {
        method: "PATCH",
        headers: { "Content-Type": "application/merge-patch+json" },
        body: JSON.stringify({ data: { k: "v" } }),
      }),
    ).toEqual({
      status: 422,
      message: 'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch',
    });
    expect(
      await invalidMessage(`/api/v1/namespaces/shop/configmaps/c1?force=true`, {
        method: "PATCH",
        headers: { "Content-Type": "application/apply-patch+yaml" },
        body: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c1\ndata:\n  k: v\n",
      }),
    ).toEqual({
      status: 422,
      message: 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
    });
    const applied = await raw(`/api/v1/namespaces/shop/configmaps/c1?force=true&fieldManager=ops`, {
      method: "PATCH",
      headers: { "Content-Type": "application/apply-patch+yaml" },
      body: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c1\ndata:\n  k: v\n",
    });
    expect(applied.status).toBe(200);
    expect(applied.json().data).toEqual({ k: "v" });
  });
});
