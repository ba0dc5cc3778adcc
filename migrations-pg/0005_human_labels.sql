DROP INDEX "labels_key";--> statement-breakpoint
ALTER TABLE "labels" ADD COLUMN "reviewer" text;--> statement-breakpoint
CREATE UNIQUE INDEX "labels_key" ON "labels" USING btree ("signal_id","version","target_kind","agent","target_id","revision") WHERE judge <> 'human';