ALTER TABLE "llm_jobs" ADD COLUMN "lease_token" text;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "lease_token" text;