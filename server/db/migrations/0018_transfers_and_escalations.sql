CREATE TABLE "transfer_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"task_id" uuid NOT NULL,
	"region_id" uuid NOT NULL,
	"holder_commune_id" uuid NOT NULL,
	"asker_commune_id" uuid NOT NULL,
	"asked_by_user_id" uuid NOT NULL,
	"note" text,
	"status" text DEFAULT 'open' NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"closed_at" timestamp with time zone,
	"closed_by_user_id" uuid
);
--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "transfer_request_id" uuid;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "escalation_level" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "escalated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "transfer_requests" ADD CONSTRAINT "transfer_requests_task_id_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."tasks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfer_requests" ADD CONSTRAINT "transfer_requests_region_id_regions_id_fk" FOREIGN KEY ("region_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfer_requests" ADD CONSTRAINT "transfer_requests_holder_commune_id_communes_id_fk" FOREIGN KEY ("holder_commune_id") REFERENCES "public"."communes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfer_requests" ADD CONSTRAINT "transfer_requests_asker_commune_id_communes_id_fk" FOREIGN KEY ("asker_commune_id") REFERENCES "public"."communes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfer_requests" ADD CONSTRAINT "transfer_requests_asked_by_user_id_users_id_fk" FOREIGN KEY ("asked_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfer_requests" ADD CONSTRAINT "transfer_requests_closed_by_user_id_users_id_fk" FOREIGN KEY ("closed_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "transfer_requests_one_open_key" ON "transfer_requests" USING btree ("task_id") WHERE "transfer_requests"."status" = 'open';--> statement-breakpoint
CREATE INDEX "transfer_requests_expiry_idx" ON "transfer_requests" USING btree ("expires_at") WHERE "transfer_requests"."status" = 'open';--> statement-breakpoint
CREATE INDEX "transfer_requests_region_open_idx" ON "transfer_requests" USING btree ("region_id") WHERE "transfer_requests"."status" = 'open';--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_transfer_request_id_transfer_requests_id_fk" FOREIGN KEY ("transfer_request_id") REFERENCES "public"."transfer_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "tasks_escalation_idx" ON "tasks" USING btree ("due_at") WHERE "tasks"."status" in ('claimed', 'in_progress') and "tasks"."escalation_level" < 2;--> statement-breakpoint

-- A transfer request lives only as long as the claim it asks for (resources/transfers/): when a
-- claim with an open request stops being claimed by the same commune (started, released by anyone
-- or by the system, cancelled, reassigned, or any status added later), the request is cancelled and
-- the task no longer points at it, in the change's own statement, whatever code made the change.
-- Accepting or timing out closes the request first, so here it is already closed.
CREATE FUNCTION "entraide_end_transfer_request"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "transfer_requests" SET "status" = 'cancelled', "closed_at" = now()
    WHERE "id" = OLD."transfer_request_id" AND "status" = 'open';
  NEW."transfer_request_id" := NULL;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "tasks_end_transfer_request" BEFORE UPDATE ON "tasks" FOR EACH ROW
  WHEN (OLD."transfer_request_id" IS NOT NULL AND (NEW."status" <> 'claimed'
    OR NEW."claimed_by_commune_id" IS DISTINCT FROM OLD."claimed_by_commune_id"))
  EXECUTE FUNCTION "entraide_end_transfer_request"();
