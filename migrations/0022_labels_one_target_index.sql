DROP INDEX `labels_key`;--> statement-breakpoint
DROP INDEX `labels_target`;--> statement-breakpoint
CREATE UNIQUE INDEX `labels_target` ON `labels` (`target_kind`,`agent`,`target_id`,`signal_id`,`version`,`revision`,(case when judge = 'human' then id else '' end));