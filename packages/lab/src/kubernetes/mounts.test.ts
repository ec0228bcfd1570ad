import { execFile, spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKubeApiServer } from "./server.js";
import { isRoot, mountsUnder, until } from "./test-helpers.js";

const exec = promisify(execFile);
const packageDir = path.resolve(import.meta.dirname, "../..");
let dir: string;
let build: string;

// The lab must run in a process of its own to be killed: that process loads a build of this package's sources.
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "kube-lab-mounts-"));
  build = await mkdtemp(path.join(packageDir, "node_modules", ".lab-mounts-test-"));
  await exec(path.join(packageDir, "node_modules/.bin/tsc"), ["-p", "tsconfig.build.json", "--outDir", build], { cwd: packageDir });
  await writeFile(
    path.join(build, "host.mjs"),
    `import { startKubeApiServer } from "./kubernetes/server.js";
const lab = await startKubeApiServer({ name: "m", namespaces: ["apps"], nodes: [{ name: "pve1", region: "lab", zone: "pve1" }], stateFile: process.argv[2] });
lab.store.create({ apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: "data", namespace: "apps" },
  spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } } });
const timer = setInterval(() => { const pv = lab.store.get("v1", "PersistentVolumeClaim", "apps", "data")?.spec?.volumeName;
  if (pv && lab.volumeUsage(pv)?.sizeLimited) { clearInterval(timer); console.log("ready"); } }, 50);
`,
  );
}, 120_000);
afterAll(async () => {
  await rm(build, { recursive: true, force: true });
  await rm(dir, { recursive: true, force: true });
});

const mounts = (under: string) => mountsUnder(`${under}/`, readFileSync("/proc/self/mounts", "utf8"));

async function hostLab(stateDir: string): Promise<ChildProcess> {
  await mkdir(stateDir, { recursive: true });
  const child = spawn(process.execPath, [path.join(build, "host.mjs"), path.join(stateDir, "state.json")], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout?.on("data", (chunk: Buffer) => (out += chunk.toString()));
  await until(() => out.includes("ready") || undefined, 20_000, "the lab process to mount its volume");
  return child;
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once("exit", () => resolve())));

describe.skipIf(!isRoot)("the lab's tmpfs volume mounts", () => {
  it("are gone when the lab's process is stopped by a signal", async () => {
    const stateDir = path.join(dir, "term");
    const child = await hostLab(stateDir);
    expect(mounts(stateDir)).toHaveLength(1);
    child.kill("SIGTERM");
    await exited(child);
    expect(mounts(stateDir)).toEqual([]);
  }, 60_000);

  it("left behind by a killed lab are cleared when a lab starts on the same folder", async () => {
    const stateDir = path.join(dir, "kill");
    const child = await hostLab(stateDir);
    child.kill("SIGKILL");
    await exited(child);
    expect(mounts(stateDir)).toHaveLength(1); // nothing can run on SIGKILL: the next start must clean up
    const lab = await startKubeApiServer({
      name: "m",
      namespaces: ["apps"],
      nodes: [{ name: "pve1", region: "lab", zone: "pve1" }],
      stateFile: path.join(stateDir, "state.json"),
    });
    try {
      const pv = lab.store.get("v1", "PersistentVolumeClaim", "apps", "data")?.spec?.volumeName ?? "";
      await until(() => lab.volumeUsage(pv)?.sizeLimited || undefined);
      // One mount, the new lab's own: the killed run's mount is not stacked beneath it.
      expect(mounts(stateDir)).toEqual([lab.volumeFolder(pv)]);
    } finally {
      await lab.close();
    }
    expect(mounts(stateDir)).toEqual([]);
  }, 60_000);
});
