DROP INDEX "tasks_region_status_idx";--> statement-breakpoint
ALTER TABLE "events" ALTER COLUMN "hash" DROP NOT NULL;