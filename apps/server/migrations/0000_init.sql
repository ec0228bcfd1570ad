CREATE TYPE "public"."workspace_role" AS ENUM('ADMIN', 'MEMBER');--> statement-breakpoint
CREATE TYPE "public"."volume_operation_kind" AS ENUM('CREATE', 'EXPAND', 'DELETE');--> statement-breakpoint
CREATE TYPE "public"."volume_operation_state" AS ENUM('RUNNING', 'ROLLING_BACK', 'SUCCEEDED', 'FAILED');--> statement-breakpoint
CREATE TYPE "public"."storage_volume_status" AS ENUM('PROVISIONING', 'AVAILABLE', 'EXPANDING', 'DELETING', 'DELETED', 'FAILED');--> statement-breakpoint
CREATE TYPE "public"."billing_entry_kind" AS ENUM('VOLUME_PROVISIONED', 'VOLUME_EXPANDED', 'VOLUME_RELEASED');--> statement-breakpoint
CREATE TABLE "memberships" (
	"user_id" uuid NOT NULL,
	"workspace_id" uuid NOT NULL,
	"role" "workspace_role" NOT NULL,
	CONSTRAINT "memberships_user_id_workspace_id_pk" PRIMARY KEY("user_id","workspace_id")
);
--> statement-breakpoint
CREATE TABLE "plans" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"dedicated" boolean NOT NULL,
	"storage_ceiling_gib" integer NOT NULL,
	"price_cents_per_gib_month" integer NOT NULL,
	"currency" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"password_hash" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_email_unique" UNIQUE("email")
);
--> statement-breakpoint
CREATE TABLE "workspaces" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"plan_id" text NOT NULL,
	"vcluster_name" text NOT NULL,
	"namespaces" text[] DEFAULT '{}' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "workspaces_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
CREATE TABLE "storage_volumes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"name" text NOT NULL,
	"size_gib" integer NOT NULL,
	"status" "storage_volume_status" NOT NULL,
	"failure_reason" text,
	"node" text,
	"storage" text,
	"disk_name" text NOT NULL,
	"proxmox_volume_id" text,
	"storage_class_name" text NOT NULL,
	"persistent_volume_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "volume_operations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"volume_id" uuid NOT NULL,
	"workspace_id" uuid NOT NULL,
	"kind" "volume_operation_kind" NOT NULL,
	"state" "volume_operation_state" NOT NULL,
	"step" text NOT NULL,
	"progress" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"from_size_gib" integer,
	"to_size_gib" integer,
	"idempotency_key" text,
	"requested_by" uuid,
	"error" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "billing_ledger" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"volume_id" uuid NOT NULL,
	"operation_id" uuid NOT NULL,
	"kind" "billing_entry_kind" NOT NULL,
	"size_delta_gib" integer NOT NULL,
	"monthly_cents_delta" integer NOT NULL,
	"currency" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workspaces" ADD CONSTRAINT "workspaces_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "storage_volumes" ADD CONSTRAINT "storage_volumes_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volume_operations" ADD CONSTRAINT "volume_operations_volume_id_storage_volumes_id_fk" FOREIGN KEY ("volume_id") REFERENCES "public"."storage_volumes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volume_operations" ADD CONSTRAINT "volume_operations_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing_ledger" ADD CONSTRAINT "billing_ledger_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing_ledger" ADD CONSTRAINT "billing_ledger_volume_id_storage_volumes_id_fk" FOREIGN KEY ("volume_id") REFERENCES "public"."storage_volumes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing_ledger" ADD CONSTRAINT "billing_ledger_operation_id_volume_operations_id_fk" FOREIGN KEY ("operation_id") REFERENCES "public"."volume_operations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "storage_volumes_live_name" ON "storage_volumes" USING btree ("workspace_id","name") WHERE "storage_volumes"."status" not in ('DELETED', 'FAILED');--> statement-breakpoint
CREATE INDEX "storage_volumes_workspace" ON "storage_volumes" USING btree ("workspace_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "volume_operations_idempotency" ON "volume_operations" USING btree ("workspace_id","kind","idempotency_key");--> statement-breakpoint
CREATE INDEX "volume_operations_open" ON "volume_operations" USING btree ("state") WHERE "volume_operations"."state" in ('RUNNING', 'ROLLING_BACK');--> statement-breakpoint
CREATE UNIQUE INDEX "volume_operations_one_open_per_volume" ON "volume_operations" USING btree ("volume_id") WHERE "volume_operations"."state" in ('RUNNING', 'ROLLING_BACK');--> statement-breakpoint
CREATE UNIQUE INDEX "billing_ledger_operation" ON "billing_ledger" USING btree ("operation_id");--> statement-breakpoint
CREATE INDEX "billing_ledger_workspace" ON "billing_ledger" USING btree ("workspace_id");