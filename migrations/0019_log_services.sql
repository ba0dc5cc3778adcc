ALTER TABLE `span_logs` ADD `service` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `spans` ADD `service` text;