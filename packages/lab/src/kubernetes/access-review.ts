import { badRequest } from "./errors.js";
import { isRecord } from "./types.js";

/**
 * POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews (what `kubectl auth can-i` asks). The lab has one user,
 * the vCluster's admin (its bearer token), who may do everything: every review is allowed, as RBAC's cluster-admin is.
 */
export function selfSubjectAccessReview(body: unknown): Record<string, unknown> {
  if (!isRecord(body) || (body.kind !== undefined && body.kind !== "SelfSubjectAccessReview"))
    throw badRequest("the body of the request was in an unknown format: expected a SelfSubjectAccessReview");
  const spec = isRecord(body.spec) ? body.spec : {};
  if (!isRecord(spec.resourceAttributes) && !isRecord(spec.nonResourceAttributes))
    throw badRequest(
      'SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified',
    );
  return {
    kind: "SelfSubjectAccessReview",
    apiVersion: "authorization.k8s.io/v1",
    metadata: { creationTimestamp: null, ...(isRecord(body.metadata) ? body.metadata : {}) },
    spec,
    status: { allowed: true, reason: "the lab's vCluster admin may do everything (cluster-admin)" },
  };
}
