CREATE INDEX "storage_volumes_by_name" ON "storage_volumes" USING btree ("workspace_id","name","id");--> statement-breakpoint
CREATE INDEX "storage_volumes_by_size" ON "storage_volumes" USING btree ("workspace_id","size_gib","id");--> statement-breakpoint
CREATE INDEX "storage_volumes_by_status" ON "storage_volumes" USING btree ("workspace_id","status","id");--> statement-breakpoint
CREATE INDEX "storage_volumes_by_node" ON "storage_volumes" USING btree ("workspace_id",coalesce("node", ''),"id");