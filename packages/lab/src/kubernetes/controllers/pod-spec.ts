import path from "node:path";
import type { KubeObject } from "../types.js";
import { HOST_IP, podIP } from "./pod-network.js";

/** A pod that cannot start yet (or at all) for a reason the kubelet reports as a waiting state and an event. */
export class ConfigError extends Error {
  constructor(
    readonly waitingReason: "CreateContainerConfigError" | "ContainerCreating",
    readonly eventReason: string,
    message: string,
  ) {
    super(message);
  }
}

/** A pod volume, prepared on this machine. */
export interface PodVolume {
  dir: string;
  readOnly: boolean;
  kind: string;
}

/** The image name without tag or digest. */
export function imageName(image: string): string {
  let name = image.split("@")[0] ?? image;
  const colon = name.lastIndexOf(":");
  if (colon > name.lastIndexOf("/")) name = name.slice(0, colon);
  return name;
}

/** Kubernetes' $(VAR) expansion in command, args and env values; `$$` escapes. */
export function expandVars(text: string, env: Record<string, string>): string {
  return text.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (match, name: string | undefined) => {
    if (match === "$$") return "$";
    return name !== undefined && Object.prototype.hasOwnProperty.call(env, name) ? (env[name] ?? "") : match;
  });
}

export function decode(value: unknown): string {
  return Buffer.from(String(value ?? ""), "base64").toString("utf8");
}

export function safeRelative(p: string): string {
  const normal = path.posix.normalize(p).replace(/^\/+/, "");
  if (normal.startsWith(".."))
    throw new ConfigError("CreateContainerConfigError", "Failed", `invalid subpath "${p}": must not contain '..'`);
  return normal;
}

export function fieldValue(pod: KubeObject, fieldPath: string): string {
  const m = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(fieldPath);
  if (m) return String((m[1] === "labels" ? pod.metadata.labels : pod.metadata.annotations)?.[m[2] ?? ""] ?? "");
  switch (fieldPath) {
    case "metadata.name":
      return String(pod.metadata.name ?? "");
    case "metadata.namespace":
      return String(pod.metadata.namespace ?? "");
    case "metadata.uid":
      return String(pod.metadata.uid ?? "");
    case "spec.nodeName":
      return String(pod.spec?.nodeName ?? "");
    case "spec.serviceAccountName":
      return String(pod.spec?.serviceAccountName ?? "default");
    case "status.podIP":
    case "status.podIPs":
      return podIP(String(pod.metadata.uid ?? ""));
    case "status.hostIP":
    case "status.hostIPs":
      return HOST_IP;
  }
  return "";
}
