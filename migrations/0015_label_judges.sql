CREATE TABLE `label_judges` (
	`signal_id` text NOT NULL,
	`version` integer NOT NULL,
	`judge` text NOT NULL,
	`n` integer NOT NULL,
	`usd` real NOT NULL,
	PRIMARY KEY(`signal_id`, `version`, `judge`)
);
--> statement-breakpoint
CREATE INDEX `labels_human` ON `labels` (`signal_id`,`labelled_at`) WHERE judge = 'human';--> statement-breakpoint
INSERT INTO `label_judges` (`signal_id`, `version`, `judge`, `n`, `usd`)
  SELECT `signal_id`, `version`, `judge`, count(*), coalesce(sum(`usd`), 0) FROM `labels` WHERE `status` = 'labelled' GROUP BY 1, 2, 3;
--> statement-breakpoint
CREATE TRIGGER `labels_judges_insert` AFTER INSERT ON `labels` WHEN NEW.status = 'labelled' BEGIN
  INSERT INTO label_judges (signal_id, version, judge, n, usd) VALUES (NEW.signal_id, NEW.version, NEW.judge, 1, NEW.usd)
    ON CONFLICT (signal_id, version, judge) DO UPDATE SET n = n + 1, usd = usd + excluded.usd;
END;
--> statement-breakpoint
CREATE TRIGGER `labels_judges_delete` AFTER DELETE ON `labels` WHEN OLD.status = 'labelled' BEGIN
  INSERT INTO label_judges (signal_id, version, judge, n, usd) VALUES (OLD.signal_id, OLD.version, OLD.judge, -1, -OLD.usd)
    ON CONFLICT (signal_id, version, judge) DO UPDATE SET n = n - 1, usd = usd + excluded.usd;
END;
--> statement-breakpoint
CREATE TRIGGER `labels_judges_update_old` AFTER UPDATE OF signal_id, version, judge, status, usd ON `labels` WHEN OLD.status = 'labelled' BEGIN
  INSERT INTO label_judges (signal_id, version, judge, n, usd) VALUES (OLD.signal_id, OLD.version, OLD.judge, -1, -OLD.usd)
    ON CONFLICT (signal_id, version, judge) DO UPDATE SET n = n - 1, usd = usd + excluded.usd;
END;
--> statement-breakpoint
CREATE TRIGGER `labels_judges_update_new` AFTER UPDATE OF signal_id, version, judge, status, usd ON `labels` WHEN NEW.status = 'labelled' BEGIN
  INSERT INTO label_judges (signal_id, version, judge, n, usd) VALUES (NEW.signal_id, NEW.version, NEW.judge, 1, NEW.usd)
    ON CONFLICT (signal_id, version, judge) DO UPDATE SET n = n + 1, usd = usd + excluded.usd;
END;
