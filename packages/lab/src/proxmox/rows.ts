import { GiB, type LabContext } from "./route.js";
import { type LabNode, type Storage, used } from "./state.js";

/** A storage as /nodes/{node}/storage and /cluster/resources list it. */
export function storageRow(s: Storage) {
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

/** A node as /nodes and /cluster/resources list it. */
export function nodeRow(lab: LabContext, name: string) {
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

/** A VM as /nodes/{node}/qemu and /cluster/resources list it. */
export function vmRow(n: LabNode, vmidNum: number) {
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
