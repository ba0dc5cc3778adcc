ALTER TABLE "labels" ADD COLUMN "review_key" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "labels" DISABLE TRIGGER labels_rollup_update;
--> statement-breakpoint
-- Labels stored before this have no target hash here: their key is read from their random id (7 hex digits, 28 bits).
UPDATE "labels" SET "review_key" = greatest(strpos('0123456789abcdef', substr(id, 1, 1)) - 1, 0) * 16777216 + greatest(strpos('0123456789abcdef', substr(id, 2, 1)) - 1, 0) * 1048576 + greatest(strpos('0123456789abcdef', substr(id, 3, 1)) - 1, 0) * 65536 + greatest(strpos('0123456789abcdef', substr(id, 4, 1)) - 1, 0) * 4096 + greatest(strpos('0123456789abcdef', substr(id, 5, 1)) - 1, 0) * 256 + greatest(strpos('0123456789abcdef', substr(id, 6, 1)) - 1, 0) * 16 + greatest(strpos('0123456789abcdef', substr(id, 7, 1)) - 1, 0) * 1;
--> statement-breakpoint
ALTER TABLE "labels" ENABLE TRIGGER labels_rollup_update;
--> statement-breakpoint
CREATE INDEX "labels_review" ON "labels" USING btree ("signal_id","superseded","review_key","id") WHERE judge <> 'human';