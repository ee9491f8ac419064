ALTER TABLE "region_settings" ADD COLUMN "max_active_claims_per_commune" integer;--> statement-breakpoint
ALTER TABLE "region_settings" ADD COLUMN "transfer_timeout_minutes" integer;--> statement-breakpoint
ALTER TABLE "region_settings" ADD COLUMN "stale_claim_hours" integer;--> statement-breakpoint
ALTER TABLE "region_settings" ADD COLUMN "remind_after_hours" integer;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "reminded_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "tasks_claimed_since_idx" ON "tasks" USING btree ("claimed_at") WHERE "tasks"."status" = 'claimed';--> statement-breakpoint
ALTER TABLE "region_settings" ADD CONSTRAINT "region_settings_claim_cap_ck" CHECK ("region_settings"."max_active_claims_per_commune" between 1 and 10000);--> statement-breakpoint
ALTER TABLE "region_settings" ADD CONSTRAINT "region_settings_transfer_timeout_ck" CHECK ("region_settings"."transfer_timeout_minutes" between 5 and 10080);--> statement-breakpoint
ALTER TABLE "region_settings" ADD CONSTRAINT "region_settings_stale_claim_ck" CHECK ("region_settings"."stale_claim_hours" between 1 and 720);--> statement-breakpoint
ALTER TABLE "region_settings" ADD CONSTRAINT "region_settings_remind_after_ck" CHECK ("region_settings"."remind_after_hours" between 1 and 720);--> statement-breakpoint

-- The claim cap (resources/tasks/tasks-repo.ts, the claim statement): locks each claiming commune
-- (a transaction-level advisory lock, in id order, so that two claim statements wait for each other
-- instead of deadlocking) and then counts its active claims. The count is a query of its own in a
-- VOLATILE function, so it reads with a snapshot taken after the locks: it sees every claim that
-- another statement of the same commune committed while this one waited. Which statuses are active
-- is the caller's (activeClaimStatuses in task-rules.ts), not repeated here.
CREATE FUNCTION "entraide_claim_counts"("commune_ids" uuid[], "active_statuses" text[])
RETURNS TABLE ("commune_id" uuid, "active" bigint)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  c uuid;
BEGIN
  FOR c IN SELECT DISTINCT x FROM unnest("commune_ids") AS x ORDER BY x LOOP
    PERFORM pg_advisory_xact_lock(1129073, hashtext(c::text));
  END LOOP;
  RETURN QUERY
    SELECT x, (SELECT count(*) FROM "tasks" t WHERE t."claimed_by_commune_id" = x AND t."status" = ANY("active_statuses"))
    FROM (SELECT DISTINCT x FROM unnest("commune_ids") AS x) AS claimants;
END
$$;
