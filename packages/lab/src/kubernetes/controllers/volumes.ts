import { execFile, execFileSync } from "node:child_process";
import { existsSync, readFileSync, statfsSync } from "node:fs";
import { chmod, mkdir, readdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { tryParseQuantity } from "../quantity.js";
import type { KubeStore, StoreEvent } from "../store.js";
import type { KubeObject } from "../types.js";

const run = promisify(execFile);
const GiB = 2 ** 30;
const PAGE = 4096;

/**
 * The lab's scale: a PV of capacity C (bytes) gets a folder limited to `C × bytesPerGiB / 2^30` real bytes. With the
 * default bytesPerGiB = 1 MiB, "a lab GiB holds a real MiB": a 2Gi PV is a 2 MiB tmpfs.
 */
export const DEFAULT_BYTES_PER_GIB = 1024 * 1024;

export interface VolumeUsage {
  /** Lab bytes: the real numbers × 2^30 / bytesPerGiB, comparable with the PV's capacity (what kubelet_volume_stats_* would report). */
  usedBytes: number;
  capacityBytes: number;
  availableBytes: number;
  /** What the folder really holds on this machine: statfs of the tmpfs, or `du` of a plain folder (capacity then is the scaled PV capacity). */
  real: { usedBytes: number; capacityBytes: number; availableBytes: number };
  /**
   * Inodes (not scaled): the tmpfs's statfs counts, or for a plain folder the entries it holds (`used`) plus the free
   * inodes of the filesystem it lives on.
   */
  inodes: { total: number; free: number; used: number };
  /** True when a tmpfs really enforces the size (writes beyond it fail with ENOSPC). */
  sizeLimited: boolean;
}

export interface VolumeManagerOptions {
  dir: string;
  bytesPerGiB?: number;
  /** Mount a sized tmpfs per volume when running as root on Linux (default true). */
  tmpfs?: boolean;
  /** Keep contents across close/start (tmpfs contents are archived to `<dir>/<pv>.tar`). False for throw-away dirs: close() removes `dir`. */
  persistent?: boolean;
  log?: (message: string) => void;
}

interface Volume {
  folder: string;
  /** Real bytes the tmpfs is mounted with; undefined for a plain folder. */
  mountedBytes?: number;
  op: Promise<void>;
  /** Made and mounted: until then a file written into the folder would end up under the tmpfs, hidden. */
  ready?: boolean;
}

const managers = new Set<VolumeManager>();
let exitHook = false;

/** Maps every PersistentVolume to a folder `<dir>/<pv-name>`, size-limited with tmpfs where the machine allows. */
export class VolumeManager {
  readonly dir: string;
  readonly bytesPerGiB: number;
  private readonly useTmpfs: boolean;
  private readonly persistent: boolean;
  private readonly log: (message: string) => void;
  private volumes = new Map<string, Volume>();
  private mountFailed = false;
  private closed = false;

  constructor(options: VolumeManagerOptions) {
    this.dir = path.resolve(options.dir);
    this.bytesPerGiB = options.bytesPerGiB ?? DEFAULT_BYTES_PER_GIB;
    this.useTmpfs = options.tmpfs !== false && process.platform === "linux" && process.getuid?.() === 0;
    this.persistent = options.persistent !== false;
    this.log = options.log ?? ((m) => console.warn(m));
  }

  /** Creates the folder and removes mounts a crashed run left behind (archiving their contents first). */
  async start(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    for (const mountPoint of this.mountsUnder().reverse()) {
      if (this.persistent && path.dirname(mountPoint) === this.dir)
        await this.archive(path.basename(mountPoint), mountPoint).catch(() => undefined);
      await unmount(mountPoint);
    }
    managers.add(this);
    if (!exitHook) {
      exitHook = true;
      // Last resort when the process exits without close(): never leave mounts behind.
      process.on("exit", () => {
        for (const m of managers) m.unmountAllSync();
      });
      // A signal's default action ends the process without "exit": when nothing else handles it, unmount, then die of it.
      for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const) {
        const onSignal = () => {
          if (process.listenerCount(signal) > 1) return;
          for (const m of managers) m.unmountAllSync();
          process.off(signal, onSignal);
          process.kill(process.pid, signal);
        };
        process.on(signal, onSignal);
      }
    }
  }

  /** Real bytes for a capacity in (lab) bytes. */
  realBytes(capacityBytes: number): number {
    return Math.max(PAGE, Math.ceil((capacityBytes * this.bytesPerGiB) / GiB / PAGE) * PAGE);
  }

  /** The folder of a known volume. */
  /** The folder of a volume that is ready for files (undefined while it is still being made). */
  folder(pv: string): string | undefined {
    const volume = this.volumes.get(pv);
    return volume?.ready ? volume.folder : undefined;
  }

  /** Makes sure the volume's folder exists with (at least) this capacity; resolves when it is ready. */
  ensure(pv: string, capacityBytes: number): Promise<string> {
    const wanted = this.realBytes(capacityBytes);
    let volume = this.volumes.get(pv);
    if (!volume) {
      const folder = path.join(this.dir, pv);
      const created: Volume = { folder, op: Promise.resolve() };
      volume = created;
      this.volumes.set(pv, created);
      this.queue(created, async () => {
        await this.create(pv, created, wanted);
        created.ready = true;
      });
    } else {
      const v = volume;
      this.queue(v, async () => {
        if (v.mountedBytes !== undefined && v.mountedBytes < wanted) {
          // tmpfs resizes live; the contents stay.
          await run("mount", ["-o", `remount,size=${wanted}`, "tmpfs", v.folder]);
          v.mountedBytes = wanted;
        }
      });
    }
    const folder = volume.folder;
    return volume.op.then(() => folder);
  }

  /** Forgets a volume; its data goes unless `keepData` (then a tmpfs is archived like at close). */
  async remove(pv: string, keepData: boolean): Promise<void> {
    const volume = this.volumes.get(pv);
    if (!volume) return;
    this.volumes.delete(pv);
    await volume.op;
    if (volume.mountedBytes !== undefined) {
      if (keepData && this.persistent)
        await this.archive(pv, volume.folder).catch((e: Error) => this.log(`kube lab: archiving ${pv} failed: ${e.message}`));
      await unmount(volume.folder);
      volume.mountedBytes = undefined;
    }
    if (!keepData) {
      await rm(volume.folder, { recursive: true, force: true });
      await rm(this.archivePath(pv), { force: true });
    }
  }

  usage(pv: string): VolumeUsage | undefined {
    const volume = this.volumes.get(pv);
    if (!volume || !existsSync(volume.folder)) return undefined;
    let real: VolumeUsage["real"];
    let inodes: VolumeUsage["inodes"];
    const s = statfsSync(volume.folder);
    if (volume.mountedBytes !== undefined) {
      real = { capacityBytes: s.blocks * s.bsize, usedBytes: (s.blocks - s.bfree) * s.bsize, availableBytes: s.bavail * s.bsize };
      inodes = { total: s.files, free: s.ffree, used: Math.max(0, s.files - s.ffree) };
    } else {
      const used = duBytes(volume.folder);
      const capacity = this.capacityOf.get(pv) ?? 0;
      real = { capacityBytes: capacity, usedBytes: used, availableBytes: Math.max(0, capacity - used) };
      const entries = duInodes(volume.folder);
      inodes = { total: entries + s.ffree, free: s.ffree, used: entries };
    }
    const lab = (n: number) => Math.round((n * GiB) / this.bytesPerGiB);
    return {
      usedBytes: lab(real.usedBytes),
      capacityBytes: lab(real.capacityBytes),
      availableBytes: lab(real.availableBytes),
      real,
      inodes,
      sizeLimited: volume.mountedBytes !== undefined,
    };
  }

  /** Real capacity of plain folders (for usage()), kept by `track`. */
  private capacityOf = new Map<string, number>();

  /** Follows PersistentVolumes in the store: a folder per PV, grown with its capacity, removed with it. */
  track(store: KubeStore): () => void {
    const sync = (pv: KubeObject) => {
      const name = pv.metadata.name ?? "";
      const capacity = tryParseQuantity(pv.spec?.capacity?.storage)?.value() ?? 0;
      this.capacityOf.set(name, this.realBytes(capacity));
      this.ensure(name, capacity).catch((e: Error) => this.log(`kube lab: preparing the folder of ${name} failed: ${e.message}`));
    };
    const unsubscribe = store.subscribe((event: StoreEvent) => {
      if (event.def.kind !== "PersistentVolume" || this.closed) return;
      const name = event.object.metadata.name ?? "";
      if (event.type === "DELETED") {
        this.capacityOf.delete(name);
        // Delete reclaims the storage; Retain (and Recycle) keep the data, as the disk behind a real PV would.
        const keep = event.object.spec?.persistentVolumeReclaimPolicy !== "Delete";
        this.remove(name, keep).catch((e: Error) => this.log(`kube lab: removing the folder of ${name} failed: ${e.message}`));
      } else sync(event.object);
    });
    for (const pv of store.list("v1", "PersistentVolume")) sync(pv);
    return unsubscribe;
  }

  /** Waits for pending work, archives tmpfs contents (when persistent) and unmounts everything. */
  async close(): Promise<void> {
    this.closed = true;
    for (const [pv, volume] of this.volumes) {
      await volume.op.catch(() => undefined);
      if (volume.mountedBytes === undefined) continue;
      if (this.persistent)
        await this.archive(pv, volume.folder).catch((e: Error) => this.log(`kube lab: archiving ${pv} failed: ${e.message}`));
      await unmount(volume.folder);
      volume.mountedBytes = undefined;
    }
    this.volumes.clear();
    managers.delete(this);
    if (!this.persistent) await rm(this.dir, { recursive: true, force: true });
  }

  private unmountAllSync(): void {
    for (const volume of this.volumes.values()) {
      if (volume.mountedBytes === undefined) continue;
      try {
        execFileSync("umount", ["-l", volume.folder], { stdio: "ignore" });
      } catch {
        // nothing more to do while exiting
      }
    }
  }

  private queue(volume: Volume, step: () => Promise<void>): void {
    volume.op = volume.op.catch(() => undefined).then(step);
  }

  private async create(pv: string, volume: Volume, bytes: number): Promise<void> {
    await mkdir(volume.folder, { recursive: true });
    if (this.useTmpfs && !this.mountFailed) {
      try {
        await run("mount", ["-t", "tmpfs", "-o", `size=${bytes},mode=0777`, "tmpfs", volume.folder]);
        volume.mountedBytes = bytes;
      } catch (error) {
        this.mountFailed = true;
        this.log(`kube lab: cannot mount tmpfs volumes (${firstLine(error)}); volumes are plain folders without a size limit`);
      }
    }
    // Containers run as unprivileged users (see sandbox.ts): like the tmpfs (mode=0777), a plain folder lets any write.
    if (volume.mountedBytes === undefined && process.getuid?.() === 0) await chmod(volume.folder, 0o777);
    const archive = this.archivePath(pv);
    if (existsSync(archive) && (await readdir(volume.folder)).length === 0) {
      try {
        await run("tar", ["-xf", archive, "-C", volume.folder]);
      } catch (error) {
        this.log(`kube lab: restoring ${pv} from ${archive} failed: ${firstLine(error)}`);
      }
    }
  }

  private archivePath(pv: string): string {
    return path.join(this.dir, `${pv}.tar`);
  }

  private async archive(pv: string, folder: string): Promise<void> {
    const target = this.archivePath(pv);
    const temp = `${target}.${process.pid}.tmp`;
    await run("tar", ["-cf", temp, "-C", folder, "."]);
    await rename(temp, target);
  }

  private mountsUnder(): string[] {
    try {
      return readFileSync("/proc/mounts", "utf8")
        .split("\n")
        .map((line) => (line.split(" ")[1] ?? "").replace(/\\([0-7]{3})/g, (_m, oct: string) => String.fromCharCode(parseInt(oct, 8))))
        .filter((mp) => mp.startsWith(`${this.dir}/`));
    } catch {
      return [];
    }
  }
}

async function unmount(folder: string): Promise<void> {
  try {
    await run("umount", [folder]);
  } catch {
    await run("umount", ["-l", folder]).catch(() => undefined);
  }
}

function duBytes(folder: string): number {
  try {
    return Number(execFileSync("du", ["-sB1", folder], { encoding: "utf8" }).split("\t")[0]) || 0;
  } catch {
    return 0;
  }
}

function duInodes(folder: string): number {
  try {
    return Number(execFileSync("du", ["-s", "--inodes", folder], { encoding: "utf8" }).split("\t")[0]) || 0;
  } catch {
    return 0;
  }
}

function firstLine(error: unknown): string {
  const e = error as { stderr?: string; message?: string };
  return (e.stderr || e.message || String(error)).trim().split("\n")[0] ?? "";
}
