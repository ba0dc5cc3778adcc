CREATE TABLE `agents` (
	`id` text PRIMARY KEY NOT NULL,
	`first_seen` integer NOT NULL,
	`last_seen` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `alert_states` (
	`alert_id` text PRIMARY KEY NOT NULL,
	`state` text NOT NULL,
	`data` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `alert_transitions` (
	`id` text PRIMARY KEY NOT NULL,
	`alert_id` text NOT NULL,
	`at` integer NOT NULL,
	`from_state` text NOT NULL,
	`to_state` text NOT NULL,
	`value` real,
	`data` text
);
--> statement-breakpoint
CREATE INDEX `alert_transitions_alert_at` ON `alert_transitions` (`alert_id`,`at`);--> statement-breakpoint
CREATE TABLE `alerts` (
	`id` text PRIMARY KEY NOT NULL,
	`signal_id` text NOT NULL,
	`name` text NOT NULL,
	`rule` text NOT NULL,
	`paused` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `alerts_signal` ON `alerts` (`signal_id`);--> statement-breakpoint
CREATE TABLE `deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`alert_id` text NOT NULL,
	`channel` text NOT NULL,
	`at` integer NOT NULL,
	`attempt` integer NOT NULL,
	`status` text NOT NULL,
	`http_status` integer,
	`error` text,
	`payload` text
);
--> statement-breakpoint
CREATE INDEX `deliveries_alert_at` ON `deliveries` (`alert_id`,`at`);--> statement-breakpoint
CREATE TABLE `labels` (
	`id` text PRIMARY KEY NOT NULL,
	`signal_id` text NOT NULL,
	`version` integer NOT NULL,
	`target_kind` text NOT NULL,
	`target_id` text NOT NULL,
	`revision` text NOT NULL,
	`agent` text NOT NULL,
	`status` text NOT NULL,
	`value` text,
	`explanation` text NOT NULL,
	`judge` text NOT NULL,
	`requests` integer DEFAULT 0 NOT NULL,
	`input_tokens` integer DEFAULT 0 NOT NULL,
	`output_tokens` integer DEFAULT 0 NOT NULL,
	`usd` real DEFAULT 0 NOT NULL,
	`run_id` text,
	`at` integer NOT NULL,
	`labelled_at` integer NOT NULL,
	`superseded` integer DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `labels_key` ON `labels` (`signal_id`,`version`,`target_kind`,`target_id`,`revision`);--> statement-breakpoint
CREATE INDEX `labels_signal_at` ON `labels` (`signal_id`,`at`);--> statement-breakpoint
CREATE INDEX `labels_target` ON `labels` (`target_kind`,`target_id`);--> statement-breakpoint
CREATE INDEX `labels_run` ON `labels` (`run_id`);--> statement-breakpoint
CREATE TABLE `llm_jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`signal_id` text NOT NULL,
	`version` integer NOT NULL,
	`target_kind` text NOT NULL,
	`target_id` text NOT NULL,
	`revision` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`lease_until` integer DEFAULT 0 NOT NULL,
	`error` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `llm_jobs_status` ON `llm_jobs` (`status`,`lease_until`);--> statement-breakpoint
CREATE TABLE `runs` (
	`id` text PRIMARY KEY NOT NULL,
	`signal_id` text NOT NULL,
	`version` integer NOT NULL,
	`kind` text NOT NULL,
	`since` integer NOT NULL,
	`until` integer NOT NULL,
	`rate` real NOT NULL,
	`status` text NOT NULL,
	`total` integer DEFAULT 0 NOT NULL,
	`done` integer DEFAULT 0 NOT NULL,
	`counts` text NOT NULL,
	`requests` integer DEFAULT 0 NOT NULL,
	`input_tokens` integer DEFAULT 0 NOT NULL,
	`output_tokens` integer DEFAULT 0 NOT NULL,
	`usd` real DEFAULT 0 NOT NULL,
	`error` text,
	`cursor` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`finished_at` integer
);
--> statement-breakpoint
CREATE INDEX `runs_signal` ON `runs` (`signal_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `runs_status` ON `runs` (`status`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`agent` text NOT NULL,
	`start_ms` integer NOT NULL,
	`end_ms` integer NOT NULL,
	`revision` integer DEFAULT 0 NOT NULL,
	`settled_revision` integer DEFAULT 0 NOT NULL,
	`last_activity` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sessions_agent_end` ON `sessions` (`agent`,`end_ms`);--> statement-breakpoint
CREATE INDEX `sessions_settle` ON `sessions` (`last_activity`);--> statement-breakpoint
CREATE TABLE `signal_versions` (
	`signal_id` text NOT NULL,
	`version` integer NOT NULL,
	`definition` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`signal_id`, `version`)
);
--> statement-breakpoint
CREATE TABLE `signals` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`agent` text NOT NULL,
	`scope` text NOT NULL,
	`type` text NOT NULL,
	`state` text NOT NULL,
	`version` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `signals_name` ON `signals` (`name`);--> statement-breakpoint
CREATE INDEX `signals_agent_state` ON `signals` (`agent`,`state`);--> statement-breakpoint
CREATE TABLE `spans` (
	`trace_id` text NOT NULL,
	`span_id` text NOT NULL,
	`parent_span_id` text NOT NULL,
	`name` text NOT NULL,
	`agent` text NOT NULL,
	`session_id` text,
	`convention` text NOT NULL,
	`model` text,
	`start_ns` text NOT NULL,
	`end_ns` text NOT NULL,
	`start_ms` integer NOT NULL,
	`end_ms` integer NOT NULL,
	`messages` text NOT NULL,
	`message_count` integer NOT NULL,
	`unreadable` integer NOT NULL,
	`received_at` integer NOT NULL,
	PRIMARY KEY(`trace_id`, `span_id`)
);
--> statement-breakpoint
CREATE INDEX `spans_span_id` ON `spans` (`span_id`);--> statement-breakpoint
CREATE INDEX `spans_agent_end` ON `spans` (`agent`,`end_ms`);--> statement-breakpoint
CREATE INDEX `spans_session` ON `spans` (`session_id`);--> statement-breakpoint
CREATE INDEX `spans_received` ON `spans` (`received_at`);--> statement-breakpoint
CREATE TABLE `traces` (
	`id` text PRIMARY KEY NOT NULL,
	`agent` text NOT NULL,
	`session_id` text,
	`root_name` text,
	`root_ended` integer DEFAULT false NOT NULL,
	`start_ms` integer NOT NULL,
	`end_ms` integer NOT NULL,
	`revision` integer DEFAULT 0 NOT NULL,
	`settled_revision` integer DEFAULT 0 NOT NULL,
	`last_activity` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `traces_agent_end` ON `traces` (`agent`,`end_ms`);--> statement-breakpoint
CREATE INDEX `traces_session` ON `traces` (`session_id`);--> statement-breakpoint
CREATE INDEX `traces_settle` ON `traces` (`last_activity`);