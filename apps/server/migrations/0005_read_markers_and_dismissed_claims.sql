CREATE TABLE "dismissed_claims" (
	"application_id" uuid NOT NULL,
	"claim_name" text NOT NULL,
	"dismissed_by" uuid NOT NULL,
	"dismissed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dismissed_claims_application_id_claim_name_pk" PRIMARY KEY("application_id","claim_name")
);
--> statement-breakpoint
CREATE TABLE "assistant_read_markers" (
	"user_id" uuid NOT NULL,
	"workspace_id" uuid NOT NULL,
	"last_read_at" timestamp with time zone NOT NULL,
	CONSTRAINT "assistant_read_markers_user_id_workspace_id_pk" PRIMARY KEY("user_id","workspace_id")
);
--> statement-breakpoint
ALTER TABLE "assistant_messages" ADD COLUMN "answers_user_id" uuid;--> statement-breakpoint
ALTER TABLE "dismissed_claims" ADD CONSTRAINT "dismissed_claims_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assistant_read_markers" ADD CONSTRAINT "assistant_read_markers_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;