DROP INDEX `spans_session`;--> statement-breakpoint
DROP INDEX `spans_received`;