import {
  ApiException,
  BatchV1Api,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  setHeaderOptions,
  StorageV1Api,
  type V1PersistentVolume,
  type V1PersistentVolumeClaim,
  type V1StorageClass,
} from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKubeApiServer, type KubeLab } from "./server.js";

let lab: KubeLab;
let kc: KubeConfig;
let core: CoreV1Api;
let storage: StorageV1Api;
let batch: BatchV1Api;

beforeAll(async () => {
  lab = await startKubeApiServer({ name: "acme", namespaces: ["apps"], nodes: [{ name: "pve1", region: "lab", zone: "pve1" }] });
  kc = new KubeConfig();
  kc.loadFromString(lab.kubeconfig());
  core = kc.makeApiClient(CoreV1Api);
  storage = kc.makeApiClient(StorageV1Api);
  batch = kc.makeApiClient(BatchV1Api);
});
afterAll(() => lab.close());

async function failure(promise: Promise<unknown>): Promise<{ code: number; body: Record<string, any> }> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ApiException);
    const e = error as ApiException<unknown>;
    const body = typeof e.body === "string" ? JSON.parse(e.body) : e.body;
    return { code: e.code, body: body as Record<string, any> };
  }
  throw new Error("expected the call to fail");
}

function pv(name: string, size = "10Gi", extra: Partial<V1PersistentVolume["spec"]> = {}): V1PersistentVolume {
  return {
    apiVersion: "v1",
    kind: "PersistentVolume",
    metadata: { name, labels: { app: "db" } },
    spec: {
      capacity: { storage: size },
      accessModes: ["ReadWriteOnce"],
      persistentVolumeReclaimPolicy: "Retain",
      storageClassName: "manual",
      csi: { driver: "csi.proxmox.sinextra.dev", volumeHandle: `lab/pve1/local-lvm/${name}` },
      ...extra,
    },
  };
}

async function get(path: string, accept = "application/json") {
  const res = await fetch(`${lab.url}${path}`, { headers: { authorization: `Bearer ${lab.token}`, accept } });
  return { status: res.status, body: (await res.json()) as any, type: res.headers.get("content-type") };
}

describe("discovery", () => {
  it("serves version, api, apis and resource lists", async () => {
    expect((await get("/version")).body.gitVersion).toBe("v1.31.0");
    expect((await get("/api")).body).toMatchObject({ kind: "APIVersions", versions: ["v1"] });
    const apis = await get("/apis", "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json");
    expect(apis.type).toBe("application/json");
    expect(apis.body.kind).toBe("APIGroupList");
    expect(apis.body.groups.map((g: { name: string }) => g.name).sort()).toEqual(["batch", "networking.k8s.io", "storage.k8s.io"]);
    const v1 = (await get("/api/v1")).body;
    const pvc = v1.resources.find((r: { name: string }) => r.name === "persistentvolumeclaims");
    expect(pvc).toMatchObject({ kind: "PersistentVolumeClaim", namespaced: true, shortNames: ["pvc"] });
    expect(pvc.verbs).toContain("watch");
    expect(v1.resources.find((r: { name: string }) => r.name === "nodes").verbs).toEqual(["get", "list", "watch"]);
    expect((await get("/apis/storage.k8s.io/v1")).body.resources[0]).toMatchObject({
      name: "storageclasses",
      shortNames: ["sc"],
      namespaced: false,
    });
    expect((await get("/apis/batch/v1")).body.resources.map((r: { name: string }) => r.name)).toContain("cronjobs");
    const openapi = (await get("/openapi/v3")).body;
    expect(Object.keys(openapi.paths).sort()).toEqual(["api/v1", "apis/batch/v1", "apis/networking.k8s.io/v1", "apis/storage.k8s.io/v1"]);
    const doc = await get(openapi.paths["api/v1"].serverRelativeURL);
    expect(doc.body.components.schemas["io.k8s.api.core.v1.PersistentVolume"].type).toBe("object");
  });

  it("answers unknown paths with a NotFound Status and rejects missing tokens", async () => {
    expect((await get("/api/v1/widgets")).body).toMatchObject({
      kind: "Status",
      code: 404,
      reason: "NotFound",
      message: "the server could not find the requested resource",
    });
    const res = await fetch(`${lab.url}/api/v1/namespaces`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ kind: "Status", reason: "Unauthorized", code: 401 });
    const bad = await fetch(`${lab.url}/api/v1/namespaces`, { headers: { authorization: "Bearer nope" } });
    expect(bad.status).toBe(401);
  });
});

describe("core objects through client-node", () => {
  it("seeds namespaces and nodes", async () => {
    const ns = await core.listNamespace();
    expect(ns.items.map((n) => n.metadata?.name)).toEqual(expect.arrayContaining(["default", "kube-system", "apps"]));
    const node = await core.readNode({ name: "pve1" });
    expect(node.metadata?.labels).toMatchObject({
      "kubernetes.io/hostname": "pve1",
      "topology.kubernetes.io/region": "lab",
      "topology.kubernetes.io/zone": "pve1",
    });
    expect((await failure(core.createNode({ body: { metadata: { name: "x" } } }))).code).toBe(405);
  });

  it("creates, reads, lists, replaces and deletes persistent volumes", async () => {
    const created = await core.createPersistentVolume({ body: pv("pv-crud") });
    expect(created.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata?.resourceVersion).toMatch(/^\d+$/);
    expect(created.metadata?.creationTimestamp).toBeInstanceOf(Date);
    const read = await core.readPersistentVolume({ name: "pv-crud" });
    expect(read.status?.phase).toBe("Available");
    const list = await core.listPersistentVolume({ labelSelector: "app=db" });
    expect(list.items.map((i) => i.metadata?.name)).toContain("pv-crud");
    expect((await core.listPersistentVolume({ labelSelector: "app!=db" })).items.map((i) => i.metadata?.name)).not.toContain("pv-crud");
    expect((await core.listPersistentVolume({ fieldSelector: "metadata.name=pv-crud" })).items).toHaveLength(1);
    read.metadata!.labels = { app: "db", tier: "gold" };
    const replaced = await core.replacePersistentVolume({ name: "pv-crud", body: read });
    expect(replaced.metadata?.labels?.tier).toBe("gold");
    expect(Number(replaced.metadata?.resourceVersion)).toBeGreaterThan(Number(read.metadata?.resourceVersion));
    await core.deletePersistentVolume({ name: "pv-crud" });
    expect((await failure(core.readPersistentVolume({ name: "pv-crud" }))).code).toBe(404);
  });

  it("reports NotFound, AlreadyExists, Conflict and Invalid like the apiserver", async () => {
    const missing = await failure(core.readPersistentVolume({ name: "ghost" }));
    expect(missing).toMatchObject({
      code: 404,
      body: {
        kind: "Status",
        apiVersion: "v1",
        status: "Failure",
        reason: "NotFound",
        message: 'persistentvolumes "ghost" not found',
        details: { name: "ghost", kind: "persistentvolumes" },
      },
    });
    const scMissing = await failure(storage.readStorageClass({ name: "ghost" }));
    expect(scMissing.body).toMatchObject({
      message: 'storageclasses.storage.k8s.io "ghost" not found',
      details: { group: "storage.k8s.io", kind: "storageclasses" },
    });

    await core.createPersistentVolume({ body: pv("pv-dup") });
    expect(await failure(core.createPersistentVolume({ body: pv("pv-dup") }))).toMatchObject({
      code: 409,
      body: { reason: "AlreadyExists", message: 'persistentvolumes "pv-dup" already exists' },
    });

    const stale = await core.readPersistentVolume({ name: "pv-dup" });
    await core.patchPersistentVolume({ name: "pv-dup", body: [{ op: "add", path: "/metadata/labels/x", value: "1" }] });
    expect(await failure(core.replacePersistentVolume({ name: "pv-dup", body: stale }))).toMatchObject({
      code: 409,
      body: {
        reason: "Conflict",
        message:
          'Operation cannot be fulfilled on persistentvolumes "pv-dup": the object has been modified; please apply your changes to the latest version and try again',
      },
    });

    const bad = pv("Bad_Name");
    delete bad.spec!.capacity;
    const invalid = await failure(core.createPersistentVolume({ body: bad }));
    expect(invalid.code).toBe(422);
    expect(invalid.body.reason).toBe("Invalid");
    expect(invalid.body.message).toMatch(
      /^PersistentVolume "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/,
    );
    expect(invalid.body.details).toMatchObject({ name: "Bad_Name", kind: "PersistentVolume" });
    expect(invalid.body.details.causes[0]).toMatchObject({ reason: "FieldValueInvalid", field: "metadata.name" });

    const noCapacity = pv("no-capacity");
    delete noCapacity.spec!.capacity;
    expect((await failure(core.createPersistentVolume({ body: noCapacity }))).body).toMatchObject({
      message: 'PersistentVolume "no-capacity" is invalid: spec.capacity: Required value',
      details: { causes: [{ reason: "FieldValueRequired", field: "spec.capacity", message: "Required value" }] },
    });
    const badSize = pv("bad-size", "ten gigs");
    expect((await failure(core.createPersistentVolume({ body: badSize }))).body.message).toContain(
      'spec.capacity[storage]: Invalid value: "ten gigs": quantities must match the regular expression',
    );
    const pvcNoSize = await failure(
      core.createNamespacedPersistentVolumeClaim({
        namespace: "apps",
        body: { metadata: { name: "c" }, spec: { accessModes: ["ReadWriteOnce"] } },
      }),
    );
    expect(pvcNoSize.body.message).toBe('PersistentVolumeClaim "c" is invalid: spec.resources[storage]: Required value');
    expect(
      (await failure(core.createNamespacedPersistentVolumeClaim({ namespace: "nowhere", body: { metadata: { name: "c" } } }))).body.message,
    ).toBe('namespaces "nowhere" not found');
  });

  it("refuses changes to a volume's source", async () => {
    await core.createPersistentVolume({ body: pv("pv-immutable") });
    const res = await failure(
      core.patchPersistentVolume(
        { name: "pv-immutable", body: { spec: { csi: { volumeHandle: "other" } } } },
        setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
      ),
    );
    expect(res.code).toBe(422);
    expect(res.body.message).toBe(
      'PersistentVolume "pv-immutable" is invalid: spec.persistentvolumesource: Forbidden: spec.persistentvolumesource is immutable after creation',
    );
  });

  it("handles namespaces, pods, events and quotas", async () => {
    await core.createNamespace({ body: { metadata: { name: "tmp" } } });
    expect((await core.readNamespace({ name: "tmp" })).status?.phase).toBe("Active");
    await core.createNamespacedPod({
      namespace: "tmp",
      body: { metadata: { name: "p" }, spec: { containers: [{ name: "c", image: "busybox" }] } },
    });
    await core.createNamespacedEvent({
      namespace: "tmp",
      body: { metadata: { name: "p.1" }, involvedObject: { kind: "Pod", name: "p", namespace: "tmp" }, reason: "Started", message: "hi" },
    });
    // The lab's scheduler and kubelet add their own events about the pod (Scheduled; Failed: it has no command).
    expect(
      (await core.listNamespacedEvent({ namespace: "tmp", fieldSelector: "involvedObject.name=p,involvedObject.kind=Pod,reason=Started" }))
        .items,
    ).toHaveLength(1);
    expect((await core.listEventForAllNamespaces({ fieldSelector: "involvedObject.name=nope" })).items).toHaveLength(0);
    expect(
      (await failure(core.createNamespacedPod({ namespace: "tmp", body: { metadata: { name: "q" }, spec: { containers: [] } } }))).code,
    ).toBe(422);
    await core.deleteNamespace({ name: "tmp" });
    expect((await failure(core.readNamespacedPod({ name: "p", namespace: "tmp" }))).code).toBe(404);
    expect((await failure(core.deleteNamespace({ name: "default" }))).body.message).toBe(
      'namespaces "default" is forbidden: this namespace may not be deleted',
    );
    expect((await failure(core.createNamespace({ body: { metadata: { name: "a.b" } } }))).code).toBe(422);
  });
});

describe("storage classes and batch", () => {
  it("creates storage classes and refuses parameter changes", async () => {
    await storage.createStorageClass({
      body: {
        metadata: { name: "fast" },
        provisioner: "csi.proxmox.sinextra.dev",
        parameters: { storage: "local-lvm" },
        allowVolumeExpansion: true,
      },
    });
    const sc = await storage.readStorageClass({ name: "fast" });
    expect(sc).toMatchObject({ reclaimPolicy: "Delete", volumeBindingMode: "Immediate" });
    sc.parameters = { storage: "ceph" };
    const res = await failure(storage.replaceStorageClass({ name: "fast", body: sc }));
    expect(res.code).toBe(422);
    expect(res.body.message).toBe(
      'StorageClass.storage.k8s.io "fast" is invalid: parameters: Forbidden: updates to parameters are forbidden.',
    );
    expect((await failure(storage.createStorageClass({ body: { metadata: { name: "noprov" } } as never }))).body.message).toBe(
      'StorageClass.storage.k8s.io "noprov" is invalid: provisioner: Required value',
    );
    const deleted = await storage.deleteStorageClass({ name: "fast" });
    expect(deleted).toBeDefined();
    expect((await storage.listStorageClass()).items.map((i) => i.metadata?.name)).not.toContain("fast");
  });

  it("stores cron jobs and jobs with generation and validation", async () => {
    const body = {
      metadata: { name: "backup" },
      spec: {
        schedule: "0 3 * * *",
        timeZone: "Europe/Paris",
        jobTemplate: { spec: { template: { spec: { restartPolicy: "OnFailure", containers: [{ name: "b", image: "busybox" }] } } } },
      },
    };
    const cj = await batch.createNamespacedCronJob({ namespace: "apps", body });
    expect(cj.metadata?.generation).toBe(1);
    expect(cj.spec?.concurrencyPolicy).toBe("Allow");
    cj.spec!.schedule = "0 4 * * *";
    const updated = await batch.replaceNamespacedCronJob({ name: "backup", namespace: "apps", body: cj });
    expect(updated.metadata?.generation).toBe(2);
    const labelsOnly = await batch.patchNamespacedCronJob(
      { name: "backup", namespace: "apps", body: { metadata: { labels: { a: "b" } } } },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    );
    expect(labelsOnly.metadata?.generation).toBe(2);

    const tooLong = await failure(
      batch.createNamespacedCronJob({ namespace: "apps", body: { ...body, metadata: { name: "x".repeat(53) } } }),
    );
    expect(tooLong.body.message).toContain(
      'metadata.name: Invalid value: "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx": must be no more than 52 characters',
    );
    const badZone = await failure(
      batch.createNamespacedCronJob({
        namespace: "apps",
        body: { ...body, metadata: { name: "z" }, spec: { ...body.spec, timeZone: "Mars/Olympus" } },
      }),
    );
    expect(badZone.body.message).toBe(
      'CronJob.batch "z" is invalid: spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus',
    );
    const tz = await failure(
      batch.createNamespacedCronJob({
        namespace: "apps",
        body: { ...body, metadata: { name: "t" }, spec: { ...body.spec, timeZone: undefined, schedule: "TZ=UTC 0 3 * * *" } },
      }),
    );
    expect(tz.body.details.causes[0]).toMatchObject({ field: "spec.schedule" });
    const noSchedule = await failure(
      batch.createNamespacedCronJob({
        namespace: "apps",
        body: { ...body, metadata: { name: "n" }, spec: { ...body.spec, schedule: undefined as never } },
      }),
    );
    expect(noSchedule.body.message).toBe('CronJob.batch "n" is invalid: spec.schedule: Required value');

    const job = await batch.createNamespacedJob({
      namespace: "apps",
      body: {
        metadata: { name: "once" },
        spec: { template: { spec: { restartPolicy: "Never", containers: [{ name: "j", image: "busybox" }] } } },
      },
    });
    expect(job.spec?.backoffLimit).toBe(6);
    expect((await batch.listJobForAllNamespaces()).items).toHaveLength(1);
    await batch.deleteNamespacedJob({ name: "once", namespace: "apps" });
    await batch.deleteNamespacedCronJob({ name: "backup", namespace: "apps" });
  });
});

describe("patching", () => {
  it("supports json, merge and strategic merge patches", async () => {
    await core.createNamespacedPod({
      namespace: "apps",
      body: {
        metadata: { name: "patchme", labels: { a: "1" } },
        spec: {
          containers: [
            { name: "a", image: "one" },
            { name: "b", image: "two" },
          ],
        },
      },
    });
    const json = await core.patchNamespacedPod({
      name: "patchme",
      namespace: "apps",
      body: [{ op: "replace", path: "/metadata/labels/a", value: "2" }],
    });
    expect(json.metadata?.labels?.a).toBe("2");
    const merge = await core.patchNamespacedPod(
      { name: "patchme", namespace: "apps", body: { metadata: { labels: { a: null, b: "x" } } } },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    );
    expect(merge.metadata?.labels).toEqual({ b: "x" });
    const strategic = await core.patchNamespacedPod(
      { name: "patchme", namespace: "apps", body: { spec: { containers: [{ name: "b", image: "three" }] } } },
      setHeaderOptions("Content-Type", PatchStrategy.StrategicMergePatch),
    );
    expect(strategic.spec?.containers.map((c) => `${c.name}=${c.image}`)).toEqual(["a=one", "b=three"]);
    const conflict = await failure(
      core.patchNamespacedPod(
        { name: "patchme", namespace: "apps", body: { metadata: { resourceVersion: "1", labels: { c: "y" } } } },
        setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
      ),
    );
    expect(conflict.code).toBe(409);
    const failedTest = await failure(
      core.patchNamespacedPod({ name: "patchme", namespace: "apps", body: [{ op: "test", path: "/metadata/name", value: "nope" }] }),
    );
    expect(failedTest.code).toBe(422);
  });

  it("does server-side apply: create, update, no-op", async () => {
    const objects = KubernetesObjectApi.makeApiClient(kc);
    const sc: V1StorageClass = {
      apiVersion: "storage.k8s.io/v1",
      kind: "StorageClass",
      metadata: { name: "applied", labels: { owner: "hks" } },
      provisioner: "csi.proxmox.sinextra.dev",
      allowVolumeExpansion: true,
    };
    const created = await objects.patch(sc, undefined, undefined, "hks", true, PatchStrategy.ServerSideApply);
    expect(created.metadata?.managedFields?.[0]).toMatchObject({ manager: "hks", operation: "Apply" });
    const updated = await objects.patch(
      { ...sc, metadata: { name: "applied", labels: { owner: "hks", env: "lab" } } } as V1StorageClass,
      undefined,
      undefined,
      "hks",
      true,
      PatchStrategy.ServerSideApply,
    );
    expect(updated.metadata?.labels).toEqual({ owner: "hks", env: "lab" });
    expect(Number(updated.metadata?.resourceVersion)).toBeGreaterThan(Number(created.metadata?.resourceVersion));
    const again = await objects.patch(
      { ...sc, metadata: { name: "applied", labels: { owner: "hks", env: "lab" } } } as V1StorageClass,
      undefined,
      undefined,
      "hks",
      true,
      PatchStrategy.ServerSideApply,
    );
    expect(again.metadata?.resourceVersion).toBe(updated.metadata?.resourceVersion);
    // Fields this manager stops applying are removed.
    const dropped = await objects.patch(sc, undefined, undefined, "hks", true, PatchStrategy.ServerSideApply);
    expect(dropped.metadata?.labels).toEqual({ owner: "hks" });

    const pvcApplied = await objects.patch<V1PersistentVolumeClaim>(
      {
        apiVersion: "v1",
        kind: "PersistentVolumeClaim",
        metadata: { name: "applied", namespace: "apps" },
        spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } }, storageClassName: "none" },
      },
      undefined,
      undefined,
      "hks",
      true,
      PatchStrategy.ServerSideApply,
    );
    expect(pvcApplied.status).toMatchObject({ phase: "Pending" });
    const raw = await fetch(`${lab.url}/apis/storage.k8s.io/v1/storageclasses/applied?fieldManager=x&force=true`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${lab.token}`, "content-type": "application/apply-patch+yaml" },
      body: "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: applied\n  annotations:\n    note: yaml\nprovisioner: csi.proxmox.sinextra.dev\n",
    });
    expect(raw.status).toBe(200);
    expect(((await raw.json()) as any).metadata.annotations.note).toBe("yaml");
    const noManager = await fetch(`${lab.url}/apis/storage.k8s.io/v1/storageclasses/applied`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${lab.token}`, "content-type": "application/apply-patch+yaml" },
      body: "{}",
    });
    expect(noManager.status).toBe(422);
  });
});
