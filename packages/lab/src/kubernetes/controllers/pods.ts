import { randomBytes } from "node:crypto";
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import type { KubeStore, StoreEvent } from "../store.js";
import type { KubeObject } from "../types.js";
import { recordEvent } from "./events.js";
import { LogBuffer } from "./logs.js";
import { prepareContainer, type ImageMapping, type PreparedContainer } from "./pod-containers.js";
import { killGroup, startContainerProcess, terminationMessage, waitForExit } from "./pod-process.js";
import { ConfigError } from "./pod-spec.js";
import { lostPodStatus, podStatus, waitingContainerStatus, type ContainerState, type PodRun } from "./pod-status.js";
import { preparePodVolumes } from "./pod-volumes.js";
import { BWRAP_MISSING, findBwrap } from "./sandbox.js";
import { bindToNode } from "./scheduling.js";
import type { VolumeManager } from "./volumes.js";

export type { ImageMapping } from "./pod-containers.js";
export { setCondition } from "./pod-status.js";
export { expandVars, imageName } from "./pod-spec.js";

export interface PodRunnerOptions {
  volumes: VolumeManager;
  /** By image name without tag or digest, e.g. "ghcr.io/hks/backup-functions". Other images see only this machine's /usr. */
  images?: Record<string, ImageMapping>;
  /** Per-pod scratch folders (emptyDir, secret/configMap files, termination logs) go here. */
  workDir: string;
  log?: (message: string) => void;
}

/** The lab caps terminationGracePeriodSeconds so deletes and close() stay quick. */
const GRACE_CAP_MS = 3000;
const KUBELET = { component: "kubelet" };

function sleep(ms: number, state?: { wake?: () => void }): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    if (state)
      state.wake = () => {
        clearTimeout(timer);
        resolve();
      };
  });
}

/**
 * The lab's kubelet (and scheduler): binds pending pods to a fitting node, then runs each container's command the way
 * a container runtime would (see sandbox.ts), in its own process group, with its volumes mounted, and reports what
 * happened in the pod status, events and logs.
 */
export class PodRunner {
  private runs = new Map<string, PodRun>();
  private readonly images: Record<string, ImageMapping>;
  private readonly log: (message: string) => void;
  private closing = false;
  private kicked = false;
  private scheduleMessages = new Map<string, string>();
  private configMessages = new Map<string, string>();
  private unsubscribe?: () => void;

  constructor(
    private readonly store: KubeStore,
    private readonly options: PodRunnerOptions,
  ) {
    this.images = options.images ?? {};
    this.log = options.log ?? ((m) => console.warn(m));
  }

  start(): void {
    if (!findBwrap()) this.log(`kube lab: ${BWRAP_MISSING}`);
    // Pods that were running when the lab stopped have no process any more.
    for (const pod of this.store.list("v1", "Pod")) {
      const statuses: any[] = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
      if (pod.status?.phase === "Running" || statuses.some((s) => s?.state?.running)) this.markLost(pod);
    }
    const WATCHED = new Set(["Pod", "Node", "PersistentVolume", "PersistentVolumeClaim", "Secret", "ConfigMap"]);
    this.unsubscribe = this.store.subscribe((event: StoreEvent) => {
      if (!WATCHED.has(event.def.kind) || event.def.group !== "") return;
      if (event.def.kind === "Pod" && event.type === "DELETED") this.onDeleted(event.object);
      else this.kick();
    });
    this.kick();
  }

  /** Schedules and starts what can start now, and enforces pod deadlines. */
  tick(): void {
    this.reconcile();
    const now = this.store.clock().getTime();
    for (const run of this.runs.values()) {
      if (!run.started || run.killing || !run.startTime) continue;
      const pod = this.store.get("v1", "Pod", run.namespace, run.name);
      const deadline = Number(pod?.spec?.activeDeadlineSeconds);
      if (deadline > 0 && now - Date.parse(run.startTime) >= deadline * 1000)
        this.kill(run.namespace, run.name, "DeadlineExceeded", "Pod was active on the node longer than the specified deadline");
    }
  }

  /**
   * Stops a pod's containers and fails the pod with `reason` (the Job controller uses it for DeadlineExceeded and
   * failed Jobs; the pod stays, with its logs).
   */
  kill(namespace: string, name: string, reason: string, message: string): void {
    const pod = this.store.get("v1", "Pod", namespace, name);
    if (!pod || pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed") return;
    const run = this.runs.get(pod.metadata.uid ?? "");
    if (!run || !run.started) {
      if (run) run.killing = { reason, message };
      this.writePod(namespace, name, (o) => {
        o.status = { ...o.status, phase: "Failed", reason, message };
      });
      return;
    }
    if (run.killing) return;
    run.killing = { reason, message };
    this.terminate(run, pod);
  }

  /** Logs of a container of a pod (current instance, or the previous one). */
  logsOf(pod: KubeObject, container: string, previous: boolean): LogBuffer | undefined {
    const run = this.runs.get(pod.metadata.uid ?? "");
    const state = run?.containers.find((c) => c.name === container);
    return previous ? state?.previous : state?.log;
  }

  /** Kills every process (SIGTERM, then SIGKILL) and removes scratch folders; resolves when all have exited. */
  async close(): Promise<void> {
    this.closing = true;
    this.unsubscribe?.();
    const runs = [...this.runs.values()];
    for (const run of runs) {
      run.killing ??= { reason: "Error", message: "the lab stopped" };
      this.terminate(run, undefined);
    }
    await Promise.race([Promise.all(runs.map((r) => r.finished)), sleep(GRACE_CAP_MS + 2000)]);
    for (const run of runs) for (const c of run.containers) killGroup(c.child?.pid, "SIGKILL");
    for (const run of runs) await this.cleanup(run);
    this.runs.clear();
    await rm(this.options.workDir, { recursive: true, force: true }).catch(() => undefined);
  }

  private kick(): void {
    if (this.kicked || this.closing) return;
    this.kicked = true;
    setImmediate(() => {
      this.kicked = false;
      this.reconcile();
    });
  }

  private reconcile(): void {
    if (this.closing) return;
    for (const pod of this.store.list("v1", "Pod")) {
      const uid = pod.metadata.uid ?? "";
      if (this.runs.has(uid) || pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed") continue;
      this.attempt(pod);
    }
  }

  private attempt(pod: KubeObject): void {
    const uid = pod.metadata.uid ?? "";
    const namespace = pod.metadata.namespace ?? "";
    const name = pod.metadata.name ?? "";
    const scheduled = bindToNode(this.store, pod, this.scheduleMessages);
    if (!scheduled) return;
    pod = scheduled;
    const run: PodRun = {
      uid,
      namespace,
      name,
      dir: path.join(this.options.workDir, uid),
      containers: [],
      started: false,
      deleted: false,
      finished: Promise.resolve(),
    };
    this.runs.set(uid, run);
    run.finished = this.execute(run, pod).catch((error: unknown) => {
      this.log(`kube lab: running pod ${namespace}/${name} failed: ${(error as Error).stack ?? String(error)}`);
    });
  }

  private async execute(run: PodRun, pod: KubeObject): Promise<void> {
    const specs: Array<{ c: any; init: boolean }> = [
      ...(Array.isArray(pod.spec?.initContainers) ? pod.spec.initContainers : []).map((c: any) => ({ c, init: true })),
      ...(Array.isArray(pod.spec?.containers) ? pod.spec.containers : []).map((c: any) => ({ c, init: false })),
    ];
    try {
      await mkdir(run.dir, { recursive: true });
      const volumes = await preparePodVolumes(this.store, this.options.volumes, pod, run.dir);
      for (const { c, init } of specs)
        run.containers.push({
          name: String(c.name),
          image: String(c.image ?? ""),
          init,
          spec: labScaled(await prepareContainer(this.store, this.images, pod, c, volumes, run.dir), this.options.volumes.bytesPerGiB),
          restartCount: 0,
          final: false,
        });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      await this.cleanup(run);
      this.runs.delete(run.uid);
      if (run.deleted || this.closing) return;
      if (run.killing) {
        this.writePod(run.namespace, run.name, (o) => (o.status = { ...o.status, phase: "Failed", ...run.killing }));
        return;
      }
      // Stay Pending like the kubelet does; tick() retries.
      const waiting = specs.filter((x) => !x.init).map(({ c }) => waitingContainerStatus(c, error));
      const current = this.writePod(
        run.namespace,
        run.name,
        (o) => (o.status = { ...o.status, phase: "Pending", containerStatuses: waiting }),
      );
      if (current && this.configMessages.get(run.uid) !== error.message) {
        this.configMessages.set(run.uid, error.message);
        const message = error.eventReason === "Failed" ? `Error: ${error.message}` : error.message;
        recordEvent(this.store, current, "Warning", error.eventReason, message, { ...KUBELET, host: pod.spec?.nodeName });
      }
      return;
    }
    this.configMessages.delete(run.uid);
    if (run.deleted || this.closing || run.killing) {
      if (run.killing && !run.deleted)
        this.writePod(run.namespace, run.name, (o) => (o.status = { ...o.status, phase: "Failed", ...run.killing }));
      await this.cleanup(run);
      return;
    }
    run.started = true;
    run.startTime = this.store.now();
    for (const c of run.containers)
      c.waiting = { reason: c.init || run.containers.every((x) => !x.init) ? "ContainerCreating" : "PodInitializing" };
    this.writeStatus(run);
    const restartPolicy = String(pod.spec?.restartPolicy ?? "Always");
    for (const c of run.containers.filter((x) => x.init)) {
      const code = await this.loop(run, pod, c, restartPolicy);
      if (code !== 0) {
        for (const m of run.containers.filter((x) => !x.init)) m.final = true;
        this.writeStatus(run);
        await this.cleanup(run);
        return;
      }
    }
    await Promise.all(run.containers.filter((x) => !x.init).map((c) => this.loop(run, pod, c, restartPolicy)));
    this.writeStatus(run);
    await this.cleanup(run);
  }

  /** Runs a container until its restart policy says it is done; resolves with the last exit code. */
  private async loop(run: PodRun, pod: KubeObject, c: ContainerState, restartPolicy: string): Promise<number> {
    for (;;) {
      const code = await this.runOnce(run, pod, c);
      const restart = restartPolicy === "Always" ? !c.init || code !== 0 : restartPolicy === "OnFailure" ? code !== 0 : false;
      if (!restart || run.killing || run.deleted || this.closing || c.spec.startError) {
        c.final = true;
        this.writeStatus(run);
        return code;
      }
      // CrashLoopBackOff, shortened for the lab: 0.5s doubling, at most 5s (the kubelet: 10s doubling, at most 5m).
      const delay = Math.min(500 * 2 ** c.restartCount, 5000);
      c.restartCount++;
      c.lastTerminated = c.terminated;
      c.terminated = undefined;
      c.waiting = {
        reason: "CrashLoopBackOff",
        message: `back-off ${Math.ceil(delay / 1000)}s restarting failed container=${c.name} pod=${run.name}_${run.namespace}(${run.uid})`,
      };
      this.writeStatus(run);
      await sleep(delay, c);
      if (run.killing || run.deleted || this.closing) {
        c.final = true;
        c.waiting = undefined;
        c.terminated = c.lastTerminated;
        this.writeStatus(run);
        return code;
      }
    }
  }

  private async runOnce(run: PodRun, pod: KubeObject, c: ContainerState): Promise<number> {
    const startedAt = this.store.now();
    c.containerID = `lab://${randomBytes(32).toString("hex")}`;
    c.previous = c.log;
    c.log = new LogBuffer(this.store.clock);
    c.waiting = undefined;
    const fail = (message: string): number => {
      c.terminated = {
        exitCode: 128,
        reason: "StartError",
        message,
        startedAt: "1970-01-01T00:00:00Z",
        finishedAt: this.store.now(),
        containerID: c.containerID ?? "",
      };
      c.log?.finish();
      this.writeStatus(run);
      const current = this.store.get("v1", "Pod", run.namespace, run.name);
      if (current) recordEvent(this.store, current, "Warning", "Failed", `Error: ${message}`, { ...KUBELET, host: pod.spec?.nodeName });
      return 128;
    };
    if (c.spec.startError || !c.spec.argv) return fail(c.spec.startError ?? "no command");
    const started = await startContainerProcess(c.spec, run.name, path.join(run.dir, "etc", c.name));
    if ("error" in started) return fail(started.error);
    const { child } = started;
    c.child = child;
    const log = c.log;
    const exited = waitForExit(child, log);
    c.running = { startedAt };
    this.writeStatus(run);
    const current = this.store.get("v1", "Pod", run.namespace, run.name);
    if (current) {
      recordEvent(this.store, current, "Normal", "Created", `Created container ${c.name}`, { ...KUBELET, host: pod.spec?.nodeName });
      recordEvent(this.store, current, "Normal", "Started", `Started container ${c.name}`, { ...KUBELET, host: pod.spec?.nodeName });
    }
    if (run.killing || run.deleted || this.closing) this.terminate(run, undefined);
    const { exitCode, signal } = await exited;
    c.child = undefined;
    const message = await terminationMessage(c.spec, exitCode, log);
    const reason = run.killing?.reason === "DeadlineExceeded" ? "DeadlineExceeded" : exitCode === 0 ? "Completed" : "Error";
    c.running = undefined;
    c.terminated = {
      exitCode,
      ...(signal ? { signal } : {}),
      reason,
      ...(message ? { message } : {}),
      startedAt,
      finishedAt: this.store.now(),
      containerID: c.containerID ?? "",
    };
    this.writeStatus(run);
    return exitCode;
  }

  /** SIGTERM to every container's process group, SIGKILL after the (capped) grace period. */
  private terminate(run: PodRun, pod: KubeObject | undefined): void {
    const grace = Number(pod?.spec?.terminationGracePeriodSeconds ?? 30);
    const ms = Math.min(Math.max(0, grace) * 1000, GRACE_CAP_MS);
    for (const c of run.containers) {
      c.wake?.();
      const pid = c.child?.pid;
      if (!pid) continue;
      if (pod && !run.deleted)
        recordEvent(this.store, pod, "Normal", "Killing", `Stopping container ${c.name}`, { ...KUBELET, host: pod.spec?.nodeName });
      killGroup(pid, "SIGTERM");
      const timer = setTimeout(() => killGroup(pid, "SIGKILL"), ms);
      c.child?.once("exit", () => clearTimeout(timer));
    }
  }

  private onDeleted(pod: KubeObject): void {
    const uid = pod.metadata.uid ?? "";
    this.scheduleMessages.delete(uid);
    this.configMessages.delete(uid);
    const run = this.runs.get(uid);
    if (!run) return;
    run.deleted = true;
    this.terminate(run, pod);
    void run.finished
      .then(() => this.cleanup(run))
      .then(() => {
        if (this.runs.get(uid) === run) this.runs.delete(uid);
      });
  }

  private markLost(pod: KubeObject): void {
    const now = this.store.now();
    this.writePod(pod.metadata.namespace ?? "", pod.metadata.name ?? "", (o) => (o.status = lostPodStatus(o.status, now)));
  }

  private async cleanup(run: PodRun): Promise<void> {
    if (run.deleted || this.closing) await rm(run.dir, { recursive: true, force: true }).catch(() => undefined);
  }

  private writePod(namespace: string, name: string, mutate: (obj: KubeObject) => void): KubeObject | undefined {
    try {
      return this.store.modify("v1", "Pod", namespace, name, mutate);
    } catch {
      return undefined; // deleted meanwhile
    }
  }

  /** Derives the pod status from its containers. */
  private writeStatus(run: PodRun): void {
    if (run.deleted) return;
    const now = this.store.now();
    this.writePod(run.namespace, run.name, (o) => {
      o.status = podStatus(run, o.status, now);
    });
  }
}

/**
 * Tells the container the lab's scale ("a lab GiB is bytesPerGiB real bytes") so the backup functions print sizes in lab
 * units, the unit the lab's kubelet metrics and PV capacities use; the pod's own env wins.
 */
function labScaled(spec: PreparedContainer, bytesPerGiB: number): PreparedContainer {
  return { ...spec, env: { HKS_LAB_BYTES_PER_GIB: String(bytesPerGiB), ...spec.env } };
}
