import "reflect-metadata";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startLab, type Lab } from "@hks/lab";
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import { startApp, type RunningApp } from "../app.js";
import { openDatabase, type DatabaseHandle } from "../db/client.js";
import { createInProcessPubSub } from "../graphql/pubsub.js";
import type { AppPubSub as PubSub } from "../modules/topics.js";
import { createLogger, type Logger } from "../logger.js";
import { VClusters } from "../platform/kubernetes/vclusters.js";
import { ProxmoxClient } from "../platform/proxmox/client.js";
import { LAB_PASSWORD, LAB_WORKSPACES, seedLab, seedLabClusters } from "../seed/lab-seed.js";
import { createServices, type Services } from "../services.js";
import { DEFAULT_TRANSLATION } from "../modules/backups/translation.js";
import { labImages } from "../seed/lab-images.js";
import { ScrapeClient, type MetricsSource } from "../platform/prometheus/client.js";

export const TEST_KEY_ENCRYPTION_KEY = Buffer.alloc(32, 7);
export const TEST_BACKUP_IMAGE = "ghcr.io/hks/backup-functions:test";

export { ADMIN_DATABASE_URL, createTestDatabase, freePort } from "./local.js";
import { createTestDatabase } from "./local.js";

export interface TestStack {
  lab: Lab;
  app: RunningApp;
  database: DatabaseHandle;
  databaseUrl: string;
  services: Services;
  /** The server's event bus, for tests and benches that publish as the services do. */
  pubsub: PubSub;
  dataDir: string;
  workspaceId(slug: string): Promise<string>;
  login(email: string): Promise<GraphQLClient>;
  anonymous(): GraphQLClient;
  stop(): Promise<void>;
}

/** The whole product on real parts: the lab over HTTP, a fresh PostgreSQL database, the server on a free port. */
export async function startStack(
  options: {
    databaseUrl?: string;
    dataDir?: string;
    lab?: Lab;
    metrics?: MetricsSource;
    logger?: Logger;
    webDist?: string;
    production?: boolean;
  } = {},
): Promise<TestStack> {
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), "hks-test-")));
  const ownDb = options.databaseUrl ? undefined : await createTestDatabase();
  const databaseUrl = options.databaseUrl ?? ownDb!.url;
  const lab =
    options.lab ??
    (await startLab({
      dataDir,
      clusters: LAB_WORKSPACES.map((w) => ({ name: w.vclusterName, namespaces: [...w.namespaces] })),
      images: labImages(TEST_BACKUP_IMAGE),
    }));
  const database = await openDatabase({ url: databaseUrl, dataDir });
  await seedLab(database.db);
  if (!options.lab) await seedLabClusters(lab);
  const pubsub = createInProcessPubSub();
  // DEBUG_LOGS=1 shows the server's logs while a test runs.
  const logger = options.logger ?? createLogger({ silent: !process.env["DEBUG_LOGS"] });
  const services = createServices({
    db: database.db,
    pubsub,
    logger,
    proxmox: new ProxmoxClient({
      url: lab.proxmox.url,
      tokenId: lab.proxmox.tokenId,
      tokenSecret: lab.proxmox.tokenSecret,
      storage: "local-lvm",
      holderVmid: 9999,
      callTimeoutMs: 3_000,
    }),
    vclusters: new VClusters(lab.dir!),
    csiDriver: "csi.proxmox.sinextra.dev",
    translation: { ...DEFAULT_TRANSLATION, image: TEST_BACKUP_IMAGE },
    metrics:
      options.metrics ??
      new ScrapeClient(() => [...lab.clusters.values()].map((c) => ({ url: c.metricsUrl, labels: { vcluster: c.name } }))),
    lab: { bytesPerGiB: lab.bytesPerGiB },
    tokens: { secret: "test-secret-test-secret-test-secret-0123" },
    keyEncryptionKey: TEST_KEY_ENCRYPTION_KEY,
  });
  const app = await startApp({
    db: database.db,
    services,
    pubsub,
    logger,
    host: "127.0.0.1",
    port: 0,
    development: false,
    production: options.production,
    webDist: options.webDist,
  });
  services.runTracker.start(250);
  const stack: TestStack = {
    lab,
    app,
    database,
    databaseUrl,
    services,
    pubsub,
    dataDir,
    async workspaceId(slug) {
      const rows = await database.db.query.workspaces.findFirst({ where: (w, { eq }) => eq(w.slug, slug) });
      return rows!.id;
    },
    login: (email) => signIn(app.url, email),
    anonymous: () => new GraphQLClient(app.url),
    async stop() {
      await app.close();
      await Promise.all([services.sagas.stop(), services.runTracker.stop()]);
      services.watches.stopAll();
      await database.close();
      if (!options.lab) await lab.close();
      await ownDb?.drop();
      if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
  return stack;
}

export interface GraphQLResult<T> {
  data?: T;
  errors?: Array<{ message: string; extensions?: { code?: string; field?: string; [k: string]: unknown } }>;
}

export class GraphQLClient {
  constructor(
    readonly url: string,
    readonly token?: string,
  ) {}

  async request<T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}): Promise<GraphQLResult<T>> {
    const res = await fetch(`${this.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as GraphQLResult<T>;
  }

  /** The data of a request that must succeed; its errors fail the test with their messages. */
  async data<T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const result = await this.request<T>(query, variables);
    if (result.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
    return result.data!;
  }

  /** The one error of a request that must fail. */
  async error(query: string, variables: Record<string, unknown> = {}) {
    const result = await this.request(query, variables);
    const error = result.errors?.[0];
    if (!error) throw new Error(`expected an error, got ${JSON.stringify(result.data)}`);
    return { message: error.message, code: error.extensions?.code, field: error.extensions?.field, data: result.data };
  }

  subscriptions(): Client {
    return createClient({
      url: `${this.url.replace(/^http/, "ws")}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: this.token ? { authorization: `Bearer ${this.token}` } : {},
    });
  }
}

/** Polls until `check` returns a value (not undefined), or fails with what was last seen. */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface ProvisionedVolume {
  id: string;
  status: string;
  sizeGiB: number;
  persistentVolumeName: string;
  storageClassName: string;
}

/** A fixture made through the API, as the Storage section makes it: a volume, once it is AVAILABLE. */
export async function provisionVolume(
  client: GraphQLClient,
  workspaceId: string,
  name: string,
  sizeGiB: number,
): Promise<ProvisionedVolume> {
  const { createStorageVolume } = await client.data<{ createStorageVolume: { id: string } }>(
    `mutation($input: CreateStorageVolumeInput!) { createStorageVolume(input: $input) { id } }`,
    { input: { workspaceId, name, sizeGiB } },
  );
  return eventually(async () => {
    const { workspace } = await client.data<{ workspace: { storageVolume: ProvisionedVolume } }>(
      `query($w: ID!, $id: ID!) { workspace(id: $w) { storageVolume(id: $id) { id status sizeGiB persistentVolumeName storageClassName } } }`,
      { w: workspaceId, id: createStorageVolume.id },
    );
    return workspace.storageVolume.status === "AVAILABLE" ? workspace.storageVolume : undefined;
  }, `volume ${name} to become AVAILABLE`);
}

/** The id of the workspace's application of that name (the lab seeds shop, among others), as the dashboard reads it. */
export async function applicationId(client: GraphQLClient, workspaceId: string, name: string): Promise<string> {
  const { workspace } = await client.data<{ workspace: { applications: Array<{ id: string; name: string }> } }>(
    `query($id: ID!) { workspace(id: $id) { applications { id name } } }`,
    { id: workspaceId },
  );
  const app = workspace.applications.find((a) => a.name === name);
  if (!app) throw new Error(`no application ${name} in workspace ${workspaceId}`);
  return app.id;
}

/** Signs a lab user in on a running server and returns a client carrying the token. */
export async function signIn(url: string, email = "admin@acme.test"): Promise<GraphQLClient> {
  const { login } = await new GraphQLClient(url).data<{ login: { token: string } }>(
    `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`,
    { e: email, p: LAB_PASSWORD },
  );
  return new GraphQLClient(url, login.token);
}
