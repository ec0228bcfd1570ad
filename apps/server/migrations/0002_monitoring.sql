CREATE TYPE "public"."aiops_agent" AS ENUM('STORAGE_WORKER', 'ORCHESTRATION', 'USER_CHAT');--> statement-breakpoint
CREATE TYPE "public"."capacity_alert_level" AS ENUM('WARNING', 'CRITICAL', 'FORECAST');--> statement-breakpoint
CREATE TYPE "public"."capacity_alert_state" AS ENUM('OPEN', 'RESOLVED');--> statement-breakpoint
CREATE TYPE "public"."assistant_message_author" AS ENUM('ASSISTANT', 'USER');--> statement-breakpoint
CREATE TABLE "agent_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"from_agent" "aiops_agent" NOT NULL,
	"to_agent" "aiops_agent" NOT NULL,
	"kind" text NOT NULL,
	"dedupe_key" text NOT NULL,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"handled_at" timestamp with time zone,
	"outcome" text
);
--> statement-breakpoint
CREATE TABLE "assistant_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"author" "assistant_message_author" NOT NULL,
	"user_id" uuid,
	"text" text NOT NULL,
	"proposal" jsonb,
	"event_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "capacity_alerts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"volume_id" uuid NOT NULL,
	"state" "capacity_alert_state" NOT NULL,
	"level" "capacity_alert_level" NOT NULL,
	"threshold_percent" integer NOT NULL,
	"percent" double precision NOT NULL,
	"used_bytes" bigint NOT NULL,
	"capacity_bytes" bigint NOT NULL,
	"estimated_full_at" timestamp with time zone,
	"raised_at" timestamp with time zone NOT NULL,
	"escalated_at" timestamp with time zone,
	"resolved_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "capacity_samples" (
	"volume_id" uuid NOT NULL,
	"workspace_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"used_bytes" bigint NOT NULL,
	"capacity_bytes" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "workspaces" ADD COLUMN "capacity_alert_percent" integer DEFAULT 85 NOT NULL;--> statement-breakpoint
ALTER TABLE "agent_events" ADD CONSTRAINT "agent_events_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assistant_messages" ADD CONSTRAINT "assistant_messages_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assistant_messages" ADD CONSTRAINT "assistant_messages_event_id_agent_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."agent_events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "capacity_alerts" ADD CONSTRAINT "capacity_alerts_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "capacity_alerts" ADD CONSTRAINT "capacity_alerts_volume_id_storage_volumes_id_fk" FOREIGN KEY ("volume_id") REFERENCES "public"."storage_volumes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "capacity_samples" ADD CONSTRAINT "capacity_samples_volume_id_storage_volumes_id_fk" FOREIGN KEY ("volume_id") REFERENCES "public"."storage_volumes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "capacity_samples" ADD CONSTRAINT "capacity_samples_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "agent_events_dedupe" ON "agent_events" USING btree ("to_agent","dedupe_key");--> statement-breakpoint
CREATE INDEX "agent_events_inbox" ON "agent_events" USING btree ("to_agent","created_at") WHERE "agent_events"."handled_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "assistant_messages_event" ON "assistant_messages" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "assistant_messages_workspace" ON "assistant_messages" USING btree ("workspace_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "capacity_alerts_one_open" ON "capacity_alerts" USING btree ("volume_id") WHERE "capacity_alerts"."state" = 'OPEN';--> statement-breakpoint
CREATE INDEX "capacity_alerts_workspace" ON "capacity_alerts" USING btree ("workspace_id","raised_at");--> statement-breakpoint
CREATE INDEX "capacity_samples_volume_at" ON "capacity_samples" USING btree ("volume_id","at");