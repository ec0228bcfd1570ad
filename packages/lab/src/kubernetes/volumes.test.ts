import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expandVars, imageName } from "./controllers/pods.js";
import { startKubeApiServer } from "./server.js";
import { clients, isRoot, mountsUnder, until } from "./test-helpers.js";

const exec = promisify(execFile);
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "kube-lab-vol-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const NODES = [{ name: "pve1", region: "lab", zone: "pve1" }];

describe("container specs", () => {
  it("expands $(VAR) references and strips image tags and digests", () => {
    expect(expandVars("$(A)/x $$(A) $(B)", { A: "/a" })).toBe("/a/x $(A) $(B)");
    expect(imageName("ghcr.io/hks/backup-functions:1.2@sha256:abc")).toBe("ghcr.io/hks/backup-functions");
    expect(imageName("localhost:5000/x")).toBe("localhost:5000/x");
  });
});

describe("volume persistence and close()", () => {
  it("keeps volume contents across close and restart, and leaves no processes or mounts", async () => {
    const stateFile = path.join(dir, "state.json");
    const first = await startKubeApiServer({ name: "keep", namespaces: ["apps"], nodes: NODES, stateFile });
    expect(first.volumesDir).toBe(path.join(dir, "volumes", "keep"));
    const api = clients(first);
    await api.core.createNamespacedPersistentVolumeClaim({
      namespace: "apps",
      body: { metadata: { name: "data" }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "4Gi" } } } },
    });
    const pv = await until(
      async () => (await api.core.readNamespacedPersistentVolumeClaim({ name: "data", namespace: "apps" })).spec?.volumeName,
    );
    // A pod writes the data, and another one is still running at close().
    await api.core.createNamespacedPod({
      namespace: "apps",
      body: {
        metadata: { name: "writer" },
        spec: {
          restartPolicy: "Never",
          containers: [
            {
              name: "c",
              image: "busybox",
              command: ["/bin/sh", "-c", "echo kept > /data/file.txt"],
              volumeMounts: [{ name: "d", mountPath: "/data" }],
            },
          ],
          volumes: [{ name: "d", persistentVolumeClaim: { claimName: "data" } }],
        },
      },
    });
    await until(async () => (await api.core.readNamespacedPod({ name: "writer", namespace: "apps" })).status?.phase === "Succeeded");
    await api.core.createNamespacedPod({
      namespace: "apps",
      body: {
        metadata: { name: "runner" },
        spec: { restartPolicy: "Never", containers: [{ name: "c", image: "busybox", command: ["sleep", "4242"] }] },
      },
    });
    await until(async () => (await api.core.readNamespacedPod({ name: "runner", namespace: "apps" })).status?.phase === "Running");
    const folder = first.volumeFolder(pv) ?? "";
    expect(await readFile(path.join(folder, "file.txt"), "utf8")).toBe("kept\n");
    if (isRoot) expect(mountsUnder(first.volumesDir, await readFile("/proc/mounts", "utf8"))).toEqual([folder]);
    const usage = first.volumeUsage(pv);
    expect(usage?.usedBytes).toBeGreaterThan(0);

    await first.close();
    await expect(exec("pgrep", ["-f", "sleep 4242"])).rejects.toMatchObject({ code: 1 });
    expect(mountsUnder(dir, await readFile("/proc/mounts", "utf8"))).toEqual([]);
    if (isRoot) expect(existsSync(path.join(first.volumesDir, `${pv}.tar`))).toBe(true);

    const second = await startKubeApiServer({ name: "keep", namespaces: ["apps"], nodes: NODES, stateFile });
    try {
      const again = clients(second);
      // The pod that was running when the lab stopped failed; its process is gone.
      const runner = await again.core.readNamespacedPod({ name: "runner", namespace: "apps" });
      expect(runner.status?.phase).toBe("Failed");
      const folder2 = await until(() => second.volumeFolder(pv));
      await until(async () => existsSync(path.join(folder2, "file.txt")), 5000, "restored contents");
      expect(await readFile(path.join(folder2, "file.txt"), "utf8")).toBe("kept\n");
      if (isRoot) expect(second.volumeUsage(pv)?.sizeLimited).toBe(true);
      // The lab's kubectl view of the same data.
      await writeFile(path.join(dir, "kc"), second.kubeconfig());
      const { stdout } = await exec("kubectl", ["--kubeconfig", path.join(dir, "kc"), "get", "pvc", "-n", "apps"]);
      expect(stdout).toMatch(/data\s+Bound\s+pvc-[0-9a-f-]+\s+4Gi\s+RWO\s+standard/);
    } finally {
      await second.close();
    }
    expect(mountsUnder(dir, await readFile("/proc/mounts", "utf8"))).toEqual([]);
  }, 60_000);

  it("falls back to plain folders without tmpfs, and a temp volumesDir goes at close", async () => {
    const lab = await startKubeApiServer({ name: "plain", namespaces: ["apps"], nodes: NODES, tmpfs: false });
    const api = clients(lab);
    await api.core.createNamespacedPersistentVolumeClaim({
      namespace: "apps",
      body: { metadata: { name: "p" }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } } },
    });
    const pv = await until(
      async () => (await api.core.readNamespacedPersistentVolumeClaim({ name: "p", namespace: "apps" })).spec?.volumeName,
    );
    const folder = await until(() => lab.volumeFolder(pv));
    await until(() => existsSync(folder));
    await writeFile(path.join(folder, "x"), Buffer.alloc(8192));
    const usage = lab.volumeUsage(pv);
    expect(usage?.sizeLimited).toBe(false);
    expect(usage?.real.capacityBytes).toBe(1024 * 1024);
    expect(usage?.real.usedBytes).toBeGreaterThanOrEqual(8192);
    expect(usage?.usedBytes).toBe(usage ? usage.real.usedBytes * 1024 : -1);
    expect(mountsUnder(lab.volumesDir, await readFile("/proc/mounts", "utf8"))).toEqual([]);
    await lab.close();
    expect(existsSync(lab.volumesDir)).toBe(false);
  });
});
