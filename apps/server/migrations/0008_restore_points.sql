CREATE TYPE "public"."catalog_job_kind" AS ENUM('RESCAN', 'FORGET');--> statement-breakpoint
CREATE TYPE "public"."catalog_job_status" AS ENUM('SCHEDULED', 'RUNNING', 'SUCCEEDED', 'FAILED');--> statement-breakpoint
CREATE TABLE "catalog_jobs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"kind" "catalog_job_kind" NOT NULL,
	"volume_id" uuid NOT NULL,
	"backup_id" uuid,
	"namespace" text NOT NULL,
	"claim_name" text NOT NULL,
	"job_name" text NOT NULL,
	"status" "catalog_job_status" NOT NULL,
	"message" text,
	"outcome" jsonb,
	"requested_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "catalog_jobs" ADD CONSTRAINT "catalog_jobs_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalog_jobs" ADD CONSTRAINT "catalog_jobs_volume_id_storage_volumes_id_fk" FOREIGN KEY ("volume_id") REFERENCES "public"."storage_volumes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "catalog_jobs_volume" ON "catalog_jobs" USING btree ("volume_id","created_at");--> statement-breakpoint
CREATE INDEX "backup_runs_restore_points" ON "backup_runs" USING btree ("backup_id","finished_at") WHERE "backup_runs"."kind" = 'BACKUP' and "backup_runs"."snapshot" is not null and "backup_runs"."pruned_at" is null and "backup_runs"."status" in ('SUCCEEDED', 'PARTIALLY_SUCCEEDED');--> statement-breakpoint
CREATE INDEX "backups_application" ON "backups" USING btree ("application_id");--> statement-breakpoint
CREATE INDEX "backups_destination_volume" ON "backups" USING btree ("destination_volume_id");