import { isRecord } from "../types.js";
import { defineKind, humanAge } from "./kind.js";
import type { FieldError } from "../errors.js";
import { invalidValue, notSupported, validatePodSpec } from "./validation.js";

const POLICY_ACTIONS = ["FailJob", "FailIndex", "Ignore", "Count"];

export const jobKind = defineKind({
  group: "batch",
  version: "v1",
  kind: "Job",
  plural: "jobs",
  singular: "job",
  categories: ["all"],
  namespaced: true,
  statusSubresource: true,
  generation: true,
  openapiName: "io.k8s.api.batch.v1.Job",
  fieldSelectors: { "status.successful": (o) => String(o.status?.succeeded ?? 0) },
  defaults(obj, _store, op) {
    obj.spec = { backoffLimit: 6, completions: 1, parallelism: 1, completionMode: "NonIndexed", suspend: false, ...obj.spec };
    // The apiserver generates the selector and stamps the template with it (unless spec.manualSelector).
    const uid = obj.metadata.uid;
    if (op === "create" && uid && obj.spec.manualSelector !== true && isRecord(obj.spec.template)) {
      const labels = {
        "batch.kubernetes.io/controller-uid": uid,
        "batch.kubernetes.io/job-name": obj.metadata.name ?? "",
        "controller-uid": uid,
        "job-name": obj.metadata.name ?? "",
      };
      obj.spec.selector = { matchLabels: { "batch.kubernetes.io/controller-uid": uid } };
      const template = obj.spec.template as { metadata?: { labels?: Record<string, string> } };
      template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, ...labels } };
    }
    if (obj.spec.podReplacementPolicy === undefined) obj.spec.podReplacementPolicy = "TerminatingOrFailed";
  },
  prepareForCreate(obj) {
    obj.status = {};
  },
  validate(obj) {
    const template = isRecord(obj.spec) && isRecord(obj.spec.template) ? obj.spec.template.spec : undefined;
    const errors: FieldError[] = validatePodSpec("spec.template.spec", template, ["OnFailure", "Never"]);
    const policy = isRecord(obj.spec) ? obj.spec.podFailurePolicy : undefined;
    if (isRecord(policy)) {
      const restart = isRecord(template) ? template.restartPolicy : undefined;
      if (restart !== "Never")
        errors.push(
          invalidValue("spec.template.spec.restartPolicy", restart, 'only "Never" is supported when podFailurePolicy is specified'),
        );
      const rules: unknown[] = Array.isArray(policy.rules) ? policy.rules : [];
      rules.forEach((rule, i) => {
        const r = isRecord(rule) ? rule : {};
        if (!POLICY_ACTIONS.includes(String(r.action)))
          errors.push(notSupported(`spec.podFailurePolicy.rules[${i}].action`, r.action, POLICY_ACTIONS));
        const codes = isRecord(r.onExitCodes) ? r.onExitCodes : undefined;
        if (codes && !["In", "NotIn"].includes(String(codes.operator)))
          errors.push(notSupported(`spec.podFailurePolicy.rules[${i}].onExitCodes.operator`, codes.operator, ["In", "NotIn"]));
        if (codes && codes.operator === "In" && Array.isArray(codes.values) && codes.values.includes(0))
          errors.push(
            invalidValue(
              `spec.podFailurePolicy.rules[${i}].onExitCodes.values[${codes.values.indexOf(0)}]`,
              0,
              "must not be 0 for the In operator",
            ),
          );
      });
    }
    return errors;
  },
  columns: [
    {
      name: "Status",
      type: "string",
      cell: (o) => {
        const conditions: Array<{ type: string; status: string }> = o.status?.conditions ?? [];
        const done = conditions.find((c) => (c.type === "Complete" || c.type === "Failed") && c.status === "True");
        return done ? done.type : o.spec?.suspend ? "Suspended" : "Running";
      },
    },
    { name: "Completions", type: "string", cell: (o) => `${o.status?.succeeded ?? 0}/${o.spec?.completions ?? 1}` },
    {
      name: "Duration",
      type: "string",
      cell: (o) => {
        const start = o.status?.startTime;
        if (!start) return "";
        const end = o.status?.completionTime ? Date.parse(o.status.completionTime) : Date.now();
        return humanAge(start, end);
      },
    },
  ],
});
