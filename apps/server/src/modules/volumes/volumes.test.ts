import proxmoxApi from "proxmox-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, startStack, type GraphQLClient, type TestStack } from "../../test/harness.js";
import { kubeFor } from "../../test/kube.js";

const VOLUME_FIELDS = `id name sizeGiB status failureReason storageClassName persistentVolumeName proxmoxVolumeId node storage monthlyCost currency`;
const CREATE = `mutation($input: CreateStorageVolumeInput!) { createStorageVolume(input: $input) { ${VOLUME_FIELDS} } }`;
const EXPAND = `mutation($input: ExpandStorageVolumeInput!) { expandStorageVolume(input: $input) { ${VOLUME_FIELDS} } }`;
const DELETE = `mutation($id: ID!) { deleteStorageVolume(id: $id) { ${VOLUME_FIELDS} } }`;
const WORKSPACE = `query($id: ID!) { workspace(id: $id) { storageVolumes { ${VOLUME_FIELDS} } storageSummary { provisionedGiB planLimitGiB availableGiB monthlyCost currency } } }`;

type Volume = {
  id: string;
  name: string;
  sizeGiB: number;
  status: string;
  failureReason: string | null;
  storageClassName: string;
  persistentVolumeName: string;
  proxmoxVolumeId: string | null;
  node: string;
  storage: string;
  monthlyCost: number;
};

let stack: TestStack;
let admin: GraphQLClient;
let member: GraphQLClient;
let globexAdmin: GraphQLClient;
let acme: string;
let globex: string;
const GiB = 1024 ** 3;

beforeAll(async () => {
  stack = await startStack();
  [admin, member, globexAdmin] = await Promise.all([
    stack.login("admin@acme.test"),
    stack.login("dev@acme.test"),
    stack.login("admin@globex.test"),
  ]);
  acme = await stack.workspaceId("acme");
  globex = await stack.workspaceId("globex");
});
afterAll(() => stack?.stop());

async function volume(id: string): Promise<Volume | undefined> {
  const data = await admin.data<{ workspace: { storageVolumes: Volume[] } }>(WORKSPACE, { id: acme });
  return data.workspace.storageVolumes.find((v) => v.id === id);
}

const settled = (id: string, status: string) =>
  eventually(async () => {
    const v = await volume(id);
    return v?.status === status ? v : undefined;
  }, `volume ${id} to become ${status}`);

async function create(name: string, sizeGiB: number, client = admin) {
  return (await client.data<{ createStorageVolume: Volume }>(CREATE, { input: { workspaceId: acme, name, sizeGiB } })).createStorageVolume;
}

describe("provisioning", () => {
  it("provisions a 500 GiB volume: a Proxmox disk, a StorageClass and PV in the vCluster, and a charge", async () => {
    const events: string[] = [];
    const ws = admin.subscriptions();
    const done = new Promise<void>((resolve, reject) => {
      ws.subscribe<{ storageVolumeChanged: { name: string; status: string } }>(
        { query: `subscription($w: ID!) { storageVolumeChanged(workspaceId: $w) { name status } }`, variables: { w: acme } },
        {
          next: (msg) => {
            const v = msg.data?.storageVolumeChanged;
            if (v?.name === "backup-vol-1") events.push(v.status);
            if (v?.status === "AVAILABLE") resolve();
          },
          error: reject,
          complete: () => undefined,
        },
      );
    });
    await new Promise((r) => setTimeout(r, 200));

    const started = await create("backup-vol-1", 500);
    expect(started.status).toBe("PROVISIONING");
    await done;
    await ws.dispose();
    expect(events[0]).toBe("PROVISIONING");
    expect(events.at(-1)).toBe("AVAILABLE");

    const v = await settled(started.id, "AVAILABLE");
    expect(v).toMatchObject({
      sizeGiB: 500,
      storageClassName: "hks-backup-vol-1",
      persistentVolumeName: "hks-acme-backup-vol-1",
      storage: "local-lvm",
      monthlyCost: 40,
    });
    expect(v.proxmoxVolumeId).toMatch(/^local-lvm:vm-9999-hks-acme-backup-vol-1-[0-9a-f]{8}$/);

    const disk = stack.lab.proxmox.volumes().find((d) => d.volid === v.proxmoxVolumeId);
    expect(disk).toMatchObject({ node: v.node, storage: "local-lvm", size: 500 * GiB });

    const kube = kubeFor(stack.lab, "acme");
    const sc = await kube.storage.readStorageClass({ name: "hks-backup-vol-1" });
    expect(sc).toMatchObject({ provisioner: "csi.proxmox.sinextra.dev", allowVolumeExpansion: true, parameters: { storage: "local-lvm" } });
    const pv = await kube.core.readPersistentVolume({ name: "hks-acme-backup-vol-1" });
    expect(pv.spec?.capacity?.["storage"]).toBe("500Gi");
    expect(pv.spec?.storageClassName).toBe("hks-backup-vol-1");
    expect(pv.spec?.csi).toMatchObject({
      driver: "csi.proxmox.sinextra.dev",
      volumeHandle: `hks-lab/${v.node}/local-lvm/${v.proxmoxVolumeId!.split(":")[1]}`,
    });
    const terms = pv.spec?.nodeAffinity?.required?.nodeSelectorTerms?.[0]?.matchExpressions;
    expect(terms).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: "topology.kubernetes.io/region", values: ["hks-lab"] }),
        expect.objectContaining({ key: "topology.kubernetes.io/zone", values: [v.node] }),
      ]),
    );

    const summary = (await admin.data<{ workspace: { storageSummary: Record<string, unknown> } }>(WORKSPACE, { id: acme })).workspace
      .storageSummary;
    expect(summary).toEqual({ provisionedGiB: 500, planLimitGiB: 2048, availableGiB: 1548, monthlyCost: 40, currency: "EUR" });
  });

  it("answers a repeated request with the same idempotency key with the first volume, allocating once", async () => {
    const input = { workspaceId: acme, name: "twice", sizeGiB: 10, idempotencyKey: "key-twice-0001" };
    const [a, b] = await Promise.all([
      admin.request<{ createStorageVolume: Volume }>(CREATE, { input }),
      admin.request<{ createStorageVolume: Volume }>(CREATE, { input }),
    ]);
    const ids = [a, b].map((r) => r.data?.createStorageVolume?.id).filter(Boolean);
    // Two requests racing: one creates, the other replays it or is told the first is in progress.
    expect(ids.length).toBeGreaterThanOrEqual(1);
    const again = (await admin.data<{ createStorageVolume: Volume }>(CREATE, { input })).createStorageVolume;
    expect(again.id).toBe(ids[0]);
    await settled(again.id, "AVAILABLE");
    expect(stack.lab.proxmox.volumes().filter((d) => d.volid.includes("-twice-"))).toHaveLength(1);
    const other = await admin.error(CREATE, { input: { ...input, sizeGiB: 11 } });
    expect(other).toMatchObject({ code: "CONFLICT", field: "idempotencyKey" });
  });
});

describe("bad input changes nothing", () => {
  const cases: Array<[string, Record<string, unknown>, string, string?]> = [
    ["a zero size", { name: "zero", sizeGiB: 0 }, "INVALID_INPUT", "sizeGiB"],
    ["a negative size", { name: "neg", sizeGiB: -5 }, "INVALID_INPUT", "sizeGiB"],
    ["a fractional size", { name: "frac", sizeGiB: 1.5 }, "INVALID_INPUT"],
    ["a size that is not a number", { name: "nan", sizeGiB: "lots" }, "INVALID_INPUT"],
    ["a size beyond 32-bit", { name: "huge", sizeGiB: 2 ** 40 }, "INVALID_INPUT"],
    ["a size over the plan ceiling", { name: "big", sizeGiB: 5000 }, "QUOTA_EXCEEDED", "sizeGiB"],
    ["an uppercase name", { name: "Backup", sizeGiB: 1 }, "INVALID_INPUT", "name"],
    ["a name with a dot", { name: "a.b", sizeGiB: 1 }, "INVALID_INPUT", "name"],
    ["an empty name", { name: "", sizeGiB: 1 }, "INVALID_INPUT", "name"],
    ["a name ending in a dash", { name: "vol-", sizeGiB: 1 }, "INVALID_INPUT", "name"],
    ["a 41-character name", { name: "a".repeat(41), sizeGiB: 1 }, "INVALID_INPUT", "name"],
  ];
  it.each(cases)("refuses %s", async (_title, input, code, field) => {
    const before = stack.lab.proxmox.volumes().length;
    const error = await admin.error(CREATE, { input: { workspaceId: acme, ...input } });
    expect(error.code).toBe(code);
    if (field) expect(error.field).toBe(field);
    expect(error.message.length).toBeGreaterThan(10);
    expect(stack.lab.proxmox.volumes().length).toBe(before);
  });

  it("refuses a size over the plan's remaining ceiling as QUOTA_EXCEEDED, naming the limit", async () => {
    const error = await admin.error(CREATE, { input: { workspaceId: acme, name: "too-much", sizeGiB: 2000 } });
    expect(error.code).toBe("QUOTA_EXCEEDED");
    expect(error.message).toContain("2048 GiB");
  });

  it("refuses a taken name", async () => {
    const error = await admin.error(CREATE, { input: { workspaceId: acme, name: "backup-vol-1", sizeGiB: 1 } });
    expect(error).toMatchObject({ code: "CONFLICT", field: "name" });
  });

  it("refuses unknown and foreign workspaces alike", async () => {
    for (const workspaceId of ["00000000-0000-4000-8000-000000000000", globex]) {
      expect((await admin.error(CREATE, { input: { workspaceId, name: "x", sizeGiB: 1 } })).code).toBe("NOT_FOUND");
    }
    // An id that is not one at all is refused at the edge, before any lookup (graphql/edge/inputs.ts).
    expect((await admin.error(CREATE, { input: { workspaceId: "not-a-uuid", name: "x", sizeGiB: 1 } })).code).toBe("INVALID_INPUT");
    expect((await globexAdmin.error(WORKSPACE, { id: acme })).code).toBe("NOT_FOUND");
  });

  it("lets a member read but not change storage", async () => {
    const data = await member.data<{ workspace: { storageVolumes: Volume[] } }>(WORKSPACE, { id: acme });
    expect(data.workspace.storageVolumes.map((v) => v.name)).toContain("backup-vol-1");
    const error = await member.error(CREATE, { input: { workspaceId: acme, name: "mine", sizeGiB: 1 } });
    expect(error.code).toBe("FORBIDDEN");
    expect(error.message).toMatch(/Workspace Admin/);
  });

  it("tells a workspace without a Dedicated Plan what it needs", async () => {
    const error = await globexAdmin.error(CREATE, { input: { workspaceId: globex, name: "x", sizeGiB: 1 } });
    expect(error.code).toBe("PLAN_REQUIRED");
    expect(error.message).toMatch(/Dedicated Plan/);
  });

  it("refuses requests without a token or with a bad one", async () => {
    expect((await stack.anonymous().error(WORKSPACE, { id: acme })).code).toBe("UNAUTHENTICATED");
    const forged = new (admin.constructor as typeof GraphQLClient)(admin.url, "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.bad");
    const error = await forged.error(WORKSPACE, { id: acme });
    expect(error.code).toBe("UNAUTHENTICATED");
    expect(error.message).toMatch(/invalid or expired/);
    expect((await stack.anonymous().error(`mutation { login(email: "admin@acme.test", password: "nope") { token } }`)).code).toBe(
      "UNAUTHENTICATED",
    );
  });

  it("refuses a volume larger than the Proxmox storage's free space before allocating anything", async () => {
    // Another tenant fills both nodes' storage, leaving under 300 GiB free on each.
    const pve = proxmoxApi({
      schema: "http",
      host: "127.0.0.1",
      port: new URL(stack.lab.proxmox.url).port ? Number(new URL(stack.lab.proxmox.url).port) : 80,
      tokenID: stack.lab.proxmox.tokenId,
      tokenSecret: stack.lab.proxmox.tokenSecret,
    });
    const filler: Array<{ node: string; volid: string }> = [];
    for (const node of stack.lab.proxmox.nodes) {
      const status = await pve.nodes.$(node).storage.$("local-lvm").status.$get();
      const fill = Math.floor((status.avail ?? 0) / GiB) - 300;
      const volid = await pve.nodes
        .$(node)
        .storage.$("local-lvm")
        .content.$post({ filename: `vm-4242-filler-${node}`, vmid: 4242, size: `${fill}G`, format: "raw" });
      filler.push({ node, volid: String(volid) });
    }
    try {
      const before = stack.lab.proxmox.volumes().length;
      const error = await admin.error(CREATE, { input: { workspaceId: acme, name: "no-room", sizeGiB: 400 } });
      expect(error.code).toBe("QUOTA_EXCEEDED");
      expect(error.message).toMatch(/only 300 GiB free/);
      expect(stack.lab.proxmox.volumes().length).toBe(before);
    } finally {
      for (const f of filler) await pve.nodes.$(f.node).storage.$("local-lvm").content.$(f.volid).$delete();
      await new Promise((r) => setTimeout(r, 500));
    }
  });
});

describe("concurrent requests", () => {
  it("puts a disk on another node when the one it was placed on filled up before it was allocated", async () => {
    // Another tenant leaves 150 GiB free on pve1 and 120 GiB on pve2: two 100 GiB requests are both placed on pve1,
    // which has room for one of them.
    const pve = proxmoxApi({
      schema: "http",
      host: "127.0.0.1",
      port: Number(new URL(stack.lab.proxmox.url).port),
      tokenID: stack.lab.proxmox.tokenId,
      tokenSecret: stack.lab.proxmox.tokenSecret,
    });
    const filler: Array<{ node: string; volid: string }> = [];
    for (const [node, keep] of [
      ["pve1", 150],
      ["pve2", 120],
    ] as const) {
      const status = await pve.nodes.$(node).storage.$("local-lvm").status.$get();
      const fill = Math.floor((status.avail ?? 0) / GiB) - keep;
      const volid = await pve.nodes
        .$(node)
        .storage.$("local-lvm")
        .content.$post({ filename: `vm-4242-race-${node}`, vmid: 4242, size: `${fill}G`, format: "raw" });
      filler.push({ node, volid: String(volid) });
    }
    // The first allocation hangs (until the client gives up and tries again), so the second request is placed on
    // pve1 too and takes its room first.
    stack.lab.proxmox.faults.add({ method: "POST", path: "/nodes/pve1/storage/local-lvm/content$", action: "hang", times: 1 });
    const made: string[] = [];
    try {
      const a = await create("race-a", 100);
      const b = await create("race-b", 100);
      made.push(a.id, b.id);
      expect([a.node, b.node]).toEqual(["pve1", "pve1"]);
      const [va, vb] = await Promise.all([settled(a.id, "AVAILABLE"), settled(b.id, "AVAILABLE")]);
      expect([va.node, vb.node].sort()).toEqual(["pve1", "pve2"]);
      const disks = stack.lab.proxmox.volumes().filter((d) => /-race-[ab]-/.test(d.volid));
      expect(disks.map((d) => `${d.node}/${d.volid}`).sort()).toEqual(
        [`${va.node}/${va.proxmoxVolumeId}`, `${vb.node}/${vb.proxmoxVolumeId}`].sort(),
      );
    } finally {
      stack.lab.proxmox.faults.clear();
      for (const id of made) {
        await admin.request(DELETE, { id });
        await eventually(async () => ((await volume(id)) ? undefined : true), `volume ${id} to be deleted`).catch(() => undefined);
      }
      for (const f of filler) await pve.nodes.$(f.node).storage.$("local-lvm").content.$(f.volid).$delete();
      await new Promise((r) => setTimeout(r, 500));
    }
  }, 60_000);
});

describe("expansion", () => {
  it("grows the disk through the holder VM, then the PV and the bill", async () => {
    const v = (await volume((await create("grow-me", 100)).id))!;
    await settled(v.id, "AVAILABLE");
    const started = (await admin.data<{ expandStorageVolume: Volume }>(EXPAND, { input: { id: v.id, sizeGiB: 150 } })).expandStorageVolume;
    expect(started.status).toBe("EXPANDING");
    expect((await admin.error(EXPAND, { input: { id: v.id, sizeGiB: 200 } })).code).toBe("CONFLICT");
    const grown = await settled(v.id, "AVAILABLE");
    expect(grown).toMatchObject({ sizeGiB: 150, monthlyCost: 12, failureReason: null });
    const disk = stack.lab.proxmox.volumes().find((d) => d.volid === grown.proxmoxVolumeId);
    expect(disk?.size).toBe(150 * GiB);
    const pv = await kubeFor(stack.lab, "acme").core.readPersistentVolume({ name: grown.persistentVolumeName });
    expect(pv.spec?.capacity?.["storage"]).toBe("150Gi");
  });

  it("grows the claim that mounts the volume too, within its namespace's quota", async () => {
    const v = await settled((await create("claimed", 20)).id, "AVAILABLE");
    const kube = kubeFor(stack.lab, "acme");
    await kube.core.createNamespacedPersistentVolumeClaim({
      namespace: "analytics",
      body: {
        metadata: { name: "uses-claimed" },
        spec: {
          storageClassName: v.storageClassName,
          volumeName: v.persistentVolumeName,
          accessModes: ["ReadWriteOnce"],
          resources: { requests: { storage: "20Gi" } },
        },
      },
    });
    await eventually(
      async () => ((await kube.core.readPersistentVolume({ name: v.persistentVolumeName })).status?.phase === "Bound" ? true : undefined),
      "the claim to bind",
    );
    const SET_QUOTA = `mutation($input: SetNamespaceQuotaInput!) { setNamespaceQuota(input: $input) { namespace } }`;
    // 30 GiB for analytics, of which its seeded 1 GiB claim and this 20 GiB one use 21: 9 GiB left.
    await admin.data(SET_QUOTA, { input: { workspaceId: acme, namespace: "analytics", requestsStorageGiB: 30 } });
    try {
      const refused = await admin.error(EXPAND, { input: { id: v.id, sizeGiB: 40 } });
      expect(refused).toMatchObject({ code: "QUOTA_EXCEEDED", field: "sizeGiB" });
      expect(refused.message).toMatch(/namespace quota 'hks-storage' of 'analytics' has only 9 GiB/);
      await admin.data(EXPAND, { input: { id: v.id, sizeGiB: 25 } });
      await eventually(
        async () => ((await volume(v.id))?.sizeGiB === 25 && (await volume(v.id))?.status === "AVAILABLE" ? true : undefined),
        "the expansion",
      );
      const claim = await kube.core.readNamespacedPersistentVolumeClaim({ name: "uses-claimed", namespace: "analytics" });
      expect(claim.spec?.resources?.requests?.["storage"]).toBe("25Gi");
      expect(claim.status?.capacity?.["storage"]).toBe("25Gi");
    } finally {
      await admin.data(SET_QUOTA, { input: { workspaceId: acme, namespace: "analytics" } });
      await kube.core.deleteNamespacedPersistentVolumeClaim({ name: "uses-claimed", namespace: "analytics" });
    }
  });

  it("refuses a shrink, the same size, and an unknown volume", async () => {
    const v = (await volume((await create("no-shrink", 20)).id))!;
    await settled(v.id, "AVAILABLE");
    expect(await admin.error(EXPAND, { input: { id: v.id, sizeGiB: 10 } })).toMatchObject({ code: "INVALID_INPUT", field: "sizeGiB" });
    expect(await admin.error(EXPAND, { input: { id: v.id, sizeGiB: 20 } })).toMatchObject({ code: "INVALID_INPUT", field: "sizeGiB" });
    expect((await admin.error(EXPAND, { input: { id: "00000000-0000-4000-8000-000000000000", sizeGiB: 30 } })).code).toBe("NOT_FOUND");
    expect((await member.error(EXPAND, { input: { id: v.id, sizeGiB: 30 } })).code).toBe("FORBIDDEN");
  });
});

describe("deletion", () => {
  it("refuses while a claim is bound, then removes disk, PV, StorageClass and the charge", async () => {
    const v = await settled((await create("delete-me", 5)).id, "AVAILABLE");
    const kube = kubeFor(stack.lab, "acme");
    await kube.core.createNamespacedPersistentVolumeClaim({
      namespace: "shop",
      body: {
        metadata: { name: "uses-delete-me" },
        spec: { storageClassName: v.storageClassName, accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "5Gi" } } },
      },
    });
    await eventually(
      async () => ((await kube.core.readPersistentVolume({ name: v.persistentVolumeName })).status?.phase === "Bound" ? true : undefined),
      "the claim to bind",
    );
    const refused = await admin.error(DELETE, { id: v.id });
    expect(refused.code).toBe("CONFLICT");
    expect(refused.message).toContain("shop/uses-delete-me");
    expect(stack.lab.proxmox.volumes().some((d) => d.volid === v.proxmoxVolumeId)).toBe(true);

    await kube.core.deleteNamespacedPersistentVolumeClaim({ name: "uses-delete-me", namespace: "shop" });
    const before = (await admin.data<{ workspace: { storageSummary: { monthlyCost: number } } }>(WORKSPACE, { id: acme })).workspace
      .storageSummary.monthlyCost;
    expect((await admin.data<{ deleteStorageVolume: Volume }>(DELETE, { id: v.id })).deleteStorageVolume.status).toBe("DELETING");
    await eventually(async () => ((await volume(v.id)) === undefined ? true : undefined), "the volume to disappear from the list");
    expect(stack.lab.proxmox.volumes().some((d) => d.volid === v.proxmoxVolumeId)).toBe(false);
    await expect(kube.core.readPersistentVolume({ name: v.persistentVolumeName })).rejects.toMatchObject({ code: 404 });
    await expect(kube.storage.readStorageClass({ name: v.storageClassName })).rejects.toMatchObject({ code: 404 });
    const after = (await admin.data<{ workspace: { storageSummary: { monthlyCost: number } } }>(WORKSPACE, { id: acme })).workspace
      .storageSummary.monthlyCost;
    expect(before - after).toBeCloseTo(0.4);
    expect((await admin.error(DELETE, { id: v.id })).code).toBe("CONFLICT");
    // The name is free again once the volume is gone.
    await settled((await create("delete-me", 1)).id, "AVAILABLE");
  });
});

describe("failures roll back", () => {
  it("a vCluster that refuses the PV leaves the volume FAILED with a reason, no Proxmox disk and no charge", async () => {
    const acmeKube = stack.lab.clusters.get("acme")!;
    acmeKube.faults.add({
      method: "PATCH",
      path: "/api/v1/persistentvolumes/hks-acme-doomed",
      action: "fail",
      status: 403,
      message: "admission webhook denied the request",
    });
    try {
      const before = (await admin.data<{ workspace: { storageSummary: { monthlyCost: number } } }>(WORKSPACE, { id: acme })).workspace
        .storageSummary.monthlyCost;
      const v = await settled((await create("doomed", 10)).id, "FAILED");
      expect(v.failureReason).toMatch(/creating the StorageClass and PersistentVolume/);
      expect(v.failureReason).toMatch(/admission webhook denied/);
      expect(v.monthlyCost).toBe(0);
      expect(stack.lab.proxmox.volumes().some((d) => d.volid.includes("-doomed-"))).toBe(false);
      await expect(kubeFor(stack.lab, "acme").storage.readStorageClass({ name: "hks-doomed" })).rejects.toMatchObject({ code: 404 });
      const after = (await admin.data<{ workspace: { storageSummary: { monthlyCost: number } } }>(WORKSPACE, { id: acme })).workspace
        .storageSummary.monthlyCost;
      expect(after).toBe(before);
      // A failed volume can be dismissed, and its name used again.
      expect((await admin.data<{ deleteStorageVolume: Volume }>(DELETE, { id: v.id })).deleteStorageVolume.status).toBe("DELETED");
    } finally {
      acmeKube.faults.clear();
    }
  });

  it("a failed resize leaves the volume AVAILABLE at its old size and charges nothing more", async () => {
    const v = await settled((await create("stuck-size", 10)).id, "AVAILABLE");
    stack.lab.proxmox.faults.add({
      method: "PUT",
      path: "/qemu/9999/resize$",
      action: "fail",
      status: 500,
      message: "VM 9999 qmp command 'block_resize' failed",
    });
    try {
      await admin.data(EXPAND, { input: { id: v.id, sizeGiB: 20 } });
      const after = await eventually(async () => {
        const x = await volume(v.id);
        return x?.status === "AVAILABLE" && x.failureReason ? x : undefined;
      }, "the expansion to roll back");
      expect(after.sizeGiB).toBe(10);
      expect(after.failureReason).toMatch(/block_resize/);
      expect(stack.lab.proxmox.volumes().find((d) => d.volid === v.proxmoxVolumeId)?.size).toBe(10 * GiB);
    } finally {
      stack.lab.proxmox.faults.clear();
    }
  });
});

describe("the list, a page at a time", () => {
  it("pages through the volumes oldest first with first/after, and says what is wrong with a bad page", async () => {
    const PAGE = `query($id: ID!, $first: Int, $after: ID) { workspace(id: $id) { storageVolumes(first: $first, after: $after) { id name } } }`;
    const all = (await admin.data<{ workspace: { storageVolumes: Array<{ id: string; name: string }> } }>(PAGE, { id: acme })).workspace
      .storageVolumes;
    for (let i = all.length; i < 5; i++) all.push(await create(`paged-${i}`, 1));
    const pages: string[][] = [];
    let after: string | undefined;
    for (;;) {
      const page = (await admin.data<{ workspace: { storageVolumes: Array<{ id: string }> } }>(PAGE, { id: acme, first: 2, after }))
        .workspace.storageVolumes;
      if (page.length === 0) break;
      pages.push(page.map((v) => v.id));
      after = page.at(-1)!.id;
    }
    expect(pages.every((p) => p.length <= 2)).toBe(true);
    expect(pages.flat()).toEqual(all.map((v) => v.id));

    // A page that large is refused before it runs: it would cost more than the GraphQL cost limit allows.
    const tooMany = await admin.error(PAGE, { id: acme, first: 100_000 });
    expect(tooMany.code).toBe("INVALID_INPUT");
    expect(tooMany.message).toMatch(/cost/i);
    const unknown = await admin.error(PAGE, { id: acme, first: 2, after: "00000000-0000-4000-8000-000000000000" });
    expect(unknown.code).toBe("INVALID_INPUT");
    expect(unknown.message).toMatch(/start again from the first page/);
  });
});
