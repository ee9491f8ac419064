ALTER TABLE "events" DROP CONSTRAINT "events_seq_unique";--> statement-breakpoint
DROP INDEX "events_task_idx";--> statement-breakpoint
DROP INDEX "events_incident_idx";--> statement-breakpoint
DROP INDEX "events_region_seq_idx";--> statement-breakpoint
CREATE UNIQUE INDEX "events_seq_key" ON "events" USING btree ("seq") WHERE "events"."seq" is not null;--> statement-breakpoint
CREATE INDEX "events_task_idx" ON "events" USING btree ("task_id","id") WHERE "events"."task_id" is not null;--> statement-breakpoint
CREATE INDEX "events_incident_idx" ON "events" USING btree ("incident_id","id") WHERE "events"."incident_id" is not null;--> statement-breakpoint
CREATE INDEX "events_region_seq_idx" ON "events" USING btree ("region_id","seq") WHERE "events"."seq" is not null;