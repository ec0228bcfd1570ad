/**
 * workspaces: the background work of many workspaces on three real replicas (issue 13's `workspaces` row). N lab
 * vClusters (BENCH_WORKSPACES, default 200), each with 10 Backups, their CronJobs made by a first reconcile pass; three
 * server processes share one PostgreSQL, the workspaces sharded among them (sharding.ts, default settings), each
 * replica watching its own share's vClusters (workers.ts), with a real Prometheus (empty) so that monitoring runs too.
 *
 * Measured:
 * (a) Job finished → run SUCCEEDED as a client of the API sees it: GraphQL `backup(id) { runs }`, the replicas in
 *     turn, polled every 25 ms (and the backup_runs table beside it), for Jobs in distinct workspaces (every
 *     replica's share) finished one every 100 ms;
 * (b) the requests every vCluster answered per minute while idle, over BENCH_IDLE_SECONDS (60) once the watches have
 *     listed, against today's polling measured in the same run as the watch bench measures it (the run tracker,
 *     reconciler and monitoring of one instance over every workspace, in this process, after the replicas stopped);
 * (c) each replica's share of the workspaces.
 *
 * Targets: p99 ≤ 2 s; idle requests ≤ 5% of polling's; no replica above 1.5x the mean share.
 */
import "reflect-metadata";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startLab } from "@hks/lab";
import postgres from "postgres";
import { openDatabase } from "../../apps/server/src/db/client.js";
import { LAB_PASSWORD, LAB_WORKSPACES, seedLab } from "../../apps/server/src/seed/lab-seed.js";
import { createLogger } from "../../apps/server/src/logger.js";
import { WATCHED_KINDS } from "../../apps/server/src/modules/cluster-watches.js";
import { WorkspaceRepository } from "../../apps/server/src/modules/workspaces/workspace.repository.js";
import { VClusters } from "../../apps/server/src/platform/kubernetes/vclusters.js";
import { backgroundServices, idleRequests, startBackgroundWork, type IdleRequests } from "../lib/background-work.js";
import { startBackupFleet, type BackupFleet, type FleetWorkspace } from "../lib/backup-fleet.js";
import { startPrometheus } from "../lib/prometheus.js";
import { firstReconcilePass } from "../lib/reconciler.js";
import { BenchRun, leaseOwners, sharesSettled, sleep, until } from "../lib/replicas.js";
import { report } from "../lib/result.js";
import { createDatabase } from "../lib/server.js";
import { ms, percentile } from "../lib/stats.js";

const WORKSPACES = Number(process.env["BENCH_WORKSPACES"] ?? 200);
const BACKUPS_EACH = 10;
const IDLE_SECONDS = Number(process.env["BENCH_IDLE_SECONDS"] ?? 60);
const JOBS = Math.min(WORKSPACES, Number(process.env["BENCH_JOBS"] ?? 120));
const FINISH_EVERY_MS = 100;
const REPLICAS = ["replica-a", "replica-b", "replica-c"];
const IMAGE = "ghcr.io/hks/backup-functions:bench";
const ADMIN = "admin@acme.test";

const log = (message: string) => process.stderr.write(`[workspaces] ${message}\n`);
const run = new BenchRun(log);

async function main() {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "hks-bench-workspaces-"));
  run.defer(() => rm(dataDir, { recursive: true, force: true }));
  const lab = await startLab({ dataDir, clusters: LAB_WORKSPACES.map((w) => ({ name: w.vclusterName, namespaces: [...w.namespaces] })) });
  run.defer(() => lab.close());
  const database = await createDatabase();
  run.defer(() => database.drop());
  const handle = await openDatabase({ url: database.url, dataDir, afterMigrate: seedLab });
  run.defer(() => handle.close());
  const sql = postgres(database.url, { max: 2, onnotice: () => undefined });
  run.defer(() => sql.end());
  const prometheus = await startPrometheus("global:\n  scrape_interval: 15s\nscrape_configs: []\n");
  run.defer(() => prometheus.stop());

  log(`starting ${WORKSPACES} lab vClusters with ${BACKUPS_EACH} Backups each`);
  const fleet = await startBackupFleet({
    db: handle.db,
    kubeconfigDir: lab.dir!,
    count: WORKSPACES,
    backupsEach: BACKUPS_EACH,
    planId: "dedicated",
    prefix: "ws",
  });
  run.defer(() => fleet.close());
  // One admin reads every workspace through the API.
  await sql`
    insert into memberships (user_id, workspace_id, role)
    select u.id, w.id, 'ADMIN' from users u, workspaces w where u.email = ${ADMIN} and w.slug like 'ws%'`;
  const vclusters = new VClusters(lab.dir!);
  let t = Date.now();
  // The CronJobs exist (as after the replicas' first passes): the idle passes find nothing to write.
  await firstReconcilePass({
    db: handle.db,
    vclusters,
    workspaces: new WorkspaceRepository(handle.db),
    logger: createLogger({ silent: true }),
  });
  log(`first reconcile pass (${WORKSPACES * BACKUPS_EACH} CronJobs) in ${Date.now() - t} ms`);

  t = Date.now();
  const servers = await run.startReplicas({
    ids: REPLICAS,
    dataDir,
    databaseUrl: database.url,
    lab,
    // The image the first pass used, so the replicas' reconcilers find every CronJob as they want it.
    env: { HKS_BACKUP_IMAGE: IMAGE, PROMETHEUS_URL: prometheus.url },
  });
  const total = WORKSPACES + LAB_WORKSPACES.length;
  const shares = await sharesSettled(sql, total, REPLICAS.length);
  log(
    `${REPLICAS.length} replicas up and all ${total} workspaces leased in ${Date.now() - t} ms: ${JSON.stringify(Object.fromEntries(shares))}`,
  );
  // Synced: every vCluster's owner listed each kind and opened its watches (no other replica opens any).
  let told = Date.now();
  await until("every vCluster watched", 180_000, async () => {
    const waiting = fleet.workspaces.filter((w) => !watched(w));
    if (Date.now() - told > 10_000) {
      told = Date.now();
      const owners = await leaseOwners(sql);
      log(
        `${waiting.length} vClusters not watched yet: ${waiting
          .slice(0, 5)
          .map((w) => `${w.vcluster} (${owners.get(w.id)}, ${w.lab.requests.counts().reads} reads)`)
          .join(", ")}`,
      );
    }
    return waiting.length ? undefined : true;
  });
  // Settled: a watch whose first attempt failed under the start's load retries with a backoff; wait (a minute at most)
  // for 5 s in which no vCluster is asked anything, so the idle figure is the steady state, not the start's tail.
  const quiet = await until(
    "5 quiet seconds",
    60_000,
    async () => {
      fleet.resetRequests();
      await sleep(5000);
      const r = fleet.requests();
      return r.reads + r.writes === 0 ? true : undefined;
    },
    0,
  ).catch(() => false);
  log(
    `watches open ${Date.now() - t} ms after the replicas started (${quiet ? "quiet" : "never quiet for 5 s"}); idle for ${IDLE_SECONDS} s`,
  );
  const watching = await idleRequests(fleet, IDLE_SECONDS);
  log(describe("watches (3 replicas)", watching));

  const timings = await finishJobs(fleet, sql, await signIn(servers.map((s) => s.url)));
  const latencies = timings.api;
  log(
    `${JOBS} Jobs finished: run SUCCEEDED in the API after p50 ${ms(percentile(latencies, 50), 0)}, max ${ms(Math.max(...latencies), 0)}; in the table after p50 ${ms(percentile(timings.table, 50), 0)}, max ${ms(Math.max(...timings.table), 0)}`,
  );

  if (process.env["BENCH_DEBUG"])
    for (const [id, server] of run.servers) {
      const counts = new Map<string, number>();
      const lines = server
        .output()
        .split("\n")
        .filter((l) => /"level":"(warn|error)"/.test(l));
      for (const l of lines) {
        const m = /"message":"([^"]*)"/.exec(l)?.[1] ?? "?";
        counts.set(m, (counts.get(m) ?? 0) + 1);
      }
      log(`${id}: ${JSON.stringify(Object.fromEntries(counts))}`);
      log(
        lines
          .filter((l) => !/backup run sync failed/.test(l))
          .slice(-8)
          .join("\n"),
      );
    }
  // The baseline on a machine no longer busy with the replicas: one instance polling every workspace, as before.
  for (const id of REPLICAS) await run.kill(id, "SIGTERM");
  const stopPolling = startBackgroundWork(backgroundServices(handle.db, vclusters, undefined));
  await sleep(3000);
  log(`polling: idle for ${IDLE_SECONDS} s`);
  const polling = await idleRequests(fleet, IDLE_SECONDS);
  await stopPolling();
  log(describe("polling (1 instance)", polling));

  const ratio = watching.perMinute / polling.perMinute;
  const p99 = percentile(latencies, 99);
  const mean = total / REPLICAS.length;
  const maxShare = Math.max(...shares.values());
  const met = { fast: p99 <= 2000, quiet: ratio <= 0.05, even: maxShare <= 1.5 * mean };
  report({
    bench: "workspaces",
    figures: [
      {
        what: `Job finished → run SUCCEEDED through the API (${JOBS} Jobs in ${JOBS} workspaces), p50 / p99 / max`,
        value: `${ms(percentile(latencies, 50), 0)} / ${ms(p99, 0)} / ${ms(Math.max(...latencies), 0)}`,
      },
      {
        what: "the same, in the backup_runs table the API reads, p50 / p99",
        value: `${ms(percentile(timings.table, 50), 0)} / ${ms(percentile(timings.table, 99), 0)}`,
      },
      {
        what: `requests to ${WORKSPACES} idle vClusters per minute (${BACKUPS_EACH} Backups each, ${IDLE_SECONDS} s)`,
        value: `${watching.perMinute.toFixed(1)} watching vs ${polling.perMinute.toFixed(0)} polling (${(ratio * 100).toFixed(2)}%)`,
      },
      {
        what: `share per replica (${total} workspaces)`,
        value: `${REPLICAS.map((r) => shares.get(r) ?? 0).join(" / ")}; max ${(maxShare / mean).toFixed(2)}x the mean`,
      },
    ],
    target: "p99 ≤ 2 s; idle requests ≤ 5% of polling's; no replica > 1.5x the mean share",
    met: met.fast && met.quiet && met.even,
    note:
      [
        !met.fast && `p99 ${ms(p99, 0)}`,
        !met.quiet && `idle requests ${(ratio * 100).toFixed(1)}% of polling's`,
        !met.even && `max share ${(maxShare / mean).toFixed(2)}x the mean`,
      ]
        .filter(Boolean)
        .join("; ") || undefined,
  });
}

/** The vCluster's owner has opened a watch for each kind it follows (WATCHED_KINDS). */
const watched = (w: FleetWorkspace) => w.lab.requests.counts().watches >= Object.keys(WATCHED_KINDS).length;

const describe = (mode: string, r: IdleRequests) =>
  `${mode}: ${r.reads} reads (${r.watchesOpened} watches opened), ${r.writes} writes: ${r.perMinute.toFixed(1)} requests/min`;

/** The admin's GraphQL client, its requests taking turns over the replicas as behind a load balancer. */
async function signIn(urls: string[]): Promise<(query: string, variables: Record<string, unknown>) => Promise<unknown>> {
  let turn = 0;
  const post = async (query: string, variables: Record<string, unknown>, token?: string) => {
    const res = await fetch(`${urls[turn++ % urls.length]}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: unknown; errors?: Array<{ message: string }> };
    if (body.errors?.length) throw new Error(`GraphQL: ${body.errors.map((e) => e.message).join("; ")}`);
    return body.data;
  };
  const login = (await post(`mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`, {
    e: ADMIN,
    p: LAB_PASSWORD,
  })) as { login: { token: string } };
  return (query, variables) => post(query, variables, login.login.token);
}

/** One query for up to 10 backups (the API's root-field limit), each aliased. */
const runsOf = (count: number) =>
  `query(${Array.from({ length: count }, (_, i) => `$b${i}: ID!`).join(", ")}) { ${Array.from(
    { length: count },
    (_, i) => `b${i}: backup(id: $b${i}) { runs(first: 5) { nodes { jobName status } } }`,
  ).join(" ")} }`;

interface Timings {
  /** Until a client of the API reads the run SUCCEEDED. */
  api: number[];
  /** Until the row the API reads says so (what the replica's run tracker took, without the API's part). */
  table: number[];
}

/**
 * A Job in each of JOBS workspaces spread over the fleet (so over every replica's share); once all are recorded as
 * runs, they finish one every FINISH_EVERY_MS. One poller (every 25 ms) asks the API about the finished ones still
 * pending, ten backups a query, and the table beside it: one client's load, whatever the number of Jobs in flight.
 */
async function finishJobs(
  fleet: BackupFleet,
  sql: postgres.Sql,
  graphql: (query: string, variables: Record<string, unknown>) => Promise<unknown>,
): Promise<Timings> {
  const stride = Math.max(1, Math.floor(fleet.workspaces.length / JOBS));
  const jobs = Array.from({ length: JOBS }, (_, k) => {
    const workspace = fleet.workspaces[(k * stride) % fleet.workspaces.length]!;
    return { workspace, backupId: workspace.backupIds[k % BACKUPS_EACH]!, name: `bench-${k}`, finished: 0, api: 0, table: 0 };
  });
  for (const j of jobs) fleet.createJob(j.workspace, j.backupId, j.name);
  await until("every Job recorded as a run", 60_000, async () => {
    const [row] = await sql<{ n: number }[]>`select count(*)::int as n from backup_runs where job_name like 'bench-%'`;
    return row!.n === JOBS ? true : undefined;
  });
  let stopped = false;
  const poller = (async () => {
    while (!stopped) {
      const now = performance.now();
      const apiPending = jobs.filter((j) => j.finished && !j.api);
      const tablePending = jobs.filter((j) => j.finished && !j.table);
      const chunks = Array.from({ length: Math.ceil(apiPending.length / 10) }, (_, c) => apiPending.slice(c * 10, c * 10 + 10));
      await Promise.all([
        ...chunks.map(async (chunk) => {
          const data = (await graphql(runsOf(chunk.length), Object.fromEntries(chunk.map((j, i) => [`b${i}`, j.backupId])))) as Record<
            string,
            { runs: { nodes: Array<{ jobName: string; status: string }> } }
          >;
          chunk.forEach((j, i) => {
            if (data[`b${i}`]?.runs.nodes.some((r) => r.jobName === j.name && r.status === "SUCCEEDED"))
              j.api = performance.now() - j.finished;
          });
        }),
        tablePending.length &&
          sql<{ job_name: string }[]>`
            select job_name from backup_runs where status = 'SUCCEEDED' and job_name in ${sql(tablePending.map((j) => j.name))}`.then(
            (rows) => {
              const done = new Set(rows.map((r) => r.job_name));
              for (const j of tablePending) if (done.has(j.name)) j.table = now - j.finished;
            },
          ),
      ]);
      await sleep(25);
    }
  })();
  const start = performance.now();
  for (const [k, j] of jobs.entries()) {
    await sleep(Math.max(0, start + k * FINISH_EVERY_MS - performance.now()));
    j.finished = performance.now();
    fleet.finishJob(j.workspace, j.name);
  }
  try {
    await until("every run SUCCEEDED in the API", 60_000, async () => (jobs.every((j) => j.api && j.table) ? true : undefined));
  } finally {
    stopped = true;
    await poller;
  }
  return { api: jobs.map((j) => j.api), table: jobs.map((j) => j.table) };
}

await run.main(main);
