ALTER TABLE "backups" ADD COLUMN "check_schedule" text;--> statement-breakpoint
ALTER TABLE "backups" ADD COLUMN "check_read_data_subset" text;