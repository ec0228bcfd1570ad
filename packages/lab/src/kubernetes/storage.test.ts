import {
  ApiException,
  CoreV1Api,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
  StorageV1Api,
  type V1PersistentVolumeClaim,
} from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKubeApiServer, type KubeLab } from "./server.js";

let lab: KubeLab;
let core: CoreV1Api;
let storage: StorageV1Api;

beforeAll(async () => {
  lab = await startKubeApiServer({ name: "acme", namespaces: ["apps", "quota"], nodes: [] });
  const kc = new KubeConfig();
  kc.loadFromString(lab.kubeconfig());
  core = kc.makeApiClient(CoreV1Api);
  storage = kc.makeApiClient(StorageV1Api);
  await storage.createStorageClass({
    body: { metadata: { name: "grow" }, provisioner: "csi.proxmox.sinextra.dev", allowVolumeExpansion: true, reclaimPolicy: "Retain" },
  });
  await storage.createStorageClass({
    body: { metadata: { name: "fixed" }, provisioner: "csi.proxmox.sinextra.dev", reclaimPolicy: "Retain" },
  });
});
afterAll(() => lab.close());

const merge = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);

async function failure(promise: Promise<unknown>): Promise<{ code: number; body: Record<string, any> }> {
  try {
    await promise;
  } catch (error) {
    const e = error as ApiException<unknown>;
    return { code: e.code, body: (typeof e.body === "string" ? JSON.parse(e.body) : e.body) as Record<string, any> };
  }
  throw new Error("expected the call to fail");
}

async function createPv(name: string, size: string, storageClassName: string, reclaim = "Retain") {
  return core.createPersistentVolume({
    body: {
      metadata: { name },
      spec: {
        capacity: { storage: size },
        accessModes: ["ReadWriteOnce"],
        persistentVolumeReclaimPolicy: reclaim,
        storageClassName,
        csi: { driver: "csi.proxmox.sinextra.dev", volumeHandle: name },
      },
    },
  });
}

function claim(name: string, size: string, storageClassName: string, volumeName?: string): V1PersistentVolumeClaim {
  return {
    metadata: { name },
    spec: {
      accessModes: ["ReadWriteOnce"],
      resources: { requests: { storage: size } },
      storageClassName,
      ...(volumeName ? { volumeName } : {}),
    },
  };
}

describe("binding", () => {
  it("binds a claim to its dedicated volume", async () => {
    const pv = await createPv("pv-apps-data", "10Gi", "grow");
    expect(pv.status?.phase).toBe("Pending");
    expect((await core.readPersistentVolume({ name: "pv-apps-data" })).status?.phase).toBe("Available");
    await createPv("pv-decoy", "20Gi", "grow");
    const created = await core.createNamespacedPersistentVolumeClaim({
      namespace: "apps",
      body: claim("data", "5Gi", "grow", "pv-apps-data"),
    });
    expect(created.status?.phase).toBe("Pending");
    const pvc = await core.readNamespacedPersistentVolumeClaim({ name: "data", namespace: "apps" });
    expect(pvc.spec?.volumeName).toBe("pv-apps-data");
    expect(pvc.status).toMatchObject({ phase: "Bound", capacity: { storage: "10Gi" }, accessModes: ["ReadWriteOnce"] });
    const bound = await core.readPersistentVolume({ name: "pv-apps-data" });
    expect(bound.status?.phase).toBe("Bound");
    expect(bound.spec?.claimRef).toMatchObject({
      kind: "PersistentVolumeClaim",
      namespace: "apps",
      name: "data",
      uid: pvc.metadata?.uid,
      apiVersion: "v1",
    });
    expect((await core.readPersistentVolume({ name: "pv-decoy" })).status?.phase).toBe("Available");
  });

  it("binds by class to the smallest fitting volume and releases on delete", async () => {
    await createPv("pv-small", "1Gi", "fixed");
    await createPv("pv-medium", "5Gi", "fixed");
    await createPv("pv-large", "50Gi", "fixed");
    await core.createNamespacedPersistentVolumeClaim({ namespace: "apps", body: claim("logs", "2Gi", "fixed") });
    const pvc = await core.readNamespacedPersistentVolumeClaim({ name: "logs", namespace: "apps" });
    expect(pvc.spec?.volumeName).toBe("pv-medium");
    await core.deleteNamespacedPersistentVolumeClaim({ name: "logs", namespace: "apps" });
    expect((await core.readPersistentVolume({ name: "pv-medium" })).status?.phase).toBe("Released");
    // A released volume is not reused by another claim.
    await core.createNamespacedPersistentVolumeClaim({ namespace: "apps", body: claim("logs2", "2Gi", "fixed") });
    expect((await core.readNamespacedPersistentVolumeClaim({ name: "logs2", namespace: "apps" })).spec?.volumeName).toBe("pv-large");
  });

  it("deletes volumes with the Delete policy when their claim goes", async () => {
    await createPv("pv-ephemeral", "1Gi", "temp", "Delete");
    await core.createNamespacedPersistentVolumeClaim({ namespace: "apps", body: claim("scratch", "1Gi", "temp") });
    expect((await core.readPersistentVolume({ name: "pv-ephemeral" })).status?.phase).toBe("Bound");
    await core.deleteNamespacedPersistentVolumeClaim({ name: "scratch", namespace: "apps" });
    expect((await failure(core.readPersistentVolume({ name: "pv-ephemeral" }))).code).toBe(404);
  });

  it("leaves claims pending when nothing fits", async () => {
    await core.createNamespacedPersistentVolumeClaim({ namespace: "apps", body: claim("huge", "1Ti", "grow") });
    expect((await core.readNamespacedPersistentVolumeClaim({ name: "huge", namespace: "apps" })).status?.phase).toBe("Pending");
  });
});

describe("expansion", () => {
  it("allows growing a bound claim of an expandable class and finishes once the volume is big enough", async () => {
    await createPv("pv-grow", "10Gi", "grow");
    await core.createNamespacedPersistentVolumeClaim({ namespace: "apps", body: claim("db", "10Gi", "grow", "pv-grow") });
    const grown = await core.patchNamespacedPersistentVolumeClaim(
      { name: "db", namespace: "apps", body: { spec: { resources: { requests: { storage: "15Gi" } } } } },
      merge,
    );
    expect(grown.spec?.resources?.requests?.storage).toBe("15Gi");
    expect(grown.status?.capacity?.storage).toBe("10Gi");
    await core.patchPersistentVolume({ name: "pv-grow", body: { spec: { capacity: { storage: "15Gi" } } } }, merge);
    expect((await core.readNamespacedPersistentVolumeClaim({ name: "db", namespace: "apps" })).status?.capacity?.storage).toBe("15Gi");

    const shrink = await failure(
      core.patchNamespacedPersistentVolumeClaim(
        { name: "db", namespace: "apps", body: { spec: { resources: { requests: { storage: "1Gi" } } } } },
        merge,
      ),
    );
    expect(shrink).toMatchObject({
      code: 422,
      body: {
        reason: "Invalid",
        message:
          'PersistentVolumeClaim "db" is invalid: spec.resources.requests.storage: Forbidden: field can not be less than previous value',
      },
    });
  });

  it("refuses growing when the class does not allow expansion", async () => {
    await createPv("pv-fixed", "10Gi", "fixed");
    await core.createNamespacedPersistentVolumeClaim({ namespace: "apps", body: claim("fixed", "10Gi", "fixed", "pv-fixed") });
    const res = await failure(
      core.patchNamespacedPersistentVolumeClaim(
        { name: "fixed", namespace: "apps", body: { spec: { resources: { requests: { storage: "20Gi" } } } } },
        merge,
      ),
    );
    expect(res).toMatchObject({
      code: 403,
      body: {
        reason: "Forbidden",
        message:
          'persistentvolumeclaims "fixed" is forbidden: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize',
      },
    });
  });

  it("keeps the spec of an unbound claim immutable", async () => {
    const res = await failure(
      core.patchNamespacedPersistentVolumeClaim(
        { name: "huge", namespace: "apps", body: { spec: { resources: { requests: { storage: "2Ti" } } } } },
        merge,
      ),
    );
    expect(res.code).toBe(422);
    expect(res.body.message).toContain(
      "spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims",
    );
  });
});

describe("resource quota", () => {
  it("mirrors hard limits, counts usage and refuses claims over quota", async () => {
    await core.createNamespacedResourceQuota({
      namespace: "quota",
      body: {
        metadata: { name: "storage" },
        spec: {
          hard: { "requests.storage": "12Gi", persistentvolumeclaims: "5", "grow.storageclass.storage.k8s.io/requests.storage": "100Gi" },
        },
      },
    });
    let quota = await core.readNamespacedResourceQuota({ name: "storage", namespace: "quota" });
    expect(quota.status?.hard).toEqual({
      "requests.storage": "12Gi",
      persistentvolumeclaims: "5",
      "grow.storageclass.storage.k8s.io/requests.storage": "100Gi",
    });
    expect(quota.status?.used).toEqual({
      "requests.storage": "0",
      persistentvolumeclaims: "0",
      "grow.storageclass.storage.k8s.io/requests.storage": "0",
    });

    await core.createNamespacedPersistentVolumeClaim({ namespace: "quota", body: claim("a", "5Gi", "grow") });
    quota = await core.readNamespacedResourceQuota({ name: "storage", namespace: "quota" });
    expect(quota.status?.used).toEqual({
      "requests.storage": "5Gi",
      persistentvolumeclaims: "1",
      "grow.storageclass.storage.k8s.io/requests.storage": "5Gi",
    });

    const over = await failure(core.createNamespacedPersistentVolumeClaim({ namespace: "quota", body: claim("b", "10Gi", "grow") }));
    expect(over).toMatchObject({
      code: 403,
      body: {
        kind: "Status",
        reason: "Forbidden",
        message:
          'persistentvolumeclaims "b" is forbidden: exceeded quota: storage, requested: requests.storage=10Gi, used: requests.storage=5Gi, limited: requests.storage=12Gi',
        details: { name: "b", kind: "persistentvolumeclaims" },
      },
    });
    await core.createNamespacedPersistentVolumeClaim({ namespace: "quota", body: claim("c", "7Gi", "grow") });
    await core.deleteNamespacedPersistentVolumeClaim({ name: "a", namespace: "quota" });
    quota = await core.readNamespacedResourceQuota({ name: "storage", namespace: "quota" });
    expect(quota.status?.used?.["requests.storage"]).toBe("7Gi");
    expect(quota.status?.used?.persistentvolumeclaims).toBe("1");
    // Raising the limit is picked up at once.
    await core.patchNamespacedResourceQuota(
      { name: "storage", namespace: "quota", body: { spec: { hard: { "requests.storage": "20Gi" } } } },
      merge,
    );
    expect((await core.readNamespacedResourceQuota({ name: "storage", namespace: "quota" })).status?.hard?.["requests.storage"]).toBe(
      "20Gi",
    );
    await core.createNamespacedPersistentVolumeClaim({ namespace: "quota", body: claim("b", "10Gi", "grow") });
  });

  it("counts expansion against the quota", async () => {
    await core.createNamespacedResourceQuota({
      namespace: "apps",
      body: { metadata: { name: "tight" }, spec: { hard: { "requests.storage": "1100Gi" } } },
    });
    // Claim first: unbound claims elsewhere (quota/b, quota/c) would otherwise take the volume.
    await core.createNamespacedPersistentVolumeClaim({ namespace: "apps", body: claim("q", "10Gi", "grow", "pv-quota") });
    await createPv("pv-quota", "10Gi", "grow");
    expect((await core.readNamespacedPersistentVolumeClaim({ name: "q", namespace: "apps" })).status?.phase).toBe("Bound");
    const res = await failure(
      core.patchNamespacedPersistentVolumeClaim(
        { name: "q", namespace: "apps", body: { spec: { resources: { requests: { storage: "2000Gi" } } } } },
        merge,
      ),
    );
    expect(res.code).toBe(403);
    expect(res.body.message).toMatch(
      /^persistentvolumeclaims "q" is forbidden: exceeded quota: tight, requested: requests.storage=1990Gi, used: requests.storage=/,
    );
  });
});
