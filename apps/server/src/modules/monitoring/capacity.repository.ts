import { and, eq, gte, inArray, lt, sql } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { rowsOf } from "../../db/rows.js";
import { capacityAlerts, capacitySamples, storageVolumes, volumeUsage, workspaces } from "../../db/schema/index.js";
import { heldLeases, type WorkspaceFence } from "../workspaces/workspace-share.js";

export type CapacitySample = typeof capacitySamples.$inferSelect;
export type VolumeUsageRecord = typeof volumeUsage.$inferSelect;

/** A volume the StorageWorkerAgent samples, with what it needs to know about it from one query. */
export interface MonitoredVolume {
  volumeId: string;
  workspaceId: string;
  persistentVolumeName: string;
  vclusterName: string;
  thresholdPercent: number;
  usage: Omit<VolumeUsageRecord, "volumeId" | "workspaceId" | "estimatedFullAt" | "forecastSource" | "forecastFailure"> | null;
  /** The forecast the usage row holds (to tell whether a cycle changed it). */
  forecast: { estimatedFullAt: number | null; source: string | null; failure: unknown } | null;
  openAlert: {
    id: string;
    level: "WARNING" | "CRITICAL" | "FORECAST";
    percent: number;
    usedBytes: number;
    capacityBytes: number;
    estimatedFullAt: Date | null;
  } | null;
}

/** A Postgres array element in double quotes, so a JSON document's commas and braces stay inside it. */
const quoted = (text: string) => `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;

/** One cycle's sample of a volume and the usage row it leaves. */
export type UsageRecord = Omit<VolumeUsageRecord, "sampledAt">;

/** Capacity samples of volumes (the chart's history) and each volume's latest usage and trend (one row per volume). */
export class CapacityRepository {
  constructor(private readonly db: Database) {}

  /**
   * Every live volume with its workspace's vCluster and threshold: what a monitoring cycle must read afresh each time
   * (volumes come and go through the API, on any replica). Their usage rows and alerts are the cycle's own writes,
   * kept between cycles (MonitoredVolumes) and read with `monitored` only when not known.
   */
  async monitoredVolumes(): Promise<Array<Omit<MonitoredVolume, "usage" | "forecast" | "openAlert">>> {
    const result = await this.db.execute(sql`
      select coalesce(json_agg(json_build_array(v.id, v.workspace_id, v.persistent_volume_name, w.vcluster_name, w.capacity_alert_percent)),
                      '[]')::text as rows
      from ${storageVolumes} v
      join ${workspaces} w on w.id = v.workspace_id
      where v.status in ('AVAILABLE', 'EXPANDING')`);
    const rows = JSON.parse(rowsOf<{ rows: string }>(result)[0]!.rows) as Array<[string, string, string, string, number]>;
    return rows.map((r) => ({
      volumeId: r[0],
      workspaceId: r[1],
      persistentVolumeName: r[2],
      vclusterName: r[3],
      thresholdPercent: Number(r[4]),
    }));
  }

  /**
   * A fingerprint of what `monitoredVolumes` would answer: how many live volumes, and a sum over each volume's and its
   * workspace's row version (xmin: any update changes it). Unchanged, the list read last is still the list; this costs
   * PostgreSQL a pass over the rows and the cycle one number, instead of every row.
   */
  async monitoredFingerprint(): Promise<string> {
    const result = await this.db.execute(sql`
      select count(*)::text || ':' || coalesce(sum(hashtext(v.id::text || ':' || v.xmin::text || ':' || w.xmin::text)::bigint), 0)::text
             as print
      from ${storageVolumes} v
      join ${workspaces} w on w.id = v.workspace_id
      where v.status in ('AVAILABLE', 'EXPANDING')`);
    return rowsOf<{ print: string }>(result)[0]!.print;
  }

  /**
   * Live volumes (all, or these) with their workspace's vCluster and threshold, their usage row and their open
   * alert: everything a monitoring cycle knows about a volume, in one query.
   */
  async monitored(volumeIds?: string[]): Promise<MonitoredVolume[]> {
    if (volumeIds && !volumeIds.length) return [];
    const only = volumeIds
      ? sql`and v.id in (select value::uuid from json_array_elements_text(${JSON.stringify(volumeIds)}::json))`
      : sql``;
    // The rows come back as one JSON document (numbers, text, epoch milliseconds): one native parse for tens of
    // thousands of volumes instead of a driver's per-field conversion, and the same values from either driver.
    const result = await this.db.execute(sql`
      select coalesce(json_agg(json_build_array(
               v.id, v.workspace_id, v.persistent_volume_name, w.vcluster_name, w.capacity_alert_percent,
               extract(epoch from u.sampled_at) * 1000, u.used_bytes, u.capacity_bytes, extract(epoch from u.window_from) * 1000,
               u.trend_base_bytes, u.trend_samples, u.trend_sum_x, u.trend_sum_y, u.trend_sum_xy, u.trend_sum_xx,
               a.id, a.level, a.percent, a.used_bytes, a.capacity_bytes, extract(epoch from a.estimated_full_at) * 1000,
               extract(epoch from u.estimated_full_at) * 1000, u.forecast_source, u.forecast_failure
             )), '[]')::text as rows
      from ${storageVolumes} v
      join ${workspaces} w on w.id = v.workspace_id
      left join ${volumeUsage} u on u.volume_id = v.id
      left join ${capacityAlerts} a on a.volume_id = v.id and a.state = 'OPEN'
      where v.status in ('AVAILABLE', 'EXPANDING') ${only}`);
    const rows = JSON.parse(rowsOf<{ rows: string }>(result)[0]!.rows) as Array<Array<unknown>>;
    const date = (ms: unknown) => (ms === null || ms === undefined ? null : new Date(Number(ms)));
    return rows.map((r) => ({
      volumeId: r[0] as string,
      workspaceId: r[1] as string,
      persistentVolumeName: r[2] as string,
      vclusterName: r[3] as string,
      thresholdPercent: Number(r[4]),
      usage:
        r[5] === null
          ? null
          : {
              sampledAt: date(r[5])!,
              usedBytes: Number(r[6]),
              capacityBytes: Number(r[7]),
              windowFrom: date(r[8])!,
              trendBaseBytes: Number(r[9]),
              trendSamples: Number(r[10]),
              trendSumX: Number(r[11]),
              trendSumY: Number(r[12]),
              trendSumXY: Number(r[13]),
              trendSumXX: Number(r[14]),
            },
      forecast:
        r[5] === null
          ? null
          : { estimatedFullAt: r[21] === null ? null : Number(r[21]), source: (r[22] as string | null) ?? null, failure: r[23] ?? null },
      openAlert:
        r[15] === null
          ? null
          : {
              id: r[15] as string,
              level: r[16] as NonNullable<MonitoredVolume["openAlert"]>["level"],
              percent: Number(r[17]),
              usedBytes: Number(r[18]),
              capacityBytes: Number(r[19]),
              estimatedFullAt: date(r[20]),
            },
    }));
  }

  /** The vClusters of workspaces that have volumes to watch (a cheap query, so their PV lists can be asked for at once). */
  async monitoredVClusters(): Promise<string[]> {
    const rows = await this.db
      .selectDistinct({ name: workspaces.vclusterName })
      .from(workspaces)
      .where(
        sql`exists (select 1 from ${storageVolumes} v where v.workspace_id = ${workspaces.id} and v.status in ('AVAILABLE', 'EXPANDING'))`,
      );
    return rows.map((r) => r.name);
  }

  /** The samples of these volumes taken in [from, until): those leaving the forecast window, in one query. */
  leaving(volumeIds: string[], from: Date, until: Date): Promise<Array<Pick<CapacitySample, "volumeId" | "at" | "usedBytes">>> {
    if (!volumeIds.length) return Promise.resolve([]);
    return this.db
      .select({ volumeId: capacitySamples.volumeId, at: capacitySamples.at, usedBytes: capacitySamples.usedBytes })
      .from(capacitySamples)
      .where(
        and(
          sql`${capacitySamples.volumeId} in (select value::uuid from json_array_elements_text(${JSON.stringify(volumeIds)}::json))`,
          gte(capacitySamples.at, from),
          lt(capacitySamples.at, until),
        ),
      );
  }

  /**
   * Records one cycle in one statement: a sample per volume (history) and its usage row (upserted), so the two never
   * disagree. The rows travel as one JSON parameter: no per-volume statement and no limit on the number of volumes.
   * With `fences` (sharded), the workspaces whose lease this replica no longer holds are left unwritten and told back.
   */
  async record(at: Date, usages: UsageRecord[], fences?: WorkspaceFence[]): Promise<{ refused: Set<string> }> {
    const refused = new Set<string>();
    if (!usages.length) return { refused };
    const column = (f: (u: UsageRecord) => string | number | null) => `{${usages.map((u) => f(u) ?? "NULL").join(",")}}`;
    const when = at.toISOString();
    // Sharded: only the rows of workspaces whose lease still holds are written, under the lease rows' lock (heldLeases).
    const guard = fences ? sql`${heldLeases(fences)},` : sql``;
    const onlyHeld = fences ? sql`where t.workspace_id in (select workspace_id from held)` : sql``;
    const result = await this.db.execute(sql`
      with ${guard} input as (
        select * from unnest(
          ${column((u) => u.volumeId)}::uuid[], ${column((u) => u.workspaceId)}::uuid[], ${column((u) => u.usedBytes)}::bigint[],
          ${column((u) => u.capacityBytes)}::bigint[], ${column((u) => u.estimatedFullAt?.toISOString() ?? null)}::timestamptz[],
          ${column((u) => u.windowFrom.toISOString())}::timestamptz[], ${column((u) => u.trendBaseBytes)}::bigint[],
          ${column((u) => u.trendSamples)}::integer[], ${column((u) => u.trendSumX)}::float8[], ${column((u) => u.trendSumY)}::float8[],
          ${column((u) => u.trendSumXY)}::float8[], ${column((u) => u.trendSumXX)}::float8[],
          ${column((u) => u.forecastSource)}::text[], ${column((u) => (u.forecastFailure ? quoted(JSON.stringify(u.forecastFailure)) : null))}::jsonb[]
        ) as t(volume_id, workspace_id, used_bytes, capacity_bytes, estimated_full_at, window_from, trend_base_bytes, trend_samples,
               trend_sum_x, trend_sum_y, trend_sum_xy, trend_sum_xx, forecast_source, forecast_failure)
        ${onlyHeld}
      ), history as (
        insert into ${capacitySamples} (volume_id, workspace_id, at, used_bytes, capacity_bytes)
        select volume_id, workspace_id, ${when}::timestamptz, used_bytes, capacity_bytes from input
      ), usage as (
      insert into ${volumeUsage} (volume_id, workspace_id, sampled_at, used_bytes, capacity_bytes, estimated_full_at, window_from,
                                  trend_base_bytes, trend_samples, trend_sum_x, trend_sum_y, trend_sum_xy, trend_sum_xx, forecast_source,
                                  forecast_failure)
      select volume_id, workspace_id, ${when}::timestamptz, used_bytes, capacity_bytes, estimated_full_at, window_from,
             trend_base_bytes, trend_samples, trend_sum_x, trend_sum_y, trend_sum_xy, trend_sum_xx, forecast_source, forecast_failure
      from input
      on conflict (volume_id) do update set
        workspace_id = excluded.workspace_id, sampled_at = excluded.sampled_at, used_bytes = excluded.used_bytes,
        capacity_bytes = excluded.capacity_bytes, estimated_full_at = excluded.estimated_full_at, window_from = excluded.window_from,
        trend_base_bytes = excluded.trend_base_bytes, trend_samples = excluded.trend_samples, trend_sum_x = excluded.trend_sum_x,
        trend_sum_y = excluded.trend_sum_y, trend_sum_xy = excluded.trend_sum_xy, trend_sum_xx = excluded.trend_sum_xx,
        forecast_source = excluded.forecast_source, forecast_failure = excluded.forecast_failure
      )
      select ${fences ? sql`workspace_id from held` : sql`null as workspace_id`}`);
    if (!fences) return { refused };
    const held = new Set(rowsOf<{ workspace_id: string }>(result).map((r) => r.workspace_id));
    for (const f of fences) if (!held.has(f.workspaceId)) refused.add(f.workspaceId);
    return { refused };
  }

  /** The latest usage of these volumes, one row each, when it was sampled since `since`. */
  latest(volumeIds: string[], since: Date): Promise<VolumeUsageRecord[]> {
    if (!volumeIds.length) return Promise.resolve([]);
    return this.db
      .select()
      .from(volumeUsage)
      .where(and(inArray(volumeUsage.volumeId, volumeIds), gte(volumeUsage.sampledAt, since)));
  }

  history(volumeId: string, since: Date): Promise<CapacitySample[]> {
    return this.db
      .select()
      .from(capacitySamples)
      .where(and(eq(capacitySamples.volumeId, volumeId), gte(capacitySamples.at, since)))
      .orderBy(capacitySamples.at);
  }

  /** Keeps the table bounded: samples older than the retention are dropped. */
  async prune(olderThan: Date): Promise<void> {
    await this.db.delete(capacitySamples).where(lt(capacitySamples.at, olderThan));
  }
}
