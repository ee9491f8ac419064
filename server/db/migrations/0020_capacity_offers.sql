CREATE TABLE "capacity_offers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"commune_id" uuid NOT NULL,
	"region_id" uuid NOT NULL,
	"task_types" text[] NOT NULL,
	"per_day" integer NOT NULL,
	"from_day" date NOT NULL,
	"to_day" date NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "capacity_offers_per_day_ck" CHECK ("capacity_offers"."per_day" between 1 and 1000),
	CONSTRAINT "capacity_offers_period_ck" CHECK ("capacity_offers"."to_day" >= "capacity_offers"."from_day" and "capacity_offers"."to_day" - "capacity_offers"."from_day" < 366),
	CONSTRAINT "capacity_offers_types_ck" CHECK (cardinality("capacity_offers"."task_types") >= 1)
);
--> statement-breakpoint
ALTER TABLE "capacity_offers" ADD CONSTRAINT "capacity_offers_commune_id_communes_id_fk" FOREIGN KEY ("commune_id") REFERENCES "public"."communes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "capacity_offers" ADD CONSTRAINT "capacity_offers_region_id_regions_id_fk" FOREIGN KEY ("region_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "capacity_offers" ADD CONSTRAINT "capacity_offers_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "capacity_offers_region_idx" ON "capacity_offers" USING btree ("region_id","from_day");--> statement-breakpoint
CREATE INDEX "capacity_offers_commune_idx" ON "capacity_offers" USING btree ("commune_id","to_day");