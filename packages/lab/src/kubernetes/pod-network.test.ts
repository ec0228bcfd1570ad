import type { V1Pod } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKubeApiServer, type KubeLab } from "./server.js";
import { setNodeDown } from "./node-faults.js";
import { clients, until } from "./test-helpers.js";

const NS = "net";
let lab: KubeLab;
let api: ReturnType<typeof clients>;

beforeAll(async () => {
  lab = await startKubeApiServer({
    name: "net",
    namespaces: [NS],
    nodes: [
      { name: "pve1", region: "lab", zone: "pve1" },
      { name: "pve2", region: "lab", zone: "pve2" },
    ],
  });
  api = clients(lab);
});
afterAll(() => lab.close());

const onNode = (zone: string) => ({
  nodeAffinity: {
    requiredDuringSchedulingIgnoredDuringExecution: {
      nodeSelectorTerms: [{ matchExpressions: [{ key: "topology.kubernetes.io/zone", operator: "In", values: [zone] }] }],
    },
  },
});

async function pod(name: string, zone: string, script: string): Promise<void> {
  await api.core.createNamespacedPod({
    namespace: NS,
    body: {
      metadata: { name },
      spec: {
        restartPolicy: "Never",
        affinity: onNode(zone),
        containers: [
          {
            name: "c",
            image: "debian:12-slim",
            command: ["/bin/bash", "-c", script],
            env: [{ name: "POD_IP", valueFrom: { fieldRef: { fieldPath: "status.podIP" } } }],
          },
        ],
      },
    },
  });
}

const read = (name: string) => api.core.readNamespacedPod({ name, namespace: NS });
const finished = (name: string) =>
  until(
    async () => {
      const p = await read(name);
      return p.status?.phase === "Succeeded" || p.status?.phase === "Failed" ? p : undefined;
    },
    30_000,
    `${name} to finish`,
  );
const message = (p: V1Pod) => p.status?.containerStatuses?.[0]?.state?.terminated?.message ?? "";

describe("each pod has an address of its own, as pod networking gives it", () => {
  it("a pod serving on its own address (downward API) is reached from a pod on another node, and not on 127.0.0.1", async () => {
    // python's http.server stands in for any server; the port is the same for both servers on purpose:
    // each pod has its own address, so they do not collide
    const serve = `echo "$POD_IP" > /dev/termination-log; exec python3 -m http.server 18080 --bind "$POD_IP" --directory /etc`;
    await pod("server", "pve1", serve);
    await pod("server-2", "pve2", serve);
    const [a, b] = await Promise.all(
      ["server", "server-2"].map((name) =>
        until(async () => {
          const p = await read(name);
          return p.status?.phase === "Running" && p.status.podIP ? p : undefined;
        }, 30_000),
      ),
    );
    const ipA = a!.status!.podIP!;
    expect(ipA).toMatch(/^127\.\d+\.\d+\.\d+$/);
    expect(ipA).not.toMatch(/^127\.0\./);
    expect(b!.status!.podIP).not.toBe(ipA);
    expect(a!.status!.podIPs).toEqual([{ ip: ipA }]);
    expect(a!.status!.hostIP).toBe("127.0.0.1");
    const probe = (url: string) =>
      `python3 -c 'import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1], timeout=5).status)' ${url} > /dev/termination-log 2>&1`;
    await until(async () => {
      await api.core.deleteNamespacedPod({ name: "client", namespace: NS }).catch(() => undefined);
      await until(async () => !(await read("client").catch(() => undefined)), 10_000);
      await pod("client", "pve2", probe(`http://${ipA}:18080/`));
      return message(await finished("client")).includes("200");
    }, 60_000);
    await pod("client-local", "pve2", probe("http://127.0.0.1:18080/"));
    expect(message(await finished("client-local"))).toMatch(/Connection refused/);
    for (const name of ["server", "server-2"]) await api.core.deleteNamespacedPod({ name, namespace: NS });
  }, 120_000);
});

describe("a node that goes down", () => {
  it("is NotReady and takes no new pods until it is back", async () => {
    setNodeDown(lab, "pve1", true);
    const node = await api.core.readNode({ name: "pve1" });
    expect(node.spec?.unschedulable).toBe(true);
    expect(node.spec?.taints?.map((t) => t.key)).toEqual(["node.kubernetes.io/unreachable"]);
    expect(node.status?.conditions?.find((c) => c.type === "Ready")?.status).toBe("Unknown");
    await pod("waits", "pve1", "true");
    const pending = await until(async () => {
      const p = await read("waits");
      return p.status?.conditions?.find((c) => c.type === "PodScheduled" && c.reason === "Unschedulable");
    }, 10_000);
    expect(pending.message).toMatch(/node\(s\) were unschedulable/);
    setNodeDown(lab, "pve1", false);
    expect((await finished("waits")).status?.phase).toBe("Succeeded");
    expect((await api.core.readNode({ name: "pve1" })).spec?.unschedulable).toBeUndefined();
  }, 60_000);
});
