ALTER TABLE "volume_usage" ADD COLUMN "forecast_source" text;--> statement-breakpoint
ALTER TABLE "volume_usage" ADD COLUMN "forecast_failure" jsonb;