CREATE TABLE "messages" (
	"agent" text NOT NULL,
	"conversation" text NOT NULL,
	"hash" text NOT NULL,
	"content" text NOT NULL,
	CONSTRAINT "messages_agent_conversation_hash_pk" PRIMARY KEY("agent","conversation","hash")
);
--> statement-breakpoint
ALTER TABLE "spans" ADD COLUMN "conversation" text NOT NULL DEFAULT '';--> statement-breakpoint
ALTER TABLE "spans" ADD COLUMN "message_refs" text NOT NULL DEFAULT '[]';--> statement-breakpoint
-- Data move: a span's conversation is its session, else its trace's session, else its trace.
UPDATE "spans" SET "conversation" = coalesce('s:' || coalesce("session_id", (SELECT t."session_id" FROM "traces" t WHERE t."agent" = "spans"."agent" AND t."id" = "spans"."trace_id")), 't:' || "trace_id");--> statement-breakpoint
-- Each distinct message of a conversation once, keyed `L` + a number (new messages are keyed by a hash computed in
-- JavaScript over their JSON text as the service writes it, so a moved message and the same one arriving later are
-- two rows of the conversation).
INSERT INTO "messages" ("agent", "conversation", "hash", "content")
  SELECT "agent", "conversation", 'L' || row_number() OVER (PARTITION BY "agent", "conversation" ORDER BY "content"), "content"
  FROM (SELECT DISTINCT s."agent", s."conversation", e.value::text AS "content" FROM "spans" s, json_array_elements(s."messages") e) d;--> statement-breakpoint
-- By digest: a btree entry cannot hold a long message.
CREATE INDEX "messages_moved" ON "messages" ("agent", "conversation", md5("content"));--> statement-breakpoint
UPDATE "spans" SET "message_refs" = (
  SELECT json_agg(m."hash" ORDER BY e.ord)::text
  FROM json_array_elements("spans"."messages") WITH ORDINALITY e(value, ord)
  JOIN "messages" m ON m."agent" = "spans"."agent" AND m."conversation" = "spans"."conversation" AND md5(m."content") = md5(e.value::text) AND m."content" = e.value::text)
  WHERE json_array_length("spans"."messages") > 0;--> statement-breakpoint
DROP INDEX "messages_moved";--> statement-breakpoint
CREATE INDEX "spans_conversation" ON "spans" USING btree ("agent","conversation");--> statement-breakpoint
ALTER TABLE "spans" DROP COLUMN "messages";
