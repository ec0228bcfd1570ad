CREATE TABLE "pubsub_events" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"topic" text NOT NULL,
	"key" text NOT NULL,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
DROP INDEX "storage_volumes_workspace";--> statement-breakpoint
ALTER TABLE "volume_operations" ADD COLUMN "owner" text;--> statement-breakpoint
ALTER TABLE "volume_operations" ADD COLUMN "lease_expires_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "pubsub_events_created_at" ON "pubsub_events" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "storage_volumes_workspace" ON "storage_volumes" USING btree ("workspace_id","created_at","id");