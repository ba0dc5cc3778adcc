DROP INDEX `labels_key`;--> statement-breakpoint
ALTER TABLE `labels` ADD `reviewer` text;--> statement-breakpoint
CREATE UNIQUE INDEX `labels_key` ON `labels` (`signal_id`,`version`,`target_kind`,`agent`,`target_id`,`revision`) WHERE judge <> 'human';