import type { V1Secret } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../logger.js";
import { REPOSITORY_KEY_SECRET } from "../../platform/kubernetes/kinds/secret.js";
import { VClusters } from "../../platform/kubernetes/vclusters.js";
import { kubeFor } from "../../test/kube.js";
import {
  applicationId,
  eventually,
  provisionVolume,
  startStack,
  TEST_BACKUP_IMAGE,
  type GraphQLClient,
  type TestStack,
} from "../../test/harness.js";
import { WorkspaceRepository } from "../workspaces/workspace.repository.js";
import { BackupReconciler } from "./backup-reconciler.js";
import { DEFAULT_TRANSLATION } from "./translation.js";

// Issue 13: an idle platform sends the vClusters (almost) nothing. With watches, the reconcile pass reads the CronJobs,
// PVs, repository-key Secrets and the pods its leftover sweep looks at from the watch caches, not from lists.

const CREATE = `mutation($input: CreateBackupInput!) { createBackup(input: $input) { id format } }`;

let stack: TestStack;
let admin: GraphQLClient;

beforeAll(async () => {
  stack = await startStack();
  admin = await stack.login("admin@acme.test");
  const acme = await stack.workspaceId("acme");
  const volume = await provisionVolume(admin, acme, "idle-repo", 200);
  const created = await admin.data<{ createBackup: { format: string } }>(CREATE, {
    input: {
      applicationId: await applicationId(admin, acme, "shop"),
      name: "idle",
      schedule: "0 2 * * *",
      source: { pvcName: "shop-db-data" },
      destination: { volumeId: volume.id, path: "shop/idle" },
      function: { kind: "TAR" },
      retention: { keepLast: 7 },
    },
  });
  expect(created.createBackup.format).toBe("RESTIC");
}, 120_000);
afterAll(() => stack?.stop());

/** A reconciler as a replica starts it: its first pass sweeps every workspace for leftover pods. */
const freshReconciler = () =>
  new BackupReconciler({
    db: stack.database.db,
    keys: stack.services.repositoryKeys,
    vclusters: new VClusters(stack.lab.dir!),
    workspaces: new WorkspaceRepository(stack.database.db),
    translation: { ...DEFAULT_TRANSLATION, image: TEST_BACKUP_IMAGE },
    logger: createLogger({ silent: true }),
    watches: stack.services.watches,
  });

describe("an idle reconcile pass with watches", () => {
  it("sends the vClusters no request, a RESTIC backup's key Secret and the leftover sweep included", async () => {
    const clusters = [...stack.lab.clusters.values()];
    await Promise.all(clusters.map((c) => stack.services.watches.start(c.name).synced()));
    // The first pass writes what is missing (the key Secret); the caches then hold it.
    await stack.services.reconciler.reconcileAll();
    const keys = stack.services.watches.get("acme")!;
    await eventually(
      async () => (keys.list<V1Secret>("keySecrets").some((s) => s.metadata?.name === REPOSITORY_KEY_SECRET) ? true : undefined),
      "the key Secret in the watch cache",
    );

    for (const c of clusters) c.requests.reset();
    const pass = await freshReconciler().reconcileAll();
    expect(pass).toMatchObject({ writes: 0, deletes: 0, leftoverPods: 0 });
    expect(pass.backups).toBeGreaterThanOrEqual(1);
    // Listing polled each vCluster: its key Secrets every pass, its task and serving pods at each sweep.
    for (const c of clusters) expect(c.requests.counts(), c.name).toMatchObject({ reads: 0, writes: 0 });
  }, 60_000);

  it("puts a deleted key Secret back once, though the next pass's cache does not hold it yet", async () => {
    const acme = stack.lab.clusters.get("acme")!;
    const keys = stack.services.watches.get("acme")!;
    const cached = () => keys.list<V1Secret>("keySecrets").some((s) => s.metadata?.name === REPOSITORY_KEY_SECRET);
    await kubeFor(stack.lab, "acme").core.deleteNamespacedSecret({ name: REPOSITORY_KEY_SECRET, namespace: "shop" });
    await eventually(async () => (cached() ? undefined : true), "the deletion in the watch cache");

    // The watch holds its events back (as a slow connection would): the next pass's cache lacks the Secret just put back.
    keys.informers.keySecrets.stop();
    acme.requests.reset();
    let counts: ReturnType<typeof acme.requests.counts>;
    try {
      await stack.services.reconciler.reconcileAll();
      await stack.services.reconciler.reconcileAll();
      counts = acme.requests.counts();
      expect(cached()).toBe(false);
    } finally {
      keys.informers.keySecrets.start();
    }
    // Each pass asked the vCluster (one read) rather than trust the cache that lacks the Secret; only the first wrote it.
    expect(counts).toMatchObject({ writes: 1, byMethod: { PATCH: 1, GET: 2 } });
    const secret = await kubeFor(stack.lab, "acme").core.readNamespacedSecret({ name: REPOSITORY_KEY_SECRET, namespace: "shop" });
    expect(secret.data?.["password"]).toBeTruthy();
    await eventually(async () => (cached() ? true : undefined), "the Secret back in the watch cache");
  }, 60_000);
});
