ALTER TABLE "runs" ADD COLUMN "resume_at" bigint;--> statement-breakpoint
-- Runs a day cap paused before this column existed go on at the end of the UTC day they were paused on (their error
-- is the day cap's reason; a run cap's reads "run LLM budget").
UPDATE "runs" SET "resume_at" = (("updated_at" / 86400000) + 1) * 86400000 WHERE "status" = 'paused' AND "error" LIKE 'daily LLM budget%';
