CREATE TYPE "public"."offline_training_kind" AS ENUM('classroom', 'pre_shift', 'drill', 'first_lesson', 'rotation', 'retraining');--> statement-breakpoint
CREATE TYPE "public"."order_source" AS ENUM('violation', 'spot_check', 'onsite', 'manager');--> statement-breakpoint
CREATE TYPE "public"."violation_kind" AS ENUM('command', 'operation', 'discipline');--> statement-breakpoint
CREATE TABLE "certificates" (
	"id" uuid PRIMARY KEY NOT NULL,
	"serial" text NOT NULL,
	"person_id" uuid NOT NULL,
	"attempt_id" uuid NOT NULL,
	"template_id" uuid NOT NULL,
	"title" text NOT NULL,
	"holder_name" text NOT NULL,
	"holder_id_masked" text DEFAULT '' NOT NULL,
	"job_type_names" text[] DEFAULT '{}'::text[] NOT NULL,
	"org_name" text NOT NULL,
	"exam_title" text NOT NULL,
	"score" integer NOT NULL,
	"max_score" integer NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"expires_on" date,
	"revoked_at" timestamp with time zone,
	"revoked_reason" text,
	"revoked_by" uuid,
	CONSTRAINT "certificates_serial_unique" UNIQUE("serial")
);
--> statement-breakpoint
CREATE TABLE "job_clearance_rules" (
	"job_type_code" text PRIMARY KEY NOT NULL,
	"course_ids" uuid[],
	"template_ids" uuid[],
	"pass_valid_months" integer DEFAULT 12 NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "offline_training_attendees" (
	"training_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	CONSTRAINT "offline_training_attendees_training_id_person_id_pk" PRIMARY KEY("training_id","person_id")
);
--> statement-breakpoint
CREATE TABLE "offline_trainings" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"kind" "offline_training_kind" NOT NULL,
	"topic" text NOT NULL,
	"held_on" date NOT NULL,
	"hours" numeric(4, 1) NOT NULL,
	"trainer" text DEFAULT '' NOT NULL,
	"attachment_name" text,
	"attachment_type" text,
	"attachment" "bytea",
	"recorded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "operation_certificates" (
	"id" uuid PRIMARY KEY NOT NULL,
	"person_id" uuid NOT NULL,
	"job_type_code" text NOT NULL,
	"number_enc" text NOT NULL,
	"number_hash" text NOT NULL,
	"issuer" text DEFAULT '' NOT NULL,
	"issued_on" date NOT NULL,
	"valid_until" date NOT NULL,
	"recorded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "retraining_orders" (
	"id" uuid PRIMARY KEY NOT NULL,
	"person_id" uuid NOT NULL,
	"source" "order_source" NOT NULL,
	"violation_id" uuid,
	"reason" text NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"course_id" uuid,
	"exam_id" uuid,
	"closed_at" timestamp with time zone,
	"closed_by_attempt_id" uuid,
	"created_by" uuid
);
--> statement-breakpoint
CREATE TABLE "rotation_rules" (
	"id" uuid PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"categories" "person_category"[] NOT NULL,
	"industry_codes" text[] DEFAULT '{}'::text[] NOT NULL,
	"min_hours" integer NOT NULL,
	"period_months" integer DEFAULT 12 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "training_plan_members" (
	"plan_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"added_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "training_plan_members_plan_id_person_id_pk" PRIMARY KEY("plan_id","person_id")
);
--> statement-breakpoint
CREATE TABLE "training_plans" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"title" text NOT NULL,
	"due_on" date NOT NULL,
	"course_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"exam_id" uuid,
	"job_types" text[] DEFAULT '{}'::text[] NOT NULL,
	"categories" "person_category"[] DEFAULT '{}'::person_category[] NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "violations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"person_id" uuid NOT NULL,
	"kind" "violation_kind" NOT NULL,
	"occurred_on" date NOT NULL,
	"place" text NOT NULL,
	"description" text NOT NULL,
	"recorded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_attempt_id_attempts_id_fk" FOREIGN KEY ("attempt_id") REFERENCES "public"."attempts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_template_id_exam_templates_id_fk" FOREIGN KEY ("template_id") REFERENCES "public"."exam_templates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_revoked_by_people_id_fk" FOREIGN KEY ("revoked_by") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_clearance_rules" ADD CONSTRAINT "job_clearance_rules_job_type_code_job_types_code_fk" FOREIGN KEY ("job_type_code") REFERENCES "public"."job_types"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_clearance_rules" ADD CONSTRAINT "job_clearance_rules_updated_by_people_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offline_training_attendees" ADD CONSTRAINT "offline_training_attendees_training_id_offline_trainings_id_fk" FOREIGN KEY ("training_id") REFERENCES "public"."offline_trainings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offline_training_attendees" ADD CONSTRAINT "offline_training_attendees_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offline_trainings" ADD CONSTRAINT "offline_trainings_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offline_trainings" ADD CONSTRAINT "offline_trainings_recorded_by_people_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "operation_certificates" ADD CONSTRAINT "operation_certificates_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "operation_certificates" ADD CONSTRAINT "operation_certificates_job_type_code_job_types_code_fk" FOREIGN KEY ("job_type_code") REFERENCES "public"."job_types"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "operation_certificates" ADD CONSTRAINT "operation_certificates_recorded_by_people_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "retraining_orders" ADD CONSTRAINT "retraining_orders_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "retraining_orders" ADD CONSTRAINT "retraining_orders_violation_id_violations_id_fk" FOREIGN KEY ("violation_id") REFERENCES "public"."violations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "retraining_orders" ADD CONSTRAINT "retraining_orders_course_id_courses_id_fk" FOREIGN KEY ("course_id") REFERENCES "public"."courses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "retraining_orders" ADD CONSTRAINT "retraining_orders_exam_id_exams_id_fk" FOREIGN KEY ("exam_id") REFERENCES "public"."exams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "retraining_orders" ADD CONSTRAINT "retraining_orders_closed_by_attempt_id_attempts_id_fk" FOREIGN KEY ("closed_by_attempt_id") REFERENCES "public"."attempts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "retraining_orders" ADD CONSTRAINT "retraining_orders_created_by_people_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_plan_members" ADD CONSTRAINT "training_plan_members_plan_id_training_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."training_plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_plan_members" ADD CONSTRAINT "training_plan_members_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_plans" ADD CONSTRAINT "training_plans_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_plans" ADD CONSTRAINT "training_plans_exam_id_exams_id_fk" FOREIGN KEY ("exam_id") REFERENCES "public"."exams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_plans" ADD CONSTRAINT "training_plans_created_by_people_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "violations" ADD CONSTRAINT "violations_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "violations" ADD CONSTRAINT "violations_recorded_by_people_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "certificates_attempt_unique" ON "certificates" USING btree ("attempt_id");--> statement-breakpoint
CREATE INDEX "certificates_person_idx" ON "certificates" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "offline_training_attendees_person_idx" ON "offline_training_attendees" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "offline_trainings_org_idx" ON "offline_trainings" USING btree ("org_id","held_on");--> statement-breakpoint
CREATE INDEX "operation_certificates_person_idx" ON "operation_certificates" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "retraining_orders_person_idx" ON "retraining_orders" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "training_plan_members_person_idx" ON "training_plan_members" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "training_plans_org_idx" ON "training_plans" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "violations_person_idx" ON "violations" USING btree ("person_id");