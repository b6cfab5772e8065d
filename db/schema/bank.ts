import { sql } from 'drizzle-orm'
import { boolean, check, customType, index, integer, jsonb, pgEnum, pgTable, smallint, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core'
import { knowledgePart } from './courses.ts'
import { organizations } from './orgs.ts'
import { people, personCategory } from './people.ts'

export const questionType = pgEnum('question_type', ['single', 'multiple', 'judge'])

/** Letters ("B", "ACD") for choice questions, true/false for 判断题. */
export type Answer = string | boolean

// The current state of each question, as the bank table and paper drawing read it.
export const questions = pgTable(
	'questions',
	{
		id: uuid().primaryKey(),
		// Stable key of a question shipped in content/ (null for ones made in the app).
		code: text().unique(),
		ownerOrgId: uuid().references(() => organizations.id),
		currentVersionId: uuid().notNull(),
		version: integer().notNull().default(1),
		type: questionType().notNull(),
		stem: text().notNull(),
		// What the bank's text filter searches: strpos on a lower-cased copy is several times
		// faster than ILIKE on Chinese text.
		stemSearch: text().generatedAlwaysAs(sql`lower(stem)`),
		options: jsonb().$type<string[]>().notNull().default([]),
		answer: jsonb().$type<Answer>().notNull(),
		explanation: text().notNull(),
		difficulty: integer().notNull(),
		part: knowledgePart().notNull(),
		forAllJobTypes: boolean().notNull().default(false),
		jobTypes: text().array().notNull().default(sql`'{}'::text[]`),
		categories: personCategory().array(),
		topics: text().array().notNull().default(sql`'{}'::text[]`),
		archived: boolean().notNull().default(false),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [
		// fastupdate off: a question bank is read far more than written, and a long pending list
		// makes every job-type look-up slow (and the planner shun the index) until a vacuum.
		index('questions_job_types_idx').using('gin', t.jobTypes).with({ fastupdate: false }),
		index('questions_topics_idx').using('gin', t.topics),
		index('questions_type_idx').on(t.type, t.difficulty),
		// Drawing a paper: a rule for a job type takes that job type's questions (the GIN index
		// above) or those for all job types (this one), so only candidates are read.
		index('questions_all_jobs_idx').on(t.type).where(sql`${t.forAllJobTypes} and not ${t.archived}`),
		index('questions_owner_idx').on(t.ownerOrgId),
		index('questions_updated_idx').on(t.updatedAt),
	],
)

// Immutable snapshots: a paper points at the version it was drawn with, so later edits of
// the bank never change a paper or its grading.
export const questionVersions = pgTable(
	'question_versions',
	{
		id: uuid().primaryKey(),
		questionId: uuid()
			.notNull()
			.references(() => questions.id, { onDelete: 'cascade' }),
		version: integer().notNull(),
		type: questionType().notNull(),
		stem: text().notNull(),
		options: jsonb().$type<string[]>().notNull(),
		answer: jsonb().$type<Answer>().notNull(),
		explanation: text().notNull(),
		difficulty: integer().notNull(),
		createdBy: uuid().references(() => people.id, { onDelete: 'set null' }),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [unique('question_versions_unique').on(t.questionId, t.version)],
)

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array | string }>({
	dataType: () => 'bytea',
	toDriver: (value) => Buffer.from(value.buffer, value.byteOffset, value.byteLength),
	// postgres.js gives a Buffer, PGlite a Uint8Array; a driver without a bytea parser, '\\x…' hex.
	fromDriver: (value) => (typeof value === 'string' ? new Uint8Array(Buffer.from(value.replace(/^\\x/, ''), 'hex')) : new Uint8Array(value)),
})

// A checked question file waiting for the editor's 确认导入 (deleted on import, stale after an hour):
// a form without JavaScript cannot re-send the file it uploaded.
// The state of the question bank as one value: a trigger (migration 0010) gives it a new random
// value in every statement that changes questions. A list of a rule's candidate questions cached
// under one value is exactly the bank's state while it holds, also across app instances and
// databases restored from a backup (see cachedCandidates in app/exams/attempts.server.ts).
export const bankRevision = pgTable('bank_revision', { id: smallint().primaryKey().default(1), revision: uuid().notNull().defaultRandom() }, (t) => [
	check('bank_revision_one_row', sql`${t.id} = 1`),
])

export const importUploads = pgTable(
	'import_uploads',
	{
		id: uuid().primaryKey(),
		ownerId: uuid()
			.notNull()
			.references(() => people.id, { onDelete: 'cascade' }),
		fileName: text().notNull().default(''),
		bytes: bytea().notNull(),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [index('import_uploads_owner_idx').on(t.ownerId, t.createdAt)],
)
