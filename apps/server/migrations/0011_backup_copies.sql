CREATE TYPE "public"."backup_copy_status" AS ENUM('PENDING', 'COPYING', 'COPIED', 'FAILED');--> statement-breakpoint
ALTER TABLE "backup_runs" ADD COLUMN "copy_status" "backup_copy_status";--> statement-breakpoint
ALTER TABLE "backup_runs" ADD COLUMN "copy_message" text;--> statement-breakpoint
ALTER TABLE "backup_runs" ADD COLUMN "copy_job_name" text;--> statement-breakpoint
ALTER TABLE "backup_runs" ADD COLUMN "copy_started_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "backup_runs" ADD COLUMN "copied_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "backup_runs" ADD COLUMN "restore_source" text;--> statement-breakpoint
ALTER TABLE "backups" ADD COLUMN "copy_volume_id" uuid;--> statement-breakpoint
ALTER TABLE "backups" ADD COLUMN "copy_path" text;--> statement-breakpoint
ALTER TABLE "backups" ADD COLUMN "copy_since" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "backups" ADD CONSTRAINT "backups_copy_volume_id_storage_volumes_id_fk" FOREIGN KEY ("copy_volume_id") REFERENCES "public"."storage_volumes"("id") ON DELETE no action ON UPDATE no action;