import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import type { KubeStore, StoreSnapshot } from "./store.js";
import type { ServingCert } from "./tls.js";

export interface PersistedState extends StoreSnapshot {
  token: string;
  port?: number;
  tls?: ServingCert & { hosts: string[] };
}

export async function loadState(file: string): Promise<PersistedState | undefined> {
  try {
    const state = JSON.parse(await readFile(file, "utf8")) as PersistedState;
    return Array.isArray(state.objects) ? state : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** Writes the store to `file` shortly after each change; temp + rename so a crash never leaves half a file. */
export function persist(store: KubeStore, file: string, extra: () => { token: string; port?: number }) {
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();
  const write = () => {
    timer = undefined;
    const state: PersistedState = { ...extra(), ...store.snapshot() };
    writing = writing.then(async () => {
      await mkdir(path.dirname(file), { recursive: true });
      const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
      await writeFile(temp, JSON.stringify(state, null, 1));
      await rename(temp, file);
    });
    writing.catch((error: unknown) => console.error("kube lab: saving state failed", error));
  };
  store.subscribe(() => {
    if (!timer) timer = setTimeout(write, 50);
  });
  return {
    saveNow: write,
    async flush() {
      if (timer) {
        clearTimeout(timer);
        write();
      }
      await writing.catch(() => undefined);
    },
  };
}
