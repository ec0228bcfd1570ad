import { fail, paramError } from "./errors.js";
import type { Auth } from "./auth.js";
import { checkParams, type Checked, type ParamSpec, type Params, type Schema } from "./params.js";
import {
  CLUSTER_NAME,
  allocVolume,
  configDigest,
  devicePath,
  freeVolume,
  getVolume,
  parseVolname,
  used,
  volid,
  type LabNode,
  type LabState,
  type Storage,
  type VolumeFormat,
} from "./state.js";
import type { Task, TaskManager } from "./tasks.js";
import {
  CONFIG_KEYS,
  DRIVE_KEY,
  DRIVE_NAMES,
  RESIZE_SIZE,
  applyConfigUpdate,
  checkConfigUpdate,
  resizeDisk,
  splitList,
  unlinkDisks,
  type ConfigUpdate,
} from "./qemu.js";

export interface LabContext {
  state: LabState;
  tasks: TaskManager;
  auth: Auth;
  startedAt: number;
}

export interface RouteCall {
  lab: LabContext;
  user: string;
  p: Checked;
}

export interface Route {
  method: "GET" | "POST" | "PUT" | "DELETE";
  pattern: string;
  /** Routes reachable without credentials (only the login itself). */
  anonymous?: boolean;
  schema: Schema;
  dynamic?: (name: string) => ParamSpec | undefined;
  handle(call: RouteCall): unknown;
}

const node: ParamSpec = { type: "string", pattern: /^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$/ };
const storage: ParamSpec = { type: "string", pattern: /^[a-zA-Z][a-zA-Z0-9\-_.]*[a-zA-Z0-9]$/ };
const vmid: ParamSpec = { type: "integer", vmid: true };
const optVmid: ParamSpec = { type: "integer", vmid: true, optional: true };
const optBool: ParamSpec = { type: "boolean", optional: true };
const optStr: ParamSpec = { type: "string", optional: true };
const optInt: ParamSpec = { type: "integer", optional: true, minimum: 0 };

const GiB = 1024 ** 3;
const PVE_VERSION = { version: "8.2.4", release: "8.2", repoid: "faa83925c9641325" };

function storageRow(s: Storage) {
  const u = used(s);
  return {
    storage: s.id,
    type: s.type,
    content: "images,rootdir",
    enabled: 1,
    active: 1,
    shared: 0,
    total: s.total,
    used: u,
    avail: s.total - u,
    used_fraction: s.total > 0 ? u / s.total : 0,
  };
}

function nodeRow(lab: LabContext, name: string) {
  return {
    node: name,
    status: "online",
    cpu: 0.021,
    maxcpu: 16,
    mem: 8 * GiB,
    maxmem: 64 * GiB,
    disk: 12 * GiB,
    maxdisk: 94 * GiB,
    uptime: Math.floor((Date.now() - lab.startedAt) / 1000) + 86400,
    level: "",
    id: `node/${name}`,
    type: "node",
    ssl_fingerprint: "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89",
  };
}

/** Thin LVs have nothing written yet; zvols reserve their full size. */
function volumeUsed(s: Storage, size: number): number {
  return s.type === "lvmthin" ? 0 : size;
}

/** Accepts a full volid (`local-lvm:vm-…`) or a bare name relative to the storage in the path. */
function locateVolume(state: LabState, n: LabNode, storageId: string, volume: string): { storage: Storage; name: string } {
  const colon = volume.indexOf(":");
  if (colon < 0) return { storage: state.storage(n, storageId), name: volume };
  return { storage: state.storage(n, volume.slice(0, colon)), name: volume.slice(colon + 1) };
}

function vmRow(n: LabNode, vmidNum: number) {
  const vm = n.vms.get(vmidNum);
  return {
    vmid: vmidNum,
    name: String(vm?.config.name ?? `VM ${vmidNum}`),
    status: "stopped",
    cpu: 0,
    cpus: Number(vm?.config.cores ?? 1) * Number(vm?.config.sockets ?? 1),
    mem: 0,
    maxmem: Number(vm?.config.memory ?? 512) * 1024 * 1024,
    disk: 0,
    maxdisk: 0,
    uptime: 0,
    netin: 0,
    netout: 0,
    diskread: 0,
    diskwrite: 0,
  };
}

function taskStatus(t: Task) {
  return {
    upid: t.upid,
    node: t.node,
    pid: t.pid,
    pstart: t.pstart,
    starttime: t.starttime,
    type: t.type,
    id: t.id,
    user: t.user,
    status: t.status,
    ...(t.status === "stopped" ? { exitstatus: t.exitstatus } : {}),
  };
}

function configUpdate(p: Checked): ConfigUpdate {
  const u: ConfigUpdate = {
    sets: p.dynamic.filter(([k]) => DRIVE_KEY.test(k) || CONFIG_KEYS.includes(k)),
    deletes: splitList(p.optStr("delete") ?? ""),
    force: p.bool("force"),
  };
  const digest = p.optStr("digest");
  if (digest) u.digest = digest;
  checkConfigUpdate(u);
  return u;
}

const configSchema: Schema = {
  node,
  vmid,
  delete: optStr,
  digest: { type: "string", optional: true, maxLength: 40 },
  force: optBool,
  skiplock: optBool,
  background_delay: { type: "integer", optional: true, minimum: 1, maximum: 30 },
};

function configDynamic(name: string): ParamSpec | undefined {
  if (DRIVE_KEY.test(name)) return { type: "string" };
  if (/^(cores|sockets)$/.test(name)) return { type: "integer", minimum: 1 };
  if (name === "onboot") return { type: "boolean" };
  if (name === "name") return { type: "string", pattern: /^[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?$/ };
  if (CONFIG_KEYS.includes(name)) return { type: "string" };
  return undefined;
}

export const routes: Route[] = [
  { method: "GET", pattern: "/version", schema: {}, handle: () => PVE_VERSION },
  {
    method: "POST",
    pattern: "/access/ticket",
    anonymous: true,
    schema: {
      username: { type: "string" },
      password: { type: "string" },
      realm: optStr,
      otp: optStr,
      path: optStr,
      privs: optStr,
      "new-format": optBool,
      "tfa-challenge": optStr,
    },
    handle: ({ lab, p }) => {
      let username = p.str("username");
      const realm = p.optStr("realm");
      if (realm && !username.includes("@")) username = `${username}@${realm}`;
      const password = p.str("password");
      // A still-valid ticket works as the password: that is how clients renew before the 2 h expiry.
      const renewed = password.startsWith("PVE:") && lab.auth.verifyTicket(password) === username;
      if (!renewed && !lab.auth.checkPassword(username, password)) throw new UnauthorizedError("authentication failure");
      const { ticket, csrf } = lab.auth.issue(username);
      const all = (keys: string[]) => Object.fromEntries(keys.map((k) => [k, 1]));
      return {
        username,
        ticket,
        CSRFPreventionToken: csrf,
        cap: {
          vms: all(["VM.Allocate", "VM.Audit", "VM.Config.Disk", "VM.Config.Options", "VM.PowerMgmt"]),
          storage: all(["Datastore.Allocate", "Datastore.AllocateSpace", "Datastore.Audit"]),
          nodes: all(["Sys.Audit", "Sys.Modify"]),
          access: all(["User.Modify", "Permissions.Modify"]),
          dc: all(["Sys.Audit"]),
          sdn: all(["SDN.Audit"]),
          mapping: all(["Mapping.Audit"]),
        },
      };
    },
  },
  {
    method: "GET",
    pattern: "/cluster/status",
    schema: {},
    handle: ({ lab }) => [
      { type: "cluster", id: "cluster", name: CLUSTER_NAME, nodes: lab.state.nodes.size, quorate: 1, version: lab.state.nodes.size },
      ...[...lab.state.nodes.keys()].map((name, i) => ({
        type: "node",
        id: `node/${name}`,
        name,
        nodeid: i + 1,
        ip: `10.0.0.${i + 11}`,
        online: 1,
        local: i === 0 ? 1 : 0,
        level: "",
      })),
    ],
  },
  {
    method: "GET",
    pattern: "/cluster/resources",
    schema: { type: { type: "string", optional: true, enum: ["vm", "storage", "node", "sdn"] } },
    handle: ({ lab, p }) => {
      const type = p.optStr("type");
      const out: unknown[] = [];
      for (const n of lab.state.nodes.values()) {
        if (!type || type === "node") out.push({ ...nodeRow(lab, n.name) });
        if (!type || type === "vm")
          for (const id of n.vms.keys()) out.push({ ...vmRow(n, id), id: `qemu/${id}`, type: "qemu", node: n.name, template: 0 });
        if (!type || type === "storage")
          for (const s of n.storages.values()) {
            const r = storageRow(s);
            out.push({
              id: `storage/${n.name}/${s.id}`,
              type: "storage",
              storage: s.id,
              node: n.name,
              status: "available",
              plugintype: s.type,
              content: r.content,
              shared: 0,
              disk: r.used,
              maxdisk: r.total,
            });
          }
      }
      return out;
    },
  },
  {
    method: "GET",
    pattern: "/storage",
    schema: { type: optStr },
    handle: ({ lab }) => {
      const first = [...lab.state.nodes.values()][0];
      return [...(first?.storages.values() ?? [])].map((s) =>
        s.type === "lvmthin"
          ? { storage: s.id, type: s.type, content: "images,rootdir", thinpool: "data", vgname: "pve", digest: "0".repeat(40) }
          : { storage: s.id, type: s.type, content: "images,rootdir", pool: "rpool/data", sparse: 1, digest: "0".repeat(40) },
      );
    },
  },
  {
    method: "GET",
    pattern: "/nodes",
    schema: {},
    handle: ({ lab }) => [...lab.state.nodes.keys()].map((n) => nodeRow(lab, n)),
  },
  {
    method: "GET",
    pattern: "/nodes/{node}/storage",
    schema: { node, content: optStr, enabled: optBool, format: optBool, storage: optStr, target: optStr },
    handle: ({ lab, p }) => {
      const n = lab.state.node(p.str("node"));
      const only = p.optStr("storage");
      return [...n.storages.values()].filter((s) => !only || s.id === only).map(storageRow);
    },
  },
  {
    method: "GET",
    pattern: "/nodes/{node}/storage/{storage}/status",
    schema: { node, storage },
    handle: ({ lab, p }) => {
      const s = lab.state.storageForStatus(lab.state.node(p.str("node")), p.str("storage"));
      const { storage: _id, used_fraction: _f, ...rest } = storageRow(s);
      return rest;
    },
  },
  {
    method: "GET",
    pattern: "/nodes/{node}/storage/{storage}/content",
    schema: { node, storage, content: optStr, vmid: optVmid },
    handle: ({ lab, p }) => {
      const s = lab.state.storage(lab.state.node(p.str("node")), p.str("storage"));
      const content = p.optStr("content");
      const owner = p.optInt("vmid");
      return [...s.volumes.values()]
        .map((v) => ({
          volid: volid(s, v),
          vmid: v.vmid,
          format: v.format,
          size: v.size,
          used: volumeUsed(s, v.size),
          ctime: v.ctime,
          content: v.format === "subvol" ? "rootdir" : "images",
        }))
        .filter((r) => (!content || r.content === content) && (owner === undefined || r.vmid === owner))
        .sort((a, b) => (a.volid < b.volid ? -1 : a.volid > b.volid ? 1 : 0));
    },
  },
  {
    method: "POST",
    pattern: "/nodes/{node}/storage/{storage}/content",
    schema: {
      node,
      storage,
      filename: { type: "string" },
      vmid,
      size: { type: "string", pattern: /^\d+[MG]?$/ },
      format: { type: "string", optional: true, enum: ["raw", "qcow2", "subvol", "vmdk"] },
    },
    handle: ({ lab, p }) => {
      const s = lab.state.storage(lab.state.node(p.str("node")), p.str("storage"));
      const name = p.str("filename");
      const sizeStr = p.str("size");
      // Like the real API: a bare number is KiB.
      const kib = Number(sizeStr.replace(/[MG]$/, "")) * (sizeStr.endsWith("G") ? 1024 * 1024 : sizeStr.endsWith("M") ? 1024 : 1);
      let format = p.optStr("format");
      const suffix = /\.(raw|qcow2|vmdk)$/.exec(name)?.[1];
      if (suffix) {
        if (format && format !== suffix) throw paramErr("format", `different storage formats (${format} != ${suffix})`);
        format = suffix;
      }
      const v = allocVolume(s, p.int("vmid"), name, (format ?? "raw") as VolumeFormat, kib * 1024);
      lab.state.save();
      return volid(s, v);
    },
  },
  {
    method: "GET",
    pattern: "/nodes/{node}/storage/{storage}/content/{volume}",
    schema: { node, storage, volume: { type: "string" } },
    handle: ({ lab, p }) => {
      const { storage: s, name } = locateVolume(lab.state, lab.state.node(p.str("node")), p.str("storage"), p.str("volume"));
      const v = getVolume(s, name);
      return { path: devicePath(s, v), size: v.size, used: volumeUsed(s, v.size), format: v.format };
    },
  },
  {
    method: "DELETE",
    pattern: "/nodes/{node}/storage/{storage}/content/{volume}",
    schema: { node, storage, volume: { type: "string" }, delay: { type: "integer", optional: true, minimum: 1, maximum: 30 } },
    handle: ({ lab, p, user }) => {
      const n = lab.state.node(p.str("node"));
      const { storage: s, name } = locateVolume(lab.state, n, p.str("storage"), p.str("volume"));
      const { vmid: owner } = parseVolname(s, name);
      return lab.tasks.start(n.name, "imgdel", `${owner}@${s.id}`, user, (log) => {
        freeVolume(s, name);
        lab.state.save();
        log(`Removed volume '${volid(s, name)}'`);
      });
    },
  },
  {
    method: "GET",
    pattern: "/nodes/{node}/qemu",
    schema: { node, full: optBool },
    handle: ({ lab, p }) => {
      const n = lab.state.node(p.str("node"));
      return [...n.vms.keys()].map((id) => vmRow(n, id));
    },
  },
  {
    method: "GET",
    pattern: "/nodes/{node}/qemu/{vmid}/config",
    schema: { node, vmid, current: optBool, snapshot: optStr },
    handle: ({ lab, p }) => {
      const vm = lab.state.vm(lab.state.node(p.str("node")), p.int("vmid"));
      return { ...vm.config, digest: configDigest(vm.config) };
    },
  },
  {
    method: "PUT",
    pattern: "/nodes/{node}/qemu/{vmid}/config",
    schema: configSchema,
    dynamic: configDynamic,
    handle: ({ lab, p }) => {
      const n = lab.state.node(p.str("node"));
      const vm = lab.state.vm(n, p.int("vmid"));
      applyConfigUpdate(lab.state, n, vm, configUpdate(p), () => undefined);
      lab.state.save();
      return null;
    },
  },
  {
    method: "POST",
    pattern: "/nodes/{node}/qemu/{vmid}/config",
    schema: configSchema,
    dynamic: configDynamic,
    handle: ({ lab, p, user }) => {
      const n = lab.state.node(p.str("node"));
      const id = p.int("vmid");
      lab.state.vm(n, id);
      const update = configUpdate(p);
      return lab.tasks.start(n.name, "qmconfig", String(id), user, (log) => {
        try {
          applyConfigUpdate(lab.state, n, lab.state.vm(n, id), update, log);
        } finally {
          lab.state.save();
        }
      });
    },
  },
  {
    method: "GET",
    pattern: "/nodes/{node}/qemu/{vmid}/status/current",
    schema: { node, vmid },
    handle: ({ lab, p }) => {
      const n = lab.state.node(p.str("node"));
      lab.state.vm(n, p.int("vmid"));
      return { ...vmRow(n, p.int("vmid")), qmpstatus: "stopped", ha: { managed: 0 } };
    },
  },
  {
    method: "PUT",
    pattern: "/nodes/{node}/qemu/{vmid}/resize",
    schema: {
      node,
      vmid,
      disk: { type: "string", enum: DRIVE_NAMES },
      size: { type: "string", pattern: RESIZE_SIZE },
      digest: { type: "string", optional: true, maxLength: 40 },
      skiplock: optBool,
    },
    handle: ({ lab, p, user }) => {
      const n = lab.state.node(p.str("node"));
      const id = p.int("vmid");
      const disk = p.str("disk");
      const vm = lab.state.vm(n, id);
      if (vm.config[disk] === undefined) throw fail(`disk '${disk}' does not exist`);
      const digest = p.optStr("digest");
      return lab.tasks.start(n.name, "resize", String(id), user, (log) => {
        const current = lab.state.vm(n, id);
        if (digest && digest !== configDigest(current.config)) throw fail("checksum missmatch (file change by other user?)");
        resizeDisk(lab.state, n, current, disk, p.str("size"), log);
        lab.state.save();
      });
    },
  },
  {
    method: "PUT",
    pattern: "/nodes/{node}/qemu/{vmid}/unlink",
    schema: { node, vmid, idlist: { type: "string" }, force: optBool },
    handle: ({ lab, p }) => {
      const n = lab.state.node(p.str("node"));
      const vm = lab.state.vm(n, p.int("vmid"));
      const ids = splitList(p.str("idlist"));
      const bad = ids.find((k) => !/^[a-z][a-z_]*\d*$/.test(k));
      if (bad) throw paramErr("idlist", `invalid configuration ID '${bad}'`);
      unlinkDisks(lab.state, n, vm, ids, p.bool("force"), () => undefined);
      lab.state.save();
      return null;
    },
  },
  {
    method: "GET",
    pattern: "/nodes/{node}/tasks",
    schema: { node, limit: optInt, start: optInt, typefilter: optStr, vmid: optVmid, source: optStr, errors: optBool },
    handle: ({ lab, p }) => {
      const n = lab.state.node(p.str("node"));
      const start = p.optInt("start") ?? 0;
      const limit = p.optInt("limit") ?? 50;
      const type = p.optStr("typefilter");
      return lab.tasks
        .list(n.name)
        .filter((t) => !type || t.type === type)
        .slice(start, start + limit)
        .map((t) => ({ ...taskStatus(t), ...(t.endtime ? { endtime: t.endtime, status: t.exitstatus } : {}) }));
    },
  },
  {
    method: "GET",
    pattern: "/nodes/{node}/tasks/{upid}/status",
    schema: { node, upid: { type: "string" } },
    handle: ({ lab, p }) => {
      lab.state.node(p.str("node"));
      return taskStatus(lab.tasks.get(p.str("upid")));
    },
  },
  {
    method: "GET",
    pattern: "/nodes/{node}/tasks/{upid}/log",
    schema: { node, upid: { type: "string" }, start: optInt, limit: optInt, download: optBool },
    handle: ({ lab, p }) => {
      lab.state.node(p.str("node"));
      const t = lab.tasks.get(p.str("upid"));
      const start = p.optInt("start") ?? 0;
      const limit = p.optInt("limit") ?? 50;
      const lines = t.log.length > 0 ? t.log : ["no content"];
      return lines.slice(start, start + limit).map((line, i) => ({ n: start + i + 1, t: line }));
    },
  },
];

function paramErr(name: string, message: string): Error {
  return paramError({ [name]: message });
}

/** Login failures are 401s like the auth layer's, not PVE error envelopes. */
export class UnauthorizedError extends Error {}

export interface Matched {
  /** Undefined for an unknown method/path pair: PVE answers 501 for both. */
  route?: Route;
  pathParams: Record<string, string>;
}

const compiled = routes.map((r) => ({ route: r, segments: r.pattern.split("/").filter(Boolean) }));

export function match(method: string, apiPath: string): Matched {
  const parts = apiPath.split("/").filter(Boolean);
  for (const { route, segments } of compiled) {
    if (route.method !== method || segments.length !== parts.length) continue;
    const pathParams: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < segments.length && ok; i++) {
      const seg = segments[i] ?? "";
      const part = parts[i] ?? "";
      if (seg.startsWith("{")) {
        try {
          pathParams[seg.slice(1, -1)] = decodeURIComponent(part);
        } catch {
          pathParams[seg.slice(1, -1)] = part;
        }
      } else ok = seg === part;
    }
    if (ok) return { route, pathParams };
  }
  return { pathParams: {} };
}

export function runRoute(route: Route, lab: LabContext, user: string, params: Params, pathParams: Record<string, string>): unknown {
  const p = checkParams({ ...params, ...pathParams }, route.schema, route.dynamic);
  return route.handle({ lab, user, p });
}
