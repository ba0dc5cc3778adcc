ALTER TABLE "span_logs" ADD COLUMN "service" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "spans" ADD COLUMN "service" text;