import type { ChildProcess } from "node:child_process";
import type { LogBuffer } from "./logs.js";
import type { PreparedContainer } from "./pod-containers.js";
import { HOST_IP, podIP } from "./pod-network.js";
import type { ConfigError } from "./pod-spec.js";

export interface Terminated {
  exitCode: number;
  signal?: number;
  reason: string;
  message?: string;
  startedAt: string;
  finishedAt: string;
  containerID: string;
}

export interface ContainerState {
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

export interface PodRun {
  uid: string;
  namespace: string;
  name: string;
  dir: string;
  containers: ContainerState[];
  started: boolean;
  killing?: { reason: string; message: string };
  deleted: boolean;
  finished: Promise<void>;
  startTime?: string;
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

function containerStatus(c: ContainerState) {
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
}

/** The pod status the kubelet would report for these containers, on top of the current one. */
export function podStatus(run: PodRun, current: Record<string, any> | undefined, now: string): Record<string, unknown> {
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
  let conditions = current?.conditions;
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
  for (const type of ["Ready", "ContainersReady"])
    conditions = setCondition(
      conditions,
      now,
      type,
      ready ? "True" : "False",
      ready ? undefined : notReadyReason,
      ready ? undefined : notReadyMessage,
    );
  conditions = setCondition(conditions, now, "PodScheduled", "True");
  const next: Record<string, unknown> = {
    ...current,
    phase,
    conditions: sortConditions(conditions),
    hostIP: HOST_IP,
    hostIPs: [{ ip: HOST_IP }],
    podIP: podIP(run.uid),
    podIPs: [{ ip: podIP(run.uid) }],
    startTime: run.startTime,
    containerStatuses: mains.map(containerStatus),
    qosClass: current?.qosClass ?? "BestEffort",
  };
  if (inits.length) next.initContainerStatuses = inits.map(containerStatus);
  if (run.killing && phase === "Failed") {
    next.reason = run.killing.reason;
    next.message = run.killing.message;
  }
  return next;
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

/** A container status of a pod that cannot start yet (the kubelet keeps it Pending and retries). */
export function waitingContainerStatus(c: any, error: ConfigError): Record<string, unknown> {
  return {
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
  };
}

/** The status of a pod that was running when the lab stopped: its processes are gone, killed with the lab. */
export function lostPodStatus(status: any, now: string): Record<string, unknown> {
  const next = {
    ...status,
    phase: "Failed",
    initContainerStatuses: status?.initContainerStatuses?.map((s: any) => lostContainerStatus(s, now)),
    containerStatuses: status?.containerStatuses?.map((s: any) => lostContainerStatus(s, now)),
  };
  if (next.initContainerStatuses === undefined) delete next.initContainerStatuses;
  return next;
}

function lostContainerStatus(s: any, now: string): any {
  if (!s?.state?.running) return s;
  return {
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
  };
}
