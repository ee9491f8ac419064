-- The search text moves beside the task (schema.ts, taskSearch): a claim rewrites the task's row,
-- and a trigram index on it made every claim insert the text's trigrams again.
CREATE TABLE "task_search" (
	"task_id" uuid PRIMARY KEY NOT NULL,
	"search_text" text NOT NULL
);
--> statement-breakpoint
INSERT INTO "task_search" ("task_id", "search_text") SELECT "id", "search_text" FROM "tasks";--> statement-breakpoint
DROP INDEX "tasks_search_idx";--> statement-breakpoint
ALTER TABLE "task_search" ADD CONSTRAINT "task_search_task_id_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."tasks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "task_search_idx" ON "task_search" USING gin ("search_text" gin_trgm_ops) WITH (fastupdate=false);--> statement-breakpoint
ALTER TABLE "tasks" DROP COLUMN "search_text";
