import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKubeApiServer, type KubeLab } from "./server.js";

const exec = promisify(execFile);
let lab: KubeLab;
let dir: string;
let kubeconfig: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "kube-lab-openapi-"));
  lab = await startKubeApiServer({
    name: "o",
    namespaces: ["shop"],
    nodes: [{ name: "pve1", region: "lab", zone: "pve1" }],
    controllers: false,
  });
  kubeconfig = path.join(dir, "kubeconfig");
  await writeFile(kubeconfig, lab.kubeconfig());
});
afterAll(async () => {
  await lab.close();
  await rm(dir, { recursive: true, force: true });
});

async function kubectl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec("kubectl", ["--kubeconfig", kubeconfig, ...args], { timeout: 30_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

async function get(pathname: string): Promise<any> {
  const res = await fetch(`${lab.url}${pathname}`, { headers: { Authorization: `Bearer ${lab.token}` } });
  expect(res.status).toBe(200);
  return res.json();
}

describe("OpenAPI v3, as kubectl reads it", () => {
  it("kubectl explain prints a CronJob's timeZone field with its description", async () => {
    const { code, stdout } = await kubectl("explain", "cronjob.spec.timeZone");
    expect(code).toBe(0);
    expect(stdout).toMatch(/GROUP:\s+batch/);
    expect(stdout).toMatch(/FIELD: timeZone <string>/);
    expect(stdout).toMatch(/time zone name for the given schedule/);
  });

  it("kubectl explain knows every storage and batch kind the lab serves", async () => {
    const wanted: Record<string, RegExp> = {
      "pvc.spec": /storageClassName\s+<string>/,
      "pv.spec.capacity": /FIELD: capacity <map\[string\]string>/,
      "storageclass.volumeBindingMode": /FIELD: volumeBindingMode <string>/,
      "job.spec.template.spec.containers": /FIELD: containers <\[\]Container>/,
      "resourcequota.spec.hard": /FIELD: hard <map\[string\]string>/,
    };
    for (const [target, line] of Object.entries(wanted)) {
      const { code, stdout, stderr } = await kubectl("explain", target);
      expect({ target, code, stderr }).toEqual({ target, code: 0, stderr: "" });
      expect(stdout).toMatch(line);
    }
  });

  it("serves each group-version's kinds with x-kubernetes-group-version-kind, as the index lists them", async () => {
    const index = await get("/openapi/v3");
    const batch = await get(index.paths["apis/batch/v1"].serverRelativeURL);
    const kinds = Object.values(batch.components.schemas as Record<string, any>).flatMap((s) => s["x-kubernetes-group-version-kind"] ?? []);
    expect(kinds).toEqual(
      expect.arrayContaining([
        { group: "batch", version: "v1", kind: "CronJob" },
        { group: "batch", version: "v1", kind: "Job" },
      ]),
    );
    const storage = await get("/openapi/v3/apis/storage.k8s.io/v1");
    expect(storage.components.schemas["io.k8s.api.storage.v1.StorageClass"]["x-kubernetes-group-version-kind"]).toEqual([
      { group: "storage.k8s.io", version: "v1", kind: "StorageClass" },
    ]);
    const core = await get("/openapi/v3/api/v1");
    expect(core.components.schemas["io.k8s.api.core.v1.PersistentVolumeClaimSpec"].properties.volumeMode).toMatchObject({ type: "string" });
  });
});

const cronJob = (extra: string) => `apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly
  namespace: shop
spec:
  schedule: "0 3 * * *"
  timeZone: Europe/Berlin
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
            - name: run
              image: busybox
              args: ["true"]
${extra}`;

describe("unknown fields, as the apiserver's fieldValidation treats them", () => {
  it("kubectl apply (client-side, validation on) refuses a manifest with an unknown field, before and after the object exists", async () => {
    const bad = path.join(dir, "bad.yaml");
    await writeFile(bad, cronJob("  sheduel: typo\n"));
    const refused = await kubectl("apply", "-f", bad);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(
      'CronJob in version "v1" cannot be handled as a CronJob: strict decoding error: unknown field "spec.sheduel"',
    );

    const good = path.join(dir, "good.yaml");
    await writeFile(good, cronJob(""));
    const created = await kubectl("apply", "-f", good);
    expect(created).toMatchObject({ code: 0, stderr: "" });
    expect(created.stdout).toContain("cronjob.batch/nightly created");
    const unchanged = await kubectl("apply", "-f", good);
    expect(unchanged).toMatchObject({ code: 0, stderr: "", stdout: expect.stringContaining("unchanged") });

    const again = await kubectl("apply", "-f", bad);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('unknown field "spec.sheduel"');
  });

  it("kubectl apply --validate=warn and a client sending nothing get the object without the field and a Warning", async () => {
    const file = path.join(dir, "warn.yaml");
    await writeFile(file, cronJob("  sheduel: typo\n").replace("name: nightly", "name: warned"));
    const warned = await kubectl("apply", "--validate=warn", "-f", file);
    expect(warned.code).toBe(0);
    expect(warned.stderr).toContain('Warning: unknown field "spec.sheduel"');

    const res = await fetch(`${lab.url}/api/v1/namespaces/shop/configmaps`, {
      method: "POST",
      headers: { Authorization: `Bearer ${lab.token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ metadata: { name: "plain", labelz: { a: "b" } }, data: { k: "v" }, extra: 1 }),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("warning")).toBe('299 - "unknown field \\"metadata.labelz\\"", 299 - "unknown field \\"extra\\""');
    const stored = await get("/api/v1/namespaces/shop/configmaps/plain");
    expect(stored.extra).toBeUndefined();
    expect(stored.metadata.labelz).toBeUndefined();
    expect(stored.data).toEqual({ k: "v" });
  });

  it("server-side apply with Strict names the undeclared field; Ignore drops it quietly", async () => {
    const file = path.join(dir, "ssa.yaml");
    await writeFile(file, cronJob("  sheduel: typo\n").replace("name: nightly", "name: ssa"));
    const refused = await kubectl("apply", "--server-side", "-f", file);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(".spec.sheduel: field not declared in schema");
    const ignored = await kubectl("apply", "--server-side", "--validate=false", "-f", file);
    expect(ignored).toMatchObject({ code: 0, stderr: "" });
    expect((await get("/apis/batch/v1/namespaces/shop/cronjobs/ssa")).spec.sheduel).toBeUndefined();
  });

  it("refuses a fieldValidation value the apiserver does not know", async () => {
    const res = await fetch(`${lab.url}/api/v1/namespaces/shop/configmaps?fieldValidation=Loose`, {
      method: "POST",
      headers: { Authorization: `Bearer ${lab.token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ metadata: { name: "loose" } }),
    });
    expect(res.status).toBe(422);
    expect((await res.json()).message).toBe(
      'CreateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "Loose": supported values: "", "Ignore", "Strict", "Warn"',
    );
  });
});
