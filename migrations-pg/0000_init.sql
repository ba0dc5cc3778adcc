CREATE TABLE "agents" (
	"id" text PRIMARY KEY NOT NULL,
	"first_seen" bigint NOT NULL,
	"last_seen" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alert_states" (
	"alert_id" text PRIMARY KEY NOT NULL,
	"state" text NOT NULL,
	"data" json NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alert_transitions" (
	"id" text PRIMARY KEY NOT NULL,
	"alert_id" text NOT NULL,
	"at" bigint NOT NULL,
	"from_state" text NOT NULL,
	"to_state" text NOT NULL,
	"value" double precision,
	"data" json
);
--> statement-breakpoint
CREATE TABLE "alerts" (
	"id" text PRIMARY KEY NOT NULL,
	"signal_id" text NOT NULL,
	"name" text NOT NULL,
	"rule" json NOT NULL,
	"paused" boolean DEFAULT false NOT NULL,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "deliveries" (
	"id" text PRIMARY KEY NOT NULL,
	"alert_id" text NOT NULL,
	"channel" text NOT NULL,
	"at" bigint NOT NULL,
	"attempt" bigint NOT NULL,
	"status" text NOT NULL,
	"http_status" bigint,
	"error" text,
	"payload" json
);
--> statement-breakpoint
CREATE TABLE "labels" (
	"id" text PRIMARY KEY NOT NULL,
	"signal_id" text NOT NULL,
	"version" bigint NOT NULL,
	"target_kind" text NOT NULL,
	"target_id" text NOT NULL,
	"revision" text NOT NULL,
	"agent" text NOT NULL,
	"status" text NOT NULL,
	"value" text,
	"explanation" text NOT NULL,
	"judge" text NOT NULL,
	"requests" bigint DEFAULT 0 NOT NULL,
	"input_tokens" bigint DEFAULT 0 NOT NULL,
	"output_tokens" bigint DEFAULT 0 NOT NULL,
	"usd" double precision DEFAULT 0 NOT NULL,
	"run_id" text,
	"at" bigint NOT NULL,
	"labelled_at" bigint NOT NULL,
	"superseded" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "llm_jobs" (
	"id" text PRIMARY KEY NOT NULL,
	"signal_id" text NOT NULL,
	"version" bigint NOT NULL,
	"target_kind" text NOT NULL,
	"agent" text DEFAULT '' NOT NULL,
	"target_id" text NOT NULL,
	"revision" text NOT NULL,
	"status" text NOT NULL,
	"attempts" bigint DEFAULT 0 NOT NULL,
	"lease_until" bigint DEFAULT 0 NOT NULL,
	"error" text,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "runs" (
	"id" text PRIMARY KEY NOT NULL,
	"signal_id" text NOT NULL,
	"version" bigint NOT NULL,
	"kind" text NOT NULL,
	"since" bigint NOT NULL,
	"until" bigint NOT NULL,
	"rate" double precision NOT NULL,
	"status" text NOT NULL,
	"total" bigint DEFAULT 0 NOT NULL,
	"done" bigint DEFAULT 0 NOT NULL,
	"counts" json NOT NULL,
	"requests" bigint DEFAULT 0 NOT NULL,
	"input_tokens" bigint DEFAULT 0 NOT NULL,
	"output_tokens" bigint DEFAULT 0 NOT NULL,
	"usd" double precision DEFAULT 0 NOT NULL,
	"error" text,
	"cursor" text,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL,
	"finished_at" bigint
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"agent" text NOT NULL,
	"id" text NOT NULL,
	"start_ms" bigint NOT NULL,
	"end_ms" bigint NOT NULL,
	"revision" bigint DEFAULT 0 NOT NULL,
	"settled_revision" bigint DEFAULT 0 NOT NULL,
	"last_activity" bigint NOT NULL,
	CONSTRAINT "sessions_agent_id_pk" PRIMARY KEY("agent","id")
);
--> statement-breakpoint
CREATE TABLE "signal_versions" (
	"signal_id" text NOT NULL,
	"version" bigint NOT NULL,
	"definition" json NOT NULL,
	"created_at" bigint NOT NULL,
	CONSTRAINT "signal_versions_signal_id_version_pk" PRIMARY KEY("signal_id","version")
);
--> statement-breakpoint
CREATE TABLE "signals" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"agent" text NOT NULL,
	"scope" text NOT NULL,
	"type" text NOT NULL,
	"state" text NOT NULL,
	"version" bigint NOT NULL,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "spans" (
	"trace_id" text NOT NULL,
	"span_id" text NOT NULL,
	"parent_span_id" text NOT NULL,
	"name" text NOT NULL,
	"agent" text NOT NULL,
	"session_id" text,
	"convention" text NOT NULL,
	"kind" text DEFAULT 'other' NOT NULL,
	"model" text,
	"start_ns" text NOT NULL,
	"end_ns" text NOT NULL,
	"start_ms" bigint NOT NULL,
	"end_ms" bigint NOT NULL,
	"messages" json NOT NULL,
	"message_count" bigint NOT NULL,
	"unreadable" boolean NOT NULL,
	"received_at" bigint NOT NULL,
	CONSTRAINT "spans_agent_trace_id_span_id_pk" PRIMARY KEY("agent","trace_id","span_id")
);
--> statement-breakpoint
CREATE TABLE "traces" (
	"agent" text NOT NULL,
	"id" text NOT NULL,
	"session_id" text,
	"root_name" text,
	"root_ended" boolean DEFAULT false NOT NULL,
	"start_ms" bigint NOT NULL,
	"end_ms" bigint NOT NULL,
	"revision" bigint DEFAULT 0 NOT NULL,
	"settled_revision" bigint DEFAULT 0 NOT NULL,
	"last_activity" bigint NOT NULL,
	CONSTRAINT "traces_agent_id_pk" PRIMARY KEY("agent","id")
);
--> statement-breakpoint
CREATE INDEX "alert_transitions_alert_at" ON "alert_transitions" USING btree ("alert_id","at");--> statement-breakpoint
CREATE INDEX "alerts_signal" ON "alerts" USING btree ("signal_id");--> statement-breakpoint
CREATE INDEX "deliveries_alert_at" ON "deliveries" USING btree ("alert_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "labels_key" ON "labels" USING btree ("signal_id","version","target_kind","agent","target_id","revision");--> statement-breakpoint
CREATE INDEX "labels_signal_at" ON "labels" USING btree ("signal_id","at");--> statement-breakpoint
CREATE INDEX "labels_signal_current" ON "labels" USING btree ("signal_id","superseded","at","value","status");--> statement-breakpoint
CREATE INDEX "labels_target" ON "labels" USING btree ("target_kind","agent","target_id");--> statement-breakpoint
CREATE INDEX "labels_run" ON "labels" USING btree ("run_id");--> statement-breakpoint
CREATE INDEX "llm_jobs_status" ON "llm_jobs" USING btree ("status","lease_until");--> statement-breakpoint
CREATE INDEX "runs_signal" ON "runs" USING btree ("signal_id","created_at");--> statement-breakpoint
CREATE INDEX "runs_status" ON "runs" USING btree ("status");--> statement-breakpoint
CREATE INDEX "sessions_id" ON "sessions" USING btree ("id");--> statement-breakpoint
CREATE INDEX "sessions_agent_end" ON "sessions" USING btree ("agent","end_ms");--> statement-breakpoint
CREATE INDEX "sessions_settle" ON "sessions" USING btree ("last_activity");--> statement-breakpoint
CREATE UNIQUE INDEX "signals_name" ON "signals" USING btree ("name");--> statement-breakpoint
CREATE INDEX "signals_agent_state" ON "signals" USING btree ("agent","state");--> statement-breakpoint
CREATE INDEX "spans_span_id" ON "spans" USING btree ("span_id");--> statement-breakpoint
CREATE INDEX "spans_trace" ON "spans" USING btree ("trace_id");--> statement-breakpoint
CREATE INDEX "spans_agent_end" ON "spans" USING btree ("agent","end_ms");--> statement-breakpoint
CREATE INDEX "spans_session" ON "spans" USING btree ("agent","session_id");--> statement-breakpoint
CREATE INDEX "spans_received" ON "spans" USING btree ("received_at");--> statement-breakpoint
CREATE INDEX "traces_id" ON "traces" USING btree ("id");--> statement-breakpoint
CREATE INDEX "traces_agent_end" ON "traces" USING btree ("agent","end_ms");--> statement-breakpoint
CREATE INDEX "traces_session" ON "traces" USING btree ("agent","session_id");--> statement-breakpoint
CREATE INDEX "traces_settle" ON "traces" USING btree ("last_activity");