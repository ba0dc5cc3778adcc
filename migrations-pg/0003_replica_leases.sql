CREATE TABLE "leases" (
	"name" text PRIMARY KEY NOT NULL,
	"owner" text NOT NULL,
	"until" bigint NOT NULL
);
--> statement-breakpoint
DROP INDEX "alert_transitions_alert_at";--> statement-breakpoint
ALTER TABLE "alert_states" ADD COLUMN "token" text;--> statement-breakpoint
ALTER TABLE "llm_jobs" ADD COLUMN "lease_owner" text;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "lease_owner" text;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "lease_until" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Two processes evaluating one alert could record a step twice: keep one transition per (alert, time).
DELETE FROM "alert_transitions" a USING "alert_transitions" b WHERE a."alert_id" = b."alert_id" AND a."at" = b."at" AND a."id" > b."id";--> statement-breakpoint
CREATE UNIQUE INDEX "alert_transitions_alert_at" ON "alert_transitions" USING btree ("alert_id","at");