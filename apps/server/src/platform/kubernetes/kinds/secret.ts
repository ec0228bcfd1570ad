import type { V1Secret } from "@kubernetes/client-node";
import { MANAGED_BY } from "./labels.js";

export const SECRET = { apiVersion: "v1", kind: "Secret", namespaced: true } as const;
/** The Secret in each namespace with restic backups that holds the workspace's repository password. */
export const REPOSITORY_KEY_SECRET = "hks-repository-key";
export const REPOSITORY_KEY_FIELD = "password";
export const REPOSITORY_KEY_LABEL = "backup.hks.io/repository-key";

export function repositoryKeySecretManifest(namespace: string, password: string): V1Secret & { apiVersion: string; kind: string } {
  return {
    apiVersion: SECRET.apiVersion,
    kind: SECRET.kind,
    metadata: { name: REPOSITORY_KEY_SECRET, namespace, labels: { ...MANAGED_BY, [REPOSITORY_KEY_LABEL]: "true" } },
    type: "Opaque",
    data: { [REPOSITORY_KEY_FIELD]: Buffer.from(password, "utf8").toString("base64") },
  };
}

/** The password a repository-key Secret holds, if it holds one. */
export function passwordOf(secret: V1Secret | undefined): string | undefined {
  const data = secret?.data?.[REPOSITORY_KEY_FIELD];
  return data ? Buffer.from(data, "base64").toString("utf8") : undefined;
}
