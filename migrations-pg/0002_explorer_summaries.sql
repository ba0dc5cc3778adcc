CREATE TABLE "summaries" (
	"kind" text NOT NULL,
	"agent" text NOT NULL,
	"id" text NOT NULL,
	"revision" bigint NOT NULL,
	"turns" bigint NOT NULL,
	"tool_calls" bigint NOT NULL,
	"messages" bigint NOT NULL,
	"quality" text NOT NULL,
	"score" bigint NOT NULL,
	CONSTRAINT "summaries_kind_agent_id_pk" PRIMARY KEY("kind","agent","id")
);
--> statement-breakpoint
CREATE TABLE "summary_signals" (
	"kind" text NOT NULL,
	"agent" text NOT NULL,
	"id" text NOT NULL,
	"type" text NOT NULL,
	"count" bigint NOT NULL,
	CONSTRAINT "summary_signals_kind_agent_id_type_pk" PRIMARY KEY("kind","agent","id","type")
);
--> statement-breakpoint
CREATE INDEX "sessions_end" ON "sessions" USING btree ("end_ms");--> statement-breakpoint
CREATE INDEX "sessions_unsettled" ON "sessions" USING btree ("agent","last_activity") WHERE revision > settled_revision;--> statement-breakpoint
CREATE INDEX "traces_end" ON "traces" USING btree ("end_ms");--> statement-breakpoint
CREATE INDEX "traces_unsettled" ON "traces" USING btree ("agent","last_activity") WHERE revision > settled_revision;