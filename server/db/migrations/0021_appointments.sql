CREATE TABLE "commune_calendar_links" (
	"commune_id" uuid PRIMARY KEY NOT NULL,
	"nonce" text NOT NULL,
	"key_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"renewed_at" timestamp with time zone,
	"renewed_by" uuid
);
--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "slot_start" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "slot_minutes" integer;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "slot_place" text;--> statement-breakpoint
ALTER TABLE "commune_calendar_links" ADD CONSTRAINT "commune_calendar_links_commune_id_communes_id_fk" FOREIGN KEY ("commune_id") REFERENCES "public"."communes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commune_calendar_links" ADD CONSTRAINT "commune_calendar_links_renewed_by_users_id_fk" FOREIGN KEY ("renewed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "tasks_holder_slot_idx" ON "tasks" USING btree ("claimed_by_commune_id","slot_start") WHERE "tasks"."slot_start" is not null;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_slot_whole" CHECK (("tasks"."slot_start" is null) = ("tasks"."slot_minutes" is null) and ("tasks"."slot_start" is null) = ("tasks"."slot_place" is null));