CREATE TABLE `leases` (
	`name` text PRIMARY KEY NOT NULL,
	`owner` text NOT NULL,
	`until` integer NOT NULL
);
--> statement-breakpoint
DROP INDEX `alert_transitions_alert_at`;--> statement-breakpoint
-- Two processes evaluating one alert could record a step twice: keep one transition per (alert, time).
DELETE FROM `alert_transitions` WHERE rowid NOT IN (SELECT min(rowid) FROM `alert_transitions` GROUP BY `alert_id`, `at`);--> statement-breakpoint
CREATE UNIQUE INDEX `alert_transitions_alert_at` ON `alert_transitions` (`alert_id`,`at`);--> statement-breakpoint
ALTER TABLE `alert_states` ADD `token` text;--> statement-breakpoint
ALTER TABLE `llm_jobs` ADD `lease_owner` text;--> statement-breakpoint
ALTER TABLE `runs` ADD `lease_owner` text;--> statement-breakpoint
ALTER TABLE `runs` ADD `lease_until` integer DEFAULT 0 NOT NULL;