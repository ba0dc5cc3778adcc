CREATE TABLE "llm_usage" (
	"account" text NOT NULL,
	"day" text NOT NULL,
	"requests" bigint DEFAULT 0 NOT NULL,
	"tokens" bigint DEFAULT 0 NOT NULL,
	"usd" double precision DEFAULT 0 NOT NULL,
	CONSTRAINT "llm_usage_account_day_pk" PRIMARY KEY("account","day")
);
