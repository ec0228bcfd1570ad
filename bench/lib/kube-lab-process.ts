/**
 * One lab vCluster API in a process of its own, started from a state file the bench wrote (thousands of PVs and
 * claims load at once, with no per-object write), so the bench's measured process does not also serve the API.
 *
 *   node --import tsx kube-lab-process.ts <stateFile> <name> <kubeconfigOut> <namespace,...>
 *
 * Prints "READY <url>" on stdout once it listens; exits when its stdin closes (the bench ended or died).
 */
import { writeFile } from "node:fs/promises";
import { startKubeApiServer } from "@hks/lab";

const [stateFile, name, kubeconfigOut, namespaces] = process.argv.slice(2);
if (!stateFile || !name || !kubeconfigOut) throw new Error("usage: kube-lab-process.ts <stateFile> <name> <kubeconfigOut> [namespaces]");

const kube = await startKubeApiServer({
  name,
  namespaces: namespaces ? namespaces.split(",") : [],
  nodes: [{ name: "pve1", region: "hks-lab", zone: "pve1" }],
  stateFile,
  // No pods or schedules run here, and plain folders: the bench only reads PersistentVolumes.
  controllers: false,
  tmpfs: false,
});
await writeFile(kubeconfigOut, kube.kubeconfig());
process.stdout.write(`READY ${kube.url}\n`);

const stop = () => void kube.close().finally(() => process.exit(0));
process.stdin.on("end", stop);
process.stdin.on("close", stop);
process.stdin.resume();
process.on("SIGTERM", stop);
