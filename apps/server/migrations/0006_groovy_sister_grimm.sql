CREATE TYPE "public"."backup_format" AS ENUM('RESTIC', 'PLAIN');--> statement-breakpoint
ALTER TYPE "public"."backup_failure_reason" ADD VALUE 'KEY_INVALID' BEFORE 'ERROR';--> statement-breakpoint
ALTER TYPE "public"."backup_failure_reason" ADD VALUE 'CORRUPT' BEFORE 'ERROR';--> statement-breakpoint
CREATE TABLE "repository_key_exports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"user_email" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "repository_keys" (
	"workspace_id" uuid PRIMARY KEY NOT NULL,
	"wrapped_data_key" text NOT NULL,
	"ciphertext" text NOT NULL,
	"origin" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "backups" ADD COLUMN "format" "backup_format" DEFAULT 'PLAIN' NOT NULL;--> statement-breakpoint
ALTER TABLE "repository_key_exports" ADD CONSTRAINT "repository_key_exports_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "repository_key_exports" ADD CONSTRAINT "repository_key_exports_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "repository_keys" ADD CONSTRAINT "repository_keys_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "repository_key_exports_workspace" ON "repository_key_exports" USING btree ("workspace_id","created_at");