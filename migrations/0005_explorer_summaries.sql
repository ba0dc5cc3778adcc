CREATE TABLE `summaries` (
	`kind` text NOT NULL,
	`agent` text NOT NULL,
	`id` text NOT NULL,
	`revision` integer NOT NULL,
	`turns` integer NOT NULL,
	`tool_calls` integer NOT NULL,
	`messages` integer NOT NULL,
	`quality` text NOT NULL,
	`score` integer NOT NULL,
	PRIMARY KEY(`kind`, `agent`, `id`)
);
--> statement-breakpoint
CREATE TABLE `summary_signals` (
	`kind` text NOT NULL,
	`agent` text NOT NULL,
	`id` text NOT NULL,
	`type` text NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`kind`, `agent`, `id`, `type`)
);
--> statement-breakpoint
CREATE INDEX `sessions_end` ON `sessions` (`end_ms`);--> statement-breakpoint
CREATE INDEX `sessions_unsettled` ON `sessions` (`agent`,`last_activity`) WHERE revision > settled_revision;--> statement-breakpoint
CREATE INDEX `traces_end` ON `traces` (`end_ms`);--> statement-breakpoint
CREATE INDEX `traces_unsettled` ON `traces` (`agent`,`last_activity`) WHERE revision > settled_revision;