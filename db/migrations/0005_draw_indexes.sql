DROP INDEX "questions_job_types_idx";--> statement-breakpoint
CREATE INDEX "questions_all_jobs_idx" ON "questions" USING btree ("type") WHERE "questions"."for_all_job_types" and not "questions"."archived";--> statement-breakpoint
CREATE INDEX "questions_job_types_idx" ON "questions" USING gin ("job_types") WITH (fastupdate=false);