import { randomUUID } from 'node:crypto'
import { and, eq, inArray, isNotNull } from 'drizzle-orm'
import { courseJobTypes, courses, lessons, questions } from '#db/schema.ts'
import type { ShippedQuestion } from '#app/bank/question-file.ts'
import { createQuestions, updateQuestion } from '#app/bank/questions.server.ts'
import type { QuestionInput } from '#app/bank/question.ts'
import type { Db } from '#app/utils/db.server.ts'
import { logger } from '#app/utils/logger.server.ts'
import { CONTENT_DIR, readCatalogue, syncCatalogue } from './catalogue.server.ts'
import { readShippedCourses, readShippedQuestions, type ShippedCourse } from './read.server.ts'

/**
 * Brings the database in line with content/: catalogue, courses and lessons, questions.
 * Idempotent; matched by stable codes; a question whose graded text changed gets a new version.
 * Files with problems are skipped with a warning (the content check fails on them in CI).
 */
export async function syncShippedContent(db: Db, dir = CONTENT_DIR) {
	await syncCatalogue(db, await readCatalogue(dir))
	const courseRead = await readShippedCourses(dir)
	const questionRead = await readShippedQuestions(dir)
	for (const problem of [...courseRead.problems, ...questionRead.problems]) logger.warn({ event: 'content.problem', problem }, '内容文件有问题，已跳过')
	await db.transaction(async (tx) => {
		for (const course of courseRead.courses) await syncCourse(tx as unknown as Db, course)
	})
	const shipped = questionRead.files.flatMap(({ data }) =>
		data.questions.map((q) => ({ code: q.id, input: toQuestionInput(q, data) })),
	)
	await db.transaction(async (tx) => {
		const existing = new Map(
			(await tx.select().from(questions).where(and(isNotNull(questions.code), inArray(questions.code, shipped.map((s) => s.code).concat(['']))))).map((q) => [q.code!, q]),
		)
		const added = shipped.filter(({ code }) => !existing.has(code))
		await createQuestions(tx, added.map(({ code, input }) => ({ input, owner: { ownerOrgId: null, code } })))
		for (const { code, input } of shipped) {
			const current = existing.get(code)
			if (current && !sameStored(current, input)) await updateQuestion(tx, current.id, input)
		}
	})
}

function toQuestionInput(q: ShippedQuestion, file: { jobTypes: 'all' | string[]; part: '通用' | '专业'; categories?: QuestionInput['categories'] }): QuestionInput {
	const jobTypes = q.jobTypes ?? file.jobTypes
	return {
		type: q.type,
		stem: q.stem,
		options: q.type === 'judge' ? [] : (q.options ?? []),
		answer: q.answer,
		explanation: q.explanation,
		difficulty: q.difficulty,
		part: (q.part ?? file.part) === '通用' ? 'general' : 'professional',
		forAllJobTypes: jobTypes === 'all',
		jobTypes: jobTypes === 'all' ? [] : jobTypes,
		categories: file.categories ?? null,
		topics: q.topics,
	}
}

function sameStored(stored: typeof questions.$inferSelect, input: QuestionInput) {
	const json = (v: unknown) => JSON.stringify(v ?? null)
	return (
		json([stored.type, stored.stem, stored.options, stored.answer, stored.explanation, stored.difficulty, stored.part, stored.forAllJobTypes, stored.jobTypes, stored.categories, stored.topics]) ===
		json([input.type, input.stem, input.options, input.answer, input.explanation, input.difficulty, input.part, input.forAllJobTypes, input.jobTypes, input.categories, input.topics])
	)
}

async function syncCourse(tx: Db, course: ShippedCourse) {
	const fm = course.frontMatter
	const fields = {
		title: fm.title,
		part: fm.part === '通用知识' ? ('general' as const) : ('professional' as const),
		description: fm.description,
		forAllJobTypes: fm.jobTypes === 'all',
		categories: fm.categories ?? null,
		updatedAt: new Date(),
	}
	const [existing] = await tx.select({ id: courses.id }).from(courses).where(eq(courses.code, fm.code))
	const courseId = existing?.id ?? randomUUID()
	if (existing) await tx.update(courses).set(fields).where(eq(courses.id, courseId))
	else await tx.insert(courses).values({ id: courseId, code: fm.code, ownerOrgId: null, ...fields })
	await tx.delete(courseJobTypes).where(eq(courseJobTypes.courseId, courseId))
	if (fm.jobTypes !== 'all' && fm.jobTypes.length) {
		await tx.insert(courseJobTypes).values(fm.jobTypes.map((jobTypeCode) => ({ courseId, jobTypeCode })))
	}
	for (const [position, lesson] of course.lessons.entries()) {
		const values = { title: lesson.frontMatter.title, body: lesson.body, minMinutes: lesson.frontMatter.minutes, position, updatedAt: new Date() }
		await tx
			.insert(lessons)
			.values({ id: randomUUID(), courseId, code: lesson.file, ...values })
			.onConflictDoUpdate({ target: [lessons.courseId, lessons.code], set: values })
	}
}
