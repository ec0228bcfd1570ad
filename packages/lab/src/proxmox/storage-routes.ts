import { node, optBool, optStr, optVmid, paramErr, type Route, storage, vmid } from "./route.js";
import { storageRow } from "./rows.js";
import {
  allocVolume,
  devicePath,
  freeVolume,
  getVolume,
  type LabNode,
  type LabState,
  parseVolname,
  type Storage,
  volid,
  type VolumeFormat,
} from "./state.js";

/** Thin LVs have nothing written yet; zvols reserve their full size. */
function volumeUsed(s: Storage, size: number): number {
  return s.type === "lvmthin" ? 0 : size;
}

/** Accepts a full volid (`local-lvm:vm-…`) or a bare name relative to the storage. */
function locateVolume(state: LabState, n: LabNode, storageId: string, volume: string): { storage: Storage; name: string } {
  const colon = volume.indexOf(":");
  if (colon < 0) return { storage: state.storage(n, storageId), name: volume };
  return { storage: state.storage(n, volume.slice(0, colon)), name: volume.slice(colon + 1) };
}

/** A node's storages: status, and volumes (content) listed, allocated, read and freed. */
export const storageRoutes: Route[] = [
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
];
