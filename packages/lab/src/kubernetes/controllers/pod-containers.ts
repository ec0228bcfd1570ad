import { access, constants, mkdir } from "node:fs/promises";
import { existsSync } from "node:fs";
import path from "node:path";
import type { KubeStore } from "../store.js";
import { isRecord, type KubeObject } from "../types.js";
import { ConfigError, decode, expandVars, fieldValue, imageName, safeRelative, type PodVolume } from "./pod-spec.js";
import { giveTo } from "./pod-volumes.js";
import { DEFAULT_GID, DEFAULT_UID, type SandboxMount } from "./sandbox.js";

/** How an image's paths map onto this machine. */
export interface ImageMapping {
  /** Path in the image (e.g. "/opt/hks/bin") → local path, mounted read-only there in the container. */
  pathMap: Record<string, string>;
}

export interface PreparedContainer {
  /** Command and args, with paths as the container sees them. */
  argv?: string[];
  startError?: string;
  env: Record<string, string>;
  /** Working directory inside the container. */
  cwd: string;
  mounts: SandboxMount[];
  /** This machine's file behind the container's terminationMessagePath. */
  terminationFile: string;
  fallbackToLogs: boolean;
  uid: number;
  gid: number;
  groups: number[];
}

/** A container runtime's default PATH (the image's in a real cluster). */
const IMAGE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/** The user, group and supplementary groups a container runs as: its securityContext, else the pod's, else nobody. */
function identity(pod: KubeObject, c: any): { uid: number; gid: number; groups: number[] } {
  const podCtx = isRecord(pod.spec?.securityContext) ? pod.spec.securityContext : {};
  const ctx = isRecord(c.securityContext) ? c.securityContext : {};
  const num = (v: unknown) => (typeof v === "number" && Number.isInteger(v) && v >= 0 ? v : undefined);
  const uid = num(ctx.runAsUser) ?? num(podCtx.runAsUser) ?? DEFAULT_UID;
  const gid = num(ctx.runAsGroup) ?? num(podCtx.runAsGroup) ?? DEFAULT_GID;
  const groups = [num(podCtx.fsGroup), ...(Array.isArray(podCtx.supplementalGroups) ? podCtx.supplementalGroups.map(num) : [])];
  return { uid, gid, groups: [...new Set(groups.filter((g): g is number => g !== undefined))] };
}

export async function prepareContainer(
  store: KubeStore,
  images: Record<string, ImageMapping>,
  pod: KubeObject,
  c: any,
  volumes: Map<string, PodVolume>,
  podDir: string,
): Promise<PreparedContainer> {
  const name = String(c.name);
  const { uid, gid, groups } = identity(pod, c);
  const mounts: SandboxMount[] = [];
  for (const m of Array.isArray(c.volumeMounts) ? (c.volumeMounts as any[]) : []) {
    const vol = volumes.get(String(m.name));
    if (!vol)
      throw new ConfigError("CreateContainerConfigError", "Failed", `cannot find volume "${m.name}" to mount into container "${name}"`);
    let source = vol.dir;
    if (m.subPath) {
      source = path.join(vol.dir, safeRelative(String(m.subPath)));
      if (!existsSync(source)) {
        await mkdir(source, { recursive: true });
        await giveTo(source, uid, gid);
      }
    }
    mounts.push({ source, target: path.posix.resolve("/", String(m.mountPath)), readOnly: m.readOnly === true || vol.readOnly });
  }
  const terminationFile = path.join(podDir, "termination", name);
  await mkdir(path.dirname(terminationFile), { recursive: true });
  mounts.push({ source: terminationFile, target: String(c.terminationMessagePath ?? "/dev/termination-log"), readOnly: false });
  const image = images[imageName(String(c.image ?? ""))];
  for (const [target, source] of Object.entries(image?.pathMap ?? {})) mounts.push({ source, target, readOnly: true });

  const env: Record<string, string> = { PATH: IMAGE_PATH, HOME: "/", HOSTNAME: String(pod.metadata.name ?? "") };
  const namespace = pod.metadata.namespace ?? "";
  const lookup = (kind: "Secret" | "ConfigMap", objName: string, optional: boolean) => {
    const obj = store.get("v1", kind, namespace, objName);
    if (!obj && !optional) throw new ConfigError("CreateContainerConfigError", "Failed", `${kind.toLowerCase()} "${objName}" not found`);
    return obj;
  };
  const valuesOf = (kind: "Secret" | "ConfigMap", obj: KubeObject): Record<string, string> => {
    const data = isRecord(obj.data) ? obj.data : {};
    return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, kind === "Secret" ? decode(v) : String(v)]));
  };
  for (const from of Array.isArray(c.envFrom) ? c.envFrom : []) {
    const kind = isRecord(from.secretRef) ? "Secret" : isRecord(from.configMapRef) ? "ConfigMap" : undefined;
    if (!kind) continue;
    const ref = (kind === "Secret" ? from.secretRef : from.configMapRef) as { name?: string; optional?: boolean };
    const obj = lookup(kind, String(ref.name ?? ""), ref.optional === true);
    if (obj) for (const [k, v] of Object.entries(valuesOf(kind, obj))) env[`${from.prefix ?? ""}${k}`] = v;
  }
  for (const e of Array.isArray(c.env) ? c.env : []) {
    const key = String(e.name);
    if (e.valueFrom === undefined) {
      env[key] = expandVars(String(e.value ?? ""), env);
      continue;
    }
    const vf = e.valueFrom;
    if (isRecord(vf.secretKeyRef) || isRecord(vf.configMapKeyRef)) {
      const kind = isRecord(vf.secretKeyRef) ? "Secret" : "ConfigMap";
      const ref = (kind === "Secret" ? vf.secretKeyRef : vf.configMapKeyRef) as { name?: string; key?: string; optional?: boolean };
      const obj = lookup(kind, String(ref.name ?? ""), ref.optional === true);
      if (!obj) continue;
      const values = valuesOf(kind, obj);
      const k = String(ref.key ?? "");
      if (!(k in values)) {
        if (ref.optional === true) continue;
        throw new ConfigError("CreateContainerConfigError", "Failed", `couldn't find key ${k} in ${kind} ${namespace}/${ref.name}`);
      }
      env[key] = values[k] ?? "";
    } else if (isRecord(vf.fieldRef)) {
      env[key] = fieldValue(pod, String(vf.fieldRef.fieldPath ?? ""));
    } else env[key] = "";
  }
  const command: string[] = Array.isArray(c.command) ? c.command.map(String) : [];
  const args: string[] = Array.isArray(c.args) ? c.args.map(String) : [];
  const prepared: PreparedContainer = {
    env,
    cwd: c.workingDir ? path.posix.resolve("/", String(c.workingDir)) : "/",
    mounts,
    terminationFile,
    fallbackToLogs: c.terminationMessagePolicy === "FallbackToLogsOnError",
    uid,
    gid,
    groups,
  };
  if (command.length === 0)
    prepared.startError = `the lab has no image entrypoints: container "${name}" (image ${c.image}) must set "command"; the lab runs the command in a sandbox on this machine`;
  else if (uid === 0)
    prepared.startError = `the lab does not run containers as root: container "${name}" asks for runAsUser 0; leave it out (the lab then uses ${DEFAULT_UID}) or pick another user`;
  else prepared.argv = [...command, ...args].map((s) => expandVars(s, env));
  return prepared;
}

/**
 * Where `file` (argv[0], resolved against the container's PATH) lives on this machine, if it is an executable the
 * container can see: under one of its mounts, or in the image (this machine's /usr and the /bin, /lib links into it).
 */
export async function resolveExecutable(
  file: string,
  cwd: string,
  env: Record<string, string>,
  mounts: SandboxMount[],
): Promise<string | undefined> {
  const candidates = file.includes("/")
    ? [path.posix.resolve(cwd, file)]
    : (env.PATH ?? IMAGE_PATH).split(":").map((dir) => path.posix.join(dir || ".", file));
  for (const candidate of candidates) {
    if (!candidate.startsWith("/")) continue;
    const local = hostPathOf(candidate, mounts);
    if (!local) continue;
    try {
      await access(local, constants.X_OK);
      return local;
    } catch {
      // next one
    }
  }
  return undefined;
}

function hostPathOf(inside: string, mounts: SandboxMount[]): string | undefined {
  const mount = [...mounts]
    .sort((a, b) => b.target.length - a.target.length)
    .find((m) => inside === m.target || inside.startsWith(`${m.target}/`));
  if (mount) return mount.source + inside.slice(mount.target.length);
  return /^\/(usr|bin|sbin|lib|lib64)\//.test(inside) ? inside : undefined;
}
