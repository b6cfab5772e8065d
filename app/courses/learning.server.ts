import { and, asc, eq, inArray, or, sql } from 'drizzle-orm'
import { courseJobTypes, courses, lessonProgress, lessons, organizations, people, personJobTypes } from '#db/schema.ts'
import type { DbOrTx } from '#app/utils/db.server.ts'
import { afterHeartbeat, afterMarkDone, afterOpen, type Progress } from './study-time.ts'
import { forAudience } from '#app/people/audience.server.ts'
import { closeSatisfiedOrders } from '#app/records/orders.server.ts'

// What a learner studies and how far they are. Study time is written only here.

type Learner = { id: string; orgPath: string; category: (typeof people.$inferSelect)['category'] }

async function learnerOf(tx: DbOrTx, personId: string): Promise<Learner | null> {
	const [row] = await tx
		.select({ id: people.id, orgPath: organizations.path, category: people.category })
		.from(people)
		.innerJoin(organizations, eq(organizations.id, people.orgId))
		.where(eq(people.id, personId))
	return row ?? null
}

/**
 * The courses a person must study: for all job types or for one of theirs, owned by the
 * platform or their enterprise, and for their personnel category where a course names some.
 */
export async function requiredCourses(tx: DbOrTx, personId: string) {
	const learner = await learnerOf(tx, personId)
	if (!learner) return []
	const theirJobs = tx.select({ code: personJobTypes.jobTypeCode }).from(personJobTypes).where(eq(personJobTypes.personId, personId))
	const forTheirJobs = inArray(courses.id, tx.select({ id: courseJobTypes.courseId }).from(courseJobTypes).where(inArray(courseJobTypes.jobTypeCode, theirJobs)))
	const rows = await tx
		.select({ id: courses.id, title: courses.title, part: courses.part, description: courses.description })
		.from(courses)
		.where(and(eq(courses.published, true), forAudience(courses, learner), or(eq(courses.forAllJobTypes, true), forTheirJobs)))
		.orderBy(asc(courses.part), asc(courses.title))
	return withProgress(tx, personId, rows)
}

async function withProgress<T extends { id: string }>(tx: DbOrTx, personId: string, rows: T[]) {
	if (!rows.length) return []
	const stats = await tx
		.select({
			courseId: lessons.courseId,
			lessons: sql<number>`count(*)::int`,
			done: sql<number>`count(${lessonProgress.completedAt})::int`,
			studiedSeconds: sql<number>`coalesce(sum(${lessonProgress.studiedSeconds}), 0)::int`,
			requiredMinutes: sql<number>`sum(${lessons.minMinutes})::int`,
		})
		.from(lessons)
		.leftJoin(lessonProgress, and(eq(lessonProgress.lessonId, lessons.id), eq(lessonProgress.personId, personId)))
		.where(inArray(lessons.courseId, rows.map((r) => r.id)))
		.groupBy(lessons.courseId)
	const byCourse = new Map(stats.map((s) => [s.courseId, s]))
	return rows.map((r) => {
		const s = byCourse.get(r.id)
		const lessonCount = s?.lessons ?? 0
		const done = s?.done ?? 0
		return { ...r, lessons: lessonCount, done, studiedMinutes: Math.floor((s?.studiedSeconds ?? 0) / 60), requiredMinutes: s?.requiredMinutes ?? 0, complete: lessonCount > 0 && done === lessonCount }
	})
}

/** A course the person may open (published, owned by the platform or their organisation), with lessons and progress. */
export async function courseForLearner(tx: DbOrTx, personId: string, courseId: string) {
	const learner = await learnerOf(tx, personId)
	if (!learner) return null
	const [course] = await tx
		.select()
		.from(courses)
		.where(and(eq(courses.id, courseId), eq(courses.published, true), forAudience(courses, learner)))
	if (!course) return null
	const rows = await tx
		.select({
			id: lessons.id,
			title: lessons.title,
			minMinutes: lessons.minMinutes,
			studiedSeconds: lessonProgress.studiedSeconds,
			completedAt: lessonProgress.completedAt,
		})
		.from(lessons)
		.leftJoin(lessonProgress, and(eq(lessonProgress.lessonId, lessons.id), eq(lessonProgress.personId, personId)))
		.where(eq(lessons.courseId, courseId))
		.orderBy(asc(lessons.position))
	return { course, lessons: rows }
}

async function loadProgress(tx: DbOrTx, personId: string, lessonId: string): Promise<Progress> {
	const [row] = await tx
		.select()
		.from(lessonProgress)
		.where(and(eq(lessonProgress.personId, personId), eq(lessonProgress.lessonId, lessonId)))
		.for('update')
	return row ?? { studiedSeconds: 0, reachedEnd: false, openedAt: null, lastCreditAt: null, completedAt: null }
}

async function saveProgress(tx: DbOrTx, personId: string, lessonId: string, p: Progress) {
	const values = { studiedSeconds: p.studiedSeconds, reachedEnd: p.reachedEnd, openedAt: p.openedAt, lastCreditAt: p.lastCreditAt, completedAt: p.completedAt, updatedAt: new Date() }
	await tx
		.insert(lessonProgress)
		.values({ personId, lessonId, ...values })
		.onConflictDoUpdate({ target: [lessonProgress.personId, lessonProgress.lessonId], set: values })
}

type ProgressStep = (p: Progress, now: Date, minMinutes: number) => Progress

/** Applies one study-time rule to a learner's progress in a lesson, atomically. */
async function step(db: DbOrTx, personId: string, lesson: { id: string; minMinutes: number }, rule: ProgressStep, now = new Date()) {
	return db.transaction(async (tx) => {
		// Make sure a row exists so FOR UPDATE serialises concurrent heartbeats.
		await tx.insert(lessonProgress).values({ personId, lessonId: lesson.id }).onConflictDoNothing()
		const before = await loadProgress(tx, personId, lesson.id)
		const next = rule(before, now, lesson.minMinutes)
		await saveProgress(tx, personId, lesson.id, next)
		// Finishing a course's last lesson may complete a 脱产培训 order.
		if (next.completedAt && !before.completedAt) await closeSatisfiedOrders(tx, personId, now)
		return next
	})
}

export const recordLessonOpened = (db: DbOrTx, personId: string, lesson: { id: string; minMinutes: number }, now?: Date) =>
	step(db, personId, lesson, (p, at) => afterOpen(p, at), now)

export const recordHeartbeat = (db: DbOrTx, personId: string, lesson: { id: string; minMinutes: number }, reachedEnd: boolean, now?: Date) =>
	step(db, personId, lesson, (p, at, min) => afterHeartbeat(p, at, min, reachedEnd), now)

export const recordMarkDone = (db: DbOrTx, personId: string, lesson: { id: string; minMinutes: number }, now?: Date) =>
	step(db, personId, lesson, afterMarkDone, now)

/** A lesson of a course the person may open, or null. */
export async function lessonForLearner(tx: DbOrTx, personId: string, courseId: string, lessonId: string) {
	const course = await courseForLearner(tx, personId, courseId)
	if (!course) return null
	const index = course.lessons.findIndex((l) => l.id === lessonId)
	if (index < 0) return null
	const [lesson] = await tx.select().from(lessons).where(eq(lessons.id, lessonId))
	return {
		course: course.course,
		lesson: lesson!,
		previous: course.lessons[index - 1] ?? null,
		next: course.lessons[index + 1] ?? null,
		position: index + 1,
		count: course.lessons.length,
	}
}
