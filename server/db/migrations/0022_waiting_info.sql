ALTER TABLE "tasks" ADD COLUMN "waiting_from" text;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "waiting_since" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "question" text;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_status_ck" CHECK ("tasks"."status" in ('open', 'claimed', 'in_progress', 'waiting_info', 'done', 'cancelled'));--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_waiting_ck" CHECK (("tasks"."status" = 'waiting_info') = ("tasks"."waiting_from" is not null and "tasks"."waiting_since" is not null and "tasks"."question" is not null));--> statement-breakpoint

-- waiting_info is an active claim (activeClaimStatuses in task-rules.ts, which task-rules.test.ts holds
-- to these triggers): the function of migration 0013 that keeps commune_claim_counts, with it. No
-- task was in waiting_info before this migration, so the counts kept so far stand.
CREATE OR REPLACE FUNCTION "entraide_count_claims"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "commune_claim_counts" AS c ("commune_id", "active")
      SELECT "claimed_by_commune_id", count(*) FROM "new_rows"
      WHERE "claimed_by_commune_id" IS NOT NULL AND "status" IN ('claimed', 'in_progress', 'waiting_info')
      GROUP BY "claimed_by_commune_id" ORDER BY "claimed_by_commune_id"
    ON CONFLICT ("commune_id") DO UPDATE SET "active" = c."active" + excluded."active";
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE "commune_claim_counts" AS c SET "active" = c."active" - d."n"
      FROM (SELECT "claimed_by_commune_id" AS "commune_id", count(*) AS "n" FROM "old_rows"
            WHERE "claimed_by_commune_id" IS NOT NULL AND "status" IN ('claimed', 'in_progress', 'waiting_info')
            GROUP BY "claimed_by_commune_id") AS d
      WHERE c."commune_id" = d."commune_id";
  ELSE
    INSERT INTO "commune_claim_counts" AS c ("commune_id", "active")
      SELECT "commune_id", sum("delta") FROM (
        SELECT "claimed_by_commune_id" AS "commune_id", 1 AS "delta" FROM "new_rows"
          WHERE "claimed_by_commune_id" IS NOT NULL AND "status" IN ('claimed', 'in_progress', 'waiting_info')
        UNION ALL
        SELECT "claimed_by_commune_id", -1 FROM "old_rows"
          WHERE "claimed_by_commune_id" IS NOT NULL AND "status" IN ('claimed', 'in_progress', 'waiting_info')
      ) AS d
      GROUP BY "commune_id" HAVING sum("delta") <> 0 ORDER BY "commune_id"
    ON CONFLICT ("commune_id") DO UPDATE SET "active" = c."active" + excluded."active";
  END IF;
  RETURN NULL;
END
$$;
