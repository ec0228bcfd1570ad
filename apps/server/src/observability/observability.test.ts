import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { migrationsFolder, openDatabase, type Database } from "../db/client.js";
import { createLogger } from "../logger.js";
import {
  eventually,
  createTestDatabase,
  freePort,
  provisionVolume,
  startStack,
  type GraphQLClient,
  type TestStack,
} from "../test/harness.js";
import { HealthChecks, readJournal } from "./health.js";
import { OPERATION_NAME_LIMIT, OTHER_OPERATION, ServerMetrics } from "./metrics.js";

let stack: TestStack;
let admin: GraphQLClient;
let sql: postgres.Sql;
const logLines: Array<Record<string, unknown>> = [];
const journal = readJournal(migrationsFolder);

beforeAll(async () => {
  stack = await startStack({
    logger: createLogger({ level: "info", write: (line) => void logLines.push(JSON.parse(line) as Record<string, unknown>) }),
  });
  admin = await stack.login("admin@acme.test");
  sql = postgres(stack.databaseUrl, { max: 2, onnotice: () => undefined });
});
afterAll(async () => {
  await sql?.end();
  await stack?.stop();
});

const get = async (path: string) => {
  const res = await fetch(`${stack.app.url}${path}`);
  return { status: res.status, type: res.headers.get("content-type") ?? "", text: await res.text() };
};
const getJson = async (path: string) => {
  const { status, text } = await get(path);
  return { status, body: JSON.parse(text) as { status: string; reason?: string; migrations?: { applied: number; expected: number } } };
};

/** A sample's value from the text exposition, or undefined when the series is absent. */
async function sample(name: string, labels: Record<string, string> = {}): Promise<number | undefined> {
  const { text } = await get("/metrics");
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split("\n")) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = new Set((match[2] ?? "").split(/,(?=[a-zA-Z_]\w*=")/));
    if (wanted.every((w) => have.has(w))) return Number(match[3]);
  }
  return undefined;
}

describe("readiness", () => {
  it("is ready against PostgreSQL holding every migration of the build", async () => {
    const { status, body } = await getJson("/readyz");
    expect(status).toBe(200);
    expect(body).toEqual({ status: "ready", migrations: { applied: journal.length, expected: journal.length } });
  });

  it("answers 503 naming the migration a database lacks, and is ready again once it is applied", async () => {
    const last = journal.at(-1)!;
    const [removed] = await sql<{ id: number; hash: string; created_at: string }[]>`
      delete from drizzle.__drizzle_migrations where created_at = ${last.when} returning id, hash, created_at`;
    expect(removed).toBeDefined();
    try {
      const { status, body } = await getJson("/readyz");
      expect(status).toBe(503);
      expect(body.status).toBe("unavailable");
      expect(body.reason).toBe(`${journal.length - 1} of ${journal.length} migrations applied; missing: ${last.tag}`);
    } finally {
      await sql`insert into drizzle.__drizzle_migrations (id, hash, created_at) values (${removed!.id}, ${removed!.hash}, ${removed!.created_at})`;
    }
    expect((await getJson("/readyz")).status).toBe(200);
  });

  it("answers 503 within 2 s while the database hangs, and recovers when it answers again", async () => {
    // A session holding an exclusive lock on the migrations table makes every read of it wait: a hung database, as the probe sees it.
    const locker = postgres(stack.databaseUrl, { max: 1, onnotice: () => undefined });
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const holding = locker.begin(async (tx) => {
      await tx`lock table drizzle.__drizzle_migrations in access exclusive mode`;
      locked();
      await released;
    });
    try {
      await isLocked;
      const started = Date.now();
      const { status, body } = await getJson("/readyz");
      const took = Date.now() - started;
      expect(status).toBe(503);
      expect(body.reason).toMatch(/did not answer within 1500 ms/);
      expect(took).toBeLessThan(2000);
      // Liveness never asks the database: a database outage must not restart the pods.
      const live = await getJson("/livez");
      expect(live.status).toBe(200);
      expect(live.body.status).toBe("ok");
    } finally {
      release();
      await holding;
      await locker.end();
    }
    await eventually(async () => ((await getJson("/readyz")).status === 200 ? true : undefined), "readiness to recover");
  });

  it("tells a database with no migrations at all, and one that cannot be reached, apart", async () => {
    const empty = await createTestDatabase();
    const client = postgres(empty.url, { max: 1, onnotice: () => undefined });
    try {
      const checks = new HealthChecks(drizzle(client) as unknown as Database, { migrationsFolder });
      expect(await checks.readiness()).toMatchObject({ ready: false, reason: expect.stringMatching(/no migrations applied/) });
    } finally {
      await client.end();
      await empty.drop();
    }

    const closed = await freePort();
    const unreachable = postgres(`postgres://postgres@127.0.0.1:${closed}/none`, { max: 1, connect_timeout: 1 });
    try {
      const checks = new HealthChecks(drizzle(unreachable) as unknown as Database, { migrationsFolder });
      expect(await checks.readiness()).toMatchObject({
        ready: false,
        reason: expect.stringMatching(/^database unreachable: .*ECONNREFUSED/),
      });
    } finally {
      await unreachable.end({ timeout: 0 });
    }
  });

  it("reads the migrations of the embedded PGlite database too (`pnpm start`, the e2e tests)", async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "hks-pglite-"));
    const database = await openDatabase({ dataDir });
    try {
      const checks = new HealthChecks(database.db, { migrationsFolder });
      expect(await checks.readiness()).toEqual({ ready: true, migrations: { applied: journal.length, expected: journal.length } });
    } finally {
      await database.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it("keeps /healthz as an alias of /livez", async () => {
    const { status, body } = await getJson("/healthz");
    expect(status).toBe(200);
    expect(body.status).toBe("ok");
  });
});

describe("metrics", () => {
  it("serves the Prometheus text format with the process's default metrics", async () => {
    const { status, type, text } = await get("/metrics");
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(text).toMatch(/^# TYPE hks_graphql_request_duration_seconds histogram$/m);
    expect(await sample("process_resident_memory_bytes")).toBeGreaterThan(0);
  });

  it("counts a request under its operation name, type and outcome", async () => {
    const labels = { operation: "WhoAmI", type: "query", outcome: "ok" };
    const before = (await sample("hks_graphql_request_duration_seconds_count", labels)) ?? 0;
    await admin.data(`query WhoAmI { me { email } }`);
    await admin.data(`query WhoAmI { me { email } }`);
    expect(await sample("hks_graphql_request_duration_seconds_count", labels)).toBe(before + 2);

    await stack.anonymous().request(`query WhoAmI { me { email } }`);
    expect(await sample("hks_graphql_request_duration_seconds_count", { operation: "WhoAmI", type: "query", outcome: "error" })).toBe(1);
    await admin.data(`{ me { id } }`);
    expect(
      await sample("hks_graphql_request_duration_seconds_count", { operation: "(anonymous)", type: "query", outcome: "ok" }),
    ).toBeGreaterThanOrEqual(1);
    await admin.request(`query Broken { me { nope } }`);
    expect(await sample("hks_graphql_request_duration_seconds_count", { operation: "(invalid)", type: "unknown", outcome: "error" })).toBe(
      1,
    );
  });

  it("counts a saga's outcome once a volume is provisioned, and once one rolls back", async () => {
    const acme = await stack.workspaceId("acme");
    const succeeded = { kind: "CREATE", outcome: "succeeded" };
    expect(await sample("hks_volume_saga_outcomes_total", succeeded)).toBe(0);
    await provisionVolume(admin, acme, "observed", 1);
    await eventually(
      async () => ((await sample("hks_volume_saga_outcomes_total", succeeded)) === 1 ? true : undefined),
      "a CREATE saga counted as succeeded",
    );

    const acmeKube = stack.lab.clusters.get("acme")!;
    acmeKube.faults.add({
      method: "PATCH",
      path: "/api/v1/persistentvolumes/hks-acme-refused",
      action: "fail",
      status: 403,
      message: "denied",
    });
    try {
      await admin.data(`mutation($input: CreateStorageVolumeInput!) { createStorageVolume(input: $input) { id } }`, {
        input: { workspaceId: acme, name: "refused", sizeGiB: 1 },
      });
      await eventually(
        async () => ((await sample("hks_volume_saga_outcomes_total", { kind: "CREATE", outcome: "rolled_back" })) === 1 ? true : undefined),
        "a CREATE saga counted as rolled back",
      );
    } finally {
      acmeKube.faults.clear();
    }
    expect(await sample("hks_volume_saga_outcomes_total", succeeded)).toBe(1);
  });

  it("counts the agents' cycles", async () => {
    const before = (await sample("hks_agent_cycles_total", { agent: "orchestration", outcome: "ok" })) ?? 0;
    await stack.services.orchestration.cycle();
    await stack.services.userChat.cycle();
    await stack.services.storageWorker!.cycle();
    await stack.services.reconciler.reconcileAll();
    expect(await sample("hks_agent_cycles_total", { agent: "orchestration", outcome: "ok" })).toBe(before + 1);
    expect(await sample("hks_agent_cycles_total", { agent: "user_chat", outcome: "ok" })).toBeGreaterThanOrEqual(1);
    expect(await sample("hks_agent_cycles_total", { agent: "storage_worker", outcome: "ok" })).toBeGreaterThanOrEqual(1);
    expect(await sample("hks_agent_cycles_total", { agent: "backup_reconciler", outcome: "ok" })).toBeGreaterThanOrEqual(1);
    expect(await sample("hks_agent_cycle_duration_seconds_count", { agent: "storage_worker" })).toBeGreaterThanOrEqual(1);
    // The harness runs the run tracker on a timer.
    await eventually(
      async () => ((await sample("hks_agent_cycles_total", { agent: "backup_run_tracker", outcome: "ok" })) ?? 0) > 0 || undefined,
      "a run tracker cycle",
    );
  });

  it("shows the subscriptions open on this instance", async () => {
    const acme = await stack.workspaceId("acme");
    const client = admin.subscriptions();
    const open = () => sample("hks_graphql_subscriptions_open");
    expect(await open()).toBe(0);
    const stopA = client.subscribe(
      { query: `subscription($w: ID!) { storageVolumeChanged(workspaceId: $w) { id } }`, variables: { w: acme } },
      { next: () => {}, error: () => {}, complete: () => {} },
    );
    // The second is never stopped by the client: closing the socket ends it.
    client.subscribe(
      { query: `subscription($w: ID!) { capacityAlertRaised(workspaceId: $w) { id } }`, variables: { w: acme } },
      { next: () => {}, error: () => {}, complete: () => {} },
    );
    // A query over the socket is not a subscription.
    await new Promise((resolve, reject) =>
      client.subscribe({ query: `{ me { id } }` }, { next: () => {}, error: reject, complete: () => resolve(undefined) }),
    );
    await eventually(async () => ((await open()) === 2 ? true : undefined), "two subscriptions open");
    stopA();
    await eventually(async () => ((await open()) === 1 ? true : undefined), "one subscription open");
    await client.dispose();
    await eventually(async () => ((await open()) === 0 ? true : undefined), "no subscription open once the socket closed");
  });

  it("gives only a bounded number of operation names a series of their own", () => {
    const metrics = new ServerMetrics({ processMetrics: false });
    for (let i = 0; i < OPERATION_NAME_LIMIT; i++) expect(metrics.operationLabel(`Op${i}`, true)).toBe(`Op${i}`);
    expect(metrics.operationLabel("OneTooMany", true)).toBe(OTHER_OPERATION);
    expect(metrics.operationLabel("Op7", true)).toBe("Op7");
    expect(metrics.operationLabel("NeverValidated", false)).toBe("(invalid)");
  });
});

describe("logs", () => {
  it("writes one JSON line per operation with its name, type, duration, errors and viewer, and no secrets", async () => {
    logLines.length = 0;
    const anon = stack.anonymous();
    const { data } = await anon.request<{ login: { token: string } }>(
      `mutation SignIn($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`,
      {
        e: "admin@acme.test",
        p: "hks-lab",
      },
    );
    await admin.request(`query Mine { me { email } }`);
    await anon.request(`query Mine { me { email } }`);
    const ops = logLines.filter((l) => l["message"] === "graphql operation");
    expect(ops).toHaveLength(3);
    expect(ops[0]).toMatchObject({ level: "info", operation: "SignIn", type: "mutation" });
    expect(ops[0]).not.toHaveProperty("errors");
    expect(ops[1]).toMatchObject({ operation: "Mine", type: "query", userId: expect.any(String) });
    expect(ops[2]).toMatchObject({ operation: "Mine", errors: ["UNAUTHENTICATED"] });
    expect(ops[2]).not.toHaveProperty("userId");
    for (const line of ops) expect(typeof line["ms"]).toBe("number");
    const everything = JSON.stringify(logLines);
    expect(everything).not.toContain("hks-lab");
    expect(everything).not.toContain(data!.login.token);
    expect(everything).not.toContain(admin.token!);
  });

  it("answers a malformed request body in JSON and logs nothing unstructured", async () => {
    const unstructured = vi.spyOn(console, "error");
    const res = await fetch(`${stack.app.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{not json",
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: Array<{ message: string }> }).errors[0]!.message).toMatch(/JSON/);
    await new Promise((r) => setTimeout(r, 50));
    expect(unstructured).not.toHaveBeenCalled();
    unstructured.mockRestore();
  });
});
