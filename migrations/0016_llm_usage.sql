CREATE TABLE `llm_usage` (
	`account` text NOT NULL,
	`day` text NOT NULL,
	`requests` integer DEFAULT 0 NOT NULL,
	`tokens` integer DEFAULT 0 NOT NULL,
	`usd` real DEFAULT 0 NOT NULL,
	PRIMARY KEY(`account`, `day`)
);
