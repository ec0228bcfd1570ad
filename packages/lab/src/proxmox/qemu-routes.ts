import { fail } from "./errors.js";
import type { Checked, ParamSpec, Schema } from "./params.js";
import {
  applyConfigUpdate,
  checkConfigUpdate,
  CONFIG_KEYS,
  type ConfigUpdate,
  DRIVE_KEY,
  DRIVE_NAMES,
  RESIZE_SIZE,
  resizeDisk,
  splitList,
  unlinkDisks,
} from "./qemu.js";
import { node, optBool, optStr, paramErr, type Route, vmid } from "./route.js";
import { vmRow } from "./rows.js";
import { configDigest } from "./state.js";

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

/** VMs: list, config read/update (sync and async), status, disk resize and unlink. */
export const qemuRoutes: Route[] = [
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
];
