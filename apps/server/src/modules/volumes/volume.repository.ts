import { and, asc, desc, eq, inArray, ne, notInArray, sql } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { storageVolumes, volumeOperations, workspaces } from "../../db/schema/index.js";

export type StorageVolumeRecord = typeof storageVolumes.$inferSelect;
export type NewStorageVolume = typeof storageVolumes.$inferInsert;
export type VolumeStatus = StorageVolumeRecord["status"];
export type VolumeOperationRecord = typeof volumeOperations.$inferSelect;
export type NewVolumeOperation = typeof volumeOperations.$inferInsert;

/** Statuses whose size counts against the workspace's hard limit (spec 4.2). */
const HOLDING_CAPACITY: VolumeStatus[] = ["PROVISIONING", "AVAILABLE", "EXPANDING", "DELETING"];

/** Storage volumes and their saga journal, for one workspace. The only writer of these tables. */
export class VolumeRepository {
  constructor(
    private readonly db: Database,
    readonly workspaceId: string,
  ) {}

  list(options: { includeDeleted?: boolean } = {}): Promise<StorageVolumeRecord[]> {
    return this.db
      .select()
      .from(storageVolumes)
      .where(
        and(
          eq(storageVolumes.workspaceId, this.workspaceId),
          options.includeDeleted ? undefined : ne(storageVolumes.status, "DELETED"),
        ),
      )
      .orderBy(asc(storageVolumes.createdAt), asc(storageVolumes.name));
  }

  /** Inside a transaction pass its handle: PGlite has one connection, so a query outside the transaction would wait forever. */
  async get(id: string, db: Database = this.db): Promise<StorageVolumeRecord | undefined> {
    const [row] = await db
      .select()
      .from(storageVolumes)
      .where(and(eq(storageVolumes.workspaceId, this.workspaceId), eq(storageVolumes.id, id)));
    return row;
  }

  async liveByName(name: string, db: Database = this.db): Promise<StorageVolumeRecord | undefined> {
    const [row] = await db
      .select()
      .from(storageVolumes)
      .where(
        and(
          eq(storageVolumes.workspaceId, this.workspaceId),
          eq(storageVolumes.name, name),
          notInArray(storageVolumes.status, ["DELETED", "FAILED"]),
        ),
      );
    return row;
  }

  /**
   * Serializes capacity decisions of one workspace: whoever holds the workspace row's lock
   * sees every volume committed before it, so two concurrent requests cannot both fit.
   */
  async lockWorkspace(db: Database): Promise<void> {
    await db.select({ id: workspaces.id }).from(workspaces).where(eq(workspaces.id, this.workspaceId)).for("update");
  }

  async provisionedGiB(db: Database = this.db): Promise<number> {
    const [row] = await db
      .select({ total: sql<string>`coalesce(sum(${storageVolumes.sizeGiB}), 0)` })
      .from(storageVolumes)
      .where(and(eq(storageVolumes.workspaceId, this.workspaceId), inArray(storageVolumes.status, HOLDING_CAPACITY)));
    return Number(row?.total ?? 0);
  }

  /** Capacity reserved by expansions in flight, on top of the volumes' current sizes. */
  async pendingGrowthGiB(db: Database = this.db): Promise<number> {
    const [row] = await db
      .select({ total: sql<string>`coalesce(sum(${volumeOperations.toSizeGiB} - ${volumeOperations.fromSizeGiB}), 0)` })
      .from(volumeOperations)
      .where(
        and(
          eq(volumeOperations.workspaceId, this.workspaceId),
          eq(volumeOperations.kind, "EXPAND"),
          inArray(volumeOperations.state, ["RUNNING", "ROLLING_BACK"]),
        ),
      );
    return Number(row?.total ?? 0);
  }

  async insert(volume: Omit<NewStorageVolume, "workspaceId">, db: Database = this.db): Promise<StorageVolumeRecord> {
    const [row] = await db
      .insert(storageVolumes)
      .values({ ...volume, workspaceId: this.workspaceId })
      .returning();
    return row!;
  }

  async update(
    id: string,
    patch: Partial<Omit<NewStorageVolume, "id" | "workspaceId">>,
    db: Database = this.db,
  ): Promise<StorageVolumeRecord> {
    const [row] = await db
      .update(storageVolumes)
      .set({ ...patch, updatedAt: new Date() })
      .where(and(eq(storageVolumes.workspaceId, this.workspaceId), eq(storageVolumes.id, id)))
      .returning();
    if (!row) throw new Error(`storage volume ${id} vanished from workspace ${this.workspaceId}`);
    return row;
  }

  async insertOperation(
    op: Omit<NewVolumeOperation, "workspaceId">,
    db: Database = this.db,
  ): Promise<VolumeOperationRecord> {
    const [row] = await db
      .insert(volumeOperations)
      .values({ ...op, workspaceId: this.workspaceId })
      .returning();
    return row!;
  }

  async operationByKey(
    kind: VolumeOperationRecord["kind"],
    idempotencyKey: string,
    db: Database = this.db,
  ): Promise<VolumeOperationRecord | undefined> {
    const [row] = await db
      .select()
      .from(volumeOperations)
      .where(
        and(
          eq(volumeOperations.workspaceId, this.workspaceId),
          eq(volumeOperations.kind, kind),
          eq(volumeOperations.idempotencyKey, idempotencyKey),
        ),
      );
    return row;
  }

  async latestOperation(volumeId: string): Promise<VolumeOperationRecord | undefined> {
    const [row] = await this.db
      .select()
      .from(volumeOperations)
      .where(and(eq(volumeOperations.workspaceId, this.workspaceId), eq(volumeOperations.volumeId, volumeId)))
      .orderBy(desc(volumeOperations.createdAt))
      .limit(1);
    return row;
  }
}

/** The saga journal across workspaces, for the runner that resumes unfinished operations. */
export class VolumeOperationJournal {
  constructor(private readonly db: Database) {}

  open(): Promise<VolumeOperationRecord[]> {
    return this.db
      .select()
      .from(volumeOperations)
      .where(inArray(volumeOperations.state, ["RUNNING", "ROLLING_BACK"]))
      .orderBy(asc(volumeOperations.createdAt));
  }

  async get(id: string): Promise<VolumeOperationRecord | undefined> {
    const [row] = await this.db.select().from(volumeOperations).where(eq(volumeOperations.id, id));
    return row;
  }

  async update(
    id: string,
    patch: Partial<Pick<VolumeOperationRecord, "state" | "step" | "progress" | "error" | "attempts">>,
    db: Database = this.db,
  ): Promise<VolumeOperationRecord> {
    const [row] = await db
      .update(volumeOperations)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(volumeOperations.id, id))
      .returning();
    return row!;
  }
}
