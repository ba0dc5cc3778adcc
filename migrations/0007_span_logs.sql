CREATE TABLE `span_logs` (
	`trace_id` text NOT NULL,
	`span_id` text NOT NULL,
	`key` text NOT NULL,
	`time_ns` text NOT NULL,
	`rank` integer NOT NULL,
	`position` integer NOT NULL,
	`event` text NOT NULL,
	`received_at` integer NOT NULL,
	PRIMARY KEY(`trace_id`, `span_id`, `key`)
);
--> statement-breakpoint
CREATE INDEX `span_logs_received` ON `span_logs` (`received_at`);