CREATE TABLE "bank_revision" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"revision" uuid DEFAULT gen_random_uuid() NOT NULL,
	CONSTRAINT "bank_revision_one_row" CHECK ("bank_revision"."id" = 1)
);
--> statement-breakpoint
INSERT INTO "bank_revision" ("id") VALUES (1);--> statement-breakpoint
-- Every statement that changes questions gives the bank a new revision (see db/schema/bank.ts).
CREATE FUNCTION "bump_bank_revision"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE "bank_revision" SET "revision" = gen_random_uuid();
	RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "questions_bank_revision" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "questions"
	FOR EACH STATEMENT EXECUTE FUNCTION "bump_bank_revision"();
