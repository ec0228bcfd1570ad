import { and, asc, desc, eq, ilike, inArray, ne, or, sql, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { storageVolumes as v, volumeUsage as u } from "../../db/schema/index.js";
import type { StorageVolumeRecord } from "./volume.repository.js";
import type { VolumeCursor, VolumeFilter, VolumeSort, VolumeSortKey } from "./volume-page.js";

/**
 * Each sort key as one SQL expression and the type its printed value casts back to. Nullable figures sort as a
 * value no real one takes (no usage below 0 %, no forecast after 'infinity'), so the keyset comparison never meets
 * a null. Usage comes from volume_usage, joined in the same query: one plan sorts, filters and cuts the page.
 */
const SORT_SQL: Record<VolumeSortKey, { expr: SQL; type: string }> = {
  NAME: { expr: sql`${v.name}`, type: "text" },
  SIZE: { expr: sql`${v.sizeGiB}`, type: "integer" },
  // In the lifecycle order of the enum (provisioning … failed): what an index on the column can serve.
  STATUS: { expr: sql`${v.status}`, type: "storage_volume_status" },
  CREATED: { expr: sql`${v.createdAt}`, type: "timestamptz" },
  NODE: { expr: sql`coalesce(${v.node}, '')`, type: "text" },
  USAGE: { expr: sql`coalesce(${u.usedBytes}::float8 / nullif(${u.capacityBytes}, 0), -1)`, type: "float8" },
  ESTIMATED_FULL: { expr: sql`coalesce(${u.estimatedFullAt}, 'infinity'::timestamptz)`, type: "timestamptz" },
};

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export interface VolumePageRow {
  volume: StorageVolumeRecord;
  /** The row's sort value as PostgreSQL prints it: cast back, it compares exactly (no rounding of times or floats). */
  sortValue: string;
}

/** One workspace's volumes in any of the table's orders, a keyset page at a time (read-only). */
export class VolumePageRepository {
  constructor(
    private readonly db: Database,
    private readonly workspaceId: string,
  ) {}

  private where(filter: VolumeFilter): SQL {
    const pattern = filter.search ? likePattern(filter.search) : undefined;
    return and(
      eq(v.workspaceId, this.workspaceId),
      filter.includeDeleted ? undefined : ne(v.status, "DELETED"),
      filter.statuses ? inArray(v.status, filter.statuses as StorageVolumeRecord["status"][]) : undefined,
      filter.node ? eq(v.node, filter.node) : undefined,
      pattern
        ? or(
            ilike(v.name, pattern),
            ilike(v.storageClassName, pattern),
            ilike(v.persistentVolumeName, pattern),
            ilike(v.node, pattern),
            ilike(v.storage, pattern),
            ilike(sql`${v.status}::text`, pattern),
          )
        : undefined,
    )!;
  }

  /** The StorageClass names of the workspace's volumes (not deleted) containing `search`, in name order, `limit` at most. */
  async storageClassNames(search: string | undefined, limit: number): Promise<string[]> {
    const rows = await this.db
      .selectDistinct({ name: v.storageClassName })
      .from(v)
      .where(
        and(
          eq(v.workspaceId, this.workspaceId),
          ne(v.status, "DELETED"),
          sql`${v.storageClassName} is not null`,
          search ? ilike(v.storageClassName, likePattern(search)) : undefined,
        ),
      )
      .orderBy(asc(v.storageClassName))
      .limit(limit);
    return rows.map((r) => r.name!);
  }

  /** `limit` rows after the cursor (or from the start). */
  async page(sort: VolumeSort, filter: VolumeFilter, limit: number, after?: VolumeCursor): Promise<VolumePageRow[]> {
    const { expr, type } = SORT_SQL[sort.key];
    const order = sort.direction === "ASC" ? asc : desc;
    const beyond = after
      ? sort.direction === "ASC"
        ? sql`(${expr}, ${v.id}) > (cast(${after.value} as ${sql.raw(type)}), ${after.id}::uuid)`
        : sql`(${expr}, ${v.id}) < (cast(${after.value} as ${sql.raw(type)}), ${after.id}::uuid)`
      : undefined;
    return this.db
      .select({ volume: v, sortValue: sql<string>`(${expr})::text` })
      .from(v)
      .leftJoin(u, eq(u.volumeId, v.id))
      .where(and(this.where(filter), beyond))
      .orderBy(order(expr), order(v.id))
      .limit(limit);
  }

  async count(filter: VolumeFilter): Promise<number> {
    const [row] = await this.db
      .select({ n: sql<number>`count(*)::int` })
      .from(v)
      .where(this.where(filter));
    return Number(row?.n ?? 0);
  }

  /**
   * The last row of every full page of `pageSize` in this order: the cursors that start pages 1, 2, … So a table
   * scrolled (or dragged) far down fetches the page there with a keyset cursor, not an offset the database would
   * have to count its way to. One pass over the workspace's matching rows, as the total count is.
   */
  async pageBoundaries(sort: VolumeSort, filter: VolumeFilter, pageSize: number): Promise<Array<{ value: string; id: string }>> {
    const { expr } = SORT_SQL[sort.key];
    const dir = sql.raw(sort.direction === "ASC" ? "asc" : "desc");
    const inner = this.db
      .select({
        value: sql<string>`(${expr})::text`.as("value"),
        id: v.id,
        rn: sql<number>`row_number() over (order by ${expr} ${dir}, ${v.id} ${dir})`.as("rn"),
      })
      .from(v)
      .leftJoin(u, eq(u.volumeId, v.id))
      .where(this.where(filter))
      .as("ranked");
    return this.db
      .select({ value: inner.value, id: inner.id })
      .from(inner)
      .where(sql`${inner.rn} % ${pageSize} = 0`)
      .orderBy(inner.rn);
  }
}
