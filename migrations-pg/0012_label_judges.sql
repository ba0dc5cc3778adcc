CREATE TABLE "label_judges" (
	"signal_id" text NOT NULL,
	"version" bigint NOT NULL,
	"judge" text NOT NULL,
	"n" bigint NOT NULL,
	"usd" double precision NOT NULL,
	CONSTRAINT "label_judges_signal_id_version_judge_pk" PRIMARY KEY("signal_id","version","judge")
);
--> statement-breakpoint
CREATE INDEX "labels_human" ON "labels" USING btree ("signal_id","labelled_at") WHERE judge = 'human';--> statement-breakpoint
INSERT INTO "label_judges" ("signal_id", "version", "judge", "n", "usd")
  SELECT "signal_id", "version", "judge", count(*), coalesce(sum("usd"), 0) FROM "labels" WHERE "status" = 'labelled' GROUP BY 1, 2, 3;
--> statement-breakpoint
CREATE FUNCTION labels_judges_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO label_judges (signal_id, version, judge, n, usd)
    SELECT signal_id, version, judge, count(*), sum(usd) FROM new_rows WHERE status = 'labelled' GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (signal_id, version, judge) DO UPDATE SET n = label_judges.n + excluded.n, usd = label_judges.usd + excluded.usd;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE FUNCTION labels_judges_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO label_judges (signal_id, version, judge, n, usd)
    SELECT signal_id, version, judge, -count(*), -sum(usd) FROM old_rows WHERE status = 'labelled' GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (signal_id, version, judge) DO UPDATE SET n = label_judges.n + excluded.n, usd = label_judges.usd + excluded.usd;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE FUNCTION labels_judges_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'labelled' THEN
    INSERT INTO label_judges (signal_id, version, judge, n, usd) VALUES (OLD.signal_id, OLD.version, OLD.judge, -1, -OLD.usd)
      ON CONFLICT (signal_id, version, judge) DO UPDATE SET n = label_judges.n + excluded.n, usd = label_judges.usd + excluded.usd;
  END IF;
  IF NEW.status = 'labelled' THEN
    INSERT INTO label_judges (signal_id, version, judge, n, usd) VALUES (NEW.signal_id, NEW.version, NEW.judge, 1, NEW.usd)
      ON CONFLICT (signal_id, version, judge) DO UPDATE SET n = label_judges.n + excluded.n, usd = label_judges.usd + excluded.usd;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER labels_judges_insert AFTER INSERT ON labels REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION labels_judges_insert();
--> statement-breakpoint
CREATE TRIGGER labels_judges_delete AFTER DELETE ON labels REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION labels_judges_delete();
--> statement-breakpoint
CREATE TRIGGER labels_judges_update AFTER UPDATE OF signal_id, version, judge, status, usd ON labels FOR EACH ROW
  WHEN ((OLD.signal_id, OLD.version, OLD.judge, OLD.status, OLD.usd) IS DISTINCT FROM (NEW.signal_id, NEW.version, NEW.judge, NEW.status, NEW.usd))
  EXECUTE FUNCTION labels_judges_update();
