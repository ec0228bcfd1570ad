import { execFile } from "node:child_process";
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { V1Job, V1Pod } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKubeApiServer, type KubeLab } from "./server.js";
import { clients, isRoot, until } from "./test-helpers.js";

const exec = promisify(execFile);
let lab: KubeLab;
let api: ReturnType<typeof clients>;
let dir: string;
let kubeconfig: string;
const NS = "apps";

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "kube-lab-work-"));
  const bin = path.join(dir, "image-bin");
  await mkdir(bin);
  await writeFile(
    path.join(bin, "hello.sh"),
    '#!/bin/sh\n# Paths inside scripts are not rewritten: they come in through args and env (rewritten).\necho "hello from $1" > "$RESULT_FILE"\n',
  );
  await chmod(path.join(bin, "hello.sh"), 0o755);
  lab = await startKubeApiServer({
    name: "work",
    namespaces: [NS],
    nodes: [
      { name: "pve1", region: "lab", zone: "pve1" },
      { name: "pve2", region: "lab", zone: "pve2" },
    ],
    images: { "ghcr.io/hks/backup-functions": { pathMap: { "/opt/hks/bin": bin } } },
  });
  api = clients(lab);
  kubeconfig = path.join(dir, "kubeconfig");
  await writeFile(kubeconfig, lab.kubeconfig());
});
afterAll(async () => {
  await lab.close();
  await rm(dir, { recursive: true, force: true });
});

async function claim(name: string, size = "1Gi"): Promise<string> {
  await api.core.createNamespacedPersistentVolumeClaim({
    namespace: NS,
    body: { metadata: { name }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: size } } } },
  });
  const pvc = await until(async () => {
    const c = await api.core.readNamespacedPersistentVolumeClaim({ name, namespace: NS });
    return c.status?.phase === "Bound" ? c : undefined;
  });
  return pvc.spec?.volumeName ?? "";
}

function job(
  name: string,
  command: string[],
  extra: { volumes?: Array<[string, string]>; spec?: Partial<NonNullable<V1Job["spec"]>>; container?: Record<string, unknown> } = {},
): V1Job {
  return {
    metadata: { name },
    spec: {
      backoffLimit: 0,
      ...extra.spec,
      template: {
        spec: {
          restartPolicy: "Never",
          containers: [
            {
              name: "main",
              image: "busybox:1.36",
              command,
              volumeMounts: (extra.volumes ?? []).map(([claimName, mountPath]) => ({ name: claimName, mountPath })),
              ...extra.container,
            },
          ],
          volumes: (extra.volumes ?? []).map(([claimName]) => ({ name: claimName, persistentVolumeClaim: { claimName } })),
        },
      },
    },
  };
}

async function finished(name: string, timeoutMs = 15_000): Promise<V1Job> {
  return until(
    async () => {
      const j = await api.batch.readNamespacedJob({ name, namespace: NS });
      return j.status?.conditions?.some((c) => (c.type === "Complete" || c.type === "Failed") && c.status === "True") ? j : undefined;
    },
    timeoutMs,
    `job ${name} to finish`,
  );
}

async function podsOf(jobName: string): Promise<V1Pod[]> {
  return (await api.core.listNamespacedPod({ namespace: NS, labelSelector: `job-name=${jobName}` })).items;
}

const kubectl = async (...args: string[]) => {
  try {
    const { stdout, stderr } = await exec("kubectl", ["--kubeconfig", kubeconfig, "-n", NS, ...args], { timeout: 30_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
};

describe("volumes and provisioning", () => {
  it("seeds the default class standard and provisions a folder per claim", async () => {
    const sc = await api.storage.readStorageClass({ name: "standard" });
    expect(sc).toMatchObject({ provisioner: "lab.hks.io/local-path", volumeBindingMode: "Immediate", allowVolumeExpansion: true });
    expect(sc.metadata?.annotations?.["storageclass.kubernetes.io/is-default-class"]).toBe("true");
    const pvName = await claim("data");
    expect(pvName).toMatch(/^pvc-[0-9a-f-]{36}$/);
    const pvc = await api.core.readNamespacedPersistentVolumeClaim({ name: "data", namespace: NS });
    expect(pvc.spec?.storageClassName).toBe("standard");
    expect(pvc.status?.capacity?.storage).toBe("1Gi");
    const pv = await api.core.readPersistentVolume({ name: pvName });
    expect(pv.spec?.claimRef).toMatchObject({ name: "data", namespace: NS, uid: pvc.metadata?.uid });
    const folder = await until(() => lab.volumeFolder(pvName));
    expect(folder).toBe(path.join(lab.volumesDir, pvName));
    await until(async () => (await readdir(folder)) && true);
    const usage = await until(() => lab.volumeUsage(pvName));
    if (isRoot) {
      expect(usage.sizeLimited).toBe(true);
      expect(usage.real.capacityBytes).toBe(1024 * 1024); // a lab GiB holds a real MiB
      expect(usage.capacityBytes).toBe(2 ** 30);
    }
  });

  it("grows the volume with the claim", async () => {
    const pvName = await claim("grow", "1Gi");
    await api.core.patchNamespacedPersistentVolumeClaim({
      name: "grow",
      namespace: NS,
      body: [{ op: "replace", path: "/spec/resources/requests/storage", value: "3Gi" }],
    });
    await until(
      async () => (await api.core.readNamespacedPersistentVolumeClaim({ name: "grow", namespace: NS })).status?.capacity?.storage === "3Gi",
    );
    expect((await api.core.readPersistentVolume({ name: pvName })).spec?.capacity?.storage).toBe("3Gi");
    if (isRoot) await until(() => lab.volumeUsage(pvName)?.real.capacityBytes === 3 * 1024 * 1024, 5000, "tmpfs resize");
  });
});

describe("jobs run their pods as local processes", () => {
  it("copies files between two volumes and reports the termination message", async () => {
    const src = await claim("src");
    await claim("dst");
    const srcDir = await until(() => lab.volumeFolder(src));
    await until(async () => (await readdir(srcDir)) && true);
    await mkdir(path.join(srcDir, "sub"), { recursive: true });
    await writeFile(path.join(srcDir, "a.txt"), "alpha");
    await writeFile(path.join(srcDir, "sub", "b.txt"), "beta");
    await api.batch.createNamespacedJob({
      namespace: NS,
      body: job(
        "copy",
        ["/bin/sh", "-c", 'cp -r /src/. /dst/ && echo "copied $(ls /dst | wc -l)" && echo "{\\"ok\\":true}" > /dev/termination-log'],
        {
          volumes: [
            ["src", "/src"],
            ["dst", "/dst"],
          ],
        },
      ),
    });
    const done = await finished("copy");
    expect(done.status?.conditions?.find((c) => c.status === "True")?.type).toBe("Complete");
    expect(done.status).toMatchObject({ succeeded: 1, active: 0 });
    expect(done.status?.completionTime).toBeTruthy();
    const dstPv = (await api.core.readNamespacedPersistentVolumeClaim({ name: "dst", namespace: NS })).spec?.volumeName ?? "";
    const dstDir = lab.volumeFolder(dstPv) ?? "";
    expect(await readFile(path.join(dstDir, "a.txt"), "utf8")).toBe("alpha");
    expect(await readFile(path.join(dstDir, "sub", "b.txt"), "utf8")).toBe("beta");
    const [pod] = await podsOf("copy");
    expect(pod?.metadata?.name).toMatch(/^copy-[a-z0-9]{5}$/);
    expect(pod?.metadata?.labels).toMatchObject({
      "batch.kubernetes.io/job-name": "copy",
      "job-name": "copy",
      "controller-uid": done.metadata?.uid,
    });
    expect(pod?.metadata?.ownerReferences?.[0]).toMatchObject({ kind: "Job", name: "copy", controller: true });
    expect(pod?.spec?.nodeName).toMatch(/^pve[12]$/);
    expect(pod?.status?.phase).toBe("Succeeded");
    expect(pod?.status?.conditions?.find((c) => c.type === "PodScheduled")?.status).toBe("True");
    expect(pod?.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({
      exitCode: 0,
      reason: "Completed",
      message: '{"ok":true}\n',
    });

    // Logs: client-node, the raw endpoint and kubectl.
    const podName = pod?.metadata?.name ?? "";
    expect(await api.core.readNamespacedPodLog({ name: podName, namespace: NS })).toBe("copied 2\n");
    const res = await fetch(`${lab.url}/api/v1/namespaces/${NS}/pods/${podName}/log?timestamps=true&tailLines=1`, {
      headers: { authorization: `Bearer ${lab.token}` },
    });
    expect(res.headers.get("content-type")).toContain("text/plain");
    expect(await res.text()).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z copied 2\n$/);
    const logs = await kubectl("logs", podName);
    expect(logs.stdout).toBe("copied 2\n");
    expect((await kubectl("logs", "job/copy")).stdout).toBe("copied 2\n");
    const table = await kubectl("get", "jobs,pods");
    expect(table.stdout).toMatch(/job\.batch\/copy\s+Complete\s+1\/1/);
    expect(table.stdout).toMatch(new RegExp(`pod/${podName}\\s+0/1\\s+Completed|pod/${podName}\\s+0/1\\s+Succeeded`));
  }, 30_000);

  it("retries a failing command until backoffLimit, then fails with BackoffLimitExceeded", async () => {
    await api.batch.createNamespacedJob({
      namespace: NS,
      body: job("flaky", ["/bin/sh", "-c", "echo attempt; exit 3"], { spec: { backoffLimit: 2 } }),
    });
    const done = await finished("flaky");
    expect(done.status?.conditions?.find((c) => c.type === "Failed")).toMatchObject({
      status: "True",
      reason: "BackoffLimitExceeded",
      message: "Job has reached the specified backoff limit",
    });
    expect(done.status?.failed).toBe(3);
    const pods = await podsOf("flaky");
    expect(pods).toHaveLength(3);
    for (const p of pods) expect(p.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 3, reason: "Error" });
  }, 30_000);

  it("stops at once when podFailurePolicy says FailJob", async () => {
    await api.batch.createNamespacedJob({
      namespace: NS,
      body: job("full", ["/bin/sh", "-c", "exit 28"], {
        spec: {
          backoffLimit: 6,
          podFailurePolicy: { rules: [{ action: "FailJob", onExitCodes: { containerName: "main", operator: "In", values: [28] } }] },
        },
      }),
    });
    const done = await finished("full");
    const failed = done.status?.conditions?.find((c) => c.type === "Failed");
    expect(failed).toMatchObject({ status: "True", reason: "PodFailurePolicy" });
    expect(failed?.message).toMatch(
      /^Container main for pod apps\/full-[a-z0-9]{5} failed with exit code 28 matching FailJob rule at index 0$/,
    );
    expect(await podsOf("full")).toHaveLength(1);
  }, 30_000);

  it("kills a pod that outlives activeDeadlineSeconds", async () => {
    const started = Date.now();
    await api.batch.createNamespacedJob({
      namespace: NS,
      body: job("slow", ["sleep", "30"], { spec: { activeDeadlineSeconds: 1, backoffLimit: 6 } }),
    });
    const done = await finished("slow");
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(done.status?.conditions?.find((c) => c.type === "Failed")).toMatchObject({
      reason: "DeadlineExceeded",
      message: "Job was active longer than specified deadline",
    });
    const [pod] = await until(async () => {
      const pods = await podsOf("slow");
      return pods[0]?.status?.phase === "Failed" ? pods : undefined;
    });
    expect(pod?.status?.reason).toBe("DeadlineExceeded");
    expect(pod?.status?.containerStatuses?.[0]?.state?.terminated?.reason).toBe("DeadlineExceeded");
  }, 30_000);

  it.skipIf(!isRoot)(
    "a tmpfs volume of 2 GiB (2 real MiB) runs out of space",
    async () => {
      await claim("small", "2Gi");
      await api.batch.createNamespacedJob({
        namespace: NS,
        body: job("fill", ["/bin/sh", "-c", "dd if=/dev/zero of=/data/big bs=1M count=3"], {
          volumes: [["small", "/data"]],
          container: { terminationMessagePolicy: "FallbackToLogsOnError" },
        }),
      });
      const done = await finished("fill");
      expect(done.status?.conditions?.find((c) => c.type === "Failed")?.reason).toBe("BackoffLimitExceeded");
      const [pod] = await podsOf("fill");
      const terminated = pod?.status?.containerStatuses?.[0]?.state?.terminated;
      expect(terminated?.exitCode).toBe(1);
      expect(terminated?.message).toContain("No space left on device");
    },
    30_000,
  );

  it("resolves secretKeyRef, configMapKeyRef and fieldRef env, and maps image paths", async () => {
    await api.core.createNamespacedSecret({ namespace: NS, body: { metadata: { name: "creds" }, stringData: { password: "s3cret" } } });
    await api.core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: "conf" }, data: { mode: "full" } } });
    const secret = await api.core.readNamespacedSecret({ name: "creds", namespace: NS });
    expect(secret.data?.password).toBe(Buffer.from("s3cret").toString("base64"));
    await api.batch.createNamespacedJob({
      namespace: NS,
      body: job("env", ["/bin/sh", "-c", 'echo "$PASSWORD $MODE $POD_NS $(NODE)" > /dev/termination-log'], {
        container: {
          env: [
            { name: "PASSWORD", valueFrom: { secretKeyRef: { name: "creds", key: "password" } } },
            { name: "MODE", valueFrom: { configMapKeyRef: { name: "conf", key: "mode" } } },
            { name: "POD_NS", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
            { name: "NODE", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } },
          ],
        },
      }),
    });
    await finished("env");
    const [pod] = await podsOf("env");
    expect(pod?.status?.containerStatuses?.[0]?.state?.terminated?.message).toBe(`s3cret full apps ${pod?.spec?.nodeName}\n`);

    const mapped = job("mapped", ["/opt/hks/bin/hello.sh", "lab"]);
    const container = mapped.spec?.template.spec?.containers[0];
    if (container) {
      container.image = "ghcr.io/hks/backup-functions:1.2.3";
      container.env = [{ name: "RESULT_FILE", value: "/dev/termination-log" }];
    }
    await api.batch.createNamespacedJob({ namespace: NS, body: mapped });
    expect((await finished("mapped")).status?.succeeded).toBe(1);
    const [mappedPod] = await podsOf("mapped");
    expect(mappedPod?.status?.containerStatuses?.[0]?.state?.terminated?.message).toBe("hello from lab\n");
  }, 30_000);

  it("a missing secret keeps the pod Pending with CreateContainerConfigError", async () => {
    await api.core.createNamespacedPod({
      namespace: NS,
      body: {
        metadata: { name: "nosecret" },
        spec: {
          restartPolicy: "Never",
          containers: [
            {
              name: "c",
              image: "busybox",
              command: ["true"],
              env: [{ name: "X", valueFrom: { secretKeyRef: { name: "ghost", key: "k" } } }],
            },
          ],
        },
      },
    });
    const pod = await until(async () => {
      const p = await api.core.readNamespacedPod({ name: "nosecret", namespace: NS });
      return p.status?.containerStatuses?.[0]?.state?.waiting?.reason === "CreateContainerConfigError" ? p : undefined;
    });
    expect(pod.status?.phase).toBe("Pending");
    expect(pod.status?.containerStatuses?.[0]?.state?.waiting?.message).toBe('secret "ghost" not found');
    await api.core.createNamespacedSecret({ namespace: NS, body: { metadata: { name: "ghost" }, stringData: { k: "v" } } });
    await until(
      async () => (await api.core.readNamespacedPod({ name: "nosecret", namespace: NS })).status?.phase === "Succeeded",
      5000,
      "pod to run once the secret exists",
    );
  });

  it("a pod without a command fails with a clear message", async () => {
    await api.core.createNamespacedPod({
      namespace: NS,
      body: { metadata: { name: "nocmd" }, spec: { restartPolicy: "Never", containers: [{ name: "c", image: "busybox" }] } },
    });
    const pod = await until(async () => {
      const p = await api.core.readNamespacedPod({ name: "nocmd", namespace: NS });
      return p.status?.phase === "Failed" ? p : undefined;
    });
    expect(pod.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 128, reason: "StartError" });
    expect(pod.status?.containerStatuses?.[0]?.state?.terminated?.message).toContain('must set "command"');
  });

  it("deleting a running pod kills its process", async () => {
    await api.core.createNamespacedPod({
      namespace: NS,
      body: {
        metadata: { name: "sleeper" },
        spec: {
          restartPolicy: "Never",
          terminationGracePeriodSeconds: 1,
          containers: [{ name: "c", image: "busybox", command: ["sleep", "4711"] }],
        },
      },
    });
    await until(async () => (await api.core.readNamespacedPod({ name: "sleeper", namespace: NS })).status?.phase === "Running");
    expect((await exec("pgrep", ["-f", "sleep 4711"])).stdout.trim()).not.toBe("");
    await api.core.deleteNamespacedPod({ name: "sleeper", namespace: NS });
    await until(
      async () => {
        try {
          await exec("pgrep", ["-f", "sleep 4711"]);
          return false;
        } catch {
          return true; // pgrep exits 1 when nothing matches
        }
      },
      5000,
      "the process to end",
    );
  });
});

describe("scheduling", () => {
  async function staticVolume(name: string, zone: string) {
    await api.core.createPersistentVolume({
      body: {
        metadata: { name },
        spec: {
          capacity: { storage: "1Gi" },
          accessModes: ["ReadWriteOnce"],
          storageClassName: "zoned",
          csi: { driver: "csi.proxmox.sinextra.dev", volumeHandle: name },
          nodeAffinity: {
            required: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: "topology.kubernetes.io/zone", operator: "In", values: [zone] }] }],
            },
          },
        },
      },
    });
    await api.core.createNamespacedPersistentVolumeClaim({
      namespace: NS,
      body: {
        metadata: { name },
        spec: { accessModes: ["ReadWriteOnce"], storageClassName: "zoned", volumeName: name, resources: { requests: { storage: "1Gi" } } },
      },
    });
  }

  async function createPod(name: string, claims: string[]) {
    await api.core.createNamespacedPod({
      namespace: NS,
      body: {
        metadata: { name },
        spec: {
          restartPolicy: "Never",
          containers: [
            { name: "c", image: "busybox", command: ["true"], volumeMounts: claims.map((c) => ({ name: c, mountPath: `/${c}` })) },
          ],
          volumes: claims.map((c) => ({ name: c, persistentVolumeClaim: { claimName: c } })),
        },
      },
    });
  }

  async function pendingPod(name: string, claims: string[]) {
    await createPod(name, claims);
    return until(async () => {
      const p = await api.core.readNamespacedPod({ name, namespace: NS });
      return p.status?.conditions?.find((c) => c.type === "PodScheduled" && c.status === "False");
    });
  }

  it("keeps a pod Pending when its volume's zone has no node", async () => {
    await staticVolume("nowhere", "zone-x");
    const cond = await pendingPod("stuck", ["nowhere"]);
    expect(cond).toMatchObject({ reason: "Unschedulable" });
    expect(cond.message).toBe(
      "0/2 nodes are available: 2 node(s) had volume node affinity conflict. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.",
    );
    const events = await api.core.listNamespacedEvent({
      namespace: NS,
      fieldSelector: "involvedObject.name=stuck,reason=FailedScheduling",
    });
    expect(events.items[0]).toMatchObject({ type: "Warning", message: cond.message });
    expect((await api.core.readNamespacedPod({ name: "stuck", namespace: NS })).status?.phase).toBe("Pending");
  });

  it("cannot place two volumes of different zones together, and reports a missing claim", async () => {
    await staticVolume("in-pve1", "pve1");
    await staticVolume("in-pve2", "pve2");
    const cond = await pendingPod("split", ["in-pve1", "in-pve2"]);
    expect(cond.message).toMatch(/^0\/2 nodes are available: 2 node\(s\) had volume node affinity conflict\./);
    const missing = await pendingPod("orphan", ["ghost-claim"]);
    expect(missing.message).toMatch(/^0\/2 nodes are available: persistentvolumeclaim "ghost-claim" not found\./);
    const events = await api.core.listNamespacedEvent({
      namespace: NS,
      fieldSelector: "involvedObject.name=orphan,reason=FailedScheduling",
    });
    expect(events.items).toHaveLength(1);
  });

  it("schedules to the node of a zoned volume", async () => {
    await createPod("zoned", ["in-pve2"]);
    const pod = await until(async () => {
      const p = await api.core.readNamespacedPod({ name: "zoned", namespace: NS });
      return p.status?.phase === "Succeeded" ? p : undefined;
    });
    expect(pod.spec?.nodeName).toBe("pve2");
  });
});
