import { optBool, optStr, type Route, UnauthorizedError } from "./route.js";
import { nodeRow, storageRow, vmRow } from "./rows.js";
import { CLUSTER_NAME } from "./state.js";

const PVE_VERSION = { version: "8.2.4", release: "8.2", repoid: "faa83925c9641325" };

/** Version, login, cluster status/resources and the node and storage lists. */
export const clusterRoutes: Route[] = [
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
];
