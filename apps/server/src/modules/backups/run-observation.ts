import type { V1Job, V1Pod } from "@kubernetes/client-node";
import { parseResult, type BackupResult } from "@hks/backup-functions";
import type { NewBackupRun, BackupRunRecord } from "./backup.repository.js";
import { runFailure } from "./run-failures.js";
import { CONTAINER } from "./translation.js";

export type RunPatch = Partial<Omit<NewBackupRun, "id" | "workspaceId">>;

/** What the Job and its newest Pod say about the run. */
export function observeRun(job: V1Job, pods: V1Pod[], at: { now: Date; scale: (bytes: number) => number }): RunPatch {
  const pod = latestPod(pods);
  const terminated = pod?.status?.containerStatuses?.find((c) => c.name === CONTAINER)?.state?.terminated;
  const started = toDate(job.status?.startTime) ?? toDate(pod?.status?.startTime);
  const failed = job.status?.conditions?.find((c) => c.type === "Failed" && c.status === "True");
  const complete = job.status?.conditions?.find((c) => c.type === "Complete" && c.status === "True");
  const finishedAt = toDate(job.status?.completionTime) ?? toDate(failed?.lastTransitionTime) ?? toDate(terminated?.finishedAt);

  if (complete || failed) {
    const result = inUnitsShown(parseResult(terminated?.message, terminated?.exitCode), at.scale);
    const base: RunPatch = {
      startedAt: started,
      finishedAt: finishedAt ?? at.now,
      result: result as unknown as Record<string, unknown>,
      bytesWritten: result.bytes ?? null,
      files: result.files ?? null,
      snapshot: result.snapshot ?? null,
      message: result.message ?? null,
    };
    if (complete) {
      return {
        ...base,
        status: result.outcome === "PARTIALLY_SUCCEEDED" ? "PARTIALLY_SUCCEEDED" : "SUCCEEDED",
        failureReason: null,
        verifyState: result.verified === true ? "VERIFIED" : result.verified === false ? "FAILED" : undefined,
      };
    }
    if (failed?.reason === "DeadlineExceeded") {
      return {
        ...base,
        status: "FAILED",
        failureReason: "TIMEOUT",
        message: `The run took longer than its deadline and was stopped. ${result.message ?? ""}`.trim(),
      };
    }
    return { ...base, status: "FAILED", ...runFailure(result, failed?.message ?? "The run failed.") };
  }

  const unschedulable = pod?.status?.conditions?.find(
    (c) => c.type === "PodScheduled" && c.status === "False" && c.reason === "Unschedulable",
  );
  if (unschedulable) {
    return {
      status: "MISSED",
      failureReason: "UNSCHEDULABLE",
      message: `The run could not start: no node can mount its volumes (${unschedulable.message ?? "unschedulable"}). It starts as soon as one can.`,
    };
  }
  if (pod?.status?.phase === "Running" || (job.status?.active ?? 0) > 0) return { status: "RUNNING", startedAt: started ?? at.now };
  return { status: "SCHEDULED" };
}

/** Finished for good; a MISSED run whose pod was unschedulable may still start later. */
export const isFinal = (status: BackupRunRecord["status"]) =>
  status === "SUCCEEDED" || status === "PARTIALLY_SUCCEEDED" || status === "FAILED";

export function latestPod(pods: V1Pod[]): V1Pod | undefined {
  return [...pods].sort(
    (a, b) => (toDate(b.metadata?.creationTimestamp)?.getTime() ?? 0) - (toDate(a.metadata?.creationTimestamp)?.getTime() ?? 0),
  )[0];
}

/** The one place a run's byte figures take the unit every size in the product is shown in (lab bytes on the lab). */
function inUnitsShown(result: BackupResult, scale: (bytes: number) => number): BackupResult {
  const { bytes, sourceBytes, destFreeBytes, destTotalBytes } = result;
  // restic's own byte counts in the details too (what a backup read, added, and what the repository holds).
  const details = result.details && { ...result.details };
  for (const key of ["bytesRead", "dataAdded", "repoBytes"] as const) {
    const value = details?.[key];
    if (details && typeof value === "number") details[key] = scale(value);
  }
  return {
    ...result,
    ...(details ? { details } : {}),
    bytes: scale(bytes),
    sourceBytes: scale(sourceBytes),
    destFreeBytes: scale(destFreeBytes),
    destTotalBytes: scale(destTotalBytes),
  };
}

export function toDate(value: Date | string | undefined | null): Date | undefined {
  if (!value) return undefined;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

export function same(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (a && b && typeof a === "object") return JSON.stringify(a) === JSON.stringify(b);
  return a === b;
}
