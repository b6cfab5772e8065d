import { sql } from 'drizzle-orm'
import { boolean, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import type { Answer } from './bank.ts'
import { questions, questionVersions } from './bank.ts'
import { organizations } from './orgs.ts'
import { people } from './people.ts'

export const examPurpose = pgEnum('exam_purpose', [
	'pre_job', // 岗前培训考试
	'annual', // 年度复训
	'spot_check', // 抽考
	'onsite', // 现场考试
	'competition', // 知识竞赛
	'self_test', // 自测
])

/** One rule of a template: draw `count` questions of `type` matching the filters, each worth `points`. */
export type PaperRule = {
	type: 'single' | 'multiple' | 'judge'
	count: number
	points: number
	jobTypes?: string[]
	part?: 'general' | 'professional'
	topics?: string[]
	minDifficulty?: number
	maxDifficulty?: number
}

// 试卷规则: how a paper is drawn, timed and graded.
export const examTemplates = pgTable('exam_templates', {
	id: uuid().primaryKey(),
	ownerOrgId: uuid().references(() => organizations.id),
	title: text().notNull(),
	purpose: examPurpose().notNull(),
	jobTypes: text().array().notNull().default(sql`'{}'::text[]`),
	timeLimitMinutes: integer().notNull(),
	passMark: integer().notNull(),
	attemptsAllowed: integer().notNull().default(1),
	rules: jsonb().$type<PaperRule[]>().notNull(),
	shuffleQuestions: boolean().notNull().default(true),
	shuffleOptions: boolean().notNull().default(true),
	// 多选: all-or-nothing unless set; then a subset without wrong choices earns half.
	partialCredit: boolean().notNull().default(false),
	showReview: boolean().notNull().default(true),
	// 切屏: leaving the page this many times submits the attempt (null: only recorded).
	switchLimit: integer(),
	issuesCertificate: boolean().notNull().default(false),
	certificateValidMonths: integer(),
	createdBy: uuid().references(() => people.id, { onDelete: 'set null' }),
	createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
	updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
})

// An exam given to people from a template, with its open/close window.
export const exams = pgTable(
	'exams',
	{
		id: uuid().primaryKey(),
		templateId: uuid()
			.notNull()
			.references(() => examTemplates.id),
		ownerOrgId: uuid().references(() => organizations.id),
		title: text().notNull(),
		opensAt: timestamp({ withTimezone: true }).notNull(),
		closesAt: timestamp({ withTimezone: true }).notNull(),
		createdBy: uuid().references(() => people.id, { onDelete: 'set null' }),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [index('exams_owner_idx').on(t.ownerOrgId)],
)

export const examAssignees = pgTable(
	'exam_assignees',
	{
		examId: uuid()
			.notNull()
			.references(() => exams.id, { onDelete: 'cascade' }),
		personId: uuid()
			.notNull()
			.references(() => people.id, { onDelete: 'cascade' }),
		assignedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [primaryKey({ columns: [t.examId, t.personId] }), index('exam_assignees_person_idx').on(t.personId)],
)

export const attemptStatus = pgEnum('attempt_status', ['open', 'submitted'])

export const attempts = pgTable(
	'attempts',
	{
		id: uuid().primaryKey(),
		examId: uuid()
			.notNull()
			.references(() => exams.id),
		personId: uuid()
			.notNull()
			.references(() => people.id),
		status: attemptStatus().notNull().default('open'),
		startedAt: timestamp({ withTimezone: true }).notNull(),
		// started_at + time limit, capped by the exam's close: the only clock that counts.
		deadlineAt: timestamp({ withTimezone: true }).notNull(),
		submittedAt: timestamp({ withTimezone: true }),
		// 'person' pressed 交卷; 'deadline' closed by time; 'switch_limit' by leaving the page too often.
		submittedBy: text(),
		score: integer(),
		maxScore: integer().notNull(),
		passed: boolean(),
		switchCount: integer().notNull().default(0),
	},
	(t) => [
		// Only one open attempt per person per exam: a second device resumes the same one.
		uniqueIndex('attempts_one_open').on(t.examId, t.personId).where(sql`${t.status} = 'open'`),
		index('attempts_person_idx').on(t.personId),
		index('attempts_open_deadline_idx').on(t.deadlineAt).where(sql`${t.status} = 'open'`),
	],
)

// The frozen paper: exact question versions, their order and each one's option order.
export const attemptQuestions = pgTable(
	'attempt_questions',
	{
		attemptId: uuid()
			.notNull()
			.references(() => attempts.id, { onDelete: 'cascade' }),
		position: integer().notNull(),
		questionId: uuid()
			.notNull()
			.references(() => questions.id),
		questionVersionId: uuid()
			.notNull()
			.references(() => questionVersions.id),
		// optionOrder[i] = index in the version's options of the option shown i-th.
		optionOrder: integer().array().notNull(),
		points: integer().notNull(),
		// Filled in when the attempt is graded.
		awarded: integer(),
	},
	(t) => [primaryKey({ columns: [t.attemptId, t.position] })],
)

// The taker's answers as shown to them: display letters ("B", "AC") or true/false.
export const attemptAnswers = pgTable(
	'attempt_answers',
	{
		attemptId: uuid()
			.notNull()
			.references(() => attempts.id, { onDelete: 'cascade' }),
		position: integer().notNull(),
		answer: jsonb().$type<Answer | null>(),
		// The client's sequence number: a stale save never overwrites a newer one.
		clientSeq: integer().notNull(),
		savedAt: timestamp({ withTimezone: true }).notNull(),
	},
	(t) => [primaryKey({ columns: [t.attemptId, t.position] })],
)

// 切屏: the page was hidden or shown again during an attempt.
export const attemptEvents = pgTable(
	'attempt_events',
	{
		id: uuid().primaryKey().defaultRandom(),
		attemptId: uuid()
			.notNull()
			.references(() => attempts.id, { onDelete: 'cascade' }),
		kind: text().notNull(),
		at: timestamp({ withTimezone: true }).notNull(),
	},
	(t) => [index('attempt_events_attempt_idx').on(t.attemptId)],
)

// 错题本: questions a person got wrong, until answered right twice in a row.
export const wrongAnswers = pgTable(
	'wrong_answers',
	{
		personId: uuid()
			.notNull()
			.references(() => people.id, { onDelete: 'cascade' }),
		questionId: uuid()
			.notNull()
			.references(() => questions.id, { onDelete: 'cascade' }),
		lastWrongAt: timestamp({ withTimezone: true }).notNull(),
		rightStreak: integer().notNull().default(0),
		clearedAt: timestamp({ withTimezone: true }),
	},
	(t) => [primaryKey({ columns: [t.personId, t.questionId] })],
)

// Days on which a person practised, for the daily streak.
export const practiceDays = pgTable(
	'practice_days',
	{
		personId: uuid()
			.notNull()
			.references(() => people.id, { onDelete: 'cascade' }),
		day: text().notNull(),
		answered: integer().notNull().default(0),
		correct: integer().notNull().default(0),
	},
	(t) => [primaryKey({ columns: [t.personId, t.day] })],
)
