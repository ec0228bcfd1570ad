import "reflect-metadata";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { startLab, type Lab } from "@hks/lab";
import { startApp } from "./app.js";
import { openDatabase, openSidePool } from "./db/client.js";
import { keyEncryptionKey } from "./modules/repository-keys/envelope.js";
import { graphqlLimits, isLabMode, isLoopback, loadEnv, seedsLab, type Env } from "./env.js";
import { createInProcessPubSub } from "./graphql/pubsub.js";
import { createPostgresPubSub } from "./graphql/pubsub-postgres.js";
import { createLogger } from "./logger.js";
import { VClusters } from "./platform/kubernetes/vclusters.js";
import { ProxmoxClient } from "./platform/proxmox/client.js";
import { LAB_WORKSPACES, seedLab, seedLabClusters } from "./seed/lab-seed.js";
import { createServices, defaultInstanceId } from "./services.js";
import { electLeader } from "./leadership.js";
import { DEFAULT_TRANSLATION } from "./modules/backups/translation.js";
import { labImages } from "./seed/lab-images.js";
import { startLeaderWork, startShardWork, startWorkspaceWork } from "./workers.js";
import { startSharding } from "./sharding.js";
import { OwnedWorkspaces } from "./modules/workspaces/workspace-share.js";
import { announceReady } from "./observability/banner.js";
import { PrometheusClient, ScrapeClient } from "./platform/prometheus/client.js";

const started = Date.now();
const env = loadEnv();
const logger = createLogger({ level: env.LOG_LEVEL });
await mkdir(env.HKS_DATA_DIR, { recursive: true });

let lab: Lab | undefined;
if (isLabMode(env)) {
  if (env.HKS_LAB_LISTEN_ANYWHERE === "true" && !isLoopback(env.HOST))
    logger.warn(
      `HKS_LAB_LISTEN_ANYWHERE=true: the lab listens on ${env.HOST}, beyond this machine; anyone who reaches it can run pods here`,
    );
  lab = await startLab({
    dataDir: env.HKS_DATA_DIR,
    clusters: LAB_WORKSPACES.map((w) => ({ name: w.vclusterName, namespaces: [...w.namespaces] })),
    images: labImages(env.HKS_BACKUP_IMAGE),
  });
}
const proxmox = new ProxmoxClient(
  lab
    ? {
        url: lab.proxmox.url,
        tokenId: lab.proxmox.tokenId,
        tokenSecret: lab.proxmox.tokenSecret,
        storage: env.PROXMOX_STORAGE,
        holderVmid: env.PROXMOX_HOLDER_VMID,
      }
    : {
        url: env.PROXMOX_URL!,
        tokenId: env.PROXMOX_TOKEN_ID!,
        tokenSecret: env.PROXMOX_TOKEN_SECRET!,
        storage: env.PROXMOX_STORAGE,
        nodes: env.PROXMOX_NODES?.split(",")
          .map((n) => n.trim())
          .filter(Boolean),
        region: env.PROXMOX_REGION,
        holderVmid: env.PROXMOX_HOLDER_VMID,
      },
);
const vclusters = new VClusters(lab?.dir ?? env.HKS_KUBECONFIG_DIR!);

const database = await openDatabase({
  url: env.DATABASE_URL,
  dataDir: env.HKS_DATA_DIR,
  afterMigrate: async (db) => {
    if (seedsLab(env)) await seedLab(db);
  },
});
if (lab) await seedLabClusters(lab);

const instanceId = env.HKS_INSTANCE_ID ?? defaultInstanceId();
// With PostgreSQL, events go through LISTEN/NOTIFY so every instance's subscribers receive them.
const shared = env.DATABASE_URL
  ? await createPostgresPubSub(env.DATABASE_URL, {
      instanceId,
      onError: (message, error) => logger.error(message, { error: String(error) }),
    })
  : undefined;
const pubsub = shared?.pubsub ?? createInProcessPubSub();
// The workspaces whose background work this replica runs; sharding (below) keeps it current. PGlite is one process's
// database, so no other replica can share it: the one instance runs every workspace, with no lease that a busy
// embedded database could let lapse.
const share = env.DATABASE_URL ? new OwnedWorkspaces() : undefined;
const services = createServices({
  share,
  instanceId,
  sagaLeaseMs: env.HKS_SAGA_LEASE_MS,
  db: database.db,
  pubsub,
  logger,
  proxmox,
  vclusters,
  csiDriver: env.HKS_CSI_DRIVER,
  translation: { ...DEFAULT_TRANSLATION, image: env.HKS_BACKUP_IMAGE },
  metrics: env.PROMETHEUS_URL
    ? new PrometheusClient(env.PROMETHEUS_URL)
    : lab
      ? new ScrapeClient(() => [...lab!.clusters.values()].map((c) => ({ url: c.metricsUrl, labels: { vcluster: c.name } })))
      : undefined,
  lab: lab && { bytesPerGiB: lab.bytesPerGiB },
  keyEncryptionKey: keyEncryptionKey(await kekBase64(env)),
  tokens: {
    secret: await tokenSecret(env),
    oidc: env.OIDC_ISSUER ? { issuer: env.OIDC_ISSUER, audience: env.OIDC_AUDIENCE, jwksUrl: env.OIDC_JWKS_URL } : undefined,
  },
});

const app = await startApp({
  db: database.db,
  services,
  pubsub,
  logger,
  host: env.HOST,
  port: env.PORT,
  webDist: env.HKS_WEB_DIST,
  development: env.NODE_ENV !== "production",
  production: env.NODE_ENV === "production",
  limits: graphqlLimits(env),
});
// Every instance serves requests and runs the background work of its share of the workspaces (sharding.ts);
// the one elected leader also resumes and sweeps volume operations, which are not a workspace's to shard.
const leadership = await electLeader({
  databaseUrl: env.DATABASE_URL,
  instanceId,
  checkMs: env.HKS_LEADER_CHECK_MS,
  logger,
  lead: () => startLeaderWork(services, { logger }),
});
const shardWork = await startShardWork(services, {
  runPollMs: env.HKS_RUN_POLL_MS,
  reconcileIntervalMs: env.HKS_RECONCILE_INTERVAL_MS,
  monitorIntervalMs: env.HKS_MONITOR_INTERVAL_MS,
  agentIntervalMs: 1000,
  logger,
});
// Heartbeats and renewals on connections of their own: a busy main pool must not make this replica look dead.
const leasePool = env.DATABASE_URL ? openSidePool(env.DATABASE_URL, `hks-leases ${instanceId}`) : undefined;
const sharding =
  share &&
  (await startSharding({
    db: leasePool?.db ?? database.db,
    instanceId,
    heartbeatMs: env.HKS_SHARD_HEARTBEAT_MS,
    leaseMs: env.HKS_SHARD_LEASE_MS,
    logger,
    share,
    metrics: services.serverMetrics,
    startWorkspace: (fence) => startWorkspaceWork(services, fence, { logger }),
  }));
if (!services.storageWorker) logger.warn("capacity monitoring is off: set PROMETHEUS_URL");

const seconds = ((Date.now() - started) / 1000).toFixed(1);
announceReady(
  {
    seconds,
    url: app.url,
    database: database.kind === "pglite" ? `PGlite in ${path.join(env.HKS_DATA_DIR, "pglite")}` : "PostgreSQL (DATABASE_URL)",
    lab: lab?.dir ? { proxmoxUrl: lab.proxmox.url, kubeconfigDir: lab.dir, kubeconfig: path.join(lab.dir, "acme.kubeconfig") } : undefined,
  },
  { production: env.NODE_ENV === "production", logger },
);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info("shutting down", { signal });
    void (async () => {
      const step = async (what: string, fn: () => Promise<unknown>) => {
        const t = Date.now();
        await fn();
        logger.info(`stopped ${what}`, { ms: Date.now() - t });
      };
      await step("http", () => app.close());
      await step("workspace leases", async () => {
        await sharding?.stop();
        await leasePool?.close();
      });
      await step("workers", () => Promise.all([shardWork.stop(), leadership.stop()]));
      if (shared) await step("pub/sub", () => shared.close());
      await step("database", () => database.close());
      if (lab) await step("lab", () => lab!.close());
      process.exit(0);
    })();
  });
}

/** The lab token secret: configured, or generated once and kept in the data folder so sign-ins survive restarts. */
async function tokenSecret(config: Env): Promise<string> {
  if (config.HKS_TOKEN_SECRET) return config.HKS_TOKEN_SECRET;
  const file = path.join(config.HKS_DATA_DIR, "token-secret");
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  const secret = randomBytes(32).toString("hex");
  await writeFile(file, secret, { mode: 0o600 });
  return secret;
}

/** Configured, or (lab only: env.ts requires it otherwise) generated once into the data folder like the token secret. */
async function kekBase64(config: Env): Promise<string> {
  if (config.HKS_KEY_ENCRYPTION_KEY) return config.HKS_KEY_ENCRYPTION_KEY;
  const file = path.join(config.HKS_DATA_DIR, "key-encryption-key");
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  const key = randomBytes(32).toString("base64");
  await writeFile(file, key, { mode: 0o600 });
  return key;
}
