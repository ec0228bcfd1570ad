/**
 * Seeds a workspace with many storage volumes straight into its database, for benches that need
 * a large workspace without provisioning each volume through the lab (10,000 sagas would take hours).
 *
 * Rows look like the ones the volume saga leaves behind (apps/server/src/modules/volumes/volume.service.ts
 * names the disk, the StorageClass and the PV the same way), so list queries, usage loading and the
 * dashboard see what they would see in production. The volumes exist only in the database: no
 * Proxmox disk, no PV; the server reads them, it never reconciles them away.
 */
import { randomUUID } from "node:crypto";
import postgres from "postgres";

export type SeedVolumeStatus = "PROVISIONING" | "AVAILABLE" | "EXPANDING" | "DELETING" | "DELETED" | "FAILED";

export interface SeedVolumesOptions {
  /** Status of every seeded volume (AVAILABLE unless told). */
  status?: SeedVolumeStatus;
  /** Volume names are `<prefix>-<n>` with n zero-padded; must keep names lowercase DNS labels. */
  namePrefix?: string;
  /** Rows per INSERT (PostgreSQL allows 65,535 parameters per statement; a volume row takes 14). */
  batchSize?: number;
  /**
   * Also record one capacity sample per volume, taken within the last minute, so the volume shows a
   * usage bar (the usage loader reads samples of the last 6 hours).
   */
  withUsage?: boolean;
  /** Seed of the deterministic pseudo-random sizes, fills and dates (same seed, same rows). */
  seed?: number;
  /** Proxmox nodes the volumes are spread over (the lab's two by default). */
  nodes?: readonly string[];
  storage?: string;
  /** The holder VM id that names the disks (PROXMOX_HOLDER_VMID, 9999 by default). */
  holderVmid?: number;
}

export interface SeededVolumes {
  workspaceId: string;
  ids: string[];
}

const GiB = 1024 ** 3;

/** A storage_volumes row as inserted (column names of apps/server/src/db/schema/volumes.ts). */
interface VolumeRow {
  id: string;
  workspace_id: string;
  name: string;
  size_gib: number;
  status: SeedVolumeStatus;
  failure_reason: string | null;
  node: string;
  storage: string;
  disk_name: string;
  proxmox_volume_id: string | null;
  storage_class_name: string;
  persistent_volume_name: string;
  created_at: Date;
  updated_at: Date;
}

/** A capacity_samples row (apps/server/src/db/schema/monitoring.ts). */
interface SampleRow {
  volume_id: string;
  workspace_id: string;
  at: Date;
  used_bytes: number;
  capacity_bytes: number;
}
const SIZES_GIB = [5, 10, 20, 50, 100, 200, 250, 500, 1000, 2000];

/** Inserts `count` volumes into the workspace with this slug; returns their ids in name order. */
export async function seedVolumes(
  databaseUrl: string,
  workspaceSlug: string,
  count: number,
  options: SeedVolumesOptions = {},
): Promise<SeededVolumes> {
  const {
    status = "AVAILABLE",
    namePrefix = "bench-vol",
    batchSize = 2000,
    withUsage = false,
    seed = 1,
    nodes = ["pve1", "pve2"],
    storage = "local-lvm",
    holderVmid = 9999,
  } = options;
  if (!Number.isInteger(count) || count < 0) throw new Error(`seedVolumes: count must be a non-negative integer, got ${count}`);
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(namePrefix)) throw new Error(`seedVolumes: "${namePrefix}" is not a lowercase DNS label`);

  const sql = postgres(databaseUrl, { max: 1, onnotice: () => undefined });
  try {
    const [workspace] = await sql<Array<{ id: string }>>`select id from workspaces where slug = ${workspaceSlug}`;
    if (!workspace) throw new Error(`seedVolumes: no workspace with slug "${workspaceSlug}" (has the server seeded the lab yet?)`);

    const random = mulberry32(seed);
    const now = Date.now();
    const width = String(Math.max(count, 1)).length;
    const ids: string[] = [];

    for (let start = 0; start < count; start += batchSize) {
      const volumes: VolumeRow[] = [];
      const samples: SampleRow[] = [];
      for (let i = start; i < Math.min(count, start + batchSize); i++) {
        const id = randomUUID();
        const name = `${namePrefix}-${String(i + 1).padStart(width, "0")}`;
        const sizeGiB = SIZES_GIB[Math.floor(random() * SIZES_GIB.length)]!;
        const node = nodes[i % nodes.length]!;
        const diskName = `vm-${holderVmid}-hks-${workspaceSlug}-${name}-${id.slice(0, 8)}`;
        // Spread over the last 90 days, oldest first, like a workspace that grew.
        const createdAt = new Date(now - (count - i) * ((90 * 24 * 3600_000) / Math.max(count, 1)));
        const live = status !== "PROVISIONING" && status !== "FAILED";
        volumes.push({
          id,
          workspace_id: workspace.id,
          name,
          size_gib: sizeGiB,
          status,
          failure_reason: status === "FAILED" ? "seeded as failed" : null,
          node,
          storage,
          disk_name: diskName,
          proxmox_volume_id: live ? `${storage}:${diskName}` : null,
          storage_class_name: `hks-${name}`,
          persistent_volume_name: `hks-${workspaceSlug}-${name}`,
          created_at: createdAt,
          updated_at: createdAt,
        });
        if (withUsage) {
          const capacityBytes = sizeGiB * GiB;
          samples.push({
            volume_id: id,
            workspace_id: workspace.id,
            at: new Date(now - Math.floor(random() * 60_000)),
            // Mostly comfortable, a few near the alert threshold, like a real fleet.
            used_bytes: Math.round(capacityBytes * Math.min(0.99, random() ** 2)),
            capacity_bytes: capacityBytes,
          });
        }
        ids.push(id);
      }
      await sql.begin(async (tx) => {
        await tx`insert into storage_volumes ${tx(volumes)}`;
        if (samples.length) await tx`insert into capacity_samples ${tx(samples)}`;
      });
    }
    return { workspaceId: workspace.id, ids };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** Small deterministic PRNG: the same seed gives the same workspace on every run. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
