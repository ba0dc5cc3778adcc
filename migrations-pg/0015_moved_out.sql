ALTER TABLE "sessions" ADD COLUMN "moved_out" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "traces" ADD COLUMN "moved_out" bigint DEFAULT 0 NOT NULL;