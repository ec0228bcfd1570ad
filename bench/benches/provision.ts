/**
 * provision: 100 concurrent `createStorageVolume` over HTTP against the built server in lab mode (its own Proxmox VE
 * and vCluster APIs), on one workspace whose plan ceiling admits only some of them. Then, once none is PROVISIONING:
 * every volume AVAILABLE or refused / FAILED with a reason; the billing ledger charges exactly the AVAILABLE ones, once
 * each; Proxmox (over its API) holds exactly one disk per AVAILABLE volume and no orphan; the vCluster (over its API)
 * holds exactly one PV per AVAILABLE volume; the plan ceiling was never exceeded (watched throughout).
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import postgres from "postgres";
import { report } from "../lib/result.js";
import { createDatabase, startServer } from "../lib/server.js";
import { median, ms, percentile } from "../lib/stats.js";

const REQUESTS = 100;
const SIZE_GIB = Number(process.env["PROVISION_SIZE_GIB"] ?? 32);
/** To try other limits (e.g. the Proxmox storage's, with a plan that admits everything): PROVISION_CEILING_GIB. */
const CEILING_GIB = process.env["PROVISION_CEILING_GIB"] ? Number(process.env["PROVISION_CEILING_GIB"]) : undefined;
const HOLDING = ["PROVISIONING", "AVAILABLE", "EXPANDING", "DELETING"];

const log = (message: string) => process.stderr.write(`[provision] ${message}\n`);
const cleanups: Array<() => Promise<unknown>> = [];

interface Outcome {
  name: string;
  startedAt: number;
  answeredAt: number;
  id?: string;
  error?: { code?: string; message: string };
}

async function main() {
  const database = await createDatabase();
  cleanups.push(() => database.drop());
  log("starting the built server in lab mode");
  const server = await startServer({ databaseUrl: database.url });
  cleanups.push(() => server.stop());
  const url = `${server.url}/graphql`;
  const gql = async <T>(query: string, variables: Record<string, unknown>, token?: string) => {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as { data?: T; errors?: Array<{ message: string; extensions?: { code?: string } }> };
  };
  const login = await gql<{ login: { token: string } }>(`mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`, {
    e: "admin@acme.test",
    p: "hks-lab",
  });
  const token = login.data!.login.token;

  const sql = postgres(database.url, { max: 2, onnotice: () => undefined });
  cleanups.push(() => sql.end());
  const [workspace] = await sql<Array<{ id: string; ceiling: number }>>`
    select w.id, p.storage_ceiling_gib as ceiling from workspaces w join plans p on p.id = w.plan_id where w.slug = 'acme'`;
  if (CEILING_GIB !== undefined)
    await sql`update plans set storage_ceiling_gib = ${CEILING_GIB} where id = (select plan_id from workspaces where id = ${workspace!.id})`;
  const ceiling = CEILING_GIB ?? workspace!.ceiling;
  log(`${REQUESTS} concurrent requests of ${SIZE_GIB} GiB on a workspace whose plan admits ${ceiling} GiB`);

  // The ceiling, watched while the requests and their sagas run.
  let maxHeld = 0;
  let watching = true;
  const watcher = (async () => {
    while (watching) {
      const [row] = await sql<Array<{ held: number }>>`
        select coalesce(sum(size_gib), 0)::int as held from storage_volumes where workspace_id = ${workspace!.id} and status = any(${HOLDING})`;
      maxHeld = Math.max(maxHeld, row!.held);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();

  const started = Date.now();
  const outcomes: Outcome[] = await Promise.all(
    Array.from({ length: REQUESTS }, async (_, i): Promise<Outcome> => {
      const name = `burst-${i}`;
      const startedAt = Date.now();
      const result = await gql<{ createStorageVolume: { id: string } }>(
        `mutation($input: CreateStorageVolumeInput!) { createStorageVolume(input: $input) { id } }`,
        { input: { workspaceId: workspace!.id, name, sizeGiB: SIZE_GIB } },
        token,
      ).catch(
        (error: unknown) =>
          ({ errors: [{ message: `request failed: ${String(error)}`, extensions: {} }] }) as {
            data?: undefined;
            errors: Array<{ message: string; extensions?: { code?: string } }>;
          },
      );
      const answeredAt = Date.now();
      if (result.data?.createStorageVolume) return { name, startedAt, answeredAt, id: result.data.createStorageVolume.id };
      const error = result.errors?.[0];
      return { name, startedAt, answeredAt, error: { code: error?.extensions?.code, message: error?.message ?? "no answer" } };
    }),
  );
  log(
    `answered in ${ms(Date.now() - started, 0)}: ${outcomes.filter((o) => o.id).length} accepted, ${outcomes.filter((o) => o.error).length} refused`,
  );

  type Row = {
    id: string;
    name: string;
    status: string;
    size_gib: number;
    failure_reason: string | null;
    disk_name: string;
    persistent_volume_name: string;
    updated_at: Date;
  };
  let rows: Row[] = [];
  const deadline = Date.now() + 150_000;
  for (;;) {
    rows = await sql<Row[]>`
      select id, name, status, size_gib, failure_reason, disk_name, persistent_volume_name, updated_at from storage_volumes where workspace_id = ${workspace!.id}`;
    if (!rows.some((r) => r.status === "PROVISIONING")) break;
    if (Date.now() > deadline)
      throw new Error(`${rows.filter((r) => r.status === "PROVISIONING").length} volumes still PROVISIONING after 150 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const settled = Date.now();
  watching = false;
  await watcher;

  // --- what every party holds now ---
  const available = rows.filter((r) => r.status === "AVAILABLE");
  const failed = rows.filter((r) => r.status === "FAILED");
  const problems: string[] = [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const o of outcomes) {
    if (o.id) {
      const row = byId.get(o.id);
      if (!row) problems.push(`${o.name}: accepted but no volume row`);
      else if (row.status === "FAILED" && !row.failure_reason) problems.push(`${o.name}: FAILED without a reason`);
      else if (row.status !== "AVAILABLE" && row.status !== "FAILED") problems.push(`${o.name}: ended ${row.status}`);
    } else if (!o.error?.code || !o.error.message)
      problems.push(`${o.name}: refused without a code and a sentence (${JSON.stringify(o.error)})`);
  }
  if (rows.length !== outcomes.filter((o) => o.id).length)
    problems.push(`${rows.length} volume rows for ${outcomes.filter((o) => o.id).length} accepted requests`);

  const ledger = await sql<Array<{ volume_id: string; kind: string; size_delta_gib: number }>>`
    select volume_id, kind, size_delta_gib from billing_ledger where workspace_id = ${workspace!.id}`;
  const charged = new Map<string, number>();
  for (const e of ledger) {
    if (e.kind !== "VOLUME_PROVISIONED") problems.push(`ledger: unexpected ${e.kind} entry`);
    charged.set(e.volume_id, (charged.get(e.volume_id) ?? 0) + 1);
    if (byId.get(e.volume_id)?.status !== "AVAILABLE")
      problems.push(`ledger: charges volume ${e.volume_id}, which is ${byId.get(e.volume_id)?.status}`);
    if (e.size_delta_gib !== byId.get(e.volume_id)?.size_gib)
      problems.push(`ledger: charges ${e.size_delta_gib} GiB for a ${byId.get(e.volume_id)?.size_gib} GiB volume`);
  }
  for (const v of available) if (charged.get(v.id) !== 1) problems.push(`ledger: ${v.name} charged ${charged.get(v.id) ?? 0} times`);

  const proxmox = JSON.parse(await readFile(path.join(server.dataDir, "lab", "proxmox.json"), "utf8")) as {
    url: string;
    tokenId: string;
    tokenSecret: string;
  };
  const pve = async <T>(p: string) => {
    const res = await fetch(`${proxmox.url}/api2/json${p}`, {
      headers: { authorization: `PVEAPIToken=${proxmox.tokenId}=${proxmox.tokenSecret}` },
    });
    return ((await res.json()) as { data: T }).data;
  };
  const disks: string[] = [];
  for (const node of await pve<Array<{ node: string }>>("/nodes"))
    for (const c of await pve<Array<{ volid: string }>>(`/nodes/${node.node}/storage/local-lvm/content?content=images`))
      if (c.volid.includes("-hks-acme-")) disks.push(c.volid.slice(c.volid.indexOf(":") + 1));
  const wantedDisks = new Set(available.map((v) => v.disk_name));
  for (const d of disks) if (!wantedDisks.has(d)) problems.push(`Proxmox: orphan disk ${d}`);
  for (const d of wantedDisks)
    if (disks.filter((x) => x === d).length !== 1) problems.push(`Proxmox: ${disks.filter((x) => x === d).length} disks named ${d}`);

  const kubeconfig = await readFile(path.join(server.dataDir, "lab", "acme.kubeconfig"), "utf8");
  const kubeServer = /server:\s*(\S+)/.exec(kubeconfig)![1]!.replace(/^https:/, "http:");
  const kubeToken = /token:\s*(\S+)/.exec(kubeconfig)![1]!;
  const pvList = (await (
    await fetch(`${kubeServer}/api/v1/persistentvolumes?labelSelector=${encodeURIComponent("app.kubernetes.io/managed-by=hks")}`, {
      headers: { authorization: `Bearer ${kubeToken}` },
    })
  ).json()) as { items: Array<{ metadata: { name: string } }> };
  const pvs = pvList.items.map((pv) => pv.metadata.name);
  const wantedPvs = new Set(available.map((v) => v.persistent_volume_name));
  for (const pv of pvs) if (!wantedPvs.has(pv)) problems.push(`vCluster: PV ${pv} has no AVAILABLE volume`);
  for (const pv of wantedPvs)
    if (pvs.filter((x) => x === pv).length !== 1) problems.push(`vCluster: ${pvs.filter((x) => x === pv).length} PVs named ${pv}`);

  const heldAtEnd = available.reduce((n, v) => n + v.size_gib, 0);
  if (maxHeld > ceiling) problems.push(`the workspace held ${maxHeld} GiB at one point, over its ${ceiling} GiB ceiling`);
  const refusedCodes = new Map<string, number>();
  for (const o of outcomes) if (o.error) refusedCodes.set(o.error.code ?? "none", (refusedCodes.get(o.error.code ?? "none") ?? 0) + 1);
  const sample = outcomes.find((o) => o.error);
  if (sample) log(`a refusal reads: ${sample.error!.code}: ${sample.error!.message}`);
  for (const f of failed.slice(0, 3)) log(`a failure reads: ${f.failure_reason}`);

  const startedOf = new Map(outcomes.filter((o) => o.id).map((o) => [o.id!, o.startedAt]));
  const toAvailable = available.map((v) => v.updated_at.getTime() - startedOf.get(v.id)!);
  console.log(`\nrequests ${REQUESTS} x ${SIZE_GIB} GiB, ceiling ${ceiling} GiB`);
  console.log(
    `accepted ${outcomes.filter((o) => o.id).length}: AVAILABLE ${available.length}, FAILED ${failed.length}; refused ${outcomes.filter((o) => o.error).length} ${JSON.stringify(Object.fromEntries(refusedCodes))}`,
  );
  console.log(
    `ledger entries ${ledger.length}; Proxmox disks ${disks.length}; vCluster PVs ${pvs.length}; held at most ${maxHeld} GiB, ${heldAtEnd} GiB at the end`,
  );
  console.log(
    `wall time ${ms(settled - started, 0)}; time to AVAILABLE p50 ${ms(median(toAvailable), 0)}, p99 ${ms(percentile(toAvailable, 99), 0)}`,
  );
  for (const p of problems.slice(0, 20)) console.log(`PROBLEM ${p}`);

  report({
    bench: "provision",
    figures: [
      {
        what: `${REQUESTS} concurrent createStorageVolume (${SIZE_GIB} GiB, ceiling ${ceiling} GiB)`,
        value: `${available.length} AVAILABLE, ${failed.length} FAILED, ${outcomes.filter((o) => o.error).length} refused (${[...refusedCodes].map(([c, n]) => `${n} ${c}`).join(", ")})`,
      },
      {
        what: "ledger / Proxmox disks / vCluster PVs",
        value: `${ledger.length} / ${disks.length} / ${pvs.length} (max held ${maxHeld} GiB)`,
      },
      {
        what: "wall time; time to AVAILABLE p50 / p99",
        value: `${ms(settled - started, 0)}; ${ms(median(toAvailable), 0)} / ${ms(percentile(toAvailable, 99), 0)}`,
      },
    ],
    target: "all end AVAILABLE or refused cleanly; ledger, Proxmox and vCluster agree afterwards",
    met: problems.length === 0 && available.length > 0,
    note: problems.length ? `${problems.length} inconsistencies, e.g. ${problems.slice(0, 3).join("; ")}` : undefined,
  });
}

async function cleanUp() {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch((error: unknown) => log(`cleanup failed: ${String(error)}`));
}
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void cleanUp().finally(() => process.exit(130)));
try {
  await main();
} finally {
  await cleanUp();
}
