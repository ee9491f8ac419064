-- The events' append-only guard without reading the rows. Migration 0023's guard compared each row
-- the sequencer numbered as JSON, before and after (to_jsonb of the whole row, its snapshot
-- included): that cost more than the numbering itself, on every event. The same rules, now said by
-- the columns an UPDATE names and by trigger conditions PostgreSQL checks without calling a function:
-- - an UPDATE that names any column but the sequencer's own is refused (events_append_only; every
--   column of the table but seq, region_prev_seq, prev_hash, hash and chain_hash is listed, and
--   test/integration/events-guard.test.ts holds the list to the table);
-- - the sequencer's columns are set once, on a real event not yet numbered (events_numbered_once);
-- - a DELETE is refused, but for a drill's event, which is never numbered (events_kept).
CREATE FUNCTION entraide_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'entraide: % is append-only: % refused', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'restrict_violation';
END $$;
--> statement-breakpoint
DROP TRIGGER "events_append_only" ON "events";
--> statement-breakpoint
DROP FUNCTION entraide_events_append_only();
--> statement-breakpoint
CREATE TRIGGER "events_append_only" BEFORE UPDATE OF "id", "task_id", "incident_id", "region_id", "type", "action",
  "actor_user_id", "actor_commune_id", "from_status", "to_status", "note", "snapshot", "created_at", "drill_id"
  ON "events" FOR EACH ROW EXECUTE FUNCTION entraide_refuse();
--> statement-breakpoint
CREATE TRIGGER "events_numbered_once" BEFORE UPDATE ON "events" FOR EACH ROW
  WHEN (OLD."seq" IS NOT NULL OR NEW."seq" IS NULL OR OLD."drill_id" IS NOT NULL)
  EXECUTE FUNCTION entraide_refuse();
--> statement-breakpoint
CREATE TRIGGER "events_kept" BEFORE DELETE ON "events" FOR EACH ROW
  WHEN (OLD."drill_id" IS NULL OR OLD."seq" IS NOT NULL)
  EXECUTE FUNCTION entraide_refuse();
