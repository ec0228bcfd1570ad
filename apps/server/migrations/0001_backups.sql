CREATE TYPE "public"."backup_event_kind" AS ENUM('RUN_FAILED', 'QUOTA_EXCEEDED', 'RUN_MISSED');--> statement-breakpoint
CREATE TYPE "public"."backup_failure_reason" AS ENUM('QUOTA_EXCEEDED', 'SOURCE_MISSING', 'TIMEOUT', 'UNSCHEDULABLE', 'ERROR');--> statement-breakpoint
CREATE TYPE "public"."backup_function_kind" AS ENUM('TAR', 'RSYNC', 'PG_DUMP', 'MYSQLDUMP', 'CUSTOM');--> statement-breakpoint
CREATE TYPE "public"."backup_run_kind" AS ENUM('BACKUP', 'RESTORE', 'VERIFY');--> statement-breakpoint
CREATE TYPE "public"."backup_run_status" AS ENUM('SCHEDULED', 'RUNNING', 'SUCCEEDED', 'PARTIALLY_SUCCEEDED', 'FAILED', 'MISSED');--> statement-breakpoint
CREATE TYPE "public"."backup_run_trigger" AS ENUM('SCHEDULE', 'MANUAL');--> statement-breakpoint
CREATE TYPE "public"."backup_concurrency_policy" AS ENUM('FORBID', 'ALLOW', 'REPLACE');--> statement-breakpoint
CREATE TYPE "public"."backup_verify_state" AS ENUM('NOT_VERIFIED', 'VERIFYING', 'VERIFIED', 'FAILED');--> statement-breakpoint
CREATE TABLE "applications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"name" text NOT NULL,
	"namespace" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "backup_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"backup_id" uuid NOT NULL,
	"run_id" uuid,
	"kind" "backup_event_kind" NOT NULL,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"handled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "backup_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"backup_id" uuid NOT NULL,
	"kind" "backup_run_kind" NOT NULL,
	"trigger" "backup_run_trigger" NOT NULL,
	"status" "backup_run_status" NOT NULL,
	"failure_reason" "backup_failure_reason",
	"message" text,
	"job_name" text,
	"pod_name" text,
	"scheduled_at" timestamp with time zone,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"bytes_written" bigint,
	"files" integer,
	"snapshot" text,
	"pruned_at" timestamp with time zone,
	"verify_state" "backup_verify_state" DEFAULT 'NOT_VERIFIED' NOT NULL,
	"source_run_id" uuid,
	"restore_target" text,
	"result" jsonb,
	"logs" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "backups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"application_id" uuid NOT NULL,
	"name" text NOT NULL,
	"schedule" text NOT NULL,
	"time_zone" text NOT NULL,
	"source_pvc_name" text,
	"destination_volume_id" uuid NOT NULL,
	"destination_path" text NOT NULL,
	"function_kind" "backup_function_kind" NOT NULL,
	"function_params" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"retention" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"suspended" boolean DEFAULT false NOT NULL,
	"concurrency_policy" "backup_concurrency_policy" DEFAULT 'FORBID' NOT NULL,
	"verify_after_run" boolean DEFAULT false NOT NULL,
	"cron_job_name" text NOT NULL,
	"applied_hash" text,
	"reconcile_error" text,
	"missed_checked_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "plans" ADD COLUMN "min_backup_interval_minutes" integer DEFAULT 60 NOT NULL;--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "backup_events" ADD CONSTRAINT "backup_events_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "backup_events" ADD CONSTRAINT "backup_events_backup_id_backups_id_fk" FOREIGN KEY ("backup_id") REFERENCES "public"."backups"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "backup_events" ADD CONSTRAINT "backup_events_run_id_backup_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."backup_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "backup_runs" ADD CONSTRAINT "backup_runs_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "backup_runs" ADD CONSTRAINT "backup_runs_backup_id_backups_id_fk" FOREIGN KEY ("backup_id") REFERENCES "public"."backups"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "backups" ADD CONSTRAINT "backups_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "backups" ADD CONSTRAINT "backups_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "backups" ADD CONSTRAINT "backups_destination_volume_id_storage_volumes_id_fk" FOREIGN KEY ("destination_volume_id") REFERENCES "public"."storage_volumes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "applications_workspace_name" ON "applications" USING btree ("workspace_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "backup_events_run_kind" ON "backup_events" USING btree ("run_id","kind");--> statement-breakpoint
CREATE INDEX "backup_events_open" ON "backup_events" USING btree ("workspace_id") WHERE "backup_events"."handled_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "backup_runs_job" ON "backup_runs" USING btree ("workspace_id","job_name");--> statement-breakpoint
CREATE UNIQUE INDEX "backup_runs_missed" ON "backup_runs" USING btree ("backup_id","scheduled_at") WHERE "backup_runs"."status" = 'MISSED';--> statement-breakpoint
CREATE INDEX "backup_runs_backup" ON "backup_runs" USING btree ("backup_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "backups_live_name" ON "backups" USING btree ("application_id","name") WHERE "backups"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "backups_workspace" ON "backups" USING btree ("workspace_id");