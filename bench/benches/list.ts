/**
 * list: `workspace { storageVolumes(first: N) { ...the dashboard's fields, usage } }` over HTTP on a
 * workspace with 10,000 volumes, against a plain handler in the same process that makes the same service
 * calls (so the same SQL) and writes the same JSON. Requests come from a separate load-generator process,
 * interleaved. Database round trips are counted by PostgreSQL itself (pg_stat_database.xact_commit:
 * every statement outside a transaction is one), per request, at several page sizes.
 */
import "reflect-metadata";
import { spawn } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import postgres from "postgres";
import { startStack } from "../../apps/server/src/test/harness.js";
import type { LoadConfig } from "../lib/loadgen.js";
import { report } from "../lib/result.js";
import { startStatementCounter } from "../lib/pg-counter.js";
import { createDatabase } from "../lib/server.js";
import { median } from "../lib/stats.js";

const VOLUMES = 10_000;
const PAGE = 100;
const TARGET_RATIO = 2.0;
const here = path.dirname(fileURLToPath(import.meta.url));

const FIELDS = `id name sizeGiB requestedSizeGiB status failureReason storageClassName persistentVolumeName proxmoxVolumeId node storage monthlyCost currency createdAt updatedAt usage { usedBytes capacityBytes percent sampledAt estimatedFullAt }`;
const QUERY = `query StorageVolumesPage($id: ID!, $first: Int) { workspace(id: $id) { storageVolumes(first: $first) { ${FIELDS} } } }`;

const db = await createDatabase();
// Timed against a direct connection; round trips are counted afterwards by a second server reaching
// PostgreSQL through a proxy that counts its statements (the proxy's own latency must not dilute the ratio).
const counter = await startStatementCounter({ host: new URL(db.url).hostname, port: Number(new URL(db.url).port || 5432) });
const proxied = new URL(db.url);
proxied.port = String(counter.port);
let stack = await startStack({ databaseUrl: db.url });
const sql = postgres(db.url, { max: 1, onnotice: () => undefined });
// Only the requests may touch the database while round trips are counted.
await stack.services.runTracker.stop();
try {
  const workspaceId = await stack.workspaceId("acme");
  await seed(workspaceId);
  const admin = await stack.login("admin@acme.test");
  const authorization = `Bearer ${admin.token}`;
  const plain = await startPlainHandler();

  const body = (first: number) =>
    JSON.stringify({ query: QUERY, variables: { id: workspaceId, first }, operationName: "StorageVolumesPage" });
  // The two must answer the same: same rows, same fields, same bytes.
  const [viaGraphQL, viaPlain] = await Promise.all([
    post(`${stack.app.url}/graphql`, body(PAGE), authorization),
    post(`${plain.url}/`, body(PAGE), authorization),
  ]);
  if (viaGraphQL !== viaPlain) {
    let at = 0;
    while (viaGraphQL[at] === viaPlain[at]) at++;
    throw new Error(
      `the plain handler's JSON differs from GraphQL's at ${at}:\n${viaGraphQL.slice(at - 200, at + 200)}\n${viaPlain.slice(at - 200, at + 200)}`,
    );
  }

  const config: LoadConfig = {
    warmup: 100,
    rounds: 600,
    targets: [
      { name: "graphql", url: `${stack.app.url}/graphql`, headers: { authorization }, body: body(PAGE) },
      { name: "plain", url: `${plain.url}/`, headers: { authorization }, body: body(PAGE) },
    ],
  };
  const { latencies, bytes } = await loadgen(config);
  const g = median(latencies["graphql"]!);
  const p = median(latencies["plain"]!);
  const ratio = g / p;

  await plain.close();
  await stack.stop();
  stack = await startStack({ databaseUrl: proxied.toString() });
  await stack.services.runTracker.stop();
  const trips: string[] = [];
  const tripCounts: number[] = [];
  for (const first of [10, 100, 1000]) {
    const perRequest = await roundTrips(`${stack.app.url}/graphql`, body(first), `Bearer ${(await stack.login("admin@acme.test")).token}`);
    tripCounts.push(perRequest);
    trips.push(`${first}: ${perRequest.toFixed(1)}`);
  }
  const constant = Math.max(...tripCounts) - Math.min(...tripCounts) < 0.5;

  report({
    bench: "list",
    figures: [
      { what: `median, ${PAGE} of ${VOLUMES.toLocaleString("en")} volumes, GraphQL`, value: `${g.toFixed(2)} ms` },
      { what: "median, plain handler", value: `${p.toFixed(2)} ms` },
      { what: "ratio", value: `${ratio.toFixed(2)}x` },
      { what: "response", value: `${(bytes["graphql"]! / 1024).toFixed(1)} KiB` },
      { what: "DB round trips per request by page size", value: trips.join(", ") },
    ],
    target: `median ratio <= ${TARGET_RATIO}; round trips constant in page size`,
    met: ratio <= TARGET_RATIO && constant,
    note:
      ratio > TARGET_RATIO
        ? `GraphQL is ${ratio.toFixed(2)}x the plain handler`
        : constant
          ? undefined
          : "round trips grow with the page size",
  });
} finally {
  await sql.end();
  await stack.stop();
  await counter.close();
  await db.drop();
}

/** 10,000 AVAILABLE volumes with one usage sample each, written in one statement each. */
async function seed(workspaceId: string) {
  process.stderr.write(`seeding ${VOLUMES} volumes\n`);
  await sql`
    insert into storage_volumes (workspace_id, name, size_gib, status, node, storage, disk_name, proxmox_volume_id, storage_class_name, persistent_volume_name, created_at, updated_at)
    select ${workspaceId}, 'bench-' || i, 10 + i % 90, 'AVAILABLE', 'pve' || (1 + i % 3), 'local-lvm',
           'vm-9999-hks-acme-bench-' || i, 'local-lvm:vm-9999-hks-acme-bench-' || i, 'hks-bench-' || i, 'hks-acme-bench-' || i,
           now() - (${VOLUMES} - i) * interval '1 minute', now()
    from generate_series(1, ${VOLUMES}) as i`;
  await sql`
    insert into capacity_samples (volume_id, workspace_id, at, used_bytes, capacity_bytes)
    select id, workspace_id, now() - interval '1 minute', size_gib::bigint * 1073741824 / 3, size_gib::bigint * 1073741824
    from storage_volumes where workspace_id = ${workspaceId}`;
  await sql`analyze`;
}

/**
 * The baseline: no GraphQL. It makes the same service calls the resolvers make (so the same SQL) and
 * writes the same JSON, field by field in the same order.
 */
async function startPlainHandler(): Promise<{ url: string; close(): Promise<void> }> {
  const { services } = stack;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on(
      "end",
      () =>
        void (async () => {
          try {
            const { variables } = JSON.parse(Buffer.concat(chunks).toString()) as { variables: { id: string; first: number } };
            const viewer = (await services.auth.viewerFromAuthorization(req.headers.authorization))!;
            const { workspace } = await services.workspaces.requireMember(viewer, variables.id);
            const volumes = await services.volumes.list(workspace, { first: variables.first });
            const usage = services.monitoring.usageLoader();
            const rows = await Promise.all(
              volumes.map(async (v) => {
                const [u, requestedSizeGiB, plan] = await Promise.all([
                  usage(v.id),
                  services.volumes.requestedSizeGiB(v),
                  services.workspaces.cachedWorkspace(v.workspaceId),
                ]);
                const billed = v.status !== "DELETED" && v.status !== "FAILED" && v.status !== "PROVISIONING";
                return {
                  id: v.id,
                  name: v.name,
                  sizeGiB: v.sizeGiB,
                  requestedSizeGiB,
                  status: v.status,
                  failureReason: v.failureReason,
                  storageClassName: v.storageClassName,
                  persistentVolumeName: v.persistentVolumeName,
                  proxmoxVolumeId: v.proxmoxVolumeId,
                  node: v.node,
                  storage: v.storage,
                  monthlyCost: billed ? (v.sizeGiB * plan.plan.priceCentsPerGiBMonth) / 100 : 0,
                  currency: plan.plan.currency,
                  createdAt: v.createdAt.toISOString(),
                  updatedAt: v.updatedAt.toISOString(),
                  usage: u
                    ? {
                        usedBytes: u.usedBytes,
                        capacityBytes: u.capacityBytes,
                        percent: u.percent,
                        sampledAt: u.sampledAt.toISOString(),
                        estimatedFullAt: u.estimatedFullAt ? u.estimatedFullAt.toISOString() : null,
                      }
                    : null,
                };
              }),
            );
            // Apollo ends its body with a newline; so does this, to the byte.
            const json = `${JSON.stringify({ data: { workspace: { storageVolumes: rows } } })}\n`;
            res.writeHead(200, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(json) });
            res.end(json);
          } catch (error) {
            res.writeHead(500).end(String(error));
          }
        })(),
    );
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

async function post(url: string, body: string, authorization: string): Promise<string> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", authorization }, body });
  const text = await res.text();
  if (!res.ok) throw new Error(`${url} answered ${res.status}: ${text.slice(0, 500)}`);
  return text;
}

/** Statements the server sent to PostgreSQL per request, over 20 requests. */
async function roundTrips(url: string, body: string, authorization: string): Promise<number> {
  const before = counter.count();
  for (let i = 0; i < 20; i++) await post(url, body, authorization);
  return (counter.count() - before) / 20;
}

function loadgen(config: LoadConfig): Promise<{ latencies: Record<string, number[]>; bytes: Record<string, number> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(here, "../lib/loadgen.ts"), JSON.stringify(config)], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.on("close", (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`load generator exited with ${code}`))));
  });
}
