CREATE TABLE "statement_lines" (
	"statement_id" uuid NOT NULL,
	"helper_commune_id" uuid NOT NULL,
	"helper_commune_name" text NOT NULL,
	"helped_commune_id" uuid NOT NULL,
	"helped_commune_name" text NOT NULL,
	"task_type" text NOT NULL,
	"tasks" integer NOT NULL,
	"minutes" integer NOT NULL,
	"amount_cents" bigint NOT NULL,
	CONSTRAINT "statement_lines_statement_id_helper_commune_id_helped_commune_id_task_type_pk" PRIMARY KEY("statement_id","helper_commune_id","helped_commune_id","task_type")
);
--> statement-breakpoint
CREATE TABLE "statements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"region_id" uuid NOT NULL,
	"period_from" date NOT NULL,
	"period_to" date NOT NULL,
	"hourly_rate_cents" integer NOT NULL,
	"tasks" integer NOT NULL,
	"minutes" integer NOT NULL,
	"amount_cents" bigint NOT NULL,
	"closed_by" uuid,
	"closed_by_name" text NOT NULL,
	"closed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "statements_period_ck" CHECK ("statements"."period_from" <= "statements"."period_to")
);
--> statement-breakpoint
ALTER TABLE "region_settings" ADD COLUMN "hourly_rate_cents" integer;--> statement-breakpoint
ALTER TABLE "task_types" ADD COLUMN "default_minutes" integer DEFAULT 15 NOT NULL;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "minutes_spent" integer;--> statement-breakpoint
ALTER TABLE "statement_lines" ADD CONSTRAINT "statement_lines_statement_id_statements_id_fk" FOREIGN KEY ("statement_id") REFERENCES "public"."statements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statement_lines" ADD CONSTRAINT "statement_lines_helper_commune_id_communes_id_fk" FOREIGN KEY ("helper_commune_id") REFERENCES "public"."communes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statement_lines" ADD CONSTRAINT "statement_lines_helped_commune_id_communes_id_fk" FOREIGN KEY ("helped_commune_id") REFERENCES "public"."communes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statements" ADD CONSTRAINT "statements_region_id_regions_id_fk" FOREIGN KEY ("region_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statements" ADD CONSTRAINT "statements_closed_by_users_id_fk" FOREIGN KEY ("closed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "statements_region_idx" ON "statements" USING btree ("region_id","period_from");--> statement-breakpoint
CREATE INDEX "events_region_day_idx" ON "events" USING btree ("region_id","created_at") WHERE "events"."task_id" is not null;--> statement-breakpoint
CREATE INDEX "tasks_region_active_idx" ON "tasks" USING btree ("region_id","created_at") WHERE "tasks"."status" not in ('done', 'cancelled');--> statement-breakpoint
CREATE INDEX "tasks_region_updated_idx" ON "tasks" USING btree ("region_id","updated_at");--> statement-breakpoint
CREATE INDEX "tasks_region_done_idx" ON "tasks" USING btree ("region_id","done_at") WHERE "tasks"."status" = 'done';--> statement-breakpoint
-- The seeded task types' usual time (the seed sets them on a fresh database; these are for one that has them already).
UPDATE "task_types" SET "default_minutes" = CASE "key"
  WHEN 'certificat_residence' THEN 15
  WHEN 'composition_menage' THEN 15
  WHEN 'certificat_nationalite' THEN 15
  WHEN 'extrait_acte_naissance' THEN 20
  WHEN 'extrait_acte_mariage' THEN 20
  WHEN 'legalisation_signature' THEN 10
  WHEN 'rdv_carte_identite' THEN 30
  WHEN 'rdv_passeport' THEN 30
  WHEN 'rdv_permis_conduire' THEN 30
  ELSE CASE WHEN "category" = 'appointment' THEN 30 ELSE 15 END
END;--> statement-breakpoint
-- Tasks done before time was counted count their type's usual time.
UPDATE "tasks" SET "minutes_spent" = "task_types"."default_minutes"
  FROM "task_types" WHERE "tasks"."type" = "task_types"."key" AND "tasks"."status" = 'done' AND "tasks"."minutes_spent" IS NULL;
