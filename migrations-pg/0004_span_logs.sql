CREATE TABLE "span_logs" (
	"trace_id" text NOT NULL,
	"span_id" text NOT NULL,
	"key" text NOT NULL,
	"time_ns" text NOT NULL,
	"rank" bigint NOT NULL,
	"position" bigint NOT NULL,
	"event" json NOT NULL,
	"received_at" bigint NOT NULL,
	CONSTRAINT "span_logs_trace_id_span_id_key_pk" PRIMARY KEY("trace_id","span_id","key")
);
--> statement-breakpoint
CREATE INDEX "span_logs_received" ON "span_logs" USING btree ("received_at");