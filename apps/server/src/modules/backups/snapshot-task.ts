import { randomBytes } from "node:crypto";
import os from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import type { V1Pod } from "@kubernetes/client-node";
import { ENTRYPOINT } from "@hks/backup-functions";
import { PlatformError } from "../../platform/errors.js";
import { POD } from "../../platform/kubernetes/kinds/cron-job.js";
import { MANAGED_BY } from "../../platform/kubernetes/kinds/labels.js";
import type { VClusterClient } from "../../platform/kubernetes/vcluster-client.js";
import { CONTAINER, verifyJobSpec, type BackupSpec, type TranslationOptions } from "./translation.js";

/**
 * A snapshot task is a pod whose output is the product: the snapshot's whole listing (`index`) or one file's bytes
 * (`download`). Its stdout reaches the server through the pod's log, which is text and shared with the tools' stderr,
 * so every line of output is framed `HKS <n> <payload>` (numbered: a lost line is detected, never silently skipped),
 * a file's bytes are base64 in the pod, and `HKS-END` says the output is complete.
 *
 * Not a Job: no run row is wanted (the run tracker follows Jobs labelled with a backup id), and the pod is deleted as
 * soon as its reader is done or gone, which also stops the processes in it.
 */
export const SNAPSHOT_TASK_LABEL = "backup.hks.io/snapshot-task";
/** The server process that started a task and reads its log: once that process is gone, nobody will. */
export const STARTED_BY_ANNOTATION = "backup.hks.io/started-by";
/**
 * This process by the name its replica beats its heart under (main.ts: HKS_INSTANCE_ID, else host and pid), so another
 * replica's sweep (leftover-pods.ts) finds it alive in the replicas table.
 */
export const THIS_PROCESS = process.env["HKS_INSTANCE_ID"] || `${os.hostname()}-${process.pid}`;
/** The tasks this process is reading now; a task pod of this process that is not here has lost its reader. */
const readingHere = new Set<string>();

export const isReadHere = (podName: string) => readingHere.has(podName);

const FRAME = `awk '{ print "HKS " NR " " $0; fflush() }'`;
const SCRIPTS = {
  // `restic ls` of the whole snapshot, one JSON node per line; the repository is only read (no lock needed).
  index: `set -o pipefail; export RESTIC_REPOSITORY="$HKS_DEST_DIR"; restic ls --json --no-lock --no-cache "$HKS_SNAPSHOT" | ${FRAME}; rc=$?; if [ "$rc" = 0 ]; then echo HKS-END; fi; exit "$rc"`,
  // The functions' dump mode (it refuses paths the snapshot does not hold), base64 so that any byte survives the log.
  download: `set -o pipefail; HKS_MODE=dump "$1" | base64 -w 76 | ${FRAME}; rc=$?; if [ "$rc" = 0 ]; then echo HKS-END; fi; exit "$rc"`,
} as const;

export type SnapshotTaskKind = keyof typeof SCRIPTS;

export function snapshotTaskPod(
  spec: BackupSpec,
  options: TranslationOptions,
  task: { kind: SnapshotTaskKind; snapshot: string; path?: string; activeDeadlineSeconds: number },
): V1Pod & { apiVersion: string; kind: string } {
  // The verify Job's pod has what a task needs: the destination volume, the key, the node of the volume.
  const template = verifyJobSpec(spec, options, task.snapshot).template.spec!;
  const container = template.containers[0]!;
  const env = (container.env ?? []).filter((e) => e.name !== "HKS_MODE" && e.name !== "HKS_RUN_ID");
  if (task.path !== undefined) env.push({ name: "HKS_PATH", value: task.path });
  const name = `hks-snapshot-${task.kind}-${randomBytes(4).toString("hex")}`;
  return {
    apiVersion: POD.apiVersion,
    kind: POD.kind,
    metadata: {
      name,
      namespace: spec.namespace,
      labels: { ...MANAGED_BY, [SNAPSHOT_TASK_LABEL]: task.kind, "backup.hks.io/snapshot-of": spec.id },
      annotations: { [STARTED_BY_ANNOTATION]: THIS_PROCESS },
    },
    spec: {
      ...template,
      activeDeadlineSeconds: task.activeDeadlineSeconds,
      containers: [{ ...container, command: ["bash", "-c", SCRIPTS[task.kind], "hks-snapshot-task", ENTRYPOINT], env }],
    },
  };
}

/** The task's payload lines, in order, once complete; or why not. */
export class SnapshotTaskError extends Error {
  constructor(
    message: string,
    /** The task's own words (restic's or the functions' messages), for the person asking. */
    readonly output: string,
  ) {
    super(message);
    this.name = "SnapshotTaskError";
  }
}

export interface RunningTask {
  /** Payload lines as they arrive. Throws SnapshotTaskError when a line was lost or the task failed. */
  lines: AsyncGenerator<string>;
  /** Deletes the pod (stopping its processes) and stops following its log; safe to call more than once. */
  stop(): Promise<void>;
}

/** Starts the pod and follows its log from the first line. */
export async function startSnapshotTask(client: VClusterClient, pod: ReturnType<typeof snapshotTaskPod>): Promise<RunningTask> {
  const header = {
    apiVersion: POD.apiVersion,
    kind: POD.kind,
    metadata: { name: pod.metadata!.name!, namespace: pod.metadata!.namespace! },
  };
  readingHere.add(header.metadata.name);
  await client.apply(pod).catch((error: unknown) => {
    readingHere.delete(header.metadata.name);
    throw error;
  });
  let log: Awaited<ReturnType<VClusterClient["followPodLog"]>> | undefined;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    log?.destroy();
    await client.delete(header).catch(() => undefined);
    readingHere.delete(header.metadata.name);
  };
  try {
    // The log opens once the container started; attaching within a moment of that keeps every line (see frames()).
    const deadline = Date.now() + 120_000;
    for (;;) {
      try {
        log = await client.followPodLog(header.metadata.namespace, header.metadata.name, CONTAINER);
        break;
      } catch (error) {
        const waiting =
          error instanceof PlatformError &&
          error.status === 400 &&
          /waiting to start|ContainerCreating|PodInitializing/i.test(error.message);
        if (!waiting || Date.now() > deadline) throw error;
        const scheduling = await podProblem(client, header);
        if (scheduling) throw new SnapshotTaskError(scheduling, "");
        await sleep(100);
      }
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { lines: frames(log), stop };
}

async function podProblem(client: VClusterClient, header: Parameters<VClusterClient["read"]>[0]): Promise<string | undefined> {
  const pod = await client.read<V1Pod>(header);
  const unschedulable = pod?.status?.conditions?.find((c) => c.type === "PodScheduled" && c.reason === "Unschedulable");
  return unschedulable ? `The pod reading the snapshot cannot be scheduled: ${unschedulable.message ?? "no node fits"}.` : undefined;
}

async function* frames(log: NodeJS.ReadableStream): AsyncGenerator<string> {
  let pending = "";
  let expected = 1;
  let complete = false;
  const other: string[] = [];
  const take = function* (line: string): Generator<string> {
    if (line.startsWith("HKS ")) {
      const space = line.indexOf(" ", 4);
      const n = Number(line.slice(4, space));
      if (n !== expected) {
        throw new SnapshotTaskError(
          `Part of the snapshot task's output was lost (line ${expected} missing${expected === 1 ? ": the log was opened too late" : ""}); try again.`,
          other.join("\n"),
        );
      }
      expected += 1;
      yield line.slice(space + 1);
    } else if (line === "HKS-END") complete = true;
    else if (line.trim()) other.push(line);
  };
  for await (const chunk of log) {
    pending += chunk.toString();
    const parts = pending.split("\n");
    pending = parts.pop() ?? "";
    for (const part of parts) yield* take(part);
  }
  if (pending) yield* take(pending);
  if (!complete) throw new SnapshotTaskError("The snapshot task stopped before it finished.", other.slice(-8).join("\n"));
}
