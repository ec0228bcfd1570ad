import { and, asc, desc, eq, inArray, isNull, lt, ne, notInArray, or, sql } from "drizzle-orm";
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

  /**
   * Oldest first, a page at a time: `after` is the id of the last volume of the previous page (keyset
   * pagination on the (created_at, id) index, so a deep page costs what the first one does).
   */
  list(options: { includeDeleted?: boolean; first?: number; after?: string } = {}): Promise<StorageVolumeRecord[]> {
    const query = this.db
      .select()
      .from(storageVolumes)
      .where(
        and(
          eq(storageVolumes.workspaceId, this.workspaceId),
          options.includeDeleted ? undefined : ne(storageVolumes.status, "DELETED"),
          options.after
            ? sql`(${storageVolumes.createdAt}, ${storageVolumes.id}) > (select created_at, id from storage_volumes where id = ${options.after})`
            : undefined,
        ),
      )
      .orderBy(asc(storageVolumes.createdAt), asc(storageVolumes.id));
    return options.first === undefined ? query : query.limit(options.first);
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

  async insertOperation(op: Omit<NewVolumeOperation, "workspaceId">, db: Database = this.db): Promise<VolumeOperationRecord> {
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

/** Another instance took the operation over (this one's lease expired): whatever this one was doing stops. */
export class LeaseLostError extends Error {
  constructor(readonly operationId: string) {
    super(`volume operation ${operationId} is now run by another instance`);
  }
}

const OPEN_STATES: VolumeOperationRecord["state"][] = ["RUNNING", "ROLLING_BACK"];
const leaseUntil = (leaseMs: number) => sql`now() + ${leaseMs} * interval '1 millisecond'`;

/**
 * The saga journal across workspaces, for the runners that resume unfinished operations. An open
 * operation is run by one instance at a time: the one holding its lease, renewed while it runs.
 */
export class VolumeOperationJournal {
  constructor(private readonly db: Database) {}

  open(): Promise<VolumeOperationRecord[]> {
    return this.db
      .select()
      .from(volumeOperations)
      .where(inArray(volumeOperations.state, OPEN_STATES))
      .orderBy(asc(volumeOperations.createdAt));
  }

  async get(id: string): Promise<VolumeOperationRecord | undefined> {
    const [row] = await this.db.select().from(volumeOperations).where(eq(volumeOperations.id, id));
    return row;
  }

  /** Takes an open operation for `owner`, unless another instance holds a lease on it that has not expired. */
  async claim(id: string, owner: string, leaseMs: number): Promise<VolumeOperationRecord | undefined> {
    const [row] = await this.db
      .update(volumeOperations)
      .set({ owner, leaseExpiresAt: leaseUntil(leaseMs) })
      .where(
        and(
          eq(volumeOperations.id, id),
          inArray(volumeOperations.state, OPEN_STATES),
          or(isNull(volumeOperations.owner), eq(volumeOperations.owner, owner), lt(volumeOperations.leaseExpiresAt, sql`now()`)),
        ),
      )
      .returning();
    return row;
  }

  /** Extends the lease; false when another instance has taken the operation over meanwhile. */
  async renew(id: string, owner: string, leaseMs: number): Promise<boolean> {
    const rows = await this.db
      .update(volumeOperations)
      .set({ leaseExpiresAt: leaseUntil(leaseMs) })
      .where(and(eq(volumeOperations.id, id), eq(volumeOperations.owner, owner)))
      .returning({ id: volumeOperations.id });
    return rows.length > 0;
  }

  /** Lets go of an operation (finished, or left for a later retry) so any instance may pick it up at once. */
  async release(id: string, owner: string): Promise<void> {
    await this.db
      .update(volumeOperations)
      .set({ owner: null, leaseExpiresAt: null })
      .where(and(eq(volumeOperations.id, id), eq(volumeOperations.owner, owner)));
  }

  /** Writes a step of the journal, only while `owner` still holds the operation (a fencing token). */
  async update(
    id: string,
    owner: string,
    patch: Partial<Pick<VolumeOperationRecord, "state" | "step" | "progress" | "error" | "attempts">>,
    db: Database = this.db,
  ): Promise<VolumeOperationRecord> {
    const [row] = await db
      .update(volumeOperations)
      .set({ ...patch, updatedAt: new Date() })
      .where(and(eq(volumeOperations.id, id), eq(volumeOperations.owner, owner)))
      .returning();
    if (!row) throw new LeaseLostError(id);
    return row;
  }
}
