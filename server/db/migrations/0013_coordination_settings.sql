CREATE TABLE "commune_claim_counts" (
	"commune_id" uuid PRIMARY KEY NOT NULL,
	"active" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "region_settings" ADD COLUMN "max_active_claims_per_commune" integer;--> statement-breakpoint
ALTER TABLE "region_settings" ADD COLUMN "transfer_timeout_minutes" integer;--> statement-breakpoint
ALTER TABLE "region_settings" ADD COLUMN "stale_claim_hours" integer;--> statement-breakpoint
ALTER TABLE "region_settings" ADD COLUMN "remind_after_hours" integer;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "reminded_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "commune_claim_counts" ADD CONSTRAINT "commune_claim_counts_commune_id_communes_id_fk" FOREIGN KEY ("commune_id") REFERENCES "public"."communes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "tasks_claimed_since_idx" ON "tasks" USING btree ("claimed_at") WHERE "tasks"."status" = 'claimed';--> statement-breakpoint
ALTER TABLE "region_settings" ADD CONSTRAINT "region_settings_claim_cap_ck" CHECK ("region_settings"."max_active_claims_per_commune" between 1 and 10000);--> statement-breakpoint
ALTER TABLE "region_settings" ADD CONSTRAINT "region_settings_transfer_timeout_ck" CHECK ("region_settings"."transfer_timeout_minutes" between 5 and 10080);--> statement-breakpoint
ALTER TABLE "region_settings" ADD CONSTRAINT "region_settings_stale_claim_ck" CHECK ("region_settings"."stale_claim_hours" between 1 and 720);--> statement-breakpoint
ALTER TABLE "region_settings" ADD CONSTRAINT "region_settings_remind_after_ck" CHECK ("region_settings"."remind_after_hours" between 1 and 720);--> statement-breakpoint

-- The claim cap (resources/tasks/tasks-repo.ts, the claim statement) reads each claiming commune's
-- active claims (claimed or in progress: activeClaimStatuses in task-rules.ts, which
-- task-rules.test.ts holds to these triggers) from commune_claim_counts, kept here by three
-- statement-level triggers on tasks: one upsert per statement that changes some commune's count, in
-- commune order, never a count over the tasks.
INSERT INTO "commune_claim_counts" ("commune_id", "active")
  SELECT "claimed_by_commune_id", count(*) FROM "tasks"
  WHERE "claimed_by_commune_id" IS NOT NULL AND "status" IN ('claimed', 'in_progress')
  GROUP BY "claimed_by_commune_id";
--> statement-breakpoint
CREATE FUNCTION "entraide_count_claims"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "commune_claim_counts" AS c ("commune_id", "active")
      SELECT "claimed_by_commune_id", count(*) FROM "new_rows"
      WHERE "claimed_by_commune_id" IS NOT NULL AND "status" IN ('claimed', 'in_progress')
      GROUP BY "claimed_by_commune_id" ORDER BY "claimed_by_commune_id"
    ON CONFLICT ("commune_id") DO UPDATE SET "active" = c."active" + excluded."active";
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE "commune_claim_counts" AS c SET "active" = c."active" - d."n"
      FROM (SELECT "claimed_by_commune_id" AS "commune_id", count(*) AS "n" FROM "old_rows"
            WHERE "claimed_by_commune_id" IS NOT NULL AND "status" IN ('claimed', 'in_progress')
            GROUP BY "claimed_by_commune_id") AS d
      WHERE c."commune_id" = d."commune_id";
  ELSE
    INSERT INTO "commune_claim_counts" AS c ("commune_id", "active")
      SELECT "commune_id", sum("delta") FROM (
        SELECT "claimed_by_commune_id" AS "commune_id", 1 AS "delta" FROM "new_rows"
          WHERE "claimed_by_commune_id" IS NOT NULL AND "status" IN ('claimed', 'in_progress')
        UNION ALL
        SELECT "claimed_by_commune_id", -1 FROM "old_rows"
          WHERE "claimed_by_commune_id" IS NOT NULL AND "status" IN ('claimed', 'in_progress')
      ) AS d
      GROUP BY "commune_id" HAVING sum("delta") <> 0 ORDER BY "commune_id"
    ON CONFLICT ("commune_id") DO UPDATE SET "active" = c."active" + excluded."active";
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "tasks_count_claims_insert" AFTER INSERT ON "tasks"
  REFERENCING NEW TABLE AS "new_rows" FOR EACH STATEMENT EXECUTE FUNCTION "entraide_count_claims"();
--> statement-breakpoint
CREATE TRIGGER "tasks_count_claims_update" AFTER UPDATE ON "tasks"
  REFERENCING OLD TABLE AS "old_rows" NEW TABLE AS "new_rows" FOR EACH STATEMENT EXECUTE FUNCTION "entraide_count_claims"();
--> statement-breakpoint
CREATE TRIGGER "tasks_count_claims_delete" AFTER DELETE ON "tasks"
  REFERENCING OLD TABLE AS "old_rows" FOR EACH STATEMENT EXECUTE FUNCTION "entraide_count_claims"();
