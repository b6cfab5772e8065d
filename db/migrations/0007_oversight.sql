CREATE TYPE "public"."hazard_status" AS ENUM('open', 'rectified');--> statement-breakpoint
CREATE TABLE "inspection_hazards" (
	"id" uuid PRIMARY KEY NOT NULL,
	"inspection_id" uuid NOT NULL,
	"description" text NOT NULL,
	"rectify_by" date NOT NULL,
	"status" "hazard_status" DEFAULT 'open' NOT NULL,
	"rectified_on" date
);
--> statement-breakpoint
CREATE TABLE "inspections" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"inspected_on" date NOT NULL,
	"inspectors" text NOT NULL,
	"findings" text DEFAULT '' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "onsite_quizzes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"inspection_id" uuid NOT NULL,
	"exam_id" uuid NOT NULL,
	"join_code" text NOT NULL,
	"closed_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "spot_check_population" (
	"spot_check_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"person_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"drawn" boolean DEFAULT false NOT NULL,
	CONSTRAINT "spot_check_population_spot_check_id_position_pk" PRIMARY KEY("spot_check_id","position")
);
--> statement-breakpoint
CREATE TABLE "spot_checks" (
	"id" uuid PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"owner_org_id" uuid NOT NULL,
	"population" jsonb NOT NULL,
	"sample_size" integer,
	"sample_percent" integer,
	"min_per_enterprise" integer DEFAULT 0 NOT NULL,
	"template_id" uuid NOT NULL,
	"exam_id" uuid,
	"opens_at" timestamp with time zone NOT NULL,
	"closes_at" timestamp with time zone NOT NULL,
	"seed" text NOT NULL,
	"population_size" integer NOT NULL,
	"drawn_at" timestamp with time zone NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "inspection_hazards" ADD CONSTRAINT "inspection_hazards_inspection_id_inspections_id_fk" FOREIGN KEY ("inspection_id") REFERENCES "public"."inspections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspections" ADD CONSTRAINT "inspections_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspections" ADD CONSTRAINT "inspections_created_by_people_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "onsite_quizzes" ADD CONSTRAINT "onsite_quizzes_inspection_id_inspections_id_fk" FOREIGN KEY ("inspection_id") REFERENCES "public"."inspections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "onsite_quizzes" ADD CONSTRAINT "onsite_quizzes_exam_id_exams_id_fk" FOREIGN KEY ("exam_id") REFERENCES "public"."exams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "onsite_quizzes" ADD CONSTRAINT "onsite_quizzes_created_by_people_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "spot_check_population" ADD CONSTRAINT "spot_check_population_spot_check_id_spot_checks_id_fk" FOREIGN KEY ("spot_check_id") REFERENCES "public"."spot_checks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "spot_check_population" ADD CONSTRAINT "spot_check_population_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "spot_check_population" ADD CONSTRAINT "spot_check_population_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "spot_checks" ADD CONSTRAINT "spot_checks_owner_org_id_organizations_id_fk" FOREIGN KEY ("owner_org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "spot_checks" ADD CONSTRAINT "spot_checks_template_id_exam_templates_id_fk" FOREIGN KEY ("template_id") REFERENCES "public"."exam_templates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "spot_checks" ADD CONSTRAINT "spot_checks_exam_id_exams_id_fk" FOREIGN KEY ("exam_id") REFERENCES "public"."exams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "spot_checks" ADD CONSTRAINT "spot_checks_created_by_people_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "inspection_hazards_inspection_idx" ON "inspection_hazards" USING btree ("inspection_id");--> statement-breakpoint
CREATE INDEX "inspections_org_idx" ON "inspections" USING btree ("org_id","inspected_on");--> statement-breakpoint
CREATE INDEX "onsite_quizzes_code_idx" ON "onsite_quizzes" USING btree ("join_code");--> statement-breakpoint
CREATE UNIQUE INDEX "onsite_quizzes_exam_unique" ON "onsite_quizzes" USING btree ("exam_id");--> statement-breakpoint
CREATE UNIQUE INDEX "spot_check_population_person" ON "spot_check_population" USING btree ("spot_check_id","person_id");--> statement-breakpoint
CREATE INDEX "spot_checks_owner_idx" ON "spot_checks" USING btree ("owner_org_id");