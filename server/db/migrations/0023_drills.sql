CREATE TABLE "drills" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"region_id" uuid NOT NULL,
	"name" text NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"tasks_posted" integer NOT NULL,
	"duration_minutes" integer NOT NULL,
	"started_by" uuid,
	"started_at" timestamp with time zone NOT NULL,
	"ended_by" uuid,
	"ended_at" timestamp with time zone,
	"report" jsonb
);
--> statement-breakpoint
DROP INDEX "events_unsequenced_idx";--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "drill_id" uuid;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "drill_id" uuid;--> statement-breakpoint
ALTER TABLE "drills" ADD CONSTRAINT "drills_region_id_regions_id_fk" FOREIGN KEY ("region_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drills" ADD CONSTRAINT "drills_started_by_users_id_fk" FOREIGN KEY ("started_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drills" ADD CONSTRAINT "drills_ended_by_users_id_fk" FOREIGN KEY ("ended_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "drills_running_key" ON "drills" USING btree ("region_id") WHERE "drills"."status" = 'running';--> statement-breakpoint
CREATE INDEX "drills_region_idx" ON "drills" USING btree ("region_id","started_at");--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_drill_id_drills_id_fk" FOREIGN KEY ("drill_id") REFERENCES "public"."drills"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "events_drill_idx" ON "events" USING btree ("drill_id") WHERE "events"."drill_id" is not null;--> statement-breakpoint
CREATE INDEX "tasks_drill_idx" ON "tasks" USING btree ("drill_id") WHERE "tasks"."drill_id" is not null;--> statement-breakpoint
CREATE INDEX "events_unsequenced_idx" ON "events" USING btree ("id") WHERE "events"."seq" is null and "events"."drill_id" is null;--> statement-breakpoint

-- Drills (docs/drills.md). A drill's events are never numbered, hashed or chained: the sequencer
-- leaves them be, so no chain and no numbering ever includes them. Its end deletes them, and only
-- them: a numbered event, or an event of a real task, stays append-only, and a drill's event can
-- never be numbered.
CREATE FUNCTION entraide_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND OLD."drill_id" IS NOT NULL AND OLD."seq" IS NULL THEN
    RETURN OLD;
  END IF;
  IF TG_OP = 'UPDATE' AND OLD."seq" IS NULL AND NEW."seq" IS NOT NULL AND OLD."drill_id" IS NULL
     AND (to_jsonb(NEW) - TG_ARGV) = (to_jsonb(OLD) - TG_ARGV) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'entraide: % is append-only: % refused', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'restrict_violation';
END $$;
--> statement-breakpoint
DROP TRIGGER "events_append_only" ON "events";
--> statement-breakpoint
CREATE TRIGGER "events_append_only" BEFORE UPDATE OR DELETE ON "events"
  FOR EACH ROW EXECUTE FUNCTION entraide_events_append_only('seq', 'region_prev_seq', 'prev_hash', 'hash', 'chain_hash');
--> statement-breakpoint

-- A drill's claims do not count against the real cap of active claims (commune_claim_counts); a task
-- waiting for an answer is an active claim (migration 0022).
CREATE OR REPLACE FUNCTION "entraide_count_claims"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "commune_claim_counts" AS c ("commune_id", "active")
      SELECT "claimed_by_commune_id", count(*) FROM "new_rows"
      WHERE "claimed_by_commune_id" IS NOT NULL AND "status" IN ('claimed', 'in_progress', 'waiting_info') AND "drill_id" IS NULL
      GROUP BY "claimed_by_commune_id" ORDER BY "claimed_by_commune_id"
    ON CONFLICT ("commune_id") DO UPDATE SET "active" = c."active" + excluded."active";
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE "commune_claim_counts" AS c SET "active" = c."active" - d."n"
      FROM (SELECT "claimed_by_commune_id" AS "commune_id", count(*) AS "n" FROM "old_rows"
            WHERE "claimed_by_commune_id" IS NOT NULL AND "status" IN ('claimed', 'in_progress', 'waiting_info') AND "drill_id" IS NULL
            GROUP BY "claimed_by_commune_id") AS d
      WHERE c."commune_id" = d."commune_id";
  ELSE
    INSERT INTO "commune_claim_counts" AS c ("commune_id", "active")
      SELECT "commune_id", sum("delta") FROM (
        SELECT "claimed_by_commune_id" AS "commune_id", 1 AS "delta" FROM "new_rows"
          WHERE "claimed_by_commune_id" IS NOT NULL AND "status" IN ('claimed', 'in_progress', 'waiting_info') AND "drill_id" IS NULL
        UNION ALL
        SELECT "claimed_by_commune_id", -1 FROM "old_rows"
          WHERE "claimed_by_commune_id" IS NOT NULL AND "status" IN ('claimed', 'in_progress', 'waiting_info') AND "drill_id" IS NULL
      ) AS d
      GROUP BY "commune_id" HAVING sum("delta") <> 0 ORDER BY "commune_id"
    ON CONFLICT ("commune_id") DO UPDATE SET "active" = c."active" + excluded."active";
  END IF;
  RETURN NULL;
END
$$;
