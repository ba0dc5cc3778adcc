DROP INDEX `labels_key`;--> statement-breakpoint
DROP INDEX `labels_target`;--> statement-breakpoint
CREATE UNIQUE INDEX `labels_key` ON `labels` (`signal_id`,`version`,`target_kind`,`agent`,`target_id`,`revision`);--> statement-breakpoint
CREATE INDEX `labels_target` ON `labels` (`target_kind`,`agent`,`target_id`);--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_spans` (
	`trace_id` text NOT NULL,
	`span_id` text NOT NULL,
	`parent_span_id` text NOT NULL,
	`name` text NOT NULL,
	`agent` text NOT NULL,
	`session_id` text,
	`convention` text NOT NULL,
	`kind` text DEFAULT 'other' NOT NULL,
	`model` text,
	`start_ns` text NOT NULL,
	`end_ns` text NOT NULL,
	`start_ms` integer NOT NULL,
	`end_ms` integer NOT NULL,
	`messages` text NOT NULL,
	`message_count` integer NOT NULL,
	`unreadable` integer NOT NULL,
	`received_at` integer NOT NULL,
	PRIMARY KEY(`agent`, `trace_id`, `span_id`)
);
--> statement-breakpoint
INSERT INTO `__new_spans`("trace_id", "span_id", "parent_span_id", "name", "agent", "session_id", "convention", "kind", "model", "start_ns", "end_ns", "start_ms", "end_ms", "messages", "message_count", "unreadable", "received_at") SELECT "trace_id", "span_id", "parent_span_id", "name", "agent", "session_id", "convention", "kind", "model", "start_ns", "end_ns", "start_ms", "end_ms", "messages", "message_count", "unreadable", "received_at" FROM `spans`;--> statement-breakpoint
DROP TABLE `spans`;--> statement-breakpoint
ALTER TABLE `__new_spans` RENAME TO `spans`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `spans_span_id` ON `spans` (`span_id`);--> statement-breakpoint
CREATE INDEX `spans_trace` ON `spans` (`trace_id`);--> statement-breakpoint
CREATE INDEX `spans_agent_end` ON `spans` (`agent`,`end_ms`);--> statement-breakpoint
CREATE INDEX `spans_session` ON `spans` (`agent`,`session_id`);--> statement-breakpoint
CREATE INDEX `spans_received` ON `spans` (`received_at`);--> statement-breakpoint
CREATE TABLE `__new_traces` (
	`agent` text NOT NULL,
	`id` text NOT NULL,
	`session_id` text,
	`root_name` text,
	`root_ended` integer DEFAULT false NOT NULL,
	`start_ms` integer NOT NULL,
	`end_ms` integer NOT NULL,
	`revision` integer DEFAULT 0 NOT NULL,
	`settled_revision` integer DEFAULT 0 NOT NULL,
	`last_activity` integer NOT NULL,
	PRIMARY KEY(`agent`, `id`)
);
--> statement-breakpoint
INSERT INTO `__new_traces`("agent", "id", "session_id", "root_name", "root_ended", "start_ms", "end_ms", "revision", "settled_revision", "last_activity") SELECT "agent", "id", "session_id", "root_name", "root_ended", "start_ms", "end_ms", "revision", "settled_revision", "last_activity" FROM `traces`;--> statement-breakpoint
DROP TABLE `traces`;--> statement-breakpoint
ALTER TABLE `__new_traces` RENAME TO `traces`;--> statement-breakpoint
CREATE INDEX `traces_id` ON `traces` (`id`);--> statement-breakpoint
CREATE INDEX `traces_agent_end` ON `traces` (`agent`,`end_ms`);--> statement-breakpoint
CREATE INDEX `traces_session` ON `traces` (`agent`,`session_id`);--> statement-breakpoint
CREATE INDEX `traces_settle` ON `traces` (`last_activity`);--> statement-breakpoint
CREATE TABLE `__new_sessions` (
	`agent` text NOT NULL,
	`id` text NOT NULL,
	`start_ms` integer NOT NULL,
	`end_ms` integer NOT NULL,
	`revision` integer DEFAULT 0 NOT NULL,
	`settled_revision` integer DEFAULT 0 NOT NULL,
	`last_activity` integer NOT NULL,
	PRIMARY KEY(`agent`, `id`)
);
--> statement-breakpoint
INSERT INTO `__new_sessions`("agent", "id", "start_ms", "end_ms", "revision", "settled_revision", "last_activity") SELECT "agent", "id", "start_ms", "end_ms", "revision", "settled_revision", "last_activity" FROM `sessions`;--> statement-breakpoint
DROP TABLE `sessions`;--> statement-breakpoint
ALTER TABLE `__new_sessions` RENAME TO `sessions`;--> statement-breakpoint
CREATE INDEX `sessions_id` ON `sessions` (`id`);--> statement-breakpoint
CREATE INDEX `sessions_agent_end` ON `sessions` (`agent`,`end_ms`);--> statement-breakpoint
CREATE INDEX `sessions_settle` ON `sessions` (`last_activity`);--> statement-breakpoint
ALTER TABLE `llm_jobs` ADD `agent` text DEFAULT '' NOT NULL;--> statement-breakpoint
-- Data move (hand-written): traces and sessions are now identified within their agent. Queued LLM jobs learn the
-- agent of their target while each trace and session id still has one row.
UPDATE `llm_jobs` SET `agent` = coalesce(CASE `target_kind`
	WHEN 'span' THEN (SELECT `agent` FROM `spans` WHERE `spans`.`span_id` = `llm_jobs`.`target_id` ORDER BY `agent` LIMIT 1)
	WHEN 'trace' THEN (SELECT `agent` FROM `traces` WHERE `traces`.`id` = `llm_jobs`.`target_id` LIMIT 1)
	ELSE (SELECT `agent` FROM `sessions` WHERE `sessions`.`id` = `llm_jobs`.`target_id` LIMIT 1) END, '');--> statement-breakpoint
-- Spans another agent sent under a trace id it shared get a trace of their own agent.
INSERT INTO `traces` (`agent`, `id`, `session_id`, `root_name`, `root_ended`, `start_ms`, `end_ms`, `revision`, `settled_revision`, `last_activity`)
SELECT `s`.`agent`, `s`.`trace_id`, max(`s`.`session_id`), max(CASE WHEN `s`.`parent_span_id` = '' THEN `s`.`name` END),
	max(`s`.`parent_span_id` = ''), min(`s`.`start_ms`), max(`s`.`end_ms`), 0, 0, max(`s`.`received_at`)
FROM `spans` `s`
WHERE NOT EXISTS (SELECT 1 FROM `traces` `t` WHERE `t`.`agent` = `s`.`agent` AND `t`.`id` = `s`.`trace_id`)
GROUP BY `s`.`agent`, `s`.`trace_id`;--> statement-breakpoint
-- Traces of another agent under a session id it shared get a session of their own agent.
INSERT INTO `sessions` (`agent`, `id`, `start_ms`, `end_ms`, `revision`, `settled_revision`, `last_activity`)
SELECT `t`.`agent`, `t`.`session_id`, min(`t`.`start_ms`), max(`t`.`end_ms`), 0, 0, max(`t`.`last_activity`)
FROM `traces` `t`
WHERE `t`.`session_id` IS NOT NULL AND NOT EXISTS (SELECT 1 FROM `sessions` `x` WHERE `x`.`agent` = `t`.`agent` AND `x`.`id` = `t`.`session_id`)
GROUP BY `t`.`agent`, `t`.`session_id`;--> statement-breakpoint
-- Revisions recounted within the agent. A trace or session that lost another agent's spans is labelled again
-- (its old labels judged the mixed conversation and are superseded by the new ones).
UPDATE `traces` SET
	`settled_revision` = CASE WHEN (SELECT count(*) FROM `spans` WHERE `spans`.`agent` = `traces`.`agent` AND `spans`.`trace_id` = `traces`.`id`) = `revision` THEN `settled_revision` ELSE 0 END,
	`revision` = (SELECT count(*) FROM `spans` WHERE `spans`.`agent` = `traces`.`agent` AND `spans`.`trace_id` = `traces`.`id`),
	`start_ms` = coalesce((SELECT min(`start_ms`) FROM `spans` WHERE `spans`.`agent` = `traces`.`agent` AND `spans`.`trace_id` = `traces`.`id`), `start_ms`),
	`end_ms` = coalesce((SELECT max(`end_ms`) FROM `spans` WHERE `spans`.`agent` = `traces`.`agent` AND `spans`.`trace_id` = `traces`.`id`), `end_ms`);--> statement-breakpoint
UPDATE `sessions` SET
	`settled_revision` = CASE WHEN (SELECT count(*) FROM `spans` INNER JOIN `traces` ON `traces`.`agent` = `spans`.`agent` AND `traces`.`id` = `spans`.`trace_id` WHERE `traces`.`agent` = `sessions`.`agent` AND `traces`.`session_id` = `sessions`.`id`) = `revision` THEN `settled_revision` ELSE 0 END,
	`revision` = (SELECT count(*) FROM `spans` INNER JOIN `traces` ON `traces`.`agent` = `spans`.`agent` AND `traces`.`id` = `spans`.`trace_id` WHERE `traces`.`agent` = `sessions`.`agent` AND `traces`.`session_id` = `sessions`.`id`),
	`start_ms` = coalesce((SELECT min(`start_ms`) FROM `traces` WHERE `traces`.`agent` = `sessions`.`agent` AND `traces`.`session_id` = `sessions`.`id`), `start_ms`),
	`end_ms` = coalesce((SELECT max(`end_ms`) FROM `traces` WHERE `traces`.`agent` = `sessions`.`agent` AND `traces`.`session_id` = `sessions`.`id`), `end_ms`);--> statement-breakpoint
-- Run cursors were `at:id`; now JSON `[at, agent, id]` (no agent known: the empty one sorts first, so a resumed
-- run re-lists the few targets at that instant, which it skips as labelled).
UPDATE `runs` SET `cursor` = json_array(cast(substr(`cursor`, 1, instr(`cursor`, ':') - 1) AS integer), '', substr(`cursor`, instr(`cursor`, ':') + 1))
WHERE `cursor` IS NOT NULL AND substr(`cursor`, 1, 1) <> '[';
