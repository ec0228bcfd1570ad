import { BatchV1Api, CoreV1Api, KubeConfig, StorageV1Api } from "@kubernetes/client-node";
import type { KubeLab } from "./server.js";

export function clients(lab: KubeLab) {
  const kc = new KubeConfig();
  kc.loadFromString(lab.kubeconfig());
  return { kc, core: kc.makeApiClient(CoreV1Api), batch: kc.makeApiClient(BatchV1Api), storage: kc.makeApiClient(StorageV1Api) };
}

/** Polls `check` until it returns something other than undefined/false. */
export async function until<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 10_000,
  what = "condition",
): Promise<T> {
  const start = Date.now();
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function mountsUnder(dir: string, mounts: string): string[] {
  return mounts
    .split("\n")
    .map((l) => l.split(" ")[1] ?? "")
    .filter((m) => m.startsWith(dir));
}

export const isRoot = process.platform === "linux" && process.getuid?.() === 0;
