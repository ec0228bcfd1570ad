CREATE TABLE "volume_usage" (
	"volume_id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"sampled_at" timestamp with time zone NOT NULL,
	"used_bytes" bigint NOT NULL,
	"capacity_bytes" bigint NOT NULL,
	"estimated_full_at" timestamp with time zone,
	"window_from" timestamp with time zone NOT NULL,
	"trend_base_bytes" bigint NOT NULL,
	"trend_samples" integer NOT NULL,
	"trend_sum_x" double precision NOT NULL,
	"trend_sum_y" double precision NOT NULL,
	"trend_sum_xy" double precision NOT NULL,
	"trend_sum_xx" double precision NOT NULL
);
--> statement-breakpoint
ALTER TABLE "capacity_samples" DROP CONSTRAINT "capacity_samples_volume_id_storage_volumes_id_fk";
--> statement-breakpoint
ALTER TABLE "capacity_samples" DROP CONSTRAINT "capacity_samples_workspace_id_workspaces_id_fk";
--> statement-breakpoint
ALTER TABLE "volume_usage" ADD CONSTRAINT "volume_usage_volume_id_storage_volumes_id_fk" FOREIGN KEY ("volume_id") REFERENCES "public"."storage_volumes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volume_usage" ADD CONSTRAINT "volume_usage_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Every cycle rewrites every row: room on each page lets those be HOT updates (no new index entry per row).
ALTER TABLE "volume_usage" SET (fillfactor = 50);
--> statement-breakpoint
-- Every volume sampled before this table existed starts from its latest sample (its forecast from the next samples on).
INSERT INTO "volume_usage" ("volume_id", "workspace_id", "sampled_at", "used_bytes", "capacity_bytes", "estimated_full_at", "window_from", "trend_base_bytes", "trend_samples", "trend_sum_x", "trend_sum_y", "trend_sum_xy", "trend_sum_xx")
SELECT DISTINCT ON ("volume_id") "volume_id", "workspace_id", "at", "used_bytes", "capacity_bytes", NULL, "at", "used_bytes", 1, 0, 0, 0, 0
FROM "capacity_samples" ORDER BY "volume_id", "at" DESC;
