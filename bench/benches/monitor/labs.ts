/** The monitor bench's lab vCluster APIs: one child process per workspace, each started from a state file. */
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { persistentVolumeManifest } from "../../../apps/server/src/platform/kubernetes/kinds/persistent-volume.js";
import { vclusterOf, WORKSPACES, type BenchVolume } from "./exporter.js";

const here = path.dirname(fileURLToPath(import.meta.url));

export const pvName = (v: BenchVolume) => `hks-${vclusterOf(v.workspace)}-${v.name}`;

/** (Re)starts each workspace's lab vCluster API from a state file holding its volumes' PVs and bound claims. */
export async function startLabs(
  labs: Map<number, ChildProcess>,
  volumes: BenchVolume[],
  options: { tmp: string; kubeconfigs: string; namespaces: string[]; cleanups: Array<() => Promise<unknown>> },
) {
  const { tmp, kubeconfigs, cleanups } = options;
  await Promise.all(
    [...labs.values()].map(
      (child) =>
        new Promise<void>((resolve) => {
          child.once("exit", () => resolve());
          child.stdin?.end();
        }),
    ),
  );
  labs.clear();
  for (let w = 0; w < WORKSPACES; w++) {
    const dir = path.join(tmp, `lab-${w}`);
    await mkdir(dir, { recursive: true });
    const stateFile = path.join(dir, "state.json");
    // The same port, token and certificate as before: the agent's clients (and their kubeconfigs) stay valid.
    const previous = await readFile(stateFile, "utf8").then(
      (t) => JSON.parse(t) as Record<string, unknown>,
      () => ({}) as Record<string, unknown>,
    );
    // Later than any version the previous instance handed out, as a restarted apiserver's etcd would be: a watch resumed
    // from the old instance's version gets 410 Gone and relists (from a version the new one had reached by chance, it
    // would resume and never see the new volumes).
    const resourceVersion = Number(previous["resourceVersion"] ?? 0) + 100_000;
    const objects: unknown[] = [];
    for (const v of volumes) {
      if (v.workspace !== w) continue;
      const claimUid = randomUUID();
      const pv = persistentVolumeManifest({
        name: pvName(v),
        volumeId: v.id,
        workspace: vclusterOf(w),
        storageClassName: `hks-${v.name}`,
        sizeGiB: v.sizeGiB,
        csiDriver: "csi.proxmox.sinextra.dev",
        region: "hks-lab",
        zone: "pve1",
        proxmoxStorage: "local-lvm",
        diskName: `vm-9999-hks-${vclusterOf(w)}-${v.name}`,
      });
      objects.push({
        ...pv,
        metadata: {
          ...pv.metadata,
          uid: randomUUID(),
          resourceVersion: String(resourceVersion),
          creationTimestamp: new Date().toISOString(),
        },
        spec: {
          ...pv.spec,
          claimRef: { apiVersion: "v1", kind: "PersistentVolumeClaim", namespace: v.namespace, name: v.claim, uid: claimUid },
        },
        status: { phase: "Bound" },
      });
      objects.push({
        apiVersion: "v1",
        kind: "PersistentVolumeClaim",
        metadata: {
          name: v.claim,
          namespace: v.namespace,
          uid: claimUid,
          resourceVersion: String(resourceVersion),
          creationTimestamp: new Date().toISOString(),
        },
        spec: {
          accessModes: ["ReadWriteOnce"],
          storageClassName: `hks-${v.name}`,
          volumeName: pvName(v),
          resources: { requests: { storage: `${v.sizeGiB}Gi` } },
          volumeMode: "Filesystem",
        },
        status: { phase: "Bound", accessModes: ["ReadWriteOnce"], capacity: { storage: `${v.sizeGiB}Gi` } },
      });
    }
    await writeFile(
      stateFile,
      JSON.stringify({
        token: previous["token"] ?? randomUUID().replace(/-/g, ""),
        port: previous["port"],
        tls: previous["tls"],
        resourceVersion,
        objects,
      }),
    );
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        path.join(here, "../../lib/kube-lab-process.ts"),
        stateFile,
        vclusterOf(w),
        path.join(kubeconfigs, `${vclusterOf(w)}.kubeconfig`),
        options.namespaces.join(","),
      ],
      { stdio: ["pipe", "pipe", "inherit"], cwd: path.join(here, "../..") },
    );
    labs.set(w, child);
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.once("exit", () => resolve());
          child.kill("SIGTERM");
        }),
    );
    await new Promise<void>((resolve, reject) => {
      let out = "";
      child.stdout?.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes("READY ")) resolve();
      });
      child.once("exit", (code) => reject(new Error(`the lab vCluster ${vclusterOf(w)} exited with ${code}`)));
    });
  }
}
