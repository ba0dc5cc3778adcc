DROP INDEX "labels_review";--> statement-breakpoint
CREATE INDEX "labels_review" ON "labels" USING btree ("signal_id","superseded","review_key","id") WHERE judge <> 'human' and review_key < 16777216;