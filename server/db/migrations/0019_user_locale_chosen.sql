ALTER TABLE "users" ALTER COLUMN "locale" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "users" ALTER COLUMN "locale" DROP NOT NULL;--> statement-breakpoint
-- Until now every account got 'fr' without choosing it, so a stored 'fr' does not tell a choice from the
-- default: it becomes "none chosen" (notifications stay French; problems follow the browser's language).
UPDATE "users" SET "locale" = NULL WHERE "locale" = 'fr';
