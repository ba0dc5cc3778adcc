ALTER TABLE `sessions` ADD `moved_out` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `traces` ADD `moved_out` integer DEFAULT 0 NOT NULL;