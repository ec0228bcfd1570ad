import type { V1CronJob } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mostRecentScheduleTime, rfc3339In } from "./controllers/cronjob.js";
import { startKubeApiServer, type KubeLab } from "./server.js";
import { clients, until } from "./test-helpers.js";

let now = new Date("2025-01-01T00:00:30Z");
let lab: KubeLab;
let api: ReturnType<typeof clients>;
const NS = "apps";

beforeAll(async () => {
  lab = await startKubeApiServer({
    name: "cron",
    namespaces: [NS],
    nodes: [{ name: "pve1", region: "lab", zone: "pve1" }],
    clock: () => now,
  });
  api = clients(lab);
});
afterAll(() => lab.close());

function at(iso: string): void {
  now = new Date(iso);
  lab.tick();
}

function cronJob(name: string, schedule: string, command: string[], spec: Partial<V1CronJob["spec"]> = {}): V1CronJob {
  return {
    metadata: { name },
    spec: {
      schedule,
      ...spec,
      jobTemplate: {
        metadata: { labels: { app: name }, annotations: { "hks.io/backup": name } },
        spec: { backoffLimit: 0, template: { spec: { restartPolicy: "Never", containers: [{ name: "run", image: "busybox", command }] } } },
      },
    },
  };
}

async function jobsOf(name: string) {
  return (await api.batch.listNamespacedJob({ namespace: NS, labelSelector: `app=${name}` })).items
    .map((j) => j.metadata?.name ?? "")
    .sort();
}

async function allDone(name: string) {
  await until(async () => {
    const jobs = (await api.batch.listNamespacedJob({ namespace: NS, labelSelector: `app=${name}` })).items;
    return jobs.every((j) => j.status?.conditions?.some((c) => c.status === "True" && (c.type === "Complete" || c.type === "Failed")));
  });
}

describe("schedule arithmetic", () => {
  it("finds the most recent time, in a time zone, and counts misses", () => {
    const r = mostRecentScheduleTime("*/5 * * * *", "UTC", new Date("2025-01-01T00:00:00Z"), new Date("2025-01-01T00:17:00Z"));
    expect(r).toEqual({ time: new Date("2025-01-01T00:15:00Z"), count: 3 });
    const berlin = mostRecentScheduleTime("0 9 * * *", "Europe/Berlin", new Date("2025-01-01T00:00:00Z"), new Date("2025-01-02T12:00:00Z"));
    expect(berlin?.time.toISOString()).toBe("2025-01-02T08:00:00.000Z");
    expect(mostRecentScheduleTime("@daily", "UTC", new Date("2025-01-01T00:00:00Z"), new Date("2025-01-01T23:59:59Z"))).toBeUndefined();
    expect(
      mostRecentScheduleTime("@every 1h30m", "UTC", new Date("2025-01-01T00:00:00Z"), new Date("2025-01-01T04:00:00Z"))?.time.toISOString(),
    ).toBe("2025-01-01T03:00:00.000Z");
    expect(rfc3339In(new Date("2025-07-01T07:00:00Z"), "Europe/Berlin")).toBe("2025-07-01T09:00:00+02:00");
    expect(rfc3339In(new Date("2025-07-01T07:00:00Z"), "UTC")).toBe("2025-07-01T07:00:00Z");
  });
});

describe("CronJob controller with an injected clock", () => {
  it("creates Jobs at the scheduled times, owned and annotated like the real controller", async () => {
    at("2025-01-01T00:00:30Z");
    await api.batch.createNamespacedCronJob({ namespace: NS, body: cronJob("every5", "*/5 * * * *", ["true"]) });
    at("2025-01-01T00:04:59Z");
    expect(await jobsOf("every5")).toEqual([]);
    at("2025-01-01T00:05:10Z");
    // Right after the tick (the pod may finish within milliseconds): the Job is in status.active.
    expect(lab.store.get("batch/v1", "CronJob", NS, "every5")?.status?.active?.[0]).toMatchObject({ kind: "Job", namespace: NS });
    const minutes = Date.parse("2025-01-01T00:05:00Z") / 60000;
    expect(await jobsOf("every5")).toEqual([`every5-${minutes}`]);
    const job = await api.batch.readNamespacedJob({ name: `every5-${minutes}`, namespace: NS });
    const cj = await api.batch.readNamespacedCronJob({ name: "every5", namespace: NS });
    expect(job.metadata?.annotations).toMatchObject({
      "batch.kubernetes.io/cronjob-scheduled-timestamp": "2025-01-01T00:05:00Z",
      "hks.io/backup": "every5",
    });
    expect(job.metadata?.ownerReferences?.[0]).toMatchObject({
      apiVersion: "batch/v1",
      kind: "CronJob",
      name: "every5",
      uid: cj.metadata?.uid,
      controller: true,
    });
    expect(cj.status?.lastScheduleTime?.toISOString()).toBe("2025-01-01T00:05:00.000Z");
    await allDone("every5");
    const after = await until(async () => {
      const c = await api.batch.readNamespacedCronJob({ name: "every5", namespace: NS });
      return c.status?.lastSuccessfulTime ? c : undefined;
    });
    expect(after.status?.active).toBeUndefined();
    at("2025-01-01T00:10:00Z");
    expect(await jobsOf("every5")).toHaveLength(2);
    await allDone("every5");
    await api.batch.patchNamespacedCronJob({
      name: "every5",
      namespace: NS,
      body: [{ op: "replace", path: "/spec/suspend", value: true }],
    });
    at("2025-01-01T00:15:00Z");
    expect(await jobsOf("every5")).toHaveLength(2);
  });

  it("evaluates the schedule in spec.timeZone", async () => {
    at("2025-06-01T06:00:00Z");
    await api.batch.createNamespacedCronJob({
      namespace: NS,
      body: cronJob("berlin", "0 9 * * *", ["true"], { timeZone: "Europe/Berlin" }),
    });
    at("2025-06-01T06:59:59Z");
    expect(await jobsOf("berlin")).toEqual([]);
    at("2025-06-01T07:00:01Z"); // 09:00 in Berlin (CEST)
    const [name] = await jobsOf("berlin");
    expect(name).toBe(`berlin-${Date.parse("2025-06-01T07:00:00Z") / 60000}`);
    const job = await api.batch.readNamespacedJob({ name: name ?? "", namespace: NS });
    expect(job.metadata?.annotations?.["batch.kubernetes.io/cronjob-scheduled-timestamp"]).toBe("2025-06-01T09:00:00+02:00");
  });

  it("Forbid skips a run while one is active; Replace replaces it", async () => {
    at("2025-02-01T00:00:30Z");
    await api.batch.createNamespacedCronJob({
      namespace: NS,
      body: cronJob("forbid", "* * * * *", ["sleep", "30"], { concurrencyPolicy: "Forbid", startingDeadlineSeconds: 30 }),
    });
    await api.batch.createNamespacedCronJob({
      namespace: NS,
      body: cronJob("replace", "* * * * *", ["sleep", "30"], { concurrencyPolicy: "Replace" }),
    });
    at("2025-02-01T00:01:00Z");
    expect(await jobsOf("forbid")).toHaveLength(1);
    const [first] = await jobsOf("replace");
    at("2025-02-01T00:02:00Z");
    expect(await jobsOf("forbid")).toHaveLength(1);
    const events = await api.core.listNamespacedEvent({
      namespace: NS,
      fieldSelector: "involvedObject.name=forbid,reason=JobAlreadyActive",
    });
    expect(events.items[0]?.message).toBe("Not starting job because prior execution is running and concurrency policy is Forbid");
    const replaced = await jobsOf("replace");
    expect(replaced).toHaveLength(1);
    expect(replaced[0]).not.toBe(first);
    await api.batch.deleteNamespacedCronJob({ name: "forbid", namespace: NS });
    await api.batch.deleteNamespacedCronJob({ name: "replace", namespace: NS });
    await until(async () => (await jobsOf("forbid")).length === 0 && (await jobsOf("replace")).length === 0);
  });

  it("records MissSchedule when a start is later than startingDeadlineSeconds", async () => {
    at("2025-03-01T00:00:00Z");
    await api.batch.createNamespacedCronJob({
      namespace: NS,
      body: cronJob("late", "*/5 * * * *", ["true"], { startingDeadlineSeconds: 10 }),
    });
    at("2025-03-01T00:05:30Z");
    expect(await jobsOf("late")).toEqual([]);
    const events = await api.core.listNamespacedEvent({ namespace: NS, fieldSelector: "involvedObject.name=late,reason=MissSchedule" });
    expect(events.items).toHaveLength(1);
    expect(events.items[0]).toMatchObject({
      type: "Warning",
      message: "Missed scheduled time to start a job: Sat, 01 Mar 2025 00:05:00 +0000",
    });
    at("2025-03-01T00:05:31Z");
    expect(
      (await api.core.listNamespacedEvent({ namespace: NS, fieldSelector: "involvedObject.name=late,reason=MissSchedule" })).items[0]
        ?.count,
    ).toBe(1);
    at("2025-03-01T00:10:05Z");
    expect(await jobsOf("late")).toHaveLength(1);
  });

  it("prunes finished Jobs (and their pods) beyond the history limits", async () => {
    at("2025-04-01T00:00:30Z");
    await api.batch.createNamespacedCronJob({
      namespace: NS,
      body: cronJob("hist", "* * * * *", ["/bin/sh", "-c", "test $(( $(date +%s) % 1 )) -eq 0"], {
        successfulJobsHistoryLimit: 2,
        failedJobsHistoryLimit: 1,
      }),
    });
    for (let minute = 1; minute <= 4; minute++) {
      at(`2025-04-01T00:0${minute}:00Z`);
      await allDone("hist");
    }
    lab.tick();
    const kept = await jobsOf("hist");
    const minutes = (m: number) => `hist-${Date.parse(`2025-04-01T00:0${m}:00Z`) / 60000}`;
    expect(kept).toEqual([minutes(3), minutes(4)]);
    const pods = (await api.core.listNamespacedPod({ namespace: NS })).items
      .map((p) => p.metadata?.labels?.["job-name"] ?? "")
      .filter((n) => n.startsWith("hist-"))
      .sort();
    expect(pods).toEqual([minutes(3), minutes(4)]);

    // A manual run (kubectl create job --from=cronjob/hist) is owned by the CronJob but not counted as scheduled.
    const cj = await api.batch.readNamespacedCronJob({ name: "hist", namespace: NS });
    await api.batch.createNamespacedJob({
      namespace: NS,
      body: {
        metadata: {
          name: "hist-manual",
          labels: { app: "hist" },
          annotations: { "cronjob.kubernetes.io/instantiate": "manual" },
          ownerReferences: [{ apiVersion: "batch/v1", kind: "CronJob", name: "hist", uid: cj.metadata?.uid ?? "", controller: true }],
        },
        spec: cj.spec?.jobTemplate.spec?.template ? { ...cj.spec.jobTemplate.spec } : undefined,
      } as never,
    });
    await allDone("hist");
    expect((await api.batch.readNamespacedCronJob({ name: "hist", namespace: NS })).status?.active).toBeUndefined();
  }, 30_000);
});
