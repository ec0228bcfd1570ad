import { execFile, execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { constants as osConstants } from "node:os";
import { chmod, mkdir, open, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { tryParseQuantity } from "../quantity.js";
import type { KubeStore, StoreEvent } from "../store.js";
import { isRecord, type KubeObject } from "../types.js";
import { recordEvent } from "./events.js";
import { LogBuffer } from "./logs.js";
import { schedulePod } from "./scheduling.js";
import type { VolumeManager } from "./volumes.js";

const exec = promisify(execFile);

/** How an image's paths map onto this machine. */
export interface ImageMapping {
  /** Path in the image (e.g. "/opt/hks/bin") → local path. Prefixes in command, args and env values are rewritten. */
  pathMap: Record<string, string>;
}

export interface PodRunnerOptions {
  volumes: VolumeManager;
  /** By image name without tag or digest, e.g. "ghcr.io/hks/backup-functions". Unknown images run their command as-is on the host. */
  images?: Record<string, ImageMapping>;
  /** Per-pod scratch folders (emptyDir, secret/configMap files, termination logs) go here. */
  workDir: string;
  log?: (message: string) => void;
}

/** The lab caps terminationGracePeriodSeconds so deletes and close() stay quick. */
const GRACE_CAP_MS = 3000;
const MESSAGE_LIMIT = 4096;
const FALLBACK_LINES = 80;
const FALLBACK_BYTES = 2048;
const KUBELET = { component: "kubelet" };
const SCHEDULER = { component: "default-scheduler" };

class ConfigError extends Error {
  constructor(
    readonly waitingReason: "CreateContainerConfigError" | "ContainerCreating",
    readonly eventReason: string,
    message: string,
  ) {
    super(message);
  }
}

interface Terminated {
  exitCode: number;
  signal?: number;
  reason: string;
  message?: string;
  startedAt: string;
  finishedAt: string;
  containerID: string;
}

interface PreparedContainer {
  argv?: string[];
  startError?: string;
  env: Record<string, string>;
  cwd: string;
  terminationFile: string;
  fallbackToLogs: boolean;
}

interface ContainerState {
  name: string;
  image: string;
  init: boolean;
  spec: PreparedContainer;
  restartCount: number;
  log?: LogBuffer;
  previous?: LogBuffer;
  child?: ChildProcess;
  containerID?: string;
  waiting?: { reason: string; message?: string };
  running?: { startedAt: string };
  terminated?: Terminated;
  lastTerminated?: Terminated;
  /** No more restarts: the container's outcome is final. */
  final: boolean;
  wake?: () => void;
}

interface PodRun {
  uid: string;
  namespace: string;
  name: string;
  dir: string;
  containers: ContainerState[];
  started: boolean;
  killing?: { reason: string; message: string };
  deleted: boolean;
  binds: string[];
  finished: Promise<void>;
  startTime?: string;
}

const livePids = new Set<number>();
const liveBinds = new Set<string>();
let exitHook = false;

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/** The image name without tag or digest. */
export function imageName(image: string): string {
  let name = image.split("@")[0] ?? image;
  const colon = name.lastIndexOf(":");
  if (colon > name.lastIndexOf("/")) name = name.slice(0, colon);
  return name;
}

const PATH_CHAR = "A-Za-z0-9_.\\-";

/** Rewrites every occurrence of a path prefix (at a path boundary), longest prefix first, in one pass. */
export function pathRewriter(map: Array<[string, string]>): (text: string) => string {
  const entries = map
    .map(([from, to]) => [from.length > 1 ? from.replace(/\/+$/, "") : from, to] as [string, string])
    .filter(([from]) => from.startsWith("/") && from !== "/")
    .sort((a, b) => b[0].length - a[0].length);
  if (entries.length === 0) return (t) => t;
  const lookup = new Map(entries);
  const alternatives = entries.map(([from]) => from.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|");
  const re = new RegExp(`(?<![${PATH_CHAR}/])(${alternatives})(?![${PATH_CHAR}])`, "g");
  return (text) => text.replace(re, (match) => lookup.get(match) ?? match);
}

/** Kubernetes' $(VAR) expansion in command, args and env values; `$$` escapes. */
export function expandVars(text: string, env: Record<string, string>): string {
  return text.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (match, name: string | undefined) => {
    if (match === "$$") return "$";
    return name !== undefined && Object.prototype.hasOwnProperty.call(env, name) ? (env[name] ?? "") : match;
  });
}

function decode(value: unknown): string {
  return Buffer.from(String(value ?? ""), "base64").toString("utf8");
}

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
 * The lab's kubelet (and scheduler): binds pending pods to a fitting node, then runs each container's command as a
 * local process in its own process group, with volumes mapped to local folders, and reports what happened in the pod
 * status, events and logs.
 */
export class PodRunner {
  private runs = new Map<string, PodRun>();
  private readonly images: Record<string, ImageMapping>;
  private readonly log: (message: string) => void;
  private closing = false;
  private kicked = false;
  private scheduleMessages = new Map<string, string>();
  private configMessages = new Map<string, string>();
  private bindFailed = false;
  private unsubscribe?: () => void;

  constructor(
    private readonly store: KubeStore,
    private readonly options: PodRunnerOptions,
  ) {
    this.images = options.images ?? {};
    this.log = options.log ?? ((m) => console.warn(m));
  }

  start(): void {
    if (!exitHook) {
      exitHook = true;
      process.on("exit", () => {
        for (const pid of livePids) killGroup(pid, "SIGKILL");
        for (const bind of liveBinds)
          try {
            execFileSync("umount", ["-l", bind], { stdio: "ignore" });
          } catch {
            // exiting anyway
          }
      });
    }
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
    const scheduledAlready =
      pod.spec?.nodeName && (pod.status?.conditions ?? []).some((c: any) => c.type === "PodScheduled" && c.status === "True");
    if (!scheduledAlready) {
      const result = schedulePod(this.store, pod);
      if ("message" in result) {
        this.writePod(namespace, name, (o) => {
          o.status = {
            ...o.status,
            phase: "Pending",
            conditions: setCondition(o.status?.conditions, this.store.now(), "PodScheduled", "False", "Unschedulable", result.message),
          };
        });
        if (this.scheduleMessages.get(uid) !== result.message) {
          this.scheduleMessages.set(uid, result.message);
          recordEvent(this.store, pod, "Warning", "FailedScheduling", result.message, SCHEDULER);
        }
        return;
      }
      this.scheduleMessages.delete(uid);
      const scheduled = this.writePod(namespace, name, (o) => {
        o.spec.nodeName = result.node;
        o.status = {
          ...o.status,
          phase: "Pending",
          conditions: setCondition(o.status?.conditions, this.store.now(), "PodScheduled", "True"),
        };
      });
      if (!scheduled) return;
      recordEvent(this.store, scheduled, "Normal", "Scheduled", `Successfully assigned ${namespace}/${name} to ${result.node}`, SCHEDULER);
      pod = scheduled;
    }
    const run: PodRun = {
      uid,
      namespace,
      name,
      dir: path.join(this.options.workDir, uid),
      containers: [],
      started: false,
      deleted: false,
      binds: [],
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
      const volumes = await this.prepareVolumes(pod, run);
      for (const { c, init } of specs)
        run.containers.push({
          name: String(c.name),
          image: String(c.image ?? ""),
          init,
          spec: await this.prepareContainer(pod, c, volumes, run),
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
      this.writePod(run.namespace, run.name, (o) => {
        o.status = {
          ...o.status,
          phase: "Pending",
          containerStatuses: specs
            .filter((s) => !s.init)
            .map(({ c }) => ({
              name: c.name,
              image: c.image,
              imageID: "",
              ready: false,
              started: false,
              restartCount: 0,
              state: {
                waiting: {
                  reason: error.waitingReason,
                  ...(error.waitingReason === "CreateContainerConfigError" ? { message: error.message } : {}),
                },
              },
              lastState: {},
            })),
        };
      });
      if (this.configMessages.get(run.uid) !== error.message) {
        this.configMessages.set(run.uid, error.message);
        const current = this.store.get("v1", "Pod", run.namespace, run.name);
        if (current)
          recordEvent(
            this.store,
            current,
            "Warning",
            error.eventReason,
            error.eventReason === "Failed" ? `Error: ${error.message}` : error.message,
            { ...KUBELET, host: pod.spec?.nodeName },
          );
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
    await writeFile(c.spec.terminationFile, "");
    const [file, ...args] = c.spec.argv;
    let child: ChildProcess;
    try {
      child = spawn(file ?? "", args, { cwd: c.spec.cwd, env: c.spec.env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    } catch (error) {
      return fail(`failed to start container process: ${(error as Error).message}`);
    }
    const spawned = await new Promise<Error | undefined>((resolve) => {
      child.once("spawn", () => resolve(undefined));
      child.once("error", (error) => resolve(error));
    });
    if (spawned) {
      const e = spawned as NodeJS.ErrnoException;
      const why =
        e.code === "ENOENT"
          ? `exec: "${file}": executable file not found in $PATH`
          : e.code === "EACCES"
            ? `exec: "${file}": permission denied`
            : e.message;
      return fail(
        `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: ${why}: unknown`,
      );
    }
    c.child = child;
    if (child.pid) livePids.add(child.pid);
    const log = c.log;
    child.stdout?.on("data", (chunk: Buffer) => log.append("stdout", chunk));
    child.stderr?.on("data", (chunk: Buffer) => log.append("stderr", chunk));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once("exit", (code, signal) => resolve({ code, signal })),
    );
    const closed = new Promise<void>((resolve) => child.once("close", () => resolve()));
    c.running = { startedAt };
    this.writeStatus(run);
    const current = this.store.get("v1", "Pod", run.namespace, run.name);
    if (current) {
      recordEvent(this.store, current, "Normal", "Created", `Created container ${c.name}`, { ...KUBELET, host: pod.spec?.nodeName });
      recordEvent(this.store, current, "Normal", "Started", `Started container ${c.name}`, { ...KUBELET, host: pod.spec?.nodeName });
    }
    if (run.killing || run.deleted || this.closing) this.terminate(run, undefined);
    const { code, signal } = await exited;
    // Like a container whose init process ended: whatever it left running goes too.
    killGroup(child.pid, "SIGKILL");
    await Promise.race([closed, sleep(1000)]);
    if (child.pid) livePids.delete(child.pid);
    c.child = undefined;
    log.finish();
    const signo = signal ? (osConstants.signals[signal] ?? 9) : 0;
    const exitCode = code ?? 128 + signo;
    let message = await readLimited(c.spec.terminationFile, MESSAGE_LIMIT);
    if (!message && exitCode !== 0 && c.spec.fallbackToLogs) {
      message = log.tail(FALLBACK_LINES);
      if (Buffer.byteLength(message) > FALLBACK_BYTES) message = Buffer.from(message).subarray(-FALLBACK_BYTES).toString();
    }
    const reason = run.killing?.reason === "DeadlineExceeded" ? "DeadlineExceeded" : exitCode === 0 ? "Completed" : "Error";
    c.running = undefined;
    c.terminated = {
      exitCode,
      ...(signal ? { signal: signo } : {}),
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
    const lost = (s: any) =>
      s?.state?.running
        ? {
            ...s,
            ready: false,
            started: false,
            state: {
              terminated: {
                exitCode: 137,
                reason: "Error",
                message: "the lab stopped while the container was running",
                startedAt: s.state.running.startedAt,
                finishedAt: now,
                containerID: s.containerID ?? "",
              },
            },
          }
        : s;
    this.writePod(pod.metadata.namespace ?? "", pod.metadata.name ?? "", (o) => {
      o.status = {
        ...o.status,
        phase: "Failed",
        initContainerStatuses: o.status?.initContainerStatuses?.map(lost),
        containerStatuses: o.status?.containerStatuses?.map(lost),
      };
      if (o.status.initContainerStatuses === undefined) delete o.status.initContainerStatuses;
    });
  }

  private async cleanup(run: PodRun): Promise<void> {
    for (const bind of run.binds.splice(0)) {
      await exec("umount", [bind]).catch(() => exec("umount", ["-l", bind]).catch(() => undefined));
      liveBinds.delete(bind);
    }
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
    const status = (c: ContainerState) => {
      const state = c.running
        ? { running: { startedAt: c.running.startedAt } }
        : c.terminated
          ? { terminated: terminatedOf(c.terminated) }
          : { waiting: c.waiting ?? { reason: "ContainerCreating" } };
      return {
        name: c.name,
        image: c.image,
        imageID: "",
        ...(c.containerID ? { containerID: c.containerID } : {}),
        ready: c.init ? !!c.terminated && c.terminated.exitCode === 0 : !!c.running,
        started: !!c.running,
        restartCount: c.restartCount,
        state,
        lastState: c.lastTerminated ? { terminated: terminatedOf(c.lastTerminated) } : {},
      };
    };
    const inits = run.containers.filter((c) => c.init);
    const mains = run.containers.filter((c) => !c.init);
    const initsDone = inits.every((c) => c.final && c.terminated?.exitCode === 0);
    const initFailed = inits.some((c) => c.final && c.terminated && c.terminated.exitCode !== 0);
    const allFinal = mains.every((c) => c.final) && (initsDone || initFailed);
    let phase: string;
    if (initFailed) phase = "Failed";
    else if (allFinal) phase = run.killing || mains.some((c) => (c.terminated?.exitCode ?? 1) !== 0) ? "Failed" : "Succeeded";
    else if (initsDone && mains.some((c) => c.running || c.terminated || c.lastTerminated)) phase = "Running";
    else phase = "Pending";
    const ready = phase === "Running" && mains.every((c) => c.running);
    const unready = mains.filter((c) => !c.running).map((c) => c.name);
    const done = phase === "Succeeded" || phase === "Failed";
    const notReadyReason = done ? "PodCompleted" : "ContainersNotReady";
    const notReadyMessage = done ? undefined : `containers with unready status: [${unready.join(" ")}]`;
    this.writePod(run.namespace, run.name, (o) => {
      let conditions = o.status?.conditions;
      conditions = setCondition(conditions, now, "PodReadyToStartContainers", done ? "False" : "True");
      conditions = setCondition(
        conditions,
        now,
        "Initialized",
        initsDone ? "True" : "False",
        initsDone ? undefined : done ? "PodCompleted" : "ContainersNotInitialized",
        initsDone || done
          ? undefined
          : `containers with incomplete status: [${inits
              .filter((c) => !c.final)
              .map((c) => c.name)
              .join(" ")}]`,
      );
      conditions = setCondition(
        conditions,
        now,
        "Ready",
        ready ? "True" : "False",
        ready ? undefined : notReadyReason,
        ready ? undefined : notReadyMessage,
      );
      conditions = setCondition(
        conditions,
        now,
        "ContainersReady",
        ready ? "True" : "False",
        ready ? undefined : notReadyReason,
        ready ? undefined : notReadyMessage,
      );
      conditions = setCondition(conditions, now, "PodScheduled", "True");
      const next: Record<string, unknown> = {
        ...o.status,
        phase,
        conditions: sortConditions(conditions),
        hostIP: "127.0.0.1",
        hostIPs: [{ ip: "127.0.0.1" }],
        podIP: "127.0.0.1",
        podIPs: [{ ip: "127.0.0.1" }],
        startTime: run.startTime,
        containerStatuses: mains.map(status),
        qosClass: o.status?.qosClass ?? "BestEffort",
      };
      if (inits.length) next.initContainerStatuses = inits.map(status);
      if (run.killing && phase === "Failed") {
        next.reason = run.killing.reason;
        next.message = run.killing.message;
      }
      o.status = next;
    });
  }

  private async prepareVolumes(pod: KubeObject, run: PodRun): Promise<Map<string, { dir: string; readOnly: boolean; kind: string }>> {
    const out = new Map<string, { dir: string; readOnly: boolean; kind: string }>();
    const namespace = pod.metadata.namespace ?? "";
    for (const vol of Array.isArray(pod.spec?.volumes) ? pod.spec.volumes : []) {
      const name = String(vol?.name ?? "");
      const scratch = path.join(run.dir, "volumes", name);
      if (isRecord(vol.persistentVolumeClaim)) {
        const claimName = String(vol.persistentVolumeClaim.claimName ?? "");
        const pvc = this.store.get("v1", "PersistentVolumeClaim", namespace, claimName);
        const pvName = pvc?.spec?.volumeName as string | undefined;
        const pv = pvName ? this.store.get("v1", "PersistentVolume", undefined, pvName) : undefined;
        if (!pv || !pvName)
          throw new ConfigError(
            "ContainerCreating",
            "FailedMount",
            `MountVolume.SetUp failed for volume "${name}" : persistentvolumeclaim "${claimName}" is not bound`,
          );
        const capacity = tryParseQuantity(pv.spec?.capacity?.storage)?.value() ?? 0;
        const dir = await this.options.volumes.ensure(pvName, capacity);
        out.set(name, { dir, readOnly: vol.persistentVolumeClaim.readOnly === true, kind: "pvc" });
      } else if (isRecord(vol.emptyDir) || vol.emptyDir === null) {
        await mkdir(scratch, { recursive: true, mode: 0o777 });
        out.set(name, { dir: scratch, readOnly: false, kind: "emptyDir" });
      } else if (isRecord(vol.secret) || isRecord(vol.configMap)) {
        const isSecret = isRecord(vol.secret);
        const source = (isSecret ? vol.secret : vol.configMap) as Record<string, any>;
        const objName = String(isSecret ? source.secretName : source.name);
        const obj = this.store.get("v1", isSecret ? "Secret" : "ConfigMap", namespace, objName);
        if (!obj && source.optional !== true)
          throw new ConfigError(
            "ContainerCreating",
            "FailedMount",
            `MountVolume.SetUp failed for volume "${name}" : ${isSecret ? "secret" : "configmap"} "${objName}" not found`,
          );
        const files = new Map<string, Buffer>();
        if (obj) {
          for (const [k, v] of Object.entries(isRecord(obj.data) ? obj.data : {}))
            files.set(k, isSecret ? Buffer.from(String(v), "base64") : Buffer.from(String(v)));
          if (!isSecret)
            for (const [k, v] of Object.entries(isRecord(obj.binaryData) ? obj.binaryData : {}))
              files.set(k, Buffer.from(String(v), "base64"));
        }
        await mkdir(scratch, { recursive: true });
        const items: Array<{ key: string; path: string; mode?: number }> | undefined = Array.isArray(source.items)
          ? source.items
          : undefined;
        const mode = Number(source.defaultMode ?? 0o644);
        for (const item of items ?? [...files.keys()].map((key): { key: string; path: string; mode?: number } => ({ key, path: key }))) {
          const content = files.get(item.key);
          if (!content) {
            if (source.optional === true) continue;
            throw new ConfigError(
              "ContainerCreating",
              "FailedMount",
              `MountVolume.SetUp failed for volume "${name}" : configmap references non-existent config key: ${item.key}`,
            );
          }
          const target = path.join(scratch, safeRelative(item.path));
          await mkdir(path.dirname(target), { recursive: true });
          await writeFile(target, content);
          await chmod(target, Number(item.mode ?? mode));
        }
        out.set(name, { dir: scratch, readOnly: true, kind: isSecret ? "secret" : "configMap" });
      } else if (isRecord(vol.hostPath)) {
        const dir = String(vol.hostPath.path ?? "");
        if (vol.hostPath.type === "DirectoryOrCreate") await mkdir(dir, { recursive: true });
        out.set(name, { dir, readOnly: false, kind: "hostPath" });
      } else {
        const type = Object.keys(vol ?? {}).find((k) => k !== "name") ?? "unknown";
        throw new ConfigError(
          "ContainerCreating",
          "FailedMount",
          `MountVolume.SetUp failed for volume "${name}" : the lab does not support ${type} volumes`,
        );
      }
    }
    return out;
  }

  private async prepareContainer(
    pod: KubeObject,
    c: any,
    volumes: Map<string, { dir: string; readOnly: boolean; kind: string }>,
    run: PodRun,
  ): Promise<PreparedContainer> {
    const name = String(c.name);
    const map: Array<[string, string]> = [];
    const mounts: any[] = Array.isArray(c.volumeMounts) ? c.volumeMounts : [];
    for (const [i, m] of mounts.entries()) {
      const vol = volumes.get(String(m.name));
      if (!vol)
        throw new ConfigError("CreateContainerConfigError", "Failed", `cannot find volume "${m.name}" to mount into container "${name}"`);
      let local = vol.dir;
      if (m.subPath) {
        local = path.join(vol.dir, safeRelative(String(m.subPath)));
        await mkdir(local, { recursive: true });
      }
      if ((m.readOnly === true || vol.readOnly) && vol.kind === "pvc") local = await this.readOnlyView(run, local, `${name}-${i}`);
      map.push([String(m.mountPath), local]);
    }
    const terminationFile = path.join(run.dir, "termination", name);
    await mkdir(path.dirname(terminationFile), { recursive: true });
    map.push([String(c.terminationMessagePath ?? "/dev/termination-log"), terminationFile]);
    const image = this.images[imageName(String(c.image ?? ""))];
    for (const [from, to] of Object.entries(image?.pathMap ?? {})) map.push([from, to]);
    const rewrite = pathRewriter(map);

    const env: Record<string, string> = {
      PATH: process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin",
      HOME: process.env.HOME ?? "/root",
      HOSTNAME: String(pod.metadata.name ?? ""),
    };
    const namespace = pod.metadata.namespace ?? "";
    const lookup = (kind: "Secret" | "ConfigMap", objName: string, optional: boolean) => {
      const obj = this.store.get("v1", kind, namespace, objName);
      if (!obj && !optional) throw new ConfigError("CreateContainerConfigError", "Failed", `${kind.toLowerCase()} "${objName}" not found`);
      return obj;
    };
    const valuesOf = (kind: "Secret" | "ConfigMap", obj: KubeObject): Record<string, string> => {
      const data = isRecord(obj.data) ? obj.data : {};
      return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, kind === "Secret" ? decode(v) : String(v)]));
    };
    for (const from of Array.isArray(c.envFrom) ? c.envFrom : []) {
      const kind = isRecord(from.secretRef) ? "Secret" : isRecord(from.configMapRef) ? "ConfigMap" : undefined;
      if (!kind) continue;
      const ref = (kind === "Secret" ? from.secretRef : from.configMapRef) as { name?: string; optional?: boolean };
      const obj = lookup(kind, String(ref.name ?? ""), ref.optional === true);
      if (obj) for (const [k, v] of Object.entries(valuesOf(kind, obj))) env[`${from.prefix ?? ""}${k}`] = rewrite(v);
    }
    for (const e of Array.isArray(c.env) ? c.env : []) {
      const key = String(e.name);
      if (e.valueFrom === undefined) {
        env[key] = expandVars(rewrite(String(e.value ?? "")), env);
        continue;
      }
      const vf = e.valueFrom;
      if (isRecord(vf.secretKeyRef) || isRecord(vf.configMapKeyRef)) {
        const kind = isRecord(vf.secretKeyRef) ? "Secret" : "ConfigMap";
        const ref = (kind === "Secret" ? vf.secretKeyRef : vf.configMapKeyRef) as { name?: string; key?: string; optional?: boolean };
        const obj = lookup(kind, String(ref.name ?? ""), ref.optional === true);
        if (!obj) continue;
        const values = valuesOf(kind, obj);
        const k = String(ref.key ?? "");
        if (!(k in values)) {
          if (ref.optional === true) continue;
          throw new ConfigError("CreateContainerConfigError", "Failed", `couldn't find key ${k} in ${kind} ${namespace}/${ref.name}`);
        }
        env[key] = rewrite(values[k] ?? "");
      } else if (isRecord(vf.fieldRef)) {
        env[key] = fieldValue(pod, String(vf.fieldRef.fieldPath ?? ""));
      } else env[key] = "";
    }
    const command: string[] = Array.isArray(c.command) ? c.command.map(String) : [];
    const args: string[] = Array.isArray(c.args) ? c.args.map(String) : [];
    const prepared: PreparedContainer = {
      env,
      cwd: run.dir,
      terminationFile,
      fallbackToLogs: c.terminationMessagePolicy === "FallbackToLogsOnError",
    };
    if (command.length === 0)
      prepared.startError = `the lab has no image entrypoints: container "${name}" (image ${c.image}) must set "command"; the lab runs the command as a local process`;
    else prepared.argv = [...command, ...args].map((s) => expandVars(rewrite(s), env));
    if (c.workingDir) {
      const wd = rewrite(String(c.workingDir));
      if (wd !== String(c.workingDir)) {
        await mkdir(wd, { recursive: true }).catch(() => undefined);
        prepared.cwd = wd;
      }
    }
    return prepared;
  }

  /** A read-only bind mount of `dir` (root only); otherwise `dir` itself, writable (logged once). */
  private async readOnlyView(run: PodRun, dir: string, id: string): Promise<string> {
    if (this.bindFailed || process.platform !== "linux" || process.getuid?.() !== 0) return dir;
    const target = path.join(run.dir, "ro", id);
    await mkdir(target, { recursive: true });
    try {
      await exec("mount", ["--bind", dir, target]);
      run.binds.push(target);
      liveBinds.add(target);
      await exec("mount", ["-o", "remount,bind,ro", target]);
      return target;
    } catch (error) {
      this.bindFailed = true;
      this.log(`kube lab: read-only volume mounts are not enforced (${(error as Error).message.split("\n")[0]})`);
      return dir;
    }
  }
}

function terminatedOf(t: Terminated): Record<string, unknown> {
  return {
    exitCode: t.exitCode,
    ...(t.signal ? { signal: t.signal } : {}),
    reason: t.reason,
    ...(t.message ? { message: t.message } : {}),
    startedAt: t.startedAt,
    finishedAt: t.finishedAt,
    containerID: t.containerID,
  };
}

function safeRelative(p: string): string {
  const normal = path.posix.normalize(p).replace(/^\/+/, "");
  if (normal.startsWith(".."))
    throw new ConfigError("CreateContainerConfigError", "Failed", `invalid subpath "${p}": must not contain '..'`);
  return normal;
}

function fieldValue(pod: KubeObject, fieldPath: string): string {
  const m = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(fieldPath);
  if (m) return String((m[1] === "labels" ? pod.metadata.labels : pod.metadata.annotations)?.[m[2] ?? ""] ?? "");
  switch (fieldPath) {
    case "metadata.name":
      return String(pod.metadata.name ?? "");
    case "metadata.namespace":
      return String(pod.metadata.namespace ?? "");
    case "metadata.uid":
      return String(pod.metadata.uid ?? "");
    case "spec.nodeName":
      return String(pod.spec?.nodeName ?? "");
    case "spec.serviceAccountName":
      return String(pod.spec?.serviceAccountName ?? "default");
    case "status.podIP":
    case "status.hostIP":
    case "status.podIPs":
    case "status.hostIPs":
      return "127.0.0.1";
  }
  return "";
}

async function readLimited(file: string, limit: number): Promise<string> {
  try {
    const handle = await open(file, "r");
    try {
      const buf = Buffer.alloc(limit);
      const { bytesRead } = await handle.read(buf, 0, limit, 0);
      return buf.subarray(0, bytesRead).toString("utf8");
    } finally {
      await handle.close();
    }
  } catch {
    return "";
  }
}

const CONDITION_ORDER = ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"];

function sortConditions(conditions: any[]): any[] {
  return [...conditions].sort((a, b) => CONDITION_ORDER.indexOf(a.type) - CONDITION_ORDER.indexOf(b.type));
}

/** Sets a condition, keeping lastTransitionTime when the status does not change. */
export function setCondition(conditions: unknown, now: string, type: string, status: string, reason?: string, message?: string): any[] {
  const list: any[] = Array.isArray(conditions) ? [...conditions] : [];
  const i = list.findIndex((c) => c?.type === type);
  const old = i >= 0 ? list[i] : undefined;
  const next: Record<string, unknown> = {
    type,
    status,
    lastProbeTime: null,
    lastTransitionTime: old && old.status === status ? old.lastTransitionTime : now,
    ...(reason ? { reason } : {}),
    ...(message ? { message } : {}),
  };
  if (i >= 0) list[i] = next;
  else list.push(next);
  return list;
}
