ALTER TABLE `deliveries` RENAME COLUMN "attempt" TO "attempts";--> statement-breakpoint
ALTER TABLE `deliveries` RENAME COLUMN "error" TO "last_error";--> statement-breakpoint
ALTER TABLE `deliveries` ADD `next_attempt_at` integer;--> statement-breakpoint
ALTER TABLE `deliveries` ADD `last_attempt_at` integer;--> statement-breakpoint
ALTER TABLE `deliveries` ADD `lease_owner` text;--> statement-breakpoint
ALTER TABLE `deliveries` ADD `lease_until` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `deliveries_due` ON `deliveries` (`status`,`next_attempt_at`);--> statement-breakpoint
-- Rows from before the outbox were single attempts, made at their `at`.
UPDATE `deliveries` SET `last_attempt_at` = `at`;