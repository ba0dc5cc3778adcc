CREATE TABLE `label_counts` (
	`signal_id` text NOT NULL,
	`slot` integer NOT NULL,
	`key` text NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`signal_id`, `slot`, `key`)
);
--> statement-breakpoint
CREATE TABLE `label_totals` (
	`signal_id` text NOT NULL,
	`key` text NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`signal_id`, `key`)
);
--> statement-breakpoint
INSERT INTO `label_counts` (`signal_id`, `slot`, `key`, `n`)
  SELECT `signal_id`, `at` - ((`at` % 300000) + 300000) % 300000, coalesce(`value`, `status`), count(*) FROM `labels` WHERE `superseded` = 0 GROUP BY 1, 2, 3;
--> statement-breakpoint
INSERT INTO `label_totals` (`signal_id`, `key`, `n`)
  SELECT `signal_id`, coalesce(`value`, `status`), count(*) FROM `labels` WHERE `superseded` = 0 GROUP BY 1, 2;
--> statement-breakpoint
CREATE TRIGGER `labels_rollup_insert` AFTER INSERT ON `labels` WHEN NEW.superseded = 0 BEGIN
  INSERT INTO label_counts (signal_id, slot, key, n) VALUES (NEW.signal_id, NEW.at - ((NEW.at % 300000) + 300000) % 300000, coalesce(NEW.value, NEW.status), 1)
    ON CONFLICT (signal_id, slot, key) DO UPDATE SET n = n + 1;
  INSERT INTO label_totals (signal_id, key, n) VALUES (NEW.signal_id, coalesce(NEW.value, NEW.status), 1)
    ON CONFLICT (signal_id, key) DO UPDATE SET n = n + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `labels_rollup_delete` AFTER DELETE ON `labels` WHEN OLD.superseded = 0 BEGIN
  INSERT INTO label_counts (signal_id, slot, key, n) VALUES (OLD.signal_id, OLD.at - ((OLD.at % 300000) + 300000) % 300000, coalesce(OLD.value, OLD.status), -1)
    ON CONFLICT (signal_id, slot, key) DO UPDATE SET n = n - 1;
  DELETE FROM label_counts WHERE signal_id = OLD.signal_id AND slot = OLD.at - ((OLD.at % 300000) + 300000) % 300000 AND key = coalesce(OLD.value, OLD.status) AND n = 0;
  INSERT INTO label_totals (signal_id, key, n) VALUES (OLD.signal_id, coalesce(OLD.value, OLD.status), -1)
    ON CONFLICT (signal_id, key) DO UPDATE SET n = n - 1;
  DELETE FROM label_totals WHERE signal_id = OLD.signal_id AND key = coalesce(OLD.value, OLD.status) AND n = 0;
END;
--> statement-breakpoint
CREATE TRIGGER `labels_rollup_update_old` AFTER UPDATE OF superseded, at, value, status, signal_id ON `labels`
  WHEN OLD.superseded = 0 AND (NEW.superseded <> 0 OR NEW.at <> OLD.at OR NEW.value IS NOT OLD.value OR NEW.status <> OLD.status OR NEW.signal_id <> OLD.signal_id) BEGIN
  INSERT INTO label_counts (signal_id, slot, key, n) VALUES (OLD.signal_id, OLD.at - ((OLD.at % 300000) + 300000) % 300000, coalesce(OLD.value, OLD.status), -1)
    ON CONFLICT (signal_id, slot, key) DO UPDATE SET n = n - 1;
  INSERT INTO label_totals (signal_id, key, n) VALUES (OLD.signal_id, coalesce(OLD.value, OLD.status), -1)
    ON CONFLICT (signal_id, key) DO UPDATE SET n = n - 1;
END;
--> statement-breakpoint
CREATE TRIGGER `labels_rollup_update_new` AFTER UPDATE OF superseded, at, value, status, signal_id ON `labels`
  WHEN NEW.superseded = 0 AND (OLD.superseded <> 0 OR NEW.at <> OLD.at OR NEW.value IS NOT OLD.value OR NEW.status <> OLD.status OR NEW.signal_id <> OLD.signal_id) BEGIN
  INSERT INTO label_counts (signal_id, slot, key, n) VALUES (NEW.signal_id, NEW.at - ((NEW.at % 300000) + 300000) % 300000, coalesce(NEW.value, NEW.status), 1)
    ON CONFLICT (signal_id, slot, key) DO UPDATE SET n = n + 1;
  INSERT INTO label_totals (signal_id, key, n) VALUES (NEW.signal_id, coalesce(NEW.value, NEW.status), 1)
    ON CONFLICT (signal_id, key) DO UPDATE SET n = n + 1;
END;
