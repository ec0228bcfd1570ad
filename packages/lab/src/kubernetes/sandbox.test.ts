import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { V1Pod } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKubeApiServer, type KubeLab } from "./server.js";
import { clients, isRoot, until } from "./test-helpers.js";

const NS = "shop";
let lab: KubeLab;
let api: ReturnType<typeof clients>;
let dir: string;
let secretFile: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "kube-lab-sandbox-"));
  secretFile = path.join(dir, "host-secret.txt");
  await writeFile(secretFile, "host secret\n", { mode: 0o644 });
  lab = await startKubeApiServer({ name: "sbx", namespaces: [NS], nodes: [{ name: "pve1", region: "lab", zone: "pve1" }] });
  api = clients(lab);
});
afterAll(async () => {
  await lab.close();
  await rm(dir, { recursive: true, force: true });
});

async function claim(name: string): Promise<string> {
  await api.core.createNamespacedPersistentVolumeClaim({
    namespace: NS,
    body: { metadata: { name }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } } },
  });
  const pvc = await until(async () => {
    const c = await api.core.readNamespacedPersistentVolumeClaim({ name, namespace: NS });
    return c.status?.phase === "Bound" ? c : undefined;
  });
  return pvc.spec?.volumeName ?? "";
}

/** Runs a custom script in a pod with `src` (read-only) and `dst` mounted; resolves with its termination message and pod. */
async function runScript(
  name: string,
  script: string,
  securityContext?: Partial<NonNullable<V1Pod["spec"]>>,
): Promise<{ message: string; exitCode: number }> {
  await api.core.createNamespacedPod({
    namespace: NS,
    body: {
      metadata: { name },
      spec: {
        restartPolicy: "Never",
        ...securityContext,
        volumes: [
          { name: "src", persistentVolumeClaim: { claimName: "src", readOnly: true } },
          { name: "dst", persistentVolumeClaim: { claimName: "dst" } },
        ],
        containers: [
          {
            name: "c",
            image: "ghcr.io/example/custom:1",
            command: ["/bin/bash", "-c", script],
            volumeMounts: [
              { name: "src", mountPath: "/source" },
              { name: "dst", mountPath: "/backup" },
            ],
          },
        ],
      },
    },
  });
  const pod = await until(async () => {
    const p = await api.core.readNamespacedPod({ name, namespace: NS });
    return p.status?.phase === "Succeeded" || p.status?.phase === "Failed" ? p : undefined;
  }, 20_000);
  const terminated = pod.status?.containerStatuses?.[0]?.state?.terminated;
  return { message: terminated?.message ?? "", exitCode: terminated?.exitCode ?? -1 };
}

describe("pods run isolated, like a container runtime runs them", () => {
  let srcDir: string;
  let dstDir: string;
  let otherDir: string;
  beforeAll(async () => {
    const [src, dst, other] = [await claim("src"), await claim("dst"), await claim("other")];
    srcDir = await until(() => lab.volumeFolder(src));
    dstDir = await until(() => lab.volumeFolder(dst));
    otherDir = await until(() => lab.volumeFolder(other));
    await until(async () => existsSync(srcDir) && existsSync(otherDir));
    await writeFile(path.join(srcDir, "data.txt"), "source data\n");
    await writeFile(path.join(otherDir, "private.txt"), "another workspace's data\n");
  });

  it("a custom script runs as an unprivileged user and cannot read or write outside its mounts", async () => {
    const attempts = [
      `echo x > /root/x`,
      `echo x > ${JSON.stringify(path.join(dir, "escaped.txt"))}`,
      `echo x > /work/escaped.txt`,
      `echo x > ${JSON.stringify(path.join(otherDir, "escaped.txt"))}`,
      `cat ${JSON.stringify(secretFile)}`,
      `cat ${JSON.stringify(path.join(otherDir, "private.txt"))}`,
      `cat /etc/shadow`,
    ];
    const script = [
      `r="uid=$(id -u) host=$(hostname)"`,
      ...attempts.map((a, i) => `if (${a}) >/dev/null 2>&1; then r="$r escaped${i}"; fi`),
      `cat /source/data.txt > /backup/copy.txt && r="$r copied"`,
      `echo "$r" > /dev/termination-log`,
    ].join("\n");
    const { message, exitCode } = await runScript("escape", script);
    expect(exitCode).toBe(0);
    expect(message).toMatch(/^uid=\d+ host=escape copied\n$/);
    expect(message).not.toMatch(/uid=0 /);
    for (const file of [path.join(dir, "escaped.txt"), "/work/escaped.txt", path.join(otherDir, "escaped.txt"), "/root/x"])
      expect(existsSync(file), file).toBe(false);
    expect(await readFile(path.join(dstDir, "copy.txt"), "utf8")).toBe("source data\n");
    // What the container writes belongs to its user on this machine too, not to root.
    if (isRoot) expect((await stat(path.join(dstDir, "copy.txt"))).uid).not.toBe(0);
  }, 30_000);

  it("a read-only claim cannot be written, and the pod's securityContext picks the user", async () => {
    const script = `if echo x > /source/new.txt 2>/dev/null || rm /source/data.txt 2>/dev/null; then w=wrote; else w=refused; fi; echo "$(id -u):$(id -g) $w" > /dev/termination-log`;
    const { message } = await runScript("readonly", script, { securityContext: { runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001 } });
    expect(message).toBe(isRoot ? "10001:10001 refused\n" : expect.stringMatching(/^\d+:\d+ refused\n$/));
    expect(existsSync(path.join(srcDir, "new.txt"))).toBe(false);
    expect(await readFile(path.join(srcDir, "data.txt"), "utf8")).toBe("source data\n");
  }, 30_000);
});
