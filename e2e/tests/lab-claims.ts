/** A claim's files as the application sees them: a pod in the lab's vCluster mounts the claim and runs one command. */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";

function kubectl(args: string[], input?: string): string {
  const kubeconfig = path.join(process.env["E2E_DATA_DIR"]!, "lab", "acme.kubeconfig");
  return execFileSync("kubectl", ["--kubeconfig", kubeconfig, ...args], { encoding: "utf8", input, timeout: 60_000 });
}

/** Runs `command` (paths under /data are the claim) in namespace `namespace`; returns its log and whether it succeeded. */
export function inClaim(namespace: string, claim: string, command: string[]): { ok: boolean; log: string } {
  const name = `e2e-claim-${randomBytes(3).toString("hex")}`;
  const pod = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace },
    spec: {
      restartPolicy: "Never",
      volumes: [{ name: "data", persistentVolumeClaim: { claimName: claim } }],
      containers: [{ name: "main", image: "busybox", command, volumeMounts: [{ name: "data", mountPath: "/data" }] }],
    },
  };
  kubectl(["apply", "-f", "-"], JSON.stringify(pod));
  try {
    for (let i = 0; i < 120; i++) {
      const phase = kubectl(["get", "pod", name, "-n", namespace, "-o", "jsonpath={.status.phase}"]);
      if (phase === "Succeeded" || phase === "Failed") return { ok: phase === "Succeeded", log: kubectl(["logs", name, "-n", namespace]) };
      execFileSync("sleep", ["0.5"]);
    }
    throw new Error(`pod ${name} did not finish`);
  } finally {
    kubectl(["delete", "pod", name, "-n", namespace, "--wait=false"]);
  }
}

/** Removes a claim a spec made (e.g. a restore's new claim), so that later specs see the application as before. */
export function deleteClaim(namespace: string, claim: string): void {
  kubectl(["delete", "pvc", claim, "-n", namespace, "--ignore-not-found", "--wait=false"]);
}
