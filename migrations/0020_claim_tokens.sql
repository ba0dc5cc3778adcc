ALTER TABLE `llm_jobs` ADD `lease_token` text;--> statement-breakpoint
ALTER TABLE `runs` ADD `lease_token` text;