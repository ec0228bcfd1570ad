import type { V1EnvVar, V1JobSpec, V1Pod, V1Secret } from "@kubernetes/client-node";
import { ENTRYPOINT } from "@hks/backup-functions";
import type { RetentionPolicy } from "../../db/schema/backups.js";
import { JOB, POD } from "../../platform/kubernetes/kinds/cron-job.js";
import { MANAGED_BY } from "../../platform/kubernetes/kinds/labels.js";
import { ingressOnlyFromManifest } from "../../platform/kubernetes/kinds/network-policy.js";
import { REPOSITORY_KEY_FIELD, REPOSITORY_KEY_SECRET, SECRET } from "../../platform/kubernetes/kinds/secret.js";
import type { TranslationOptions } from "./translation.js";

/** On the copy's pods, Job and Secret; not the run label the run tracker follows, so a copy is never taken for a run. */
export const COPY_OF_LABEL = "backup.hks.io/copy-of";
export const COPY_ROLE_LABEL = "backup.hks.io/copy-role";
/** The copy's name on its serving pod and its Job's pods: what the copy's NetworkPolicy selects. */
export const COPY_NAME_LABEL = "backup.hks.io/copy-name";
export const COPY_CONTAINER = "copy";
const BACKUP_MOUNT = "/backup";
const KEY_MOUNT = "/run/secrets/hks-repository-key";
const USER_KEY = "user";
const PASSWORD_KEY = "password";

/** One copy: which repositories, where they are, and the names and port made for it. */
export interface CopyPlan {
  /** The copy Job's name; also the serving pod's (with "-s") and the credentials Secret's. */
  name: string;
  namespace: string;
  backupId: string;
  primary: { claim: string; path: string; zone: string | null };
  copy: { claim: string; path: string; zone: string | null };
  retention: RetentionPolicy;
  timeZone: string;
  /** The serving pod listens on its own address; a port picked per copy collides with nothing there. */
  port: number;
}

export const servePodName = (plan: Pick<CopyPlan, "name">) => `${plan.name}-s`;

const labels = (plan: CopyPlan, role: "serve" | "copy") => ({
  ...MANAGED_BY,
  [COPY_OF_LABEL]: plan.backupId,
  [COPY_ROLE_LABEL]: role,
  [COPY_NAME_LABEL]: plan.name,
});
const env = (name: string, value: string | number | null | undefined): V1EnvVar[] =>
  value === null || value === undefined ? [] : [{ name, value: String(value) }];
const fromSecret = (plan: CopyPlan, name: string, key: string): V1EnvVar => ({
  name,
  valueFrom: { secretKeyRef: { name: plan.name, key } },
});

function onNode(zone: string | null) {
  return zone
    ? {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: "topology.kubernetes.io/zone", operator: "In", values: [zone] }] }],
          },
        },
      }
    : undefined;
}

const container = (image: string, name: string) => ({
  name,
  image,
  command: [ENTRYPOINT],
  terminationMessagePath: "/dev/termination-log",
  terminationMessagePolicy: "FallbackToLogsOnError",
  resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "1Gi" } },
});

const SECURITY = { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001 };

/** Basic-auth credentials of the serving pod, made for this copy only and deleted with it. */
export function credentialsSecret(plan: CopyPlan, user: string, password: string): V1Secret & { apiVersion: string; kind: string } {
  return {
    apiVersion: SECRET.apiVersion,
    kind: SECRET.kind,
    metadata: { name: plan.name, namespace: plan.namespace, labels: labels(plan, "copy") },
    type: "Opaque",
    data: { [USER_KEY]: Buffer.from(user).toString("base64"), [PASSWORD_KEY]: Buffer.from(password).toString("base64") },
  };
}

/** The pod on the primary's node that serves its repository over HTTP (rclone serve restic) until the copy is done. */
export function servePod(plan: CopyPlan, options: TranslationOptions): V1Pod & { apiVersion: string; kind: string } {
  return {
    apiVersion: POD.apiVersion,
    kind: POD.kind,
    metadata: { name: servePodName(plan), namespace: plan.namespace, labels: labels(plan, "serve") },
    spec: {
      restartPolicy: "Never",
      activeDeadlineSeconds: options.activeDeadlineSeconds,
      affinity: onNode(plan.primary.zone),
      securityContext: SECURITY,
      volumes: [{ name: "destination", persistentVolumeClaim: { claimName: plan.primary.claim } }],
      containers: [
        {
          ...container(options.image, COPY_CONTAINER),
          env: [
            ...env("HKS_FORMAT", "restic"),
            ...env("HKS_MODE", "serve"),
            ...env("HKS_DEST_DIR", `${BACKUP_MOUNT}/${plan.primary.path}`),
            { name: "POD_IP", valueFrom: { fieldRef: { fieldPath: "status.podIP" } } },
            ...env("HKS_SERVE_ADDR", `$(POD_IP):${plan.port}`),
            fromSecret(plan, "HKS_SERVE_USER", USER_KEY),
            fromSecret(plan, "HKS_SERVE_PASSWORD", PASSWORD_KEY),
            ...env("HKS_SERVE_SECONDS", options.activeDeadlineSeconds),
            ...env("HKS_TERMINATION_LOG", "/dev/termination-log"),
          ],
          ports: [{ name: "restic", containerPort: plan.port, protocol: "TCP" }],
          volumeMounts: [{ name: "destination", mountPath: BACKUP_MOUNT }],
        },
      ],
    },
  };
}

/** Only this copy's Job may reach the serving pod's port: the repository is served to no other pod of the cluster. */
export function copyNetworkPolicy(plan: CopyPlan) {
  const copyOnly = (role: "serve" | "copy") => ({ [COPY_NAME_LABEL]: plan.name, [COPY_ROLE_LABEL]: role });
  return ingressOnlyFromManifest({
    name: servePodName(plan),
    namespace: plan.namespace,
    labels: labels(plan, "serve"),
    to: copyOnly("serve"),
    from: copyOnly("copy"),
    port: plan.port,
  });
}

/** The Job on the copy's node that pulls from the serving pod into its own repository, then applies retention there. */
export function copyJob(plan: CopyPlan, options: TranslationOptions, servedAt: string) {
  const r = plan.retention;
  const spec: V1JobSpec = {
    // restic copy copies only what is missing: a failed copy is simply retried after the next run.
    backoffLimit: 0,
    activeDeadlineSeconds: options.activeDeadlineSeconds,
    ttlSecondsAfterFinished: options.ttlSecondsAfterFinished,
    template: {
      metadata: { labels: labels(plan, "copy") },
      spec: {
        restartPolicy: "Never",
        affinity: onNode(plan.copy.zone),
        securityContext: SECURITY,
        volumes: [
          { name: "destination", persistentVolumeClaim: { claimName: plan.copy.claim } },
          { name: "repository-key", secret: { secretName: REPOSITORY_KEY_SECRET } },
        ],
        containers: [
          {
            ...container(options.image, COPY_CONTAINER),
            env: [
              ...env("HKS_FORMAT", "restic"),
              ...env("HKS_MODE", "copy"),
              ...env("HKS_DEST_DIR", `${BACKUP_MOUNT}/${plan.copy.path}`),
              ...env("HKS_COPY_REPO", `${BACKUP_MOUNT}/${plan.copy.path}`),
              ...env("HKS_COPY_FROM", `rest:http://${servedAt}:${plan.port}/`),
              fromSecret(plan, "HKS_COPY_FROM_USER", USER_KEY),
              fromSecret(plan, "HKS_COPY_FROM_PASSWORD", PASSWORD_KEY),
              ...env("HKS_BACKUP_ID", plan.backupId),
              ...env("HKS_TIMEZONE", plan.timeZone),
              ...env("HKS_KEEP_LAST", r.keepLast),
              ...env("HKS_KEEP_DAILY", r.keepDaily),
              ...env("HKS_KEEP_WEEKLY", r.keepWeekly),
              ...env("HKS_KEEP_MONTHLY", r.keepMonthly),
              ...env("RESTIC_PASSWORD_FILE", `${KEY_MOUNT}/${REPOSITORY_KEY_FIELD}`),
              ...env("HKS_TERMINATION_LOG", "/dev/termination-log"),
            ],
            volumeMounts: [
              { name: "destination", mountPath: BACKUP_MOUNT },
              { name: "repository-key", mountPath: KEY_MOUNT, readOnly: true },
            ],
          },
        ],
      },
    },
  };
  return {
    apiVersion: JOB.apiVersion,
    kind: JOB.kind,
    metadata: { name: plan.name, namespace: plan.namespace, labels: labels(plan, "copy") },
    spec,
  };
}
