import type { KubeStore, StoreEvent } from "../store.js";
import { deepEqual, isRecord, type KubeObject } from "../types.js";
import { controllerOf, deleteIfExists, ownerRef, recordEvent } from "./events.js";
import { setCondition } from "./pods.js";

export const TRACKING_FINALIZER = "batch.kubernetes.io/job-tracking";
const SOURCE = { component: "job-controller" };

/** What the Job controller needs from the kubelet: stop a pod's containers and fail it with a reason. */
export interface PodKiller {
  kill(namespace: string, name: string, reason: string, message: string): void;
}

type Verdict = { action: "FailJob" | "Ignore" | "Count"; message?: string };

/** podFailurePolicy: the first rule whose onExitCodes matches a container that exited non-zero decides. */
export function podFailureVerdict(job: KubeObject, pod: KubeObject): Verdict {
  const rules: any[] = Array.isArray(job.spec?.podFailurePolicy?.rules) ? job.spec.podFailurePolicy.rules : [];
  const statuses: any[] = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  for (const [index, rule] of rules.entries()) {
    const req = rule?.onExitCodes;
    if (!isRecord(req)) continue;
    const values: number[] = Array.isArray(req.values) ? req.values.map(Number) : [];
    for (const s of statuses) {
      const code = s?.state?.terminated?.exitCode;
      if (typeof code !== "number" || code === 0) continue;
      if (req.containerName && req.containerName !== s.name) continue;
      const hit = req.operator === "In" ? values.includes(code) : !values.includes(code);
      if (!hit) continue;
      const action = rule.action === "FailJob" || rule.action === "FailIndex" ? "FailJob" : rule.action === "Ignore" ? "Ignore" : "Count";
      return {
        action,
        message: `Container ${s.name} for pod ${pod.metadata.namespace}/${pod.metadata.name} failed with exit code ${code} matching ${rule.action} rule at index ${index}`,
      };
    }
  }
  return { action: "Count" };
}

export function jobFinished(job: KubeObject): "Complete" | "Failed" | undefined {
  const conditions: any[] = Array.isArray(job.status?.conditions) ? job.status.conditions : [];
  const done = conditions.find((c) => (c.type === "Complete" || c.type === "Failed") && c.status === "True");
  return done?.type;
}

function isTerminal(pod: KubeObject): boolean {
  return pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed";
}

/**
 * The lab's Job controller: pods from spec.template, success/failure counting (pods carry the job-tracking finalizer
 * until counted), backoffLimit, podFailurePolicy, activeDeadlineSeconds, suspend and ttlSecondsAfterFinished.
 */
export class JobController {
  private unsubscribe?: () => void;
  /** Pods the controller deletes itself (suspend): not failures. */
  private expectedDeletions = new Set<string>();

  constructor(
    private readonly store: KubeStore,
    private readonly pods: PodKiller,
  ) {}

  start(): void {
    this.unsubscribe = this.store.subscribe((event: StoreEvent) => this.onEvent(event));
    this.tick();
  }

  stop(): void {
    this.unsubscribe?.();
  }

  tick(): void {
    for (const job of this.store.list("batch/v1", "Job")) this.reconcile(job.metadata.namespace ?? "", job.metadata.name ?? "");
  }

  private onEvent(event: StoreEvent): void {
    const { def, object } = event;
    if (def.kind === "Job" && def.group === "batch") {
      if (event.type === "DELETED") this.collect(object);
      else this.reconcile(object.metadata.namespace ?? "", object.metadata.name ?? "");
      return;
    }
    if (def.kind !== "Pod" || def.group !== "") return;
    const owner = controllerOf(object);
    if (owner?.kind !== "Job" || !owner.name) return;
    const namespace = object.metadata.namespace ?? "";
    if (event.type === "DELETED") {
      const uid = object.metadata.uid ?? "";
      const expected = this.expectedDeletions.delete(uid);
      // A pod deleted before it was counted: a failure (podReplacementPolicy TerminatingOrFailed), unless it succeeded.
      if (!expected && object.metadata.finalizers?.includes(TRACKING_FINALIZER)) {
        const job = this.store.get("batch/v1", "Job", namespace, owner.name);
        if (job && job.metadata.uid === owner.uid && !jobFinished(job)) {
          const succeeded = object.status?.phase === "Succeeded";
          this.store.modify("batch/v1", "Job", namespace, owner.name, (o) => {
            o.status = { ...o.status };
            if (succeeded) o.status.succeeded = Number(o.status.succeeded ?? 0) + 1;
            else o.status.failed = Number(o.status.failed ?? 0) + 1;
          });
        }
      }
    }
    this.reconcile(namespace, owner.name);
  }

  /** Background cascading deletion of a Job's pods. */
  private collect(job: KubeObject): void {
    for (const pod of this.podsOf(job)) deleteIfExists(this.store, "v1", "Pod", pod.metadata.namespace, pod.metadata.name ?? "");
  }

  private podsOf(job: KubeObject): KubeObject[] {
    return this.store.list("v1", "Pod", { namespace: job.metadata.namespace }).filter((p) => controllerOf(p)?.uid === job.metadata.uid);
  }

  private pending = new Set<string>();
  private busy = false;

  /** Serialized: a reconcile's own writes (from tick(), outside the store's event queue) must not re-enter it. */
  private reconcile(namespace: string, name: string): void {
    this.pending.add(`${namespace}/${name}`);
    if (this.busy) return;
    this.busy = true;
    try {
      for (let key = this.pending.values().next().value; key !== undefined; key = this.pending.values().next().value) {
        this.pending.delete(key);
        const slash = key.indexOf("/");
        this.reconcileOne(key.slice(0, slash), key.slice(slash + 1));
      }
    } finally {
      this.busy = false;
    }
  }

  private reconcileOne(namespace: string, name: string): void {
    const job = this.store.get("batch/v1", "Job", namespace, name);
    if (!job) return;
    const now = this.store.clock();
    const nowText = this.store.now();
    const finished = jobFinished(job);
    if (finished) {
      const ttl = job.spec?.ttlSecondsAfterFinished;
      if (typeof ttl === "number") {
        const done = (job.status?.conditions ?? []).find((c: any) => c.type === finished);
        const at = Date.parse(job.status?.completionTime ?? done?.lastTransitionTime ?? nowText);
        if (now.getTime() >= at + ttl * 1000) deleteIfExists(this.store, "batch/v1", "Job", namespace, name);
      }
      // Count stragglers so their finalizers go.
      for (const pod of this.podsOf(job)) if (isTerminal(pod) && pod.metadata.finalizers?.includes(TRACKING_FINALIZER)) this.uncount(pod);
      return;
    }
    const status: Record<string, any> = { ...job.status };
    let conditions: any[] = Array.isArray(status.conditions) ? status.conditions : [];
    const pods = this.podsOf(job);
    if (job.spec?.suspend === true) {
      for (const pod of pods.filter((p) => !isTerminal(p))) {
        this.expectedDeletions.add(pod.metadata.uid ?? "");
        deleteIfExists(this.store, "v1", "Pod", namespace, pod.metadata.name ?? "");
      }
      if (!conditions.some((c) => c.type === "Suspended" && c.status === "True")) {
        conditions = setCondition(conditions, nowText, "Suspended", "True", "JobSuspended", "Job suspended");
        recordEvent(this.store, job, "Normal", "Suspended", "Job suspended", SOURCE);
      }
      delete status.startTime;
      this.write(job, { ...status, conditions, active: 0, ready: 0 });
      return;
    }
    if (conditions.some((c) => c.type === "Suspended" && c.status === "True")) {
      conditions = setCondition(conditions, nowText, "Suspended", "False", "JobResumed", "Job resumed");
      recordEvent(this.store, job, "Normal", "Resumed", "Job resumed", SOURCE);
    }
    status.startTime ??= nowText;
    let succeeded = Number(status.succeeded ?? 0);
    let failed = Number(status.failed ?? 0);
    let failure: { reason: string; message: string } | undefined;
    for (const pod of pods) {
      if (!isTerminal(pod) || !pod.metadata.finalizers?.includes(TRACKING_FINALIZER)) continue;
      if (pod.status?.phase === "Succeeded") succeeded++;
      else {
        const verdict = podFailureVerdict(job, pod);
        if (verdict.action === "Count") failed++;
        else if (verdict.action === "FailJob") {
          failed++;
          failure ??= { reason: "PodFailurePolicy", message: verdict.message ?? "" };
        }
      }
      this.uncount(pod);
    }
    const active = pods.filter((p) => !isTerminal(p));
    const completions = Number(job.spec?.completions ?? 1);
    const parallelism = Number(job.spec?.parallelism ?? 1);
    const backoffLimit = Number(job.spec?.backoffLimit ?? 6);
    const restarts = job.spec?.template?.spec?.restartPolicy === "OnFailure" ? active.reduce((n, p) => n + restartsOf(p), 0) : 0;
    const deadline = job.spec?.activeDeadlineSeconds;
    if (!failure && succeeded < completions && failed + restarts > backoffLimit)
      failure = { reason: "BackoffLimitExceeded", message: "Job has reached the specified backoff limit" };
    if (
      !failure &&
      succeeded < completions &&
      typeof deadline === "number" &&
      now.getTime() - Date.parse(status.startTime) >= deadline * 1000
    )
      failure = { reason: "DeadlineExceeded", message: "Job was active longer than specified deadline" };
    status.succeeded = succeeded;
    status.failed = failed;
    if (failure) {
      const podReason = failure.reason === "DeadlineExceeded" ? "DeadlineExceeded" : failure.reason;
      for (const pod of active)
        this.pods.kill(
          namespace,
          pod.metadata.name ?? "",
          podReason,
          failure.reason === "DeadlineExceeded" ? "Pod was active on the node longer than the specified deadline" : failure.message,
        );
      conditions = setCondition(conditions, nowText, "Failed", "True", failure.reason, failure.message);
      recordEvent(this.store, job, "Warning", failure.reason, failure.message, SOURCE);
      this.write(job, { ...status, conditions, active: 0, ready: 0, terminating: 0, uncountedTerminatedPods: {} });
      return;
    }
    if (succeeded >= completions) {
      for (const pod of active) this.pods.kill(namespace, pod.metadata.name ?? "", "Completed", "the Job completed");
      conditions = setCondition(conditions, nowText, "Complete", "True", "CompletionsReached", "Reached expected number of succeeded pods");
      recordEvent(this.store, job, "Normal", "Completed", "Job completed", SOURCE);
      this.write(job, { ...status, conditions, active: 0, ready: 0, terminating: 0, completionTime: nowText, uncountedTerminatedPods: {} });
      return;
    }
    const wanted = Math.max(0, Math.min(parallelism, completions - succeeded) - active.length);
    for (let i = 0; i < wanted; i++) {
      const pod = this.createPod(job);
      if (pod) active.push(pod);
    }
    const ready = active.filter((p) => (p.status?.conditions ?? []).some((c: any) => c.type === "Ready" && c.status === "True")).length;
    this.write(job, {
      ...status,
      conditions: conditions.length ? conditions : undefined,
      active: active.length,
      ready,
      terminating: 0,
      uncountedTerminatedPods: {},
    });
  }

  private uncount(pod: KubeObject): void {
    try {
      this.store.modify("v1", "Pod", pod.metadata.namespace, pod.metadata.name ?? "", (o) => {
        o.metadata.finalizers = (o.metadata.finalizers ?? []).filter((f) => f !== TRACKING_FINALIZER);
        if (o.metadata.finalizers.length === 0) delete o.metadata.finalizers;
      });
    } catch {
      // gone
    }
  }

  private createPod(job: KubeObject): KubeObject | undefined {
    const template = job.spec?.template ?? {};
    const uid = job.metadata.uid ?? "";
    const jobName = job.metadata.name ?? "";
    try {
      const pod = this.store.create(
        {
          apiVersion: "v1",
          kind: "Pod",
          metadata: {
            generateName: `${jobName}-`.slice(0, 58),
            namespace: job.metadata.namespace,
            labels: {
              ...template.metadata?.labels,
              "batch.kubernetes.io/controller-uid": uid,
              "batch.kubernetes.io/job-name": jobName,
              "controller-uid": uid,
              "job-name": jobName,
            },
            ...(template.metadata?.annotations ? { annotations: template.metadata.annotations } : {}),
            ownerReferences: [ownerRef(job)],
            finalizers: [TRACKING_FINALIZER],
          },
          spec: structuredClone(template.spec ?? {}),
        },
        { scope: "main" },
      );
      recordEvent(this.store, job, "Normal", "SuccessfulCreate", `Created pod: ${pod.metadata.name}`, SOURCE);
      return pod;
    } catch (error) {
      recordEvent(this.store, job, "Warning", "FailedCreate", `Error creating: ${(error as Error).message}`, SOURCE);
      return undefined;
    }
  }

  private write(job: KubeObject, status: Record<string, unknown>): void {
    for (const key of Object.keys(status)) if (status[key] === undefined) delete status[key];
    if (deepEqual(status, job.status)) return;
    try {
      this.store.modify("batch/v1", "Job", job.metadata.namespace, job.metadata.name ?? "", (o) => (o.status = status));
    } catch {
      // deleted meanwhile
    }
  }
}

function restartsOf(pod: KubeObject): number {
  return (pod.status?.containerStatuses ?? []).reduce((n: number, s: any) => n + Number(s?.restartCount ?? 0), 0);
}
