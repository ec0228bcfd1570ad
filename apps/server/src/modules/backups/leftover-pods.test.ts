import type { V1Pod } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { replicas } from "../../db/schema/index.js";
import { NETWORK_POLICY } from "../../platform/kubernetes/kinds/network-policy.js";
import { VClusters } from "../../platform/kubernetes/vclusters.js";
import { eventually, startStack, TEST_BACKUP_IMAGE, type TestStack } from "../../test/harness.js";
import { kubeFor } from "../../test/kube.js";
import { LeftoverPods } from "./leftover-pods.js";
import { COPY_NAME_LABEL, COPY_ROLE_LABEL } from "./off-node-copy-manifests.js";
import { SNAPSHOT_TASK_LABEL, STARTED_BY_ANNOTATION, THIS_PROCESS } from "./snapshot-task.js";

let stack: TestStack;
let acme: string;
const core = () => kubeFor(stack.lab, "acme").core;
const client = () => new VClusters(stack.lab.dir!).forName("acme");

beforeAll(async () => {
  stack = await startStack();
  acme = await stack.workspaceId("acme");
}, 120_000);
afterAll(() => stack?.stop());

/** A pod as HKS makes them, as the server that started it left it when it crashed. */
async function leftPod(name: string, labels: Record<string, string>, startedBy?: string): Promise<void> {
  const pod: V1Pod = {
    metadata: {
      name,
      namespace: "shop",
      labels: { "app.kubernetes.io/managed-by": "hks", ...labels },
      annotations: startedBy ? { [STARTED_BY_ANNOTATION]: startedBy } : undefined,
    },
    spec: { restartPolicy: "Never", containers: [{ name: "backup", image: TEST_BACKUP_IMAGE, command: ["sleep", "600"] }] },
  };
  await core().createNamespacedPod({ namespace: "shop", body: pod });
}

const podNames = async (prefix = "left-") =>
  (await core().listNamespacedPod({ namespace: "shop", labelSelector: "app.kubernetes.io/managed-by=hks" })).items
    .filter((p) => !p.metadata?.deletionTimestamp && (p.metadata?.name ?? "").startsWith(prefix))
    .map((p) => p.metadata!.name!)
    .sort();
const minutesFromNow = (m: number) => () => new Date(Date.now() + m * 60_000);

describe("pods a server crash leaves behind", () => {
  it("are deleted once past their use unless a live server still reads them; a copy's serving pod with its Secret and policy", async () => {
    // Another server process that beats its heart: its downloads are still being read.
    await stack.database.db.insert(replicas).values({ instanceId: "alive-replica-2" });
    await leftPod("left-listing-crashed", { [SNAPSHOT_TASK_LABEL]: "index" }, "crashed-host-1");
    await leftPod("left-download-here", { [SNAPSHOT_TASK_LABEL]: "download" }, THIS_PROCESS);
    await leftPod("left-download-alive", { [SNAPSHOT_TASK_LABEL]: "download" }, "alive-replica-2");
    await leftPod("left-listing-alive", { [SNAPSHOT_TASK_LABEL]: "index" }, "alive-replica-2");
    await leftPod("left-copy-s", { [COPY_ROLE_LABEL]: "serve", [COPY_NAME_LABEL]: "left-copy" });
    await core().createNamespacedSecret({ namespace: "shop", body: { metadata: { name: "left-copy" }, stringData: { user: "u" } } });
    await client().apply({
      apiVersion: NETWORK_POLICY.apiVersion,
      kind: NETWORK_POLICY.kind,
      metadata: { name: "left-copy-s", namespace: "shop" },
      spec: { podSelector: { matchLabels: { [COPY_NAME_LABEL]: "left-copy" } } },
    });
    const all = ["left-copy-s", "left-download-alive", "left-download-here", "left-listing-alive", "left-listing-crashed"];
    expect(await podNames()).toEqual(all);

    // Just made: maybe between its creation and the record of its use, so the reconcile pass leaves them.
    const pass = await stack.services.reconciler.reconcileAll();
    expect(pass.leftoverPods).toBe(0);
    expect(await podNames()).toEqual(all);

    const sweep = (minutes: number) => new LeftoverPods({ db: stack.database.db, workspaceId: acme, now: minutesFromNow(minutes) });
    const gone = await sweep(3).sweep(client());
    expect(gone.sort()).toEqual(["shop/left-copy-s", "shop/left-download-here", "shop/left-listing-crashed"]);
    expect(await podNames()).toEqual(["left-download-alive", "left-listing-alive"]);
    await expect(core().readNamespacedSecret({ name: "left-copy", namespace: "shop" })).rejects.toThrow();
    expect(await client().read({ ...NETWORK_POLICY, metadata: { name: "left-copy-s", namespace: "shop" } })).toBeUndefined();

    // A listing nobody took over in ten minutes is abandoned by the index too, whoever started it.
    expect(await sweep(11).sweep(client())).toEqual(["shop/left-listing-alive"]);
    expect(await podNames()).toEqual(["left-download-alive"]);
  }, 120_000);

  it("are found in the vCluster's watch caches when there are watches: the sweep lists nothing, and deletes as before", async () => {
    const watch = stack.services.watches.start("acme");
    await watch.synced();
    await leftPod("gone-download-here", { [SNAPSHOT_TASK_LABEL]: "download" }, THIS_PROCESS);
    await leftPod("gone-listing-alive", { [SNAPSHOT_TASK_LABEL]: "index" }, "alive-replica-2");
    await leftPod("gone-copy-s", { [COPY_ROLE_LABEL]: "serve", [COPY_NAME_LABEL]: "gone-copy" });
    await core().createNamespacedSecret({ namespace: "shop", body: { metadata: { name: "gone-copy" }, stringData: { user: "u" } } });
    const cached = () => ({ tasks: watch.list<V1Pod>("taskPods"), serving: watch.list<V1Pod>("servingPods") });
    const names = (pods: V1Pod[]) => pods.map((p) => p.metadata!.name!).filter((n) => n.startsWith("gone-"));
    // The lab serves watches for these selectors: the pods reach the caches by watch events, each in its own.
    await eventually(
      async () => (names(cached().tasks).length === 2 && names(cached().serving).length === 1 ? true : undefined),
      "the pods in the watch caches",
    );
    expect(names(cached().tasks).sort()).toEqual(["gone-download-here", "gone-listing-alive"]);
    expect(names(cached().serving)).toEqual(["gone-copy-s"]);

    // A list of pods (any read of them but a watch) now fails: the sweep must not send one.
    const lab = stack.lab.clusters.get("acme")!;
    lab.faults.add({ method: "GET", path: "/pods(/|$)", query: "^(?!.*watch=)", action: "fail", status: 500, message: "listed" });
    lab.requests.reset();
    let gone: string[];
    try {
      gone = await new LeftoverPods({ db: stack.database.db, workspaceId: acme, now: minutesFromNow(3) }).sweep(client(), cached());
    } finally {
      lab.faults.clear();
    }
    expect(gone.sort()).toEqual(["shop/gone-copy-s", "shop/gone-download-here"]);
    // The pods, the copy's Secret and its NetworkPolicy (the copy made none here: already gone counts as deleted).
    expect(lab.requests.counts().byMethod).toMatchObject({ DELETE: 4 });
    expect(await podNames("gone-")).toEqual(["gone-listing-alive"]);
    await expect(core().readNamespacedSecret({ name: "gone-copy", namespace: "shop" })).rejects.toThrow();
  }, 120_000);
});
