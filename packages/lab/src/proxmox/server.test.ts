import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import proxmoxApi, { type Proxmox } from "proxmox-api";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startProxmoxApi, type ProxmoxLab } from "./server.js";

type Api = Proxmox.Api;
const GiB = 1024 ** 3;
const TiB = 1024 ** 4;

function client(lab: ProxmoxLab, secret = lab.tokenSecret): Api {
  return proxmoxApi({ schema: "http", host: lab.host, port: lab.port, tokenID: lab.tokenId, tokenSecret: secret });
}

/** Polls a task like the product must: a UPID is only a promise of work. */
async function waitTask(api: Api, node: string, upid: string): Promise<{ exitstatus?: string; status: string }> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const status = await api.nodes.$(node).tasks.$(upid).status.$get();
    if (status.status === "stopped") return status;
    if (Date.now() > deadline) throw new Error(`task ${upid} still running`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function raw(
  lab: ProxmoxLab,
  method: string,
  urlPath: string,
  init: { body?: string; headers?: Record<string, string>; auth?: boolean } = {},
) {
  const headers: Record<string, string> = { ...(init.headers ?? {}) };
  if (init.auth !== false) headers.Authorization = `PVEAPIToken=${lab.tokenId}=${lab.tokenSecret}`;
  if (init.body !== undefined && !headers["Content-Type"]) headers["Content-Type"] = "application/x-www-form-urlencoded";
  const res = await fetch(`${lab.url}${urlPath}`, { method, headers, body: init.body });
  const body = await res.text();
  let json: any;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  return { status: res.status, statusText: res.statusText, contentType: res.headers.get("content-type"), body, json };
}

const uniq = () => Math.random().toString(16).slice(2, 10);

describe("proxmox lab API", () => {
  let lab: ProxmoxLab;
  let api: Api;

  beforeAll(async () => {
    lab = await startProxmoxApi({ taskDelayMs: 100 });
    api = client(lab);
  });
  afterAll(async () => {
    await lab.close();
  });
  afterEach(() => lab.faults.clear());

  describe("auth", () => {
    it("accepts the API token", async () => {
      expect(lab.tokenSecret).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(await api.version.$get()).toEqual(expect.objectContaining({ version: "8.2.4", release: "8.2" }));
    });

    it("refuses a bad token and a missing one with an empty 401", async () => {
      await expect(client(lab, "00000000-0000-0000-0000-000000000000").nodes.$get()).rejects.toThrow(/401 Authentication failed!/);
      const none = await raw(lab, "GET", "/api2/json/nodes", { auth: false });
      expect(none.status).toBe(401);
      expect(none.statusText).toBe("No ticket");
      expect(none.body).toBe("");
    });

    it("issues tickets that need a CSRF token for writes", async () => {
      const login = await raw(lab, "POST", "/api2/json/access/ticket", { auth: false, body: "username=root%40pam&password=hks-lab" });
      expect(login.status).toBe(200);
      const { ticket, CSRFPreventionToken, username } = login.json.data;
      expect(username).toBe("root@pam");
      expect(ticket).toMatch(/^PVE:root@pam:[0-9A-F]{8}::\S+$/);
      const cookie = `PVEAuthCookie=${encodeURIComponent(ticket)}`;
      expect((await raw(lab, "GET", "/api2/json/nodes", { auth: false, headers: { cookie } })).status).toBe(200);
      const filename = `vm-9999-t-${uniq()}`;
      const body = `filename=${filename}&vmid=9999&size=1G`;
      const noCsrf = await raw(lab, "POST", "/api2/json/nodes/pve1/storage/local-lvm/content", { auth: false, headers: { cookie }, body });
      expect(noCsrf.status).toBe(401);
      const withCsrf = await raw(lab, "POST", "/api2/json/nodes/pve1/storage/local-lvm/content", {
        auth: false,
        headers: { cookie, CSRFPreventionToken },
        body,
      });
      expect(withCsrf.json).toEqual({ data: `local-lvm:${filename}` });
      const bad = await raw(lab, "POST", "/api2/json/access/ticket", { auth: false, body: "username=root%40pam&password=nope" });
      expect(bad.status).toBe(401);
    });

    it("works through the proxmox-api client's own ticket login", async () => {
      const byPassword = proxmoxApi({ schema: "http", host: lab.host, port: lab.port, username: "root@pam", password: "hks-lab" });
      const volid = await byPassword.nodes
        .$("pve2")
        .storage.$("tank")
        .content.$post({ filename: `vm-9999-t-${uniq()}`, vmid: 9999, size: "1G" });
      expect(volid).toMatch(/^tank:vm-9999-t-/);
    });
  });

  describe("cluster, nodes and storage", () => {
    it("lists the cluster and its nodes", async () => {
      const status = await api.cluster.status.$get();
      expect(status).toContainEqual(expect.objectContaining({ type: "cluster", name: "hks-lab" }));
      expect(status.filter((s) => s.type === "node").map((s) => s.name)).toEqual(["pve1", "pve2"]);
      const nodes = await api.nodes.$get();
      expect(nodes.map((n) => n.node)).toEqual(["pve1", "pve2"]);
      expect(nodes[0]).toEqual(expect.objectContaining({ status: "online", id: "node/pve1", type: "node" }));
      expect(lab.nodes).toEqual(["pve1", "pve2"]);
      expect(lab.clusterName).toBe("hks-lab");
    });

    it("reports capacity that follows allocations", async () => {
      const storages = await api.nodes.$("pve2").storage.$get();
      const lvm = storages.find((s) => s.storage === "local-lvm");
      expect(lvm).toEqual(
        expect.objectContaining({ type: "lvmthin", content: "images,rootdir", enabled: 1, active: 1, shared: 0, total: 4 * TiB }),
      );
      expect(storages.find((s) => s.storage === "tank")).toEqual(expect.objectContaining({ type: "zfspool", total: 8 * TiB }));
      const before = await api.nodes.$("pve2").storage.$("local-lvm").status.$get();
      const volid = await api.nodes
        .$("pve2")
        .storage.$("local-lvm")
        .content.$post({ filename: `vm-9999-pvc-${uniq()}`, vmid: 9999, size: "500G", format: "raw" });
      expect(typeof volid).toBe("string");
      const after = await api.nodes.$("pve2").storage.$("local-lvm").status.$get();
      expect(after.used! - before.used!).toBe(500 * GiB);
      expect(after.avail).toBe(after.total! - after.used!);
      const content = await api.nodes.$("pve2").storage.$("local-lvm").content.$get();
      expect(content).toContainEqual(expect.objectContaining({ volid, vmid: 9999, format: "raw", size: 500 * GiB, content: "images" }));
      expect(content.map((c) => c.volid)).toEqual([...content.map((c) => c.volid)].sort());
    });

    it("answers unknown storages and nodes like PVE", async () => {
      const st = await raw(lab, "GET", "/api2/json/nodes/pve1/storage/nope/status");
      expect(st.status).toBe(400);
      expect(st.json).toEqual({ data: null, message: "Parameter verification failed.\n", errors: { storage: "No such storage." } });
      const node = await raw(lab, "GET", "/api2/json/nodes/pve9/storage");
      expect(node.status).toBe(500);
      expect(node.statusText).toBe("hostname lookup 'pve9' failed - failed to get address info for: pve9: Name or service not known");
    });
  });

  describe("volumes", () => {
    const content = () => api.nodes.$("pve1").storage.$("local-lvm").content;

    it("allocates synchronously and returns the volid", async () => {
      const name = `vm-9999-pvc-${uniq()}`;
      expect(await content().$post({ filename: name, vmid: 9999, size: "10G", format: "raw" })).toBe(`local-lvm:${name}`);
      expect(lab.volumes()).toContainEqual({ node: "pve1", storage: "local-lvm", volid: `local-lvm:${name}`, size: 10 * GiB });
      const info = await content().$(`local-lvm:${name}`).$get();
      expect(info).toEqual({ path: `/dev/pve/${name}`, size: 10 * GiB, used: 0, format: "raw" });
      expect((await content().$(name).$get()).size).toBe(10 * GiB);
      // a bare number is KiB
      const small = `vm-9999-pvc-${uniq()}`;
      await content().$post({ filename: small, vmid: 9999, size: "2048" });
      expect((await content().$(small).$get()).size).toBe(2 * 1024 * 1024);
    });

    it("enforces the name rule, formats and duplicates", async () => {
      await expect(content().$post({ filename: "pvc-foo", vmid: 9999, size: "1G" })).rejects.toThrow(
        /500 illegal name 'pvc-foo' - should be 'vm-9999-\*'/,
      );
      await expect(content().$post({ filename: "vm-9999-x", vmid: 9999, size: "1G", format: "qcow2" })).rejects.toThrow(
        /unsupported format 'qcow2'/,
      );
      const name = `vm-9999-dup-${uniq()}`;
      await content().$post({ filename: name, vmid: 9999, size: "1G" });
      await expect(content().$post({ filename: name, vmid: 9999, size: "1G" })).rejects.toThrow(
        `lvcreate 'pve/${name}' error:   Logical Volume "${name}" already exists in volume group "pve"`,
      );
      const tank = api.nodes.$("pve1").storage.$("tank").content;
      await tank.$post({ filename: name, vmid: 9999, size: "1G" });
      await expect(tank.$post({ filename: name, vmid: 9999, size: "1G" })).rejects.toThrow(
        `zfs error: cannot create 'rpool/data/${name}': dataset already exists`,
      );
      await expect(tank.$post({ filename: `subvol-9999-${uniq()}`, vmid: 9999, size: "1G", format: "subvol" })).resolves.toMatch(
        /^tank:subvol-9999-/,
      );
    });

    it("refuses parameters PVE's schema refuses", async () => {
      const res = await raw(lab, "POST", "/api2/json/nodes/pve1/storage/local-lvm/content", { body: "vmid=12&size=1T" });
      expect(res.status).toBe(400);
      expect(res.statusText).toBe("Parameter verification failed.");
      expect(res.contentType).toBe("application/json;charset=UTF-8");
      expect(res.json).toEqual({
        data: null,
        message: "Parameter verification failed.\n",
        errors: {
          filename: "property is missing and it is not optional",
          vmid: "value does not look like a valid VM ID",
          size: "value does not match the regex pattern",
        },
      });
    });

    it("refuses an allocation larger than the free space", async () => {
      const name = `vm-9999-big-${uniq()}`;
      await expect(content().$post({ filename: name, vmid: 9999, size: `${5 * 1024}G` })).rejects.toThrow(
        new RegExp(`lvcreate 'pve/${name}' error:   Insufficient free space`),
      );
      await expect(
        api.nodes
          .$("pve1")
          .storage.$("tank")
          .content.$post({ filename: name, vmid: 9999, size: `${9 * 1024}G` }),
      ).rejects.toThrow(`zfs error: cannot create 'rpool/data/${name}': out of space`);
      expect(lab.volumes().some((v) => v.volid.endsWith(name))).toBe(false);
    });

    it("reports a missing volume as 500", async () => {
      await expect(content().$("local-lvm:vm-9999-missing").$get()).rejects.toThrow(/500 no such logical volume pve\/vm-9999-missing/);
      await expect(api.nodes.$("pve1").storage.$("tank").content.$("vm-9999-missing").$get()).rejects.toThrow(
        "zfs error: cannot open 'rpool/data/vm-9999-missing': dataset does not exist",
      );
    });

    it("deletes in a task that frees the space", async () => {
      const name = `vm-9999-del-${uniq()}`;
      const volid = await content().$post({ filename: name, vmid: 9999, size: "100G" });
      const used = (await api.nodes.$("pve1").storage.$("local-lvm").status.$get()).used!;
      const upid = await content().$(volid).$delete();
      expect(upid).toMatch(/^UPID:pve1:[0-9A-F]{8}:[0-9A-F]{8}:[0-9A-F]{8}:imgdel:9999@local-lvm:hks@pve!lab:$/);
      const running = await api.nodes.$("pve1").tasks.$(upid).status.$get();
      expect(running).toEqual(expect.objectContaining({ upid, node: "pve1", type: "imgdel", status: "running" }));
      expect(running.exitstatus).toBeUndefined();
      expect((await waitTask(api, "pve1", upid)).exitstatus).toBe("OK");
      expect((await api.nodes.$("pve1").storage.$("local-lvm").status.$get()).used).toBe(used - 100 * GiB);
      const log = await api.nodes.$("pve1").tasks.$(upid).log.$get();
      expect(log.at(-1)).toEqual({ n: log.length, t: "TASK OK" });
      await expect(content().$(volid).$get()).rejects.toThrow(/500/);
    });

    it("treats deleting a missing volume as done", async () => {
      const upid = await content().$("local-lvm:vm-9999-never-existed").$delete();
      expect((await waitTask(api, "pve1", upid)).exitstatus).toBe("OK");
      await expect(api.nodes.$("pve1").tasks.$(upid.replace("imgdel", "vzdump")).status.$get()).rejects.toThrow(/500 no such task/);
    });

    it("has no content PUT to resize an unattached disk", async () => {
      const volid = await content().$post({ filename: `vm-9999-r-${uniq()}`, vmid: 9999, size: "1G" });
      const res = await raw(lab, "PUT", `/api2/json/nodes/pve1/storage/local-lvm/content/${volid}`, { body: "size=2G" });
      expect(res.status).toBe(501);
      expect(res.json.message).toBe(`Method 'PUT /nodes/pve1/storage/local-lvm/content/${volid}' not implemented\n`);
      await expect(api.nodes.$("pve1").qemu.$(9999).resize.$put({ disk: "scsi1", size: "+1G" })).rejects.toThrow(
        /disk 'scsi1' does not exist/,
      );
    });
  });

  describe("VM 9999 as disk holder", () => {
    const node = () => api.nodes.$("pve2");

    it("exists stopped with an empty disk config", async () => {
      const vms = await node().qemu.$get();
      expect(vms).toContainEqual(expect.objectContaining({ vmid: 9999, name: "hks-volume-holder", status: "stopped" }));
      const config = await node().qemu.$(9999).config.$get();
      expect(config.name).toBe("hks-volume-holder");
      expect(config.digest).toMatch(/^[0-9a-f]{40}$/);
      expect(Object.keys(config).filter((k) => /^(scsi|virtio|sata|ide|unused)\d+$/.test(k))).toEqual([]);
      await expect(node().qemu.$(1234).config.$get()).rejects.toThrow(
        "Configuration file 'nodes/pve2/qemu-server/1234.conf' does not exist",
      );
    });

    it("resizes an attached disk, detaches it to unused0, and destroys it via unused0", async () => {
      const storage = node().storage.$("local-lvm");
      const name = `vm-9999-pvc-${uniq()}`;
      const volid = await storage.content.$post({ filename: name, vmid: 9999, size: "10G" });
      await expect(node().qemu.$(9999).config.$put({ scsi1: "local-lvm:vm-9999-nope" })).rejects.toThrow(
        "volume 'local-lvm:vm-9999-nope' does not exist",
      );
      await node().qemu.$(9999).config.$put({ scsi1: volid });
      expect((await node().qemu.$(9999).config.$get()).scsi1).toBe(`${volid},size=10G`);

      const usedBefore = (await storage.status.$get()).used!;
      const upid = await node().qemu.$(9999).resize.$put({ disk: "scsi1", size: "+5G" });
      expect(upid).toMatch(/:resize:9999:hks@pve!lab:$/);
      expect((await waitTask(api, "pve2", upid)).exitstatus).toBe("OK");
      expect((await storage.content.$(volid).$get()).size).toBe(15 * GiB);
      expect((await storage.status.$get()).used).toBe(usedBefore + 5 * GiB);
      expect((await node().qemu.$(9999).config.$get()).scsi1).toBe(`${volid},size=15G`);

      const absolute = await node().qemu.$(9999).resize.$put({ disk: "scsi1", size: "20G" });
      expect((await waitTask(api, "pve2", absolute)).exitstatus).toBe("OK");
      expect((await storage.content.$(volid).$get()).size).toBe(20 * GiB);

      const shrink = await node().qemu.$(9999).resize.$put({ disk: "scsi1", size: "1G" });
      expect((await waitTask(api, "pve2", shrink)).exitstatus).toBe("shrinking disks is not supported");
      const tooBig = await node().qemu.$(9999).resize.$put({ disk: "scsi1", size: "+5T" });
      expect((await waitTask(api, "pve2", tooBig)).exitstatus).toMatch(/^error resizing volume '\/dev\/pve\/.*Insufficient free space/);
      expect((await storage.content.$(volid).$get()).size).toBe(20 * GiB);

      await node().qemu.$(9999).config.$put({ delete: "scsi1" });
      let config = await node().qemu.$(9999).config.$get();
      expect(config.scsi1).toBeUndefined();
      expect(config.unused0).toBe(volid);
      expect((await storage.content.$(volid).$get()).size).toBe(20 * GiB);

      // re-attaching takes the volume out of the unused list
      await node().qemu.$(9999).config.$put({ scsi2: volid });
      config = await node().qemu.$(9999).config.$get();
      expect(config.unused0).toBeUndefined();
      expect(config.scsi2).toBe(`${volid},size=20G`);
      await node().qemu.$(9999).unlink.$put({ idlist: "scsi2" });
      expect((await node().qemu.$(9999).config.$get()).unused0).toBe(volid);

      const usedDetached = (await storage.status.$get()).used!;
      await node().qemu.$(9999).config.$put({ delete: "unused0" });
      expect((await node().qemu.$(9999).config.$get()).unused0).toBeUndefined();
      await expect(storage.content.$(volid).$get()).rejects.toThrow(/no such logical volume/);
      expect((await storage.status.$get()).used).toBe(usedDetached - 20 * GiB);
    });

    it("applies async config changes in a qmconfig task and force-unlinks physically", async () => {
      const storage = node().storage.$("tank");
      const volid = await storage.content.$post({ filename: `vm-9999-pvc-${uniq()}`, vmid: 9999, size: "3G" });
      const upid = await node().qemu.$(9999).config.$post({ virtio3: volid });
      expect(upid).toMatch(/:qmconfig:9999:/);
      expect((await waitTask(api, "pve2", upid)).exitstatus).toBe("OK");
      expect((await node().qemu.$(9999).config.$get()).virtio3).toBe(`${volid},size=3G`);
      await node().qemu.$(9999).unlink.$put({ idlist: "virtio3", force: true });
      const config = await node().qemu.$(9999).config.$get();
      expect(config.virtio3).toBeUndefined();
      expect(Object.values(config)).not.toContain(volid);
      expect(lab.volumes().some((v) => v.volid === volid && v.node === "pve2")).toBe(false);
    });

    it("refuses a stale digest", async () => {
      await expect(
        node()
          .qemu.$(9999)
          .config.$put({ description: "x", digest: "0".repeat(40) }),
      ).rejects.toThrow(/detected modified configuration/);
    });
  });

  describe("HTTP envelope", () => {
    it("uses the exact content type and data envelope", async () => {
      const res = await raw(lab, "GET", "/api2/json/version");
      expect(res.contentType).toBe("application/json;charset=UTF-8");
      expect(res.json.data.version).toBe("8.2.4");
    });

    it("answers 501 for unknown paths", async () => {
      const res = await raw(lab, "GET", "/api2/json/nodes/pve1/nothing");
      expect(res.status).toBe(501);
      expect(res.statusText).toBe("Method 'GET /nodes/pve1/nothing' not implemented");
      expect(res.json).toEqual({ data: null, message: "Method 'GET /nodes/pve1/nothing' not implemented\n" });
    });

    it("accepts JSON bodies", async () => {
      const filename = `vm-9999-json-${uniq()}`;
      const res = await raw(lab, "POST", "/api2/json/nodes/pve1/storage/local-lvm/content", {
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ filename, vmid: 9999, size: "1G" }),
      });
      expect(res.json).toEqual({ data: `local-lvm:${filename}` });
    });
  });

  describe("fault injection", () => {
    it("fails matching requests with the PVE error shape", async () => {
      lab.faults.add({ method: "GET", path: "^/api2/json/nodes$", action: "fail", message: "injected boom", times: 1 });
      await expect(api.nodes.$get()).rejects.toThrow(/500 injected boom/);
      expect((await api.nodes.$get()).length).toBe(2);
    });

    it("can be driven over HTTP from another process", async () => {
      const add = await fetch(`${lab.url}/_lab/faults`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ path: "/storage/local-lvm/content$", method: "POST", action: "fail", status: 503, message: "storage busy" }),
      });
      expect(add.status).toBe(200);
      const res = await raw(lab, "POST", "/api2/json/nodes/pve1/storage/local-lvm/content", {
        body: "filename=vm-9999-f&vmid=9999&size=1G",
      });
      expect(res.status).toBe(503);
      expect(res.json).toEqual({ data: null, message: "storage busy\n" });
      expect((await fetch(`${lab.url}/_lab/faults`, { method: "DELETE" })).status).toBe(200);
      expect(
        (
          await raw(lab, "POST", "/api2/json/nodes/pve1/storage/local-lvm/content", {
            body: `filename=vm-9999-f${uniq()}&vmid=9999&size=1G`,
          })
        ).status,
      ).toBe(200);
    });

    it("hangs matching requests", async () => {
      lab.faults.add({ path: "/version$", action: "hang" });
      const hung = fetch(`${lab.url}/api2/json/version`, { signal: AbortSignal.timeout(200) });
      await expect(hung).rejects.toThrow();
    });
  });
});

describe("persistence", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "pve-lab-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("keeps volumes, VM configs and the token secret across restarts", async () => {
    const stateFile = path.join(dir, "proxmox-state.json");
    const first = await startProxmoxApi({ stateFile, taskDelayMs: 5 });
    const api1 = client(first);
    const volid = await api1.nodes.$("pve1").storage.$("local-lvm").content.$post({ filename: "vm-9999-keep", vmid: 9999, size: "7G" });
    await api1.nodes.$("pve1").qemu.$(9999).config.$put({ scsi0: volid });
    const secret = first.tokenSecret;
    await first.close();

    const second = await startProxmoxApi({ stateFile });
    try {
      expect(second.tokenSecret).toBe(secret);
      expect(second.volumes()).toEqual([{ node: "pve1", storage: "local-lvm", volid, size: 7 * GiB }]);
      const api2 = client(second);
      expect((await api2.nodes.$("pve1").qemu.$(9999).config.$get()).scsi0).toBe(`${volid},size=7G`);
      expect((await api2.nodes.$("pve1").storage.$("local-lvm").status.$get()).used).toBe(7 * GiB);
    } finally {
      await second.close();
    }
  });
});
