-- Data protection, part 2: the moves and guards that a schema diff cannot write.

-- The audit sequencer's single row: the last audit number handed out, and its hash.
INSERT INTO "audit_sequencer" ("id", "last_seq", "last_hash") VALUES (1, 0, NULL) ON CONFLICT ("id") DO NOTHING;
--> statement-breakpoint

-- Citizen reads join the audit trail (numbered and chained by the audit sequencer at the next start).
INSERT INTO "audit_log" ("region_id", "kind", "actor_user_id", "actor_commune_id", "task_id", "at")
  SELECT t."region_id", 'citizen_read', r."user_id", r."commune_id", r."task_id", r."at"
  FROM "citizen_reads" r JOIN "tasks" t ON t."id" = r."task_id"
  ORDER BY r."id";
--> statement-breakpoint

-- The events' global chain, from the first event: chain_n = sha256(chain_{n-1} || '\n' || hash_n).
DO $$
DECLARE
  r record;
  chain text := NULL;
BEGIN
  FOR r IN SELECT "id", "hash" FROM "events" WHERE "seq" IS NOT NULL ORDER BY "seq" LOOP
    chain := encode(sha256(convert_to(coalesce(chain, '') || E'\n' || coalesce(r."hash", ''), 'UTF8')), 'hex');
    UPDATE "events" SET "chain_hash" = chain WHERE "id" = r."id";
  END LOOP;
  UPDATE "event_sequencer" SET "last_chain_hash" = chain WHERE "id" = 1;
END $$;
--> statement-breakpoint

-- Append-only in the database itself: UPDATE and DELETE are refused, but for the sequencer's own
-- numbering of a row not yet numbered, which may set only the columns named as the trigger's arguments.
CREATE OR REPLACE FUNCTION entraide_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD."seq" IS NULL AND NEW."seq" IS NOT NULL
     AND (to_jsonb(NEW) - TG_ARGV) = (to_jsonb(OLD) - TG_ARGV) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'entraide: % is append-only: % refused', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'restrict_violation';
END $$;
--> statement-breakpoint
CREATE TRIGGER "events_append_only" BEFORE UPDATE OR DELETE ON "events"
  FOR EACH ROW EXECUTE FUNCTION entraide_append_only('seq', 'region_prev_seq', 'prev_hash', 'hash', 'chain_hash');
--> statement-breakpoint
CREATE TRIGGER "events_no_truncate" BEFORE TRUNCATE ON "events"
  FOR EACH STATEMENT EXECUTE FUNCTION entraide_append_only();
--> statement-breakpoint
CREATE TRIGGER "audit_log_append_only" BEFORE UPDATE OR DELETE ON "audit_log"
  FOR EACH ROW EXECUTE FUNCTION entraide_append_only('seq', 'prev_hash', 'hash');
--> statement-breakpoint
CREATE TRIGGER "audit_log_no_truncate" BEFORE TRUNCATE ON "audit_log"
  FOR EACH STATEMENT EXECUTE FUNCTION entraide_append_only();
--> statement-breakpoint

-- The legal basis of the task types seeded before it existed (server/seed/legal-bases.ts).
UPDATE "task_types" SET "legal_basis_fr" = 'RGPD art. 6.1.e — mission d''intérêt public : registres de la population (loi du 19 juillet 1991).', "legal_basis_en" = 'GDPR art. 6(1)(e) — public task: population registers (Act of 19 July 1991).'
  WHERE "key" = 'certificat_residence' AND "legal_basis_fr" = '';
--> statement-breakpoint
UPDATE "task_types" SET "legal_basis_fr" = 'RGPD art. 6.1.e — mission d''intérêt public : registres de la population (loi du 19 juillet 1991).', "legal_basis_en" = 'GDPR art. 6(1)(e) — public task: population registers (Act of 19 July 1991).'
  WHERE "key" = 'composition_menage' AND "legal_basis_fr" = '';
--> statement-breakpoint
UPDATE "task_types" SET "legal_basis_fr" = 'RGPD art. 6.1.c — obligation légale : délivrance des actes de l''état civil (Code civil, livre 2, titre 2).', "legal_basis_en" = 'GDPR art. 6(1)(c) — legal obligation: issuing civil status records (Civil Code, book 2, title 2).'
  WHERE "key" = 'extrait_acte_naissance' AND "legal_basis_fr" = '';
--> statement-breakpoint
UPDATE "task_types" SET "legal_basis_fr" = 'RGPD art. 6.1.c — obligation légale : délivrance des actes de l''état civil (Code civil, livre 2, titre 2).', "legal_basis_en" = 'GDPR art. 6(1)(c) — legal obligation: issuing civil status records (Civil Code, book 2, title 2).'
  WHERE "key" = 'extrait_acte_mariage' AND "legal_basis_fr" = '';
--> statement-breakpoint
UPDATE "task_types" SET "legal_basis_fr" = 'RGPD art. 6.1.e — mission d''intérêt public : Code de la nationalité belge.', "legal_basis_en" = 'GDPR art. 6(1)(e) — public task: Belgian Nationality Code.'
  WHERE "key" = 'certificat_nationalite' AND "legal_basis_fr" = '';
--> statement-breakpoint
UPDATE "task_types" SET "legal_basis_fr" = 'RGPD art. 6.1.e — mission d''intérêt public : légalisation de signature par l''administration communale.', "legal_basis_en" = 'GDPR art. 6(1)(e) — public task: signature legalisation by the municipal administration.'
  WHERE "key" = 'legalisation_signature' AND "legal_basis_fr" = '';
--> statement-breakpoint
UPDATE "task_types" SET "legal_basis_fr" = 'RGPD art. 6.1.e — mission d''intérêt public : cartes d''identité (loi du 19 juillet 1991).', "legal_basis_en" = 'GDPR art. 6(1)(e) — public task: identity cards (Act of 19 July 1991).'
  WHERE "key" = 'rdv_carte_identite' AND "legal_basis_fr" = '';
--> statement-breakpoint
UPDATE "task_types" SET "legal_basis_fr" = 'RGPD art. 6.1.e — mission d''intérêt public : délivrance des passeports (loi du 14 août 1974).', "legal_basis_en" = 'GDPR art. 6(1)(e) — public task: issuing passports (Act of 14 August 1974).'
  WHERE "key" = 'rdv_passeport' AND "legal_basis_fr" = '';
--> statement-breakpoint
UPDATE "task_types" SET "legal_basis_fr" = 'RGPD art. 6.1.e — mission d''intérêt public : permis de conduire (loi du 16 mars 1968 sur la police de la circulation routière).', "legal_basis_en" = 'GDPR art. 6(1)(e) — public task: driving licences (Road Traffic Police Act of 16 March 1968).'
  WHERE "key" = 'rdv_permis_conduire' AND "legal_basis_fr" = '';
