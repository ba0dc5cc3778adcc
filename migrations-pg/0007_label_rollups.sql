CREATE TABLE "label_counts" (
	"signal_id" text NOT NULL,
	"slot" bigint NOT NULL,
	"key" text NOT NULL,
	"n" bigint NOT NULL,
	CONSTRAINT "label_counts_signal_id_slot_key_pk" PRIMARY KEY("signal_id","slot","key")
);
--> statement-breakpoint
CREATE TABLE "label_totals" (
	"signal_id" text NOT NULL,
	"key" text NOT NULL,
	"n" bigint NOT NULL,
	CONSTRAINT "label_totals_signal_id_key_pk" PRIMARY KEY("signal_id","key")
);
--> statement-breakpoint
INSERT INTO "label_counts" ("signal_id", "slot", "key", "n")
  SELECT "signal_id", "at" - (("at" % 300000) + 300000) % 300000, coalesce("value", "status"), count(*) FROM "labels" WHERE NOT "superseded" GROUP BY 1, 2, 3;
--> statement-breakpoint
INSERT INTO "label_totals" ("signal_id", "key", "n")
  SELECT "signal_id", coalesce("value", "status"), count(*) FROM "labels" WHERE NOT "superseded" GROUP BY 1, 2;
--> statement-breakpoint
CREATE FUNCTION labels_rollup_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  WITH d AS (SELECT signal_id, at, coalesce(value, status) AS key, 1 AS n FROM new_rows WHERE NOT superseded)
  INSERT INTO label_counts (signal_id, slot, key, n)
    SELECT signal_id, at - ((at % 300000) + 300000) % 300000, key, sum(n) FROM d GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (signal_id, slot, key) DO UPDATE SET n = label_counts.n + excluded.n;
  WITH d AS (SELECT signal_id, at, coalesce(value, status) AS key, 1 AS n FROM new_rows WHERE NOT superseded)
  INSERT INTO label_totals (signal_id, key, n)
    SELECT signal_id, key, sum(n) FROM d GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT (signal_id, key) DO UPDATE SET n = label_totals.n + excluded.n;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE FUNCTION labels_rollup_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  WITH d AS (SELECT signal_id, at, coalesce(value, status) AS key, 1 AS n FROM new_rows WHERE NOT superseded UNION ALL SELECT signal_id, at, coalesce(value, status) AS key, -1 AS n FROM old_rows WHERE NOT superseded)
  INSERT INTO label_counts (signal_id, slot, key, n)
    SELECT signal_id, at - ((at % 300000) + 300000) % 300000, key, sum(n) FROM d GROUP BY 1, 2, 3 HAVING sum(n) <> 0 ORDER BY 1, 2, 3
    ON CONFLICT (signal_id, slot, key) DO UPDATE SET n = label_counts.n + excluded.n;
  WITH d AS (SELECT signal_id, at, coalesce(value, status) AS key, 1 AS n FROM new_rows WHERE NOT superseded UNION ALL SELECT signal_id, at, coalesce(value, status) AS key, -1 AS n FROM old_rows WHERE NOT superseded)
  INSERT INTO label_totals (signal_id, key, n)
    SELECT signal_id, key, sum(n) FROM d GROUP BY 1, 2 HAVING sum(n) <> 0 ORDER BY 1, 2
    ON CONFLICT (signal_id, key) DO UPDATE SET n = label_totals.n + excluded.n;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE FUNCTION labels_rollup_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  WITH d AS (SELECT signal_id, at, coalesce(value, status) AS key, -1 AS n FROM old_rows WHERE NOT superseded)
  INSERT INTO label_counts (signal_id, slot, key, n)
    SELECT signal_id, at - ((at % 300000) + 300000) % 300000, key, sum(n) FROM d GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (signal_id, slot, key) DO UPDATE SET n = label_counts.n + excluded.n;
  WITH d AS (SELECT signal_id, at, coalesce(value, status) AS key, -1 AS n FROM old_rows WHERE NOT superseded)
  INSERT INTO label_totals (signal_id, key, n)
    SELECT signal_id, key, sum(n) FROM d GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT (signal_id, key) DO UPDATE SET n = label_totals.n + excluded.n;
  DELETE FROM label_counts c USING (SELECT DISTINCT signal_id, at - ((at % 300000) + 300000) % 300000 AS slot, coalesce(value, status) AS key FROM old_rows WHERE NOT superseded) g
    WHERE c.signal_id = g.signal_id AND c.slot = g.slot AND c.key = g.key AND c.n = 0;
  DELETE FROM label_totals c USING (SELECT DISTINCT signal_id, coalesce(value, status) AS key FROM old_rows WHERE NOT superseded) g
    WHERE c.signal_id = g.signal_id AND c.key = g.key AND c.n = 0;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER labels_rollup_insert AFTER INSERT ON labels REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION labels_rollup_insert();
--> statement-breakpoint
CREATE TRIGGER labels_rollup_update AFTER UPDATE ON labels REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION labels_rollup_update();
--> statement-breakpoint
CREATE TRIGGER labels_rollup_delete AFTER DELETE ON labels REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION labels_rollup_delete();
