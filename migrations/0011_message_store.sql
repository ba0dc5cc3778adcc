CREATE TABLE `messages` (
	`agent` text NOT NULL,
	`conversation` text NOT NULL,
	`hash` text NOT NULL,
	`content` text NOT NULL,
	PRIMARY KEY(`agent`, `conversation`, `hash`)
);
--> statement-breakpoint
ALTER TABLE `spans` ADD `conversation` text NOT NULL DEFAULT '';--> statement-breakpoint
ALTER TABLE `spans` ADD `message_refs` text NOT NULL DEFAULT '[]';--> statement-breakpoint
-- Data move: a span's conversation is its session, else its trace's session, else its trace.
UPDATE `spans` SET `conversation` = coalesce('s:' || coalesce(`session_id`, (SELECT t.`session_id` FROM `traces` t WHERE t.`agent` = `spans`.`agent` AND t.`id` = `spans`.`trace_id`)), 't:' || `trace_id`);--> statement-breakpoint
-- Each distinct message of a conversation once, keyed `L` + a number (SQLite has no hash function; new messages are
-- keyed by their hash, so a moved message and the same one arriving later are two rows of the conversation).
INSERT INTO `messages` (`agent`, `conversation`, `hash`, `content`)
  SELECT `agent`, `conversation`, 'L' || row_number() OVER (PARTITION BY `agent`, `conversation` ORDER BY `content`), `content`
  FROM (SELECT DISTINCT s.`agent`, s.`conversation`, j.`value` AS `content` FROM `spans` s, json_each(s.`messages`) j);--> statement-breakpoint
CREATE INDEX `messages_moved` ON `messages` (`agent`, `conversation`, `content`);--> statement-breakpoint
-- Every span lists its messages' keys in its order (an ordered subquery feeds the aggregate in that order).
UPDATE `spans` SET `message_refs` = (
  SELECT json_group_array(`hash`) FROM (
    SELECT m.`hash` FROM json_each(`spans`.`messages`) j
    JOIN `messages` m ON m.`agent` = `spans`.`agent` AND m.`conversation` = `spans`.`conversation` AND m.`content` = j.`value`
    ORDER BY j.`key`))
  WHERE json_array_length(`messages`) > 0;--> statement-breakpoint
DROP INDEX `messages_moved`;--> statement-breakpoint
CREATE INDEX `spans_conversation` ON `spans` (`agent`,`conversation`);--> statement-breakpoint
ALTER TABLE `spans` DROP COLUMN `messages`;
