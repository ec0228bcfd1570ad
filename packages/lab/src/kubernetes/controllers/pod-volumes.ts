import { execFile } from "node:child_process";
import { chmod, chown, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { tryParseQuantity } from "../quantity.js";
import type { KubeStore } from "../store.js";
import { isRecord, type KubeObject } from "../types.js";
import { ConfigError, safeRelative, type PodVolume } from "./pod-spec.js";
import { DEFAULT_GID, DEFAULT_UID } from "./sandbox.js";
import type { VolumeManager } from "./volumes.js";

const exec = promisify(execFile);
const isRoot = () => process.getuid?.() === 0;

/** Prepares every volume of a pod on this machine (claims' folders, emptyDirs, secret and configMap files). */
export async function preparePodVolumes(
  store: KubeStore,
  volumes: VolumeManager,
  pod: KubeObject,
  podDir: string,
): Promise<Map<string, PodVolume>> {
  const out = new Map<string, PodVolume>();
  const namespace = pod.metadata.namespace ?? "";
  const fsGroup = Number(pod.spec?.securityContext?.fsGroup);
  for (const vol of Array.isArray(pod.spec?.volumes) ? pod.spec.volumes : []) {
    const name = String(vol?.name ?? "");
    const scratch = path.join(podDir, "volumes", name);
    if (isRecord(vol.persistentVolumeClaim)) {
      const claimName = String(vol.persistentVolumeClaim.claimName ?? "");
      const pvc = store.get("v1", "PersistentVolumeClaim", namespace, claimName);
      const pvName = pvc?.spec?.volumeName as string | undefined;
      const pv = pvName ? store.get("v1", "PersistentVolume", undefined, pvName) : undefined;
      if (!pv || !pvName)
        throw new ConfigError(
          "ContainerCreating",
          "FailedMount",
          `MountVolume.SetUp failed for volume "${name}" : persistentvolumeclaim "${claimName}" is not bound`,
        );
      const capacity = tryParseQuantity(pv.spec?.capacity?.storage)?.value() ?? 0;
      const dir = await volumes.ensure(pvName, capacity);
      const readOnly = vol.persistentVolumeClaim.readOnly === true;
      if (Number.isInteger(fsGroup) && fsGroup > 0) await applyFsGroup(dir, fsGroup, readOnly);
      out.set(name, { dir, readOnly, kind: "pvc" });
    } else if (isRecord(vol.emptyDir) || vol.emptyDir === null) {
      await mkdir(scratch, { recursive: true });
      // A container runtime's emptyDir is world-writable: whatever user the container runs as can use it.
      await chmod(scratch, 0o777);
      out.set(name, { dir: scratch, readOnly: false, kind: "emptyDir" });
    } else if (isRecord(vol.secret) || isRecord(vol.configMap)) {
      await writeProjectedFiles(store, namespace, name, vol, scratch);
      out.set(name, { dir: scratch, readOnly: true, kind: isRecord(vol.secret) ? "secret" : "configMap" });
    } else {
      // hostPath included: the machine's own folders are not a pod's to see.
      const type = Object.keys(vol ?? {}).find((k) => k !== "name") ?? "unknown";
      throw new ConfigError(
        "ContainerCreating",
        "FailedMount",
        `MountVolume.SetUp failed for volume "${name}" : the lab does not support ${type} volumes`,
      );
    }
  }
  return out;
}

async function writeProjectedFiles(store: KubeStore, namespace: string, name: string, vol: any, scratch: string): Promise<void> {
  const isSecret = isRecord(vol.secret);
  const source = (isSecret ? vol.secret : vol.configMap) as Record<string, any>;
  const objName = String(isSecret ? source.secretName : source.name);
  const obj = store.get("v1", isSecret ? "Secret" : "ConfigMap", namespace, objName);
  if (!obj && source.optional !== true)
    throw new ConfigError(
      "ContainerCreating",
      "FailedMount",
      `MountVolume.SetUp failed for volume "${name}" : ${isSecret ? "secret" : "configmap"} "${objName}" not found`,
    );
  const files = new Map<string, Buffer>();
  if (obj) {
    for (const [k, v] of Object.entries(isRecord(obj.data) ? obj.data : {}))
      files.set(k, isSecret ? Buffer.from(String(v), "base64") : Buffer.from(String(v)));
    if (!isSecret)
      for (const [k, v] of Object.entries(isRecord(obj.binaryData) ? obj.binaryData : {})) files.set(k, Buffer.from(String(v), "base64"));
  }
  await mkdir(scratch, { recursive: true });
  const items: Array<{ key: string; path: string; mode?: number }> | undefined = Array.isArray(source.items) ? source.items : undefined;
  const mode = Number(source.defaultMode ?? 0o644);
  for (const item of items ?? [...files.keys()].map((key): { key: string; path: string; mode?: number } => ({ key, path: key }))) {
    const content = files.get(item.key);
    if (!content) {
      if (source.optional === true) continue;
      throw new ConfigError(
        "ContainerCreating",
        "FailedMount",
        `MountVolume.SetUp failed for volume "${name}" : configmap references non-existent config key: ${item.key}`,
      );
    }
    const target = path.join(scratch, safeRelative(item.path));
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, content);
    await chmod(target, Number(item.mode ?? mode));
  }
}

/** What the kubelet does for a pod's fsGroup: the volume's files belong to that group, group-readable (and writable). */
async function applyFsGroup(dir: string, gid: number, readOnly: boolean): Promise<void> {
  if (!isRoot()) return;
  await exec("chgrp", ["-R", String(gid), dir]);
  await exec("chmod", ["-R", readOnly ? "g+rX" : "g+rwX", dir]);
  await exec("find", [dir, "-type", "d", "-exec", "chmod", "g+s", "{}", "+"]);
}

/** Folders the lab creates for a container to write into (subPaths, the termination-message file) belong to it. */
export async function giveTo(target: string, uid: number = DEFAULT_UID, gid: number = DEFAULT_GID): Promise<void> {
  if (isRoot()) await chown(target, uid, gid);
}
