import { createHash, randomUUID } from "node:crypto";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { fail, paramError } from "./errors.js";

export type StorageType = "lvmthin" | "zfspool";
export type VolumeFormat = "raw" | "qcow2" | "subvol";

export interface Volume {
  name: string;
  size: number;
  format: VolumeFormat;
  vmid: number;
  ctime: number;
}

export interface Storage {
  id: string;
  type: StorageType;
  total: number;
  volumes: Map<string, Volume>;
}

export interface Vm {
  vmid: number;
  /** Ordered like a qemu-server .conf file; values as PVE returns them. */
  config: Record<string, string | number>;
}

export interface LabNode {
  name: string;
  storages: Map<string, Storage>;
  vms: Map<number, Vm>;
}

const TiB = 1024 ** 4;
export const CLUSTER_NAME = "hks-lab";
export const NODE_NAMES = ["pve1", "pve2"] as const;
export const HOLDER_VMID = 9999;

interface PersistedState {
  version: 1;
  tokenSecret: string;
  nodes: Record<string, { volumes: Record<string, Volume[]>; vms: Record<string, Record<string, string | number>> }>;
}

function seedNode(name: string): LabNode {
  const storages = new Map<string, Storage>([
    ["local-lvm", { id: "local-lvm", type: "lvmthin", total: 4 * TiB, volumes: new Map() }],
    ["tank", { id: "tank", type: "zfspool", total: 8 * TiB, volumes: new Map() }],
  ]);
  const holder: Vm = {
    vmid: HOLDER_VMID,
    config: {
      name: "hks-volume-holder",
      memory: "512",
      cores: 1,
      sockets: 1,
      ostype: "l26",
      scsihw: "virtio-scsi-single",
      boot: "",
      meta: "creation-qemu=8.1.5,ctime=1717000000",
      smbios1: `uuid=${randomUUID()}`,
      vmgenid: randomUUID(),
    },
  };
  return { name, storages, vms: new Map([[HOLDER_VMID, holder]]) };
}

/**
 * The lab's whole mutable world. Capacity is accounted strictly (used = sum of volume sizes, no thin
 * over-commit) so that tests of "storage full" paths are deterministic.
 */
export class LabState {
  readonly nodes = new Map<string, LabNode>();
  tokenSecret: string = randomUUID();

  constructor(private readonly stateFile?: string) {
    for (const n of NODE_NAMES) this.nodes.set(n, seedNode(n));
    if (stateFile && existsSync(stateFile)) this.load(JSON.parse(readFileSync(stateFile, "utf8")) as PersistedState);
  }

  private load(saved: PersistedState): void {
    if (typeof saved.tokenSecret === "string") this.tokenSecret = saved.tokenSecret;
    for (const [nodeName, savedNode] of Object.entries(saved.nodes ?? {})) {
      const node = this.nodes.get(nodeName);
      if (!node) continue;
      for (const [sid, vols] of Object.entries(savedNode.volumes ?? {})) {
        const storage = node.storages.get(sid);
        if (!storage) continue;
        storage.volumes.clear();
        for (const v of vols) storage.volumes.set(v.name, v);
      }
      node.vms.clear();
      for (const [vmid, config] of Object.entries(savedNode.vms ?? {})) node.vms.set(Number(vmid), { vmid: Number(vmid), config });
    }
  }

  /** Written synchronously with temp file + rename: a crash never leaves half a file and writes never reorder. */
  save(): void {
    if (!this.stateFile) return;
    const out: PersistedState = { version: 1, tokenSecret: this.tokenSecret, nodes: {} };
    for (const node of this.nodes.values()) {
      const volumes: Record<string, Volume[]> = {};
      for (const s of node.storages.values()) volumes[s.id] = [...s.volumes.values()];
      const vms: Record<string, Record<string, string | number>> = {};
      for (const vm of node.vms.values()) vms[String(vm.vmid)] = vm.config;
      out.nodes[node.name] = { volumes, vms };
    }
    const tmp = `${this.stateFile}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(out, null, 2) + "\n");
    renameSync(tmp, this.stateFile);
  }

  node(name: string): LabNode {
    const node = this.nodes.get(name);
    if (!node) throw fail(`hostname lookup '${name}' failed - failed to get address info for: ${name}: Name or service not known`);
    return node;
  }

  /** Content endpoints die in the storage config lookup; only the status endpoint reports a parameter error. */
  storage(node: LabNode, id: string): Storage {
    const s = node.storages.get(id);
    if (!s) throw fail(`storage '${id}' does not exist`);
    return s;
  }

  storageForStatus(node: LabNode, id: string): Storage {
    const s = node.storages.get(id);
    if (!s) throw paramError({ storage: "No such storage." });
    return s;
  }

  vm(node: LabNode, vmid: number): Vm {
    const vm = node.vms.get(vmid);
    if (!vm) throw fail(`Configuration file 'nodes/${node.name}/qemu-server/${vmid}.conf' does not exist`);
    return vm;
  }

  volumes(): Array<{ node: string; storage: string; volid: string; size: number }> {
    const out: Array<{ node: string; storage: string; volid: string; size: number }> = [];
    for (const node of this.nodes.values())
      for (const s of node.storages.values())
        for (const v of s.volumes.values()) out.push({ node: node.name, storage: s.id, volid: `${s.id}:${v.name}`, size: v.size });
    return out;
  }
}

export function used(s: Storage): number {
  let sum = 0;
  for (const v of s.volumes.values()) sum += v.size;
  return sum;
}

export function avail(s: Storage): number {
  return s.total - used(s);
}

export function volid(s: Storage, v: Volume | string): string {
  return `${s.id}:${typeof v === "string" ? v : v.name}`;
}

/** Parses a volume name the way the storage plugin does; the owner vmid is part of the name. */
export function parseVolname(s: Storage, name: string): { vmid: number } {
  const re = s.type === "lvmthin" ? /^(vm|base)-(\d+)-\S+$/ : /^(?:(?:base|basevol)-\d+-\S+\/)?(vm|base|subvol|basevol)-(\d+)-\S+$/;
  const m = re.exec(name);
  if (!m) throw fail(`unable to parse ${s.type === "lvmthin" ? "lvm" : "zfs"} volume name '${name}'`);
  return { vmid: Number(m[2]) };
}

export function devicePath(s: Storage, v: Volume): string {
  if (s.type === "lvmthin") return `/dev/pve/${v.name}`;
  return v.format === "subvol" ? `/rpool/data/${v.name}` : `/dev/zvol/rpool/data/${v.name}`;
}

export function missingVolume(s: Storage, name: string): Error {
  return s.type === "lvmthin"
    ? fail(`no such logical volume pve/${name}`)
    : fail(`zfs error: cannot open 'rpool/data/${name}': dataset does not exist`);
}

export function getVolume(s: Storage, name: string): Volume {
  parseVolname(s, name);
  const v = s.volumes.get(name);
  if (!v) throw missingVolume(s, name);
  return v;
}

/** What a thin pool / zpool says when it cannot take `bytes` more; 4 MiB is LVM's default extent size. */
function outOfSpace(s: Storage, name: string, bytes: number, op: "create" | "resize"): Error {
  if (s.type === "lvmthin") {
    const extent = 4 * 1024 * 1024;
    const detail = `Insufficient free space: ${Math.ceil(bytes / extent)} extents needed, but only ${Math.floor(avail(s) / extent)} available`;
    return op === "create"
      ? fail(`lvcreate 'pve/${name}' error:   ${detail}`)
      : fail(`error resizing volume '/dev/pve/${name}':   ${detail}`);
  }
  return op === "create"
    ? fail(`zfs error: cannot create 'rpool/data/${name}': out of space`)
    : fail(`zfs error: cannot set property for 'rpool/data/${name}': size is greater than available space`);
}

export function allocVolume(s: Storage, vmid: number, name: string, format: VolumeFormat, size: number): Volume {
  if (s.type === "lvmthin" && format !== "raw") throw fail(`unsupported format '${format}'`);
  if (s.type === "zfspool" && format !== "raw" && format !== "subvol") throw fail(`unsupported format '${format}'`);
  const prefix = format === "subvol" ? "subvol" : "vm";
  if (!name.startsWith(`${prefix}-${vmid}-`)) throw fail(`illegal name '${name}' - should be '${prefix}-${vmid}-*'`);
  if (!/^[A-Za-z0-9+_.-]+$/.test(name)) {
    throw s.type === "lvmthin"
      ? fail(`lvcreate 'pve/${name}' error:   Logical volume name "${name}" is invalid.`)
      : fail(`zfs error: cannot create 'rpool/data/${name}': invalid character in name`);
  }
  if (s.volumes.has(name)) {
    throw s.type === "lvmthin"
      ? fail(`lvcreate 'pve/${name}' error:   Logical Volume "${name}" already exists in volume group "pve"`)
      : fail(`zfs error: cannot create 'rpool/data/${name}': dataset already exists`);
  }
  if (size > avail(s)) throw outOfSpace(s, name, size, "create");
  const v: Volume = { name, size, format, vmid, ctime: Math.floor(Date.now() / 1000) };
  s.volumes.set(name, v);
  return v;
}

/** Mirrors `find_free_diskname`: the first unused `vm-<vmid>-disk-<n>`. */
export function freeDiskName(s: Storage, vmid: number, format: VolumeFormat): string {
  const prefix = format === "subvol" ? "subvol" : "vm";
  for (let i = 0; ; i++) if (!s.volumes.has(`${prefix}-${vmid}-disk-${i}`)) return `${prefix}-${vmid}-disk-${i}`;
}

export function resizeVolume(s: Storage, v: Volume, newSize: number): void {
  const grow = newSize - v.size;
  if (grow > avail(s)) throw outOfSpace(s, v.name, grow, "resize");
  v.size = newSize;
}

/** Removing an absent thin LV / zvol is treated as done, so retries of a delete stay idempotent. */
export function freeVolume(s: Storage, name: string): boolean {
  parseVolname(s, name);
  return s.volumes.delete(name);
}

export function configDigest(config: Record<string, string | number>): string {
  const text = Object.entries(config)
    .map(([k, v]) => `${k}: ${v}`)
    .join("\n");
  return createHash("sha1").update(text).digest("hex");
}
