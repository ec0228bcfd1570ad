import type { FieldError } from "../errors.js";
import { isRecord } from "../types.js";
import { defineKind, humanAge } from "./kind.js";
import { invalidValue, notSupported, required, validatePodSpec } from "./validation.js";

const CONCURRENCY = ["Allow", "Forbid", "Replace"];
const MACROS = ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"];
const FIELD_RANGES: Array<[number, number, string[]?]> = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12, ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]],
  [0, 7, ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]],
];

/** Why a standard 5-field cron schedule (robfig/cron's parser as the apiserver uses it) is invalid, or undefined. */
export function cronScheduleProblem(schedule: string): string | undefined {
  const trimmed = schedule.trim();
  if (MACROS.includes(trimmed)) return undefined;
  if (trimmed.startsWith("@every ")) return undefined;
  const fields = trimmed.split(/\s+/);
  if (fields.length !== 5) return `expected exactly 5 fields, found ${fields.length}: ${JSON.stringify(trimmed).slice(1, -1)}`;
  for (let i = 0; i < 5; i++) {
    const [min, max, names] = FIELD_RANGES[i] ?? [0, 0];
    const value = (text: string) => {
      const byName = names?.indexOf(text.toLowerCase()) ?? -1;
      if (byName >= 0) return byName + (i === 3 ? 1 : 0);
      return /^\d+$/.test(text) ? Number(text) : NaN;
    };
    for (const part of (fields[i] ?? "").split(",")) {
      const [range = "", step] = part.split("/");
      if (step !== undefined && !/^\d+$/.test(step))
        return `failed to parse int from ${step}: strconv.Atoi: parsing "${step}": invalid syntax`;
      if (range === "*" || range === "?") continue;
      for (const bound of range.split("-")) {
        const v = value(bound);
        if (Number.isNaN(v)) return `failed to parse int from ${bound}: strconv.Atoi: parsing "${bound}": invalid syntax`;
        if (v < min || v > max) return `end of range (${v}) above maximum (${max}): ${range}`;
      }
    }
  }
  return undefined;
}

export function isValidTimeZone(zone: string): boolean {
  // Go's time.LoadLocation accepts IANA names and "UTC"; the apiserver additionally rejects "Local".
  if (zone === "Local" || zone === "") return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const cronJobKind = defineKind({
  group: "batch",
  version: "v1",
  kind: "CronJob",
  plural: "cronjobs",
  singular: "cronjob",
  shortNames: ["cj"],
  categories: ["all"],
  namespaced: true,
  statusSubresource: true,
  generation: true,
  openapiName: "io.k8s.api.batch.v1.CronJob",
  defaults(obj) {
    obj.spec = { concurrencyPolicy: "Allow", suspend: false, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1, ...obj.spec };
    const template = obj.spec.jobTemplate?.spec;
    if (isRecord(template)) {
      if (template.backoffLimit === undefined) template.backoffLimit = 6;
      if (template.completions === undefined) template.completions = 1;
      if (template.parallelism === undefined) template.parallelism = 1;
    }
  },
  prepareForCreate(obj) {
    obj.status = {};
  },
  validate(obj) {
    const errors: FieldError[] = [];
    const name = obj.metadata.name ?? "";
    // Job names get an 11-character suffix and must stay DNS-1035 labels.
    if (name.length > 52) errors.push(invalidValue("metadata.name", name, "must be no more than 52 characters"));
    const spec = isRecord(obj.spec) ? obj.spec : {};
    const schedule = spec.schedule;
    if (typeof schedule !== "string" || !schedule) errors.push(required("spec.schedule"));
    else if (/^\s*(CRON_)?TZ=/.test(schedule)) {
      errors.push(
        invalidValue(
          "spec.schedule",
          schedule,
          spec.timeZone !== undefined
            ? "cannot use both timeZone field and TZ or CRON_TZ in schedule"
            : "cannot use TZ or CRON_TZ in schedule, use timeZone field instead",
        ),
      );
    } else {
      const problem = cronScheduleProblem(schedule);
      if (problem) errors.push(invalidValue("spec.schedule", schedule, problem));
    }
    if (spec.timeZone !== undefined && spec.timeZone !== null) {
      const zone = String(spec.timeZone);
      if (!isValidTimeZone(zone)) errors.push(invalidValue("spec.timeZone", spec.timeZone, `unknown time zone ${zone}`));
    }
    if (!CONCURRENCY.includes(String(spec.concurrencyPolicy)))
      errors.push(notSupported("spec.concurrencyPolicy", spec.concurrencyPolicy, CONCURRENCY));
    const jobSpec = isRecord(spec.jobTemplate) ? spec.jobTemplate.spec : undefined;
    if (!isRecord(jobSpec)) errors.push(required("spec.jobTemplate.spec"));
    else
      errors.push(
        ...validatePodSpec("spec.jobTemplate.spec.template.spec", isRecord(jobSpec.template) ? jobSpec.template.spec : undefined, [
          "OnFailure",
          "Never",
        ]),
      );
    return errors;
  },
  columns: [
    { name: "Schedule", type: "string", cell: (o) => o.spec?.schedule ?? "" },
    { name: "Timezone", type: "string", cell: (o) => o.spec?.timeZone ?? "<none>" },
    { name: "Suspend", type: "boolean", cell: (o) => o.spec?.suspend === true },
    { name: "Active", type: "integer", cell: (o) => (Array.isArray(o.status?.active) ? o.status.active.length : 0) },
    { name: "Last Schedule", type: "string", cell: (o) => (o.status?.lastScheduleTime ? humanAge(o.status.lastScheduleTime) : "<none>") },
  ],
});
