import proxmoxApi, { type Proxmox } from "proxmox-api";
import { PlatformError, withTimeout } from "../errors.js";
import { GiB } from "../../kernel/units.js";

export interface ProxmoxConfig {
  url: string;
  tokenId: string;
  tokenSecret: string;
  /** Storage to allocate from, e.g. "local-lvm". */
  storage: string;
  /** Nodes to place volumes on; every online node when empty. */
  nodes?: string[];
  region?: string;
  /** Stopped VM present on every node, used to hold a disk while Proxmox resizes it. */
  holderVmid: number;
  callTimeoutMs?: number;
}

export interface StorageCapacity {
  node: string;
  storage: string;
  type: string;
  totalBytes: number;
  availBytes: number;
}

const DISK_KEY = /^(scsi|virtio|sata|ide)\d+$/;

/**
 * The one place that knows the Proxmox VE API. Every call goes through the npm `proxmox-api`
 * client; failures become PlatformErrors carrying PVE's own message.
 */
export class ProxmoxClient {
  private readonly api: Proxmox.Api;
  private region?: string;

  constructor(private readonly config: ProxmoxConfig) {
    const url = new URL(config.url);
    this.api = proxmoxApi({
      schema: url.protocol === "http:" ? "http" : "https",
      host: url.hostname,
      port: url.port ? Number(url.port) : 8006,
      tokenID: config.tokenId,
      tokenSecret: config.tokenSecret,
      queryTimeout: config.callTimeoutMs ?? 30_000,
    });
  }

  get storage(): string {
    return this.config.storage;
  }

  get holderVmid(): number {
    return this.config.holderVmid;
  }

  /** The CSI topology region: configured, or the Proxmox cluster's name. */
  async clusterRegion(): Promise<string> {
    if (this.config.region) return this.config.region;
    if (!this.region) {
      const status = await this.call("read the cluster status", () => this.api.cluster.status.$get());
      const cluster = (status as Array<{ type: string; name: string }>).find((e) => e.type === "cluster");
      this.region = cluster?.name ?? "proxmox";
    }
    return this.region;
  }

  /** Free space of the configured storage on each candidate node, most free first. */
  async capacities(): Promise<StorageCapacity[]> {
    const nodes = this.config.nodes?.length
      ? this.config.nodes
      : (await this.call("list nodes", () => this.api.nodes.$get())).filter((n) => n.status === "online").map((n) => n.node);
    const results = await Promise.all(
      nodes.map(async (node): Promise<StorageCapacity | undefined> => {
        const list = await this.call(`list the storages of node ${node}`, () => this.api.nodes.$(node).storage.$get());
        const entry = list.find((s) => s.storage === this.config.storage && Number(s.active ?? 1) !== 0 && Number(s.enabled ?? 1) !== 0);
        if (!entry) return undefined;
        return { node, storage: entry.storage, type: entry.type, totalBytes: entry.total ?? 0, availBytes: entry.avail ?? 0 };
      }),
    );
    return results.filter((r): r is StorageCapacity => r !== undefined).sort((a, b) => b.availBytes - a.availBytes);
  }

  async capacity(node: string): Promise<StorageCapacity | undefined> {
    // proxmox-api types this answer as any: name the fields read.
    const status = await this.call(
      `read storage ${this.config.storage} on ${node}`,
      () =>
        this.api.nodes.$(node).storage.$(this.config.storage).status.$get() as Promise<{ type?: string; total?: number; avail?: number }>,
    );
    return {
      node,
      storage: this.config.storage,
      type: status.type ?? "",
      totalBytes: status.total ?? 0,
      availBytes: status.avail ?? 0,
    };
  }

  /** The volid of a disk with this name on the storage, if it exists (how a resumed saga finds its own disk). */
  async findDisk(node: string, diskName: string): Promise<{ volid: string; sizeBytes: number } | undefined> {
    const content = await this.call(`list disks on ${node}/${this.config.storage}`, () =>
      this.api.nodes.$(node).storage.$(this.config.storage).content.$get({ content: "images" }),
    );
    const entry = content.find((c) => c.volid === `${this.config.storage}:${diskName}` || c.volid.endsWith(`/${diskName}`));
    return entry ? { volid: entry.volid, sizeBytes: entry.size } : undefined;
  }

  /** Allocation is synchronous in PVE: the answer is the new volid. */
  async allocateDisk(node: string, diskName: string, sizeGiB: number): Promise<string> {
    const volid = await this.call(`allocate disk ${diskName} on ${node}/${this.config.storage}`, () =>
      this.api.nodes
        .$(node)
        .storage.$(this.config.storage)
        .content.$post({
          filename: diskName,
          vmid: this.config.holderVmid,
          size: `${sizeGiB}G`,
          format: "raw",
        }),
    );
    return String(volid);
  }

  /**
   * Deletes a disk and waits for PVE's task. A disk the holder VM lists as `unusedN` is removed
   * through the VM config so no stale reference stays behind; a disk already gone is success.
   */
  async deleteDisk(node: string, volid: string): Promise<void> {
    const holder = this.api.nodes.$(node).qemu.$(this.config.holderVmid);
    await this.detachFromHolder(node, volid);
    const unused = Object.entries(await this.holderConfig(node))
      .filter(([key, value]) => key.startsWith("unused") && typeof value === "string" && value === volid)
      .map(([key]) => key);
    if (unused.length) {
      await this.call(`remove ${volid} from VM ${this.config.holderVmid}`, () => holder.config.$put({ delete: unused.join(",") }));
    }
    if (!(await this.findDisk(node, volid.slice(volid.indexOf(":") + 1)))) return;
    const upid = await this.call(`delete disk ${volid}`, () =>
      this.api.nodes.$(node).storage.$(this.config.storage).content.$(volid).$delete(),
    );
    await this.waitTask(node, String(upid), `delete disk ${volid}`);
  }

  /**
   * Grows a disk to an absolute size. PVE resizes only disks a VM holds, so the disk is attached to
   * the holder VM, resized, and detached again (which leaves it as the holder's `unusedN`, never deleted).
   * Each part checks before it acts, so the whole can be repeated after a crash.
   */
  async resizeDisk(node: string, volid: string, sizeGiB: number): Promise<void> {
    const holder = this.api.nodes.$(node).qemu.$(this.config.holderVmid);
    let config = await this.holderConfig(node);
    let slot = Object.entries(config).find(([k, v]) => DISK_KEY.test(k) && typeof v === "string" && v.split(",")[0] === volid)?.[0];
    if (!slot) {
      slot = freeScsiSlot(config);
      const key = slot;
      await this.call(`attach ${volid} to VM ${this.config.holderVmid}`, () => holder.config.$put({ [key]: volid }));
      config = await this.holderConfig(node);
    }
    const disk = await this.findDisk(node, volid.slice(volid.indexOf(":") + 1));
    if (!disk) throw new PlatformError("proxmox", `disk ${volid} does not exist on ${node}`, 500);
    if (disk.sizeBytes < sizeGiB * GiB) {
      const key = slot;
      const upid = await this.call(`resize ${volid} to ${sizeGiB}G`, () =>
        holder.resize.$put({ disk: key as Parameters<typeof holder.resize.$put>[0]["disk"], size: `${sizeGiB}G` }),
      );
      await this.waitTask(node, String(upid), `resize ${volid}`);
    }
    await this.detachFromHolder(node, volid);
  }

  /** Takes the disk out of the holder VM's disk slots; PVE keeps it as `unusedN`, the volume itself untouched. */
  async detachFromHolder(node: string, volid: string): Promise<void> {
    const config = await this.holderConfig(node);
    const slots = Object.entries(config)
      .filter(([k, v]) => DISK_KEY.test(k) && typeof v === "string" && v.split(",")[0] === volid)
      .map(([k]) => k);
    if (!slots.length) return;
    await this.call(`detach ${volid} from VM ${this.config.holderVmid}`, () =>
      this.api.nodes
        .$(node)
        .qemu.$(this.config.holderVmid)
        .config.$put({ delete: slots.join(",") }),
    );
  }

  private async holderConfig(node: string): Promise<Record<string, unknown>> {
    return (await this.call(`read VM ${this.config.holderVmid} on ${node}`, () =>
      this.api.nodes.$(node).qemu.$(this.config.holderVmid).config.$get(),
    )) as Record<string, unknown>;
  }

  async waitTask(node: string, upid: string, what: string, timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (let delay = 50; ; delay = Math.min(delay * 2, 1000)) {
      const status = await this.call(`read task ${upid}`, () => this.api.nodes.$(node).tasks.$(upid).status.$get());
      if (status.status === "stopped") {
        if (status.exitstatus === "OK" || status.exitstatus?.startsWith("WARNINGS")) return;
        throw new PlatformError("proxmox", `${what} failed: ${status.exitstatus ?? "unknown error"}`, 500);
      }
      if (Date.now() > deadline) throw new PlatformError("proxmox", `${what} did not finish within ${timeoutMs / 1000} s`);
      await new Promise((r) => setTimeout(r, delay));
    }
  }

  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await withTimeout(fn(), this.config.callTimeoutMs ?? 30_000, `Proxmox (${what})`, "proxmox");
    } catch (error) {
      if (error instanceof PlatformError) throw error;
      throw toPlatformError(what, error);
    }
  }
}

function freeScsiSlot(config: Record<string, unknown>): string {
  for (let i = 1; i <= 30; i++) if (!(`scsi${i}` in config)) return `scsi${i}`;
  throw new PlatformError("proxmox", "the holder VM has no free SCSI slot (scsi1..scsi30 are all in use)", 500);
}

/** proxmox-api throws `Error("<METHOD> <url> return Error <status> <reason>: <body json>")`; keep PVE's own sentence. */
export function toPlatformError(what: string, error: unknown): PlatformError {
  const text = error instanceof Error ? error.message : String(error);
  const match = /return Error (\d{3}) [^:]*: (.*)$/s.exec(text) ?? /failed with (\d{3}) [^:]*return: (.*)$/s.exec(text);
  if (!match) return new PlatformError("proxmox", `Proxmox is unreachable (${what}): ${text}`, undefined, { cause: error });
  const status = Number(match[1]);
  let detail = "";
  try {
    const body = JSON.parse(match[2] ?? "{}") as { message?: string; errors?: Record<string, string> | string };
    const params =
      body.errors && typeof body.errors === "object"
        ? Object.entries(body.errors)
            .map(([k, v]) => `${k}: ${v}`)
            .join("; ")
        : "";
    detail = [body.message?.trim(), params].filter(Boolean).join(" ");
  } catch {
    detail = match[2] ?? "";
  }
  if (status === 401) detail = "authentication failed: check PROXMOX_TOKEN_ID and PROXMOX_TOKEN_SECRET";
  return new PlatformError("proxmox", `Proxmox refused to ${what}: ${detail || `HTTP ${status}`}`, status, { cause: error });
}
