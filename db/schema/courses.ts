import { boolean, index, integer, pgEnum, pgTable, primaryKey, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core'
import { organizations } from './orgs.ts'
import { jobTypes, people, personCategory } from './people.ts'

// 应知应会 manuals come in two parts: 通用知识 and 专业知识.
export const knowledgePart = pgEnum('knowledge_part', ['general', 'professional'])

export const courses = pgTable(
	'courses',
	{
		id: uuid().primaryKey(),
		// Stable key of a course shipped in content/ (null for courses made in the app).
		code: text().unique(),
		// null: platform-wide; otherwise the enterprise that owns it.
		ownerOrgId: uuid().references(() => organizations.id),
		title: text().notNull(),
		part: knowledgePart().notNull(),
		description: text().notNull().default(''),
		// For every worker, whatever their job types.
		forAllJobTypes: boolean().notNull().default(false),
		// When set, only for people of these categories (e.g. 主要负责人、安全管理人员).
		categories: personCategory().array(),
		published: boolean().notNull().default(true),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [index('courses_owner_idx').on(t.ownerOrgId)],
)

export const courseJobTypes = pgTable(
	'course_job_types',
	{
		courseId: uuid()
			.notNull()
			.references(() => courses.id, { onDelete: 'cascade' }),
		jobTypeCode: text()
			.notNull()
			.references(() => jobTypes.code),
	},
	(t) => [primaryKey({ columns: [t.courseId, t.jobTypeCode] }), index('course_job_types_job_idx').on(t.jobTypeCode)],
)

export const lessons = pgTable(
	'lessons',
	{
		id: uuid().primaryKey(),
		courseId: uuid()
			.notNull()
			.references(() => courses.id, { onDelete: 'cascade' }),
		// File name of a shipped lesson, stable across edits of its text.
		code: text(),
		position: integer().notNull(),
		title: text().notNull(),
		body: text().notNull(),
		// Minimum study time before the lesson can count as done.
		minMinutes: integer().notNull(),
		updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [index('lessons_course_idx').on(t.courseId, t.position), unique('lessons_course_code').on(t.courseId, t.code)],
)

// 学时: study time is credited only by the server, from its own clock.
export const lessonProgress = pgTable(
	'lesson_progress',
	{
		personId: uuid()
			.notNull()
			.references(() => people.id, { onDelete: 'cascade' }),
		lessonId: uuid()
			.notNull()
			.references(() => lessons.id, { onDelete: 'cascade' }),
		studiedSeconds: integer().notNull().default(0),
		reachedEnd: boolean().notNull().default(false),
		// When the lesson page was last opened, and the last moment time was credited up to.
		openedAt: timestamp({ withTimezone: true }),
		lastCreditAt: timestamp({ withTimezone: true }),
		completedAt: timestamp({ withTimezone: true }),
		updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [primaryKey({ columns: [t.personId, t.lessonId] })],
)
