import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { DEFAULT_LIMITS, type GraphQLLimits } from "./graphql/edge/limits.js";
import { LOG_LEVELS } from "./logger.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: z.coerce.number().int().min(0).max(65535).default(4000),
    HOST: z.string().default("127.0.0.1"),
    /** debug, info (default: one line per GraphQL operation), warn, error, or silent. */
    LOG_LEVEL: z.enum(LOG_LEVELS).default("info"),
    HKS_DATA_DIR: z.string().default(path.join(repoRoot, ".hks")),
    HKS_WEB_DIST: z.string().default(path.join(repoRoot, "apps/web/dist")),
    DATABASE_URL: z.string().url().optional(),
    /** Signs lab sign-in tokens; generated into HKS_DATA_DIR when unset. */
    HKS_TOKEN_SECRET: z.string().min(32).optional(),
    /**
     * Wraps each workspace's repository-key data key (32 bytes, base64: `openssl rand -base64 32`). Required with real
     * Proxmox; the lab generates one into HKS_DATA_DIR. Losing it makes the stored keys unreadable: keep a copy.
     */
    HKS_KEY_ENCRYPTION_KEY: z
      .string()
      .refine((v) => Buffer.from(v, "base64").length === 32, "must be 32 bytes, base64-encoded (openssl rand -base64 32)")
      .optional(),
    PROXMOX_URL: z.string().url().optional(),
    PROXMOX_TOKEN_ID: z
      .string()
      .regex(/^[^@]+@[^!]+![\w-]+$/, "expected USER@REALM!TOKENID")
      .optional(),
    PROXMOX_TOKEN_SECRET: z.string().uuid().optional(),
    PROXMOX_STORAGE: z.string().default("local-lvm"),
    PROXMOX_NODES: z.string().optional(),
    /** Region of the CSI topology; the Proxmox cluster's name when unset. */
    PROXMOX_REGION: z.string().optional(),
    /** A stopped VM on every node that holds a disk while Proxmox resizes it (PVE resizes only VM disks). */
    PROXMOX_HOLDER_VMID: z.coerce.number().int().min(100).default(9999),
    HKS_KUBECONFIG_DIR: z.string().optional(),
    HKS_CSI_DRIVER: z.string().default("csi.proxmox.sinextra.dev"),
    /** The image holding the backup functions (packages/backup-functions/Dockerfile) that backup CronJobs run. */
    HKS_BACKUP_IMAGE: z.string().default("ghcr.io/hks/backup-functions:0.1.0"),
    /** How often backup Jobs and Pods are read back into runs. */
    HKS_RUN_POLL_MS: z.coerce.number().int().min(200).default(2000),
    /** How often every Backup's CronJob is compared with what it should be (unchanged ones cost a read, not a write). */
    HKS_RECONCILE_INTERVAL_MS: z.coerce.number().int().min(1000).default(60_000),
    /** Prometheus that scrapes the clusters' kubelets; without it the lab's kubelet endpoints are read directly. */
    PROMETHEUS_URL: z.string().url().optional(),
    /** How often the StorageWorkerAgent samples every volume's usage (one query per cycle). */
    HKS_MONITOR_INTERVAL_MS: z.coerce.number().int().min(500).default(15_000),
    /** This instance's name among several sharing the database (leases, leader election); hostname-pid when unset. */
    HKS_INSTANCE_ID: z.string().min(1).optional(),
    /** How often a follower tries to become the leader (and the leader checks it still is). */
    HKS_LEADER_CHECK_MS: z.coerce.number().int().min(100).default(2000),
    /** How often a replica beats its heart in PostgreSQL, renews its workspace leases and rebalances the workspaces. */
    HKS_SHARD_HEARTBEAT_MS: z.coerce.number().int().min(100).default(1000),
    /**
     * A replica silent this long counts as gone, and its workspace leases lapse: its share of the background work moves
     * to the others after about this long (plus a heartbeat). At least twice the heartbeat.
     */
    HKS_SHARD_LEASE_MS: z.coerce.number().int().min(300).default(5000),
    /** A volume operation whose instance stopped renewing its lease this long ago is resumed by another. */
    HKS_SAGA_LEASE_MS: z.coerce.number().int().min(300).default(30_000),
    /** Seed the lab's plans, workspaces and users even against real endpoints (for trying the product and for tests). */
    HKS_SEED_LAB: z.enum(["true", "false"]).optional(),
    /** GraphQL limits per operation (HTTP and graphql-ws); see README "GraphQL limits". */
    HKS_GRAPHQL_MAX_TOKENS: z.coerce.number().int().min(100).default(DEFAULT_LIMITS.maxTokens),
    HKS_GRAPHQL_MAX_ALIASES: z.coerce.number().int().min(1).default(DEFAULT_LIMITS.maxAliases),
    HKS_GRAPHQL_MAX_DEPTH: z.coerce.number().int().min(2).default(DEFAULT_LIMITS.maxDepth),
    HKS_GRAPHQL_MAX_ROOT_FIELDS: z.coerce.number().int().min(1).default(DEFAULT_LIMITS.maxRootFields),
    HKS_GRAPHQL_MAX_DIRECTIVES: z.coerce.number().int().min(1).default(DEFAULT_LIMITS.maxDirectives),
    HKS_GRAPHQL_MAX_COST: z.coerce.number().int().min(10).default(DEFAULT_LIMITS.maxCost),
    HKS_GRAPHQL_ASSUMED_LIST_SIZE: z.coerce.number().int().min(1).default(DEFAULT_LIMITS.assumedListSize),
    HKS_GRAPHQL_MAX_BODY_BYTES: z.coerce
      .number()
      .int()
      .min(16 * 1024)
      .default(DEFAULT_LIMITS.maxBodyBytes),
    /** The lab runs pods on this machine: it listens beyond loopback only when told to here. */
    HKS_LAB_LISTEN_ANYWHERE: z.enum(["true", "false"]).default("false"),
    OIDC_ISSUER: z.string().url().optional(),
    OIDC_AUDIENCE: z.string().optional(),
    OIDC_JWKS_URL: z.string().url().optional(),
  })
  .superRefine((env, ctx) => {
    if (env.HKS_SHARD_LEASE_MS < 2 * env.HKS_SHARD_HEARTBEAT_MS) {
      ctx.addIssue({
        code: "custom",
        message: `HKS_SHARD_LEASE_MS (${env.HKS_SHARD_LEASE_MS}) must be at least twice HKS_SHARD_HEARTBEAT_MS (${env.HKS_SHARD_HEARTBEAT_MS}), or a replica's leases lapse between two renewals`,
      });
    }
    if (env.PROXMOX_URL && (!env.PROXMOX_TOKEN_ID || !env.PROXMOX_TOKEN_SECRET)) {
      ctx.addIssue({ code: "custom", message: "PROXMOX_URL needs PROXMOX_TOKEN_ID and PROXMOX_TOKEN_SECRET" });
    }
    if (!env.PROXMOX_URL && !isLoopback(env.HOST) && env.HKS_LAB_LISTEN_ANYWHERE !== "true") {
      ctx.addIssue({
        code: "custom",
        message: `HOST=${env.HOST} would expose the lab (which runs backup pods on this machine) beyond this machine; use 127.0.0.1, or set HKS_LAB_LISTEN_ANYWHERE=true if you mean it`,
      });
    }
    if (env.PROXMOX_URL && !env.HKS_KEY_ENCRYPTION_KEY) {
      ctx.addIssue({
        code: "custom",
        message: "PROXMOX_URL needs HKS_KEY_ENCRYPTION_KEY (32 bytes, base64), which encrypts the workspaces' repository keys",
      });
    }
    if (env.PROXMOX_URL && !env.HKS_KUBECONFIG_DIR) {
      ctx.addIssue({ code: "custom", message: "PROXMOX_URL needs HKS_KUBECONFIG_DIR (one <vcluster>.kubeconfig per workspace)" });
    }
  });

export type Env = z.infer<typeof schema>;

/** Every variable the server reads (deploy/ checks its manifests set no other). */
export const ENV_VARIABLES: readonly string[] = Object.keys(schema.shape);

/** The only reader of process.env: configuration is parsed once, and a bad value stops the start with a reason. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".") || "config"}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

/** Lab mode: no real Proxmox configured, so the embedded lab platform stands in. */
export const isLabMode = (env: Env): boolean => !env.PROXMOX_URL;

export const seedsLab = (env: Env): boolean => (env.HKS_SEED_LAB ? env.HKS_SEED_LAB === "true" : isLabMode(env));

export const graphqlLimits = (env: Env): GraphQLLimits => ({
  maxTokens: env.HKS_GRAPHQL_MAX_TOKENS,
  maxAliases: env.HKS_GRAPHQL_MAX_ALIASES,
  maxDepth: env.HKS_GRAPHQL_MAX_DEPTH,
  maxRootFields: env.HKS_GRAPHQL_MAX_ROOT_FIELDS,
  maxDirectives: env.HKS_GRAPHQL_MAX_DIRECTIVES,
  maxCost: env.HKS_GRAPHQL_MAX_COST,
  assumedListSize: env.HKS_GRAPHQL_ASSUMED_LIST_SIZE,
  maxBodyBytes: env.HKS_GRAPHQL_MAX_BODY_BYTES,
});

/** True for addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}
