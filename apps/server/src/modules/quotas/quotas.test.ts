import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, startStack, type GraphQLClient, type TestStack } from "../../test/harness.js";
import { kubeFor } from "../../test/kube.js";

const QUOTA_FIELDS = `namespace configured requestsStorageGiB usedStorageGiB maxPersistentVolumeClaims usedPersistentVolumeClaims storageClassLimits { storageClassName requestsStorageGiB usedStorageGiB maxPersistentVolumeClaims usedPersistentVolumeClaims }`;
const SET = `mutation($input: SetNamespaceQuotaInput!) { setNamespaceQuota(input: $input) { ${QUOTA_FIELDS} } }`;
const LIST = `query($id: ID!) { workspace(id: $id) { namespaceQuotas { ${QUOTA_FIELDS} } } }`;

type Quota = {
  namespace: string;
  configured: boolean;
  requestsStorageGiB: number | null;
  usedStorageGiB: number;
  maxPersistentVolumeClaims: number | null;
  usedPersistentVolumeClaims: number;
  storageClassLimits: Array<{ storageClassName: string; requestsStorageGiB: number | null; usedStorageGiB: number }>;
};

let stack: TestStack;
let admin: GraphQLClient;
let member: GraphQLClient;
let acme: string;

beforeAll(async () => {
  stack = await startStack();
  admin = await stack.login("admin@acme.test");
  member = await stack.login("dev@acme.test");
  acme = await stack.workspaceId("acme");
});
afterAll(() => stack?.stop());

const quotas = async (client = admin) =>
  (await client.data<{ workspace: { namespaceQuotas: Quota[] } }>(LIST, { id: acme })).workspace.namespaceQuotas;

describe("namespace quotas", () => {
  it("lists every namespace of the workspace, none configured at first, with the use of its claims", async () => {
    const list = await quotas();
    expect(list.map((q) => q.namespace)).toEqual(["shop", "analytics"]);
    expect(list.every((q) => !q.configured && q.requestsStorageGiB === null)).toBe(true);
    // No quota yet, yet the seeded claim shop-db-data (2 GiB) is in use: the figures come from the claims.
    expect(list.find((q) => q.namespace === "shop")).toMatchObject({ usedStorageGiB: 2, usedPersistentVolumeClaims: 1 });
  });

  it("sets a ResourceQuota with storage, claim and per-StorageClass limits, and reports its use", async () => {
    const set = (
      await admin.data<{ setNamespaceQuota: Quota }>(SET, {
        input: {
          workspaceId: acme,
          namespace: "shop",
          requestsStorageGiB: 100,
          maxPersistentVolumeClaims: 5,
          storageClassLimits: [{ storageClassName: "hks-backup-vol-1", requestsStorageGiB: 50 }],
        },
      })
    ).setNamespaceQuota;
    // The seeded claim shop-db-data (2 GiB) already counts.
    expect(set).toMatchObject({
      namespace: "shop",
      configured: true,
      requestsStorageGiB: 100,
      maxPersistentVolumeClaims: 5,
      usedStorageGiB: 2,
      usedPersistentVolumeClaims: 1,
    });
    expect(set.storageClassLimits).toEqual([
      {
        storageClassName: "hks-backup-vol-1",
        requestsStorageGiB: 50,
        usedStorageGiB: 0,
        maxPersistentVolumeClaims: null,
        usedPersistentVolumeClaims: 0,
      },
    ]);

    const kube = kubeFor(stack.lab, "acme");
    const rq = await kube.core.readNamespacedResourceQuota({ name: "hks-storage", namespace: "shop" });
    expect(rq.spec?.hard).toEqual({
      "requests.storage": "100Gi",
      persistentvolumeclaims: "5",
      "hks-backup-vol-1.storageclass.storage.k8s.io/requests.storage": "50Gi",
    });

    await kube.core.createNamespacedPersistentVolumeClaim({
      namespace: "shop",
      body: {
        metadata: { name: "shop-cache" },
        spec: { accessModes: ["ReadWriteOnce"], storageClassName: "standard", resources: { requests: { storage: "8Gi" } } },
      },
    });
    const shop = await eventually(async () => {
      const q = (await quotas()).find((x) => x.namespace === "shop");
      return q && q.usedPersistentVolumeClaims === 2 ? q : undefined;
    }, "the quota to count the claim");
    expect(shop.usedStorageGiB).toBe(10);
    // The member sees the same figures.
    expect((await quotas(member)).find((q) => q.namespace === "shop")?.usedStorageGiB).toBe(10);

    // The vCluster itself enforces it: a claim over the limit is refused.
    await expect(
      kube.core.createNamespacedPersistentVolumeClaim({
        namespace: "shop",
        body: {
          metadata: { name: "too-big" },
          spec: { accessModes: ["ReadWriteOnce"], storageClassName: "standard", resources: { requests: { storage: "200Gi" } } },
        },
      }),
    ).rejects.toMatchObject({ code: 403 });
  });

  it("edits the limits in place, and removes the quota when every limit is cleared", async () => {
    const edited = (
      await admin.data<{ setNamespaceQuota: Quota }>(SET, { input: { workspaceId: acme, namespace: "shop", requestsStorageGiB: 20.5 } })
    ).setNamespaceQuota;
    expect(edited).toMatchObject({ requestsStorageGiB: 20.5, maxPersistentVolumeClaims: null, storageClassLimits: [] });
    const cleared = (await admin.data<{ setNamespaceQuota: Quota }>(SET, { input: { workspaceId: acme, namespace: "shop" } }))
      .setNamespaceQuota;
    expect(cleared.configured).toBe(false);
    // Without a quota the namespace still shows what its two claims use.
    expect(cleared).toMatchObject({ usedStorageGiB: 10, usedPersistentVolumeClaims: 2 });
    await expect(
      kubeFor(stack.lab, "acme").core.readNamespacedResourceQuota({ name: "hks-storage", namespace: "shop" }),
    ).rejects.toMatchObject({ code: 404 });
  });

  it("refuses bad limits, foreign namespaces and members, changing nothing", async () => {
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ namespace: "shop", requestsStorageGiB: -1 }, "requestsStorageGiB"],
      [{ namespace: "shop", maxPersistentVolumeClaims: -2 }, "maxPersistentVolumeClaims"],
      [{ namespace: "kube-system", requestsStorageGiB: 1 }, "namespace"],
      [
        { namespace: "shop", storageClassLimits: [{ storageClassName: "Bad Name", requestsStorageGiB: 1 }] },
        "storageClassLimits.0.storageClassName",
      ],
      [
        {
          namespace: "shop",
          storageClassLimits: [
            { storageClassName: "a", requestsStorageGiB: 1 },
            { storageClassName: "a", requestsStorageGiB: 2 },
          ],
        },
        "storageClassLimits.1.storageClassName",
      ],
    ];
    for (const [input, field] of bad) {
      const error = await admin.error(SET, { input: { workspaceId: acme, ...input } });
      expect(error).toMatchObject({ code: "INVALID_INPUT", field });
    }
    expect((await member.error(SET, { input: { workspaceId: acme, namespace: "shop", requestsStorageGiB: 1 } })).code).toBe("FORBIDDEN");
    expect((await quotas()).every((q) => !q.configured)).toBe(true);
  });
});
