import { sql } from 'drizzle-orm'
import { customType, date, index, integer, numeric, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { courses } from './courses.ts'
import { attempts, examTemplates, exams } from './exams.ts'
import { organizations } from './orgs.ts'
import { jobTypes, people, personCategory } from './people.ts'

// Records (登记在册), clearance (上岗资格), 三违 and retraining, certificates.

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' })

/**
 * What clearing a job type takes. Without a row the defaults hold: every course for the job
 * type, a pass of any 岗前/年度 exam whose template names the job type, valid for 12 months.
 */
export const jobClearanceRules = pgTable('job_clearance_rules', {
	jobTypeCode: text()
		.primaryKey()
		.references(() => jobTypes.code),
	// null: the job type's courses as its workers see them.
	courseIds: uuid().array(),
	// null: any template of purpose 岗前培训考试 or 年度复训 naming the job type.
	templateIds: uuid().array(),
	passValidMonths: integer().notNull().default(12),
	updatedBy: uuid().references(() => people.id, { onDelete: 'set null' }),
	updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
})

/** 轮训: people of these categories in these industries study at least minHours within each period. */
export const rotationRules = pgTable('rotation_rules', {
	id: uuid().primaryKey(),
	title: text().notNull(),
	categories: personCategory().array().notNull(),
	// Empty: every industry.
	industryCodes: text().array().notNull().default(sql`'{}'::text[]`),
	minHours: integer().notNull(),
	periodMonths: integer().notNull().default(12),
	createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
})

// 特种作业操作证: the number is T + the holder's 身份证号, so it is kept like one.
export const operationCertificates = pgTable(
	'operation_certificates',
	{
		id: uuid().primaryKey(),
		personId: uuid()
			.notNull()
			.references(() => people.id, { onDelete: 'cascade' }),
		jobTypeCode: text()
			.notNull()
			.references(() => jobTypes.code),
		numberEnc: text().notNull(),
		numberHash: text().notNull(),
		issuer: text().notNull().default(''),
		issuedOn: date({ mode: 'string' }).notNull(),
		validUntil: date({ mode: 'string' }).notNull(),
		recordedBy: uuid().references(() => people.id, { onDelete: 'set null' }),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [index('operation_certificates_person_idx').on(t.personId)],
)

export const violationKind = pgEnum('violation_kind', [
	'command', // 违章指挥
	'operation', // 违章作业
	'discipline', // 违反劳动纪律
])

// 三违
export const violations = pgTable(
	'violations',
	{
		id: uuid().primaryKey(),
		personId: uuid()
			.notNull()
			.references(() => people.id, { onDelete: 'cascade' }),
		kind: violationKind().notNull(),
		occurredOn: date({ mode: 'string' }).notNull(),
		place: text().notNull(),
		description: text().notNull(),
		recordedBy: uuid().references(() => people.id, { onDelete: 'set null' }),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [index('violations_person_idx').on(t.personId)],
)

export const orderSource = pgEnum('order_source', [
	'violation', // 三违
	'spot_check', // 随机抽考未通过
	'onsite', // 逢查必考未通过
	'manager', // 管理员责令
])

// 脱产培训 order: clearance is withheld until the course is complete and the exam passed after opening.
export const retrainingOrders = pgTable(
	'retraining_orders',
	{
		id: uuid().primaryKey(),
		personId: uuid()
			.notNull()
			.references(() => people.id, { onDelete: 'cascade' }),
		source: orderSource().notNull(),
		violationId: uuid().references(() => violations.id),
		reason: text().notNull(),
		openedAt: timestamp({ withTimezone: true }).notNull(),
		courseId: uuid().references(() => courses.id),
		// The re-exam, given to the person alone.
		examId: uuid().references(() => exams.id),
		closedAt: timestamp({ withTimezone: true }),
		closedByAttemptId: uuid().references(() => attempts.id),
		createdBy: uuid().references(() => people.id, { onDelete: 'set null' }),
	},
	(t) => [index('retraining_orders_person_idx').on(t.personId)],
)

// Certificates issued by the platform on passing an exam whose template says so.
export const certificates = pgTable(
	'certificates',
	{
		id: uuid().primaryKey(),
		// Carries a keyed signature: a guessed serial is refused before any look-up.
		serial: text().notNull().unique(),
		personId: uuid()
			.notNull()
			.references(() => people.id),
		attemptId: uuid()
			.notNull()
			.references(() => attempts.id),
		templateId: uuid()
			.notNull()
			.references(() => examTemplates.id),
		title: text().notNull(),
		// Snapshot at issue, so the public page never needs to decrypt anything.
		holderName: text().notNull(),
		holderIdMasked: text().notNull().default(''),
		jobTypeNames: text().array().notNull().default(sql`'{}'::text[]`),
		orgName: text().notNull(),
		examTitle: text().notNull(),
		score: integer().notNull(),
		maxScore: integer().notNull(),
		issuedAt: timestamp({ withTimezone: true }).notNull(),
		expiresOn: date({ mode: 'string' }),
		revokedAt: timestamp({ withTimezone: true }),
		revokedReason: text(),
		revokedBy: uuid().references(() => people.id, { onDelete: 'set null' }),
	},
	(t) => [uniqueIndex('certificates_attempt_unique').on(t.attemptId), index('certificates_person_idx').on(t.personId)],
)

// 培训计划: courses and an exam for people chosen by job type, category or by name, with a due date.
export const trainingPlans = pgTable(
	'training_plans',
	{
		id: uuid().primaryKey(),
		orgId: uuid()
			.notNull()
			.references(() => organizations.id),
		title: text().notNull(),
		dueOn: date({ mode: 'string' }).notNull(),
		courseIds: uuid().array().notNull().default(sql`'{}'::uuid[]`),
		examId: uuid().references(() => exams.id),
		// Who matches: people of any of these job types and any of these categories (an empty
		// list does not filter). A plan with neither is for its listed members only, and new
		// people never join it by themselves.
		jobTypes: text().array().notNull().default(sql`'{}'::text[]`),
		categories: personCategory().array().notNull().default(sql`'{}'::person_category[]`),
		createdBy: uuid().references(() => people.id, { onDelete: 'set null' }),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [index('training_plans_org_idx').on(t.orgId)],
)

export const trainingPlanMembers = pgTable(
	'training_plan_members',
	{
		planId: uuid()
			.notNull()
			.references(() => trainingPlans.id, { onDelete: 'cascade' }),
		personId: uuid()
			.notNull()
			.references(() => people.id, { onDelete: 'cascade' }),
		addedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [primaryKey({ columns: [t.planId, t.personId] }), index('training_plan_members_person_idx').on(t.personId)],
)

export const offlineTrainingKind = pgEnum('offline_training_kind', [
	'classroom', // 集中授课
	'pre_shift', // 班前会
	'drill', // 应急演练
	'first_lesson', // 开工第一课
	'rotation', // 轮训
	'retraining', // 脱产培训
])

// Training held off the platform, recorded by the manager for its attendees.
export const offlineTrainings = pgTable(
	'offline_trainings',
	{
		id: uuid().primaryKey(),
		orgId: uuid()
			.notNull()
			.references(() => organizations.id),
		kind: offlineTrainingKind().notNull(),
		topic: text().notNull(),
		heldOn: date({ mode: 'string' }).notNull(),
		hours: numeric({ precision: 4, scale: 1, mode: 'number' }).notNull(),
		trainer: text().notNull().default(''),
		// The sign-in sheet photo, kept in the database so every app instance sees it.
		attachmentName: text(),
		attachmentType: text(),
		attachment: bytea(),
		recordedBy: uuid().references(() => people.id, { onDelete: 'set null' }),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [index('offline_trainings_org_idx').on(t.orgId, t.heldOn)],
)

export const offlineTrainingAttendees = pgTable(
	'offline_training_attendees',
	{
		trainingId: uuid()
			.notNull()
			.references(() => offlineTrainings.id, { onDelete: 'cascade' }),
		personId: uuid()
			.notNull()
			.references(() => people.id, { onDelete: 'cascade' }),
	},
	(t) => [primaryKey({ columns: [t.trainingId, t.personId] }), index('offline_training_attendees_person_idx').on(t.personId)],
)
