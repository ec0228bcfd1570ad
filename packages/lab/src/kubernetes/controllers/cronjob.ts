import { CronExpressionParser } from "cron-parser";
import type { KubeStore, StoreEvent } from "../store.js";
import { deepEqual, type KubeObject } from "../types.js";
import { controllerOf, deleteIfExists, ownerRef, recordEvent, rfc3339 } from "./events.js";
import { jobFinished } from "./job.js";

const SOURCE = { component: "cronjob-controller" };
const MACROS: Record<string, string> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};
const GO_UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go's time.ParseDuration, for `@every <duration>`; milliseconds. */
function goDuration(text: string): number | undefined {
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    total += Number(m[1]) * (GO_UNITS[m[2] ?? ""] ?? 0);
    matched = re.lastIndex;
  }
  return matched === text.length && total > 0 ? total : undefined;
}

export interface Unmet {
  /** The most recent scheduled time in (earliest, now]. */
  time: Date;
  /** How many scheduled times fell in (earliest, now], counted up to 101. */
  count: number;
}

/** The most recent unmet schedule time of `schedule` (in `timeZone`) after `earliest` up to `now`. */
export function mostRecentScheduleTime(schedule: string, timeZone: string, earliest: Date, now: Date): Unmet | undefined {
  const trimmed = schedule.trim();
  if (trimmed.startsWith("@every ")) {
    const every = goDuration(trimmed.slice(7).trim());
    if (!every) return undefined;
    // robfig/cron rounds @every to whole seconds and counts from the previous run.
    const step = Math.max(1000, Math.round(every / 1000) * 1000);
    const count = Math.floor((now.getTime() - earliest.getTime()) / step);
    return count > 0 ? { time: new Date(earliest.getTime() + count * step), count: Math.min(count, 101) } : undefined;
  }
  const expression = MACROS[trimmed] ?? trimmed;
  const forward = CronExpressionParser.parse(expression, { currentDate: earliest, tz: timeZone });
  let count = 0;
  for (;;) {
    const next = forward.next().toDate();
    if (next.getTime() > now.getTime()) break;
    if (++count > 100) break;
  }
  if (count === 0) return undefined;
  const back = CronExpressionParser.parse(expression, { currentDate: new Date(now.getTime() + 1), tz: timeZone });
  return { time: back.prev().toDate(), count };
}

/** RFC 3339 in a time zone ("Z" for a zero offset), like Go's time.Format(time.RFC3339). */
export function rfc3339In(date: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  const local = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  const offset = Math.round((local - Math.floor(date.getTime() / 1000) * 1000) / 60_000);
  const pad = (n: number) => String(Math.floor(Math.abs(n))).padStart(2, "0");
  const zone = offset === 0 ? "Z" : `${offset < 0 ? "-" : "+"}${pad(Math.abs(offset) / 60)}:${pad(Math.abs(offset) % 60)}`;
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${zone}`;
}

/** Go's time.RFC1123Z of a UTC time: "Mon, 02 Jan 2006 15:04:05 +0000". */
function rfc1123z(date: Date): string {
  return date.toUTCString().replace("GMT", "+0000");
}

/**
 * The lab's CronJob controller (after Kubernetes' cronjob_controllerv2): creates a Job `<cronjob>-<unix minutes>`
 * at each scheduled time, honouring suspend, concurrencyPolicy, startingDeadlineSeconds and the history limits.
 * tick() evaluates schedules against the store's clock; the lab calls it every second.
 */
export class CronJobController {
  private unsubscribe?: () => void;
  /** Scheduled times already reported (MissSchedule / JobAlreadyActive), per CronJob uid. */
  private reported = new Map<string, string>();
  private pending = new Set<string>();
  private busy = false;

  constructor(private readonly store: KubeStore) {}

  start(): void {
    this.unsubscribe = this.store.subscribe((event: StoreEvent) => {
      const { def, object } = event;
      if (def.group !== "batch") return;
      if (def.kind === "CronJob") {
        if (event.type === "DELETED") {
          this.reported.delete(object.metadata.uid ?? "");
          // Background cascading deletion of its Jobs (the Job controller then removes their pods).
          for (const job of this.store.list("batch/v1", "Job", { namespace: object.metadata.namespace }))
            if (controllerOf(job)?.uid === object.metadata.uid)
              deleteIfExists(this.store, "batch/v1", "Job", job.metadata.namespace, job.metadata.name ?? "");
        } else this.sync(object.metadata.namespace ?? "", object.metadata.name ?? "");
      } else if (def.kind === "Job") {
        const owner = controllerOf(object);
        if (owner?.kind === "CronJob" && owner.name) this.sync(object.metadata.namespace ?? "", owner.name);
      }
    });
    this.tick();
  }

  stop(): void {
    this.unsubscribe?.();
  }

  tick(): void {
    for (const cj of this.store.list("batch/v1", "CronJob")) this.sync(cj.metadata.namespace ?? "", cj.metadata.name ?? "");
  }

  private sync(namespace: string, name: string): void {
    this.pending.add(`${namespace}/${name}`);
    if (this.busy) return;
    this.busy = true;
    try {
      for (let key = this.pending.values().next().value; key !== undefined; key = this.pending.values().next().value) {
        this.pending.delete(key);
        const slash = key.indexOf("/");
        this.syncOne(key.slice(0, slash), key.slice(slash + 1));
      }
    } finally {
      this.busy = false;
    }
  }

  private syncOne(namespace: string, name: string): void {
    const cj = this.store.get("batch/v1", "CronJob", namespace, name);
    if (!cj) return;
    const now = this.store.clock();
    const uid = cj.metadata.uid ?? "";
    const jobs = this.store.list("batch/v1", "Job", { namespace }).filter((j) => controllerOf(j)?.uid === uid);
    const byUid = new Map(jobs.map((j) => [j.metadata.uid, j]));
    const status: Record<string, any> = { ...cj.status };
    let active: any[] = Array.isArray(status.active) ? status.active : [];
    active = active.filter((ref) => {
      const job = byUid.get(ref.uid);
      if (!job) return false;
      const finished = jobFinished(job);
      if (!finished) return true;
      recordEvent(this.store, cj, "Normal", "SawCompletedJob", `Saw completed job: ${job.metadata.name}, condition: ${finished}`, SOURCE);
      if (
        finished === "Complete" &&
        job.status?.completionTime &&
        (!status.lastSuccessfulTime || job.status.completionTime > status.lastSuccessfulTime)
      )
        status.lastSuccessfulTime = job.status.completionTime;
      return false;
    });
    this.prune(cj, jobs);

    if (cj.spec?.suspend !== true) {
      const timeZone = String(cj.spec?.timeZone ?? "UTC");
      const earliest = new Date(status.lastScheduleTime ?? cj.metadata.creationTimestamp ?? now.toISOString());
      let unmet: Unmet | undefined;
      try {
        unmet = mostRecentScheduleTime(String(cj.spec?.schedule ?? ""), timeZone, earliest, now);
      } catch (error) {
        recordEvent(
          this.store,
          cj,
          "Warning",
          "UnparseableSchedule",
          `unparseable schedule: ${JSON.stringify(cj.spec?.schedule)} : ${(error as Error).message}`,
          SOURCE,
        );
      }
      if (unmet) active = this.startJob(cj, unmet, now, active, status, timeZone);
    }
    status.active = active.length ? active : undefined;
    for (const key of Object.keys(status)) if (status[key] === undefined) delete status[key];
    if (!deepEqual(status, cj.status ?? {}))
      try {
        this.store.modify("batch/v1", "CronJob", namespace, name, (o) => (o.status = status));
      } catch {
        // deleted meanwhile
      }
  }

  /** Starts the Job for `unmet.time` unless policy says otherwise; returns the new active list. */
  private startJob(cj: KubeObject, unmet: Unmet, now: Date, active: any[], status: Record<string, any>, timeZone: string): any[] {
    const namespace = cj.metadata.namespace ?? "";
    const uid = cj.metadata.uid ?? "";
    const scheduled = unmet.time;
    const key = scheduled.toISOString();
    const once = (what: string) => {
      const k = `${what}@${key}`;
      if (this.reported.get(uid) === k) return false;
      this.reported.set(uid, k);
      return true;
    };
    const deadline = cj.spec?.startingDeadlineSeconds;
    if (unmet.count > 100 && typeof deadline !== "number" && once("too-many"))
      recordEvent(
        this.store,
        cj,
        "Warning",
        "TooManyMissedTimes",
        "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew",
        SOURCE,
      );
    if (typeof deadline === "number" && scheduled.getTime() + deadline * 1000 < now.getTime()) {
      if (once("missed"))
        recordEvent(this.store, cj, "Warning", "MissSchedule", `Missed scheduled time to start a job: ${rfc1123z(scheduled)}`, SOURCE);
      return active;
    }
    const policy = cj.spec?.concurrencyPolicy ?? "Allow";
    if (policy === "Forbid" && active.length > 0) {
      // As in Kubernetes the time stays unmet: it starts late once the active Job ends (within startingDeadlineSeconds).
      if (once("forbid"))
        recordEvent(
          this.store,
          cj,
          "Normal",
          "JobAlreadyActive",
          "Not starting job because prior execution is running and concurrency policy is Forbid",
          SOURCE,
        );
      return active;
    }
    if (policy === "Replace") {
      for (const ref of active)
        if (deleteIfExists(this.store, "batch/v1", "Job", namespace, String(ref.name)))
          recordEvent(this.store, cj, "Normal", "SuccessfulDelete", `Deleted job ${ref.name}`, SOURCE);
      active = [];
    }
    const jobName = `${cj.metadata.name}-${Math.floor(scheduled.getTime() / 60_000)}`;
    const template = cj.spec?.jobTemplate ?? {};
    let job = this.store.get("batch/v1", "Job", namespace, jobName);
    if (!job) {
      try {
        job = this.store.create(
          {
            apiVersion: "batch/v1",
            kind: "Job",
            metadata: {
              name: jobName,
              namespace,
              ...(template.metadata?.labels ? { labels: structuredClone(template.metadata.labels) } : {}),
              annotations: {
                ...template.metadata?.annotations,
                "batch.kubernetes.io/cronjob-scheduled-timestamp": rfc3339In(scheduled, timeZone),
              },
              ownerReferences: [ownerRef(cj)],
            },
            spec: structuredClone(template.spec ?? {}),
          },
          { scope: "main" },
        );
        recordEvent(this.store, cj, "Normal", "SuccessfulCreate", `Created job ${jobName}`, SOURCE);
      } catch (error) {
        recordEvent(this.store, cj, "Warning", "FailedCreate", `Error creating job: ${(error as Error).message}`, SOURCE);
        return active;
      }
    }
    if (!jobFinished(job) && !active.some((r) => r.uid === job?.metadata.uid))
      active = [
        ...active,
        {
          kind: "Job",
          namespace,
          name: jobName,
          uid: job.metadata.uid,
          apiVersion: "batch/v1",
          resourceVersion: job.metadata.resourceVersion,
        },
      ];
    status.lastScheduleTime = rfc3339(scheduled);
    return active;
  }

  /** successfulJobsHistoryLimit / failedJobsHistoryLimit: the oldest finished Jobs go (their pods with them). */
  private prune(cj: KubeObject, jobs: KubeObject[]): void {
    const limits: Array<["Complete" | "Failed", unknown]> = [
      ["Complete", cj.spec?.successfulJobsHistoryLimit],
      ["Failed", cj.spec?.failedJobsHistoryLimit],
    ];
    for (const [kind, limit] of limits) {
      if (typeof limit !== "number") continue;
      const done = jobs
        .filter((j) => jobFinished(j) === kind)
        .sort(
          (a, b) =>
            String(a.status?.startTime ?? "").localeCompare(String(b.status?.startTime ?? "")) ||
            String(a.metadata.name).localeCompare(String(b.metadata.name)),
        );
      for (const job of done.slice(0, Math.max(0, done.length - limit)))
        if (deleteIfExists(this.store, "batch/v1", "Job", job.metadata.namespace, job.metadata.name ?? ""))
          recordEvent(this.store, cj, "Normal", "SuccessfulDelete", `Deleted job ${job.metadata.name}`, SOURCE);
    }
  }
}
