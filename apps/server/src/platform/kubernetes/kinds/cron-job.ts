import type { V1CronJob, V1JobSpec, V1Job } from "@kubernetes/client-node";

export const CRON_JOB = { apiVersion: "batch/v1", kind: "CronJob", namespaced: true } as const;
export const JOB = { apiVersion: "batch/v1", kind: "Job", namespaced: true } as const;
export const POD = { apiVersion: "v1", kind: "Pod", namespaced: true } as const;

/** The longest CronJob name Kubernetes accepts (its Jobs append 11 characters). */
export const MAX_CRON_JOB_NAME = 52;

export type Manifest<T> = T & { apiVersion: string; kind: string };

export function cronJobManifest(spec: {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  schedule: string;
  timeZone: string;
  suspend: boolean;
  concurrencyPolicy: "Forbid" | "Allow" | "Replace";
  startingDeadlineSeconds: number;
  jobSpec: V1JobSpec;
}): Manifest<V1CronJob> {
  if (spec.name.length > MAX_CRON_JOB_NAME) throw new Error(`CronJob name ${spec.name} is longer than ${MAX_CRON_JOB_NAME} characters`);
  return {
    apiVersion: CRON_JOB.apiVersion,
    kind: CRON_JOB.kind,
    metadata: { name: spec.name, namespace: spec.namespace, labels: spec.labels, annotations: spec.annotations },
    spec: {
      schedule: spec.schedule,
      timeZone: spec.timeZone,
      suspend: spec.suspend,
      concurrencyPolicy: spec.concurrencyPolicy,
      // Without a deadline, a CronJob that missed more than 100 starts stops scheduling altogether.
      startingDeadlineSeconds: spec.startingDeadlineSeconds,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      jobTemplate: { metadata: { labels: spec.labels }, spec: spec.jobSpec },
    },
  };
}

export function jobManifest(spec: {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  jobSpec: V1JobSpec;
}): Manifest<V1Job> {
  return {
    apiVersion: JOB.apiVersion,
    kind: JOB.kind,
    metadata: { name: spec.name, namespace: spec.namespace, labels: spec.labels, annotations: spec.annotations },
    spec: spec.jobSpec,
  };
}
