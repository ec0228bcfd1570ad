import { fail, paramError } from "./errors.js";
import {
  allocVolume,
  configDigest,
  freeDiskName,
  freeVolume,
  getVolume,
  resizeVolume,
  type LabNode,
  type LabState,
  type Storage,
  type Vm,
  type Volume,
} from "./state.js";

export const DRIVE_KEY = /^(scsi([0-9]|[12][0-9]|30)|virtio([0-9]|1[0-5])|sata[0-5]|ide[0-3])$/;
export const UNUSED_KEY = /^unused([0-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-5])$/;
export const DRIVE_NAMES: readonly string[] = [
  ...Array.from({ length: 4 }, (_, i) => `ide${i}`),
  ...Array.from({ length: 6 }, (_, i) => `sata${i}`),
  ...Array.from({ length: 31 }, (_, i) => `scsi${i}`),
  ...Array.from({ length: 16 }, (_, i) => `virtio${i}`),
];

interface Drive {
  file: string;
  opts: Record<string, string>;
}

function parseDrive(value: string): Drive {
  const opts: Record<string, string> = {};
  let file = "";
  for (const part of value.split(",")) {
    const eq = part.indexOf("=");
    if (eq < 0 && !file) file = part;
    else if (eq > 0 && part.slice(0, eq) === "file") file = part.slice(eq + 1);
    else if (eq > 0) opts[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return { file, opts };
}

/** Like PVE's format_size: the largest unit that divides the size exactly. */
export function formatSize(bytes: number): string {
  const units: Array<[string, number]> = [
    ["T", 1024 ** 4],
    ["G", 1024 ** 3],
    ["M", 1024 ** 2],
    ["K", 1024],
  ];
  for (const [suffix, factor] of units) if (bytes >= factor && bytes % factor === 0) return `${bytes / factor}${suffix}`;
  return String(bytes);
}

function printDrive(d: Drive): string {
  const opts = Object.entries(d.opts).sort(([a], [b]) => a.localeCompare(b));
  return [d.file, ...opts.map(([k, v]) => `${k}=${v}`)].join(",");
}

const isCdromOrNone = (d: Drive): boolean => d.file === "none" || d.file === "cdrom" || d.opts.media === "cdrom";

/** Volumes are node-local: a volid in a VM config names a storage of the VM's own node. */
export function resolveVolid(state: LabState, node: LabNode, id: string): { storage: Storage; volume: Volume } {
  const colon = id.indexOf(":");
  if (colon <= 0) throw fail(`unable to parse volume ID '${id}'`);
  const storage = state.storage(node, id.slice(0, colon));
  const name = id.slice(colon + 1);
  const volume = storage.volumes.get(name);
  if (!volume) throw fail(`volume '${id}' does not exist`);
  return { storage, volume };
}

function firstFreeUnused(config: Vm["config"]): string {
  for (let i = 0; ; i++) if (config[`unused${i}`] === undefined) return `unused${i}`;
}

/** A volume is only really freed when no other config entry still references it (PVE's is_volume_in_use). */
function referencedElsewhere(config: Vm["config"], key: string, file: string): boolean {
  return Object.entries(config).some(
    ([k, v]) => k !== key && (DRIVE_KEY.test(k) || UNUSED_KEY.test(k)) && parseDrive(String(v)).file === file,
  );
}

function deallocate(state: LabState, node: LabNode, vm: Vm, key: string, log: (l: string) => void): void {
  const file = parseDrive(String(vm.config[key])).file;
  if (!referencedElsewhere(vm.config, key, file)) {
    const colon = file.indexOf(":");
    const storage = node.storages.get(file.slice(0, colon));
    if (storage) {
      freeVolume(storage, file.slice(colon + 1));
      log(`  Logical volume "${file.slice(colon + 1)}" successfully removed.`);
    }
  }
  delete vm.config[key];
}

/** Detaching keeps the volume: it is parked as the first free `unusedN`, unless already listed there. */
function detach(vm: Vm, key: string): void {
  const drive = parseDrive(String(vm.config[key]));
  delete vm.config[key];
  if (isCdromOrNone(drive)) return;
  const listed = Object.entries(vm.config).some(([k, v]) => UNUSED_KEY.test(k) && String(v) === drive.file);
  if (!listed) vm.config[firstFreeUnused(vm.config)] = drive.file;
}

export function splitList(list: string): string[] {
  return list
    .split(/[,;\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Drives are detached to unusedN (or destroyed with force); an unusedN entry is always destroyed. */
function removeKey(state: LabState, node: LabNode, vm: Vm, key: string, force: boolean, log: (l: string) => void): void {
  if (UNUSED_KEY.test(key)) return deallocate(state, node, vm, key, log);
  if (!DRIVE_KEY.test(key)) {
    delete vm.config[key];
    return;
  }
  const file = parseDrive(String(vm.config[key])).file;
  detach(vm, key);
  if (!force) return;
  const unusedKey = Object.keys(vm.config).find((k) => UNUSED_KEY.test(k) && vm.config[k] === file);
  if (unusedKey) deallocate(state, node, vm, unusedKey, log);
}

export interface ConfigUpdate {
  sets: Array<[string, string]>;
  deletes: string[];
  force: boolean;
  digest?: string;
}

/** Rejects what PVE rejects before touching anything (these are parameter errors, not runtime ones). */
export function checkConfigUpdate(u: ConfigUpdate): void {
  const errors: Record<string, string> = {};
  for (const key of u.deletes) {
    if (u.sets.some(([k]) => k === key)) errors.delete = `you can't use '-${key}' and -delete ${key}' at the same time`;
    else if (!DRIVE_KEY.test(key) && !UNUSED_KEY.test(key) && !CONFIG_KEYS.includes(key))
      errors.delete = `invalid configuration ID '${key}'`;
  }
  if (Object.keys(errors).length) throw paramError(errors);
}

export const CONFIG_KEYS: readonly string[] = [
  "name",
  "description",
  "memory",
  "cores",
  "sockets",
  "ostype",
  "onboot",
  "tags",
  "agent",
  "boot",
  "scsihw",
];

export function applyConfigUpdate(state: LabState, node: LabNode, vm: Vm, u: ConfigUpdate, log: (l: string) => void): void {
  if (u.digest && u.digest !== configDigest(vm.config))
    throw fail("detected modified configuration - file changed by other user? Try again.");
  // Refuse a missing volume before any delete runs, so a failed update does not half-apply.
  for (const [key, value] of u.sets) {
    const drive = parseDrive(value);
    if (DRIVE_KEY.test(key) && !isCdromOrNone(drive) && !/^[^:]+:\d+(\.\d+)?$/.test(drive.file)) resolveVolid(state, node, drive.file);
  }
  for (const key of u.deletes) {
    if (vm.config[key] === undefined) {
      log(`cannot delete '${key}' - not set in current configuration!`);
      continue;
    }
    removeKey(state, node, vm, key, u.force, log);
  }
  for (const [key, value] of u.sets) {
    if (!DRIVE_KEY.test(key)) {
      vm.config[key] = /^(cores|sockets|onboot)$/.test(key) ? Number(value) : value;
      continue;
    }
    const drive = parseDrive(value);
    if (!isCdromOrNone(drive)) {
      const alloc = /^([^:]+):(\d+(?:\.\d+)?)$/.exec(drive.file);
      if (alloc && alloc[1] && alloc[2]) {
        // `STORAGE:SIZE_IN_GiB` allocates a fresh disk for this VM, as in the real API.
        const storage = state.storage(node, alloc[1]);
        const name = freeDiskName(storage, vm.vmid, "raw");
        const v = allocVolume(storage, vm.vmid, name, "raw", Math.round(Number(alloc[2]) * 1024 ** 3));
        drive.file = `${storage.id}:${v.name}`;
        log(`${key}: successfully created disk '${drive.file},size=${formatSize(v.size)}'`);
      }
      const { volume } = resolveVolid(state, node, drive.file);
      drive.opts.size = formatSize(volume.size);
      // Attaching a parked volume takes it out of the unused list.
      for (const [k, v] of Object.entries(vm.config)) if (UNUSED_KEY.test(k) && String(v) === drive.file) delete vm.config[k];
    }
    const previous = vm.config[key];
    if (previous !== undefined && parseDrive(String(previous)).file !== drive.file) detach(vm, key);
    vm.config[key] = printDrive(drive);
  }
}

/** `unlink`: detach (or with force, destroy) drives; an unusedN entry is always destroyed. */
export function unlinkDisks(state: LabState, node: LabNode, vm: Vm, ids: string[], force: boolean, log: (l: string) => void): void {
  for (const key of ids) {
    if (vm.config[key] === undefined) continue;
    removeKey(state, node, vm, key, force, log);
  }
}

export const RESIZE_SIZE = /^\+?\d+(\.\d+)?[KMGT]?$/;

/** Grows the volume behind `disk` and records the new size in the drive string; never shrinks. */
export function resizeDisk(state: LabState, node: LabNode, vm: Vm, disk: string, sizeStr: string, log: (l: string) => void): void {
  const value = vm.config[disk];
  if (value === undefined) throw fail(`disk '${disk}' does not exist`);
  const drive = parseDrive(String(value));
  if (!drive.file) throw fail(`disk '${disk}' has no associated volume`);
  if (isCdromOrNone(drive)) throw fail("you can't resize a cdrom");
  const colon = drive.file.indexOf(":");
  const storage = state.storage(node, drive.file.slice(0, colon));
  const volume = getVolume(storage, drive.file.slice(colon + 1));
  const m = /^(\+)?(\d+(?:\.\d+)?)([KMGT])?$/.exec(sizeStr);
  if (!m || !m[2]) throw fail("internal error");
  const factor = { K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 }[m[3] as "K" | "M" | "G" | "T"] ?? 1;
  let newSize = Number(m[2]) * factor;
  if (m[1]) newSize += volume.size;
  newSize = Math.floor(newSize);
  if (newSize < volume.size) throw fail("shrinking disks is not supported");
  if (newSize === volume.size) return;
  log(`  Size of logical volume pve/${volume.name} changed from ${formatSize(volume.size)} to ${formatSize(newSize)}.`);
  resizeVolume(storage, volume, newSize);
  drive.opts.size = formatSize(newSize);
  vm.config[disk] = printDrive(drive);
}
