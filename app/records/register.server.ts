import { and, asc, eq, gte, inArray, isNotNull, lte, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import {
	attempts,
	courses,
	examTemplates,
	exams,
	lessonProgress,
	lessons,
	offlineTrainingAttendees,
	offlineTrainings,
	organizations,
	people,
	trainingPlanMembers,
	trainingPlans,
} from '#db/schema.ts'

import type { DbOrTx } from '#app/utils/db.server.ts'
import { isUuid } from '#app/utils/ids.ts'
import type { OfflineKind } from './offline.ts'
import { hoursFromSeconds, newestFirst, sumHours, type CourseRecord, type ExamRecord, type OfflineRecord, type TrainingRecord } from './register.ts'
import { chinaDay } from '#app/utils/days.ts'

// 登记在册: every training record of a person, read from where each kind is kept (lesson
// progress, submitted attempts, offline trainings). Nothing here is stored twice.

const assigners = alias(people, 'assigners')

/** Midnight at the start of a China calendar day. */
const startOfChinaDay = (day: string) => new Date(`${day}T00:00:00+08:00`)

/** Courses whose every lesson the person has completed, dated by the last completion. */
async function completedCourses(db: DbOrTx, personId: string): Promise<CourseRecord[]> {
	const studied = db
		.select({ courseId: lessons.courseId })
		.from(lessonProgress)
		.innerJoin(lessons, eq(lessons.id, lessonProgress.lessonId))
		.where(eq(lessonProgress.personId, personId))
	const rows = await db
		.select({
			courseId: courses.id,
			title: courses.title,
			part: courses.part,
			lessons: sql<number>`count(${lessons.id})::int`,
			done: sql<number>`count(${lessonProgress.completedAt})::int`,
			// Epoch milliseconds: the drivers hand back an aggregate timestamp in different shapes.
			completedAt: sql<number>`(extract(epoch from max(${lessonProgress.completedAt})) * 1000)::float8`,
			seconds: sql<number>`coalesce(sum(${lessonProgress.studiedSeconds}), 0)::int`,
		})
		.from(lessons)
		.innerJoin(courses, eq(courses.id, lessons.courseId))
		.leftJoin(lessonProgress, and(eq(lessonProgress.lessonId, lessons.id), eq(lessonProgress.personId, personId)))
		.where(inArray(courses.id, studied))
		.groupBy(courses.id, courses.title, courses.part)
	const complete = rows.filter((r) => r.lessons > 0 && r.done === r.lessons)
	if (!complete.length) return []
	// Who asked for the course: the earliest plan of the person's that lists it.
	const plans = await db
		.select({ title: trainingPlans.title, courseIds: trainingPlans.courseIds, assignedBy: assigners.name })
		.from(trainingPlanMembers)
		.innerJoin(trainingPlans, eq(trainingPlans.id, trainingPlanMembers.planId))
		.leftJoin(assigners, eq(assigners.id, trainingPlans.createdBy))
		.where(eq(trainingPlanMembers.personId, personId))
		.orderBy(asc(trainingPlans.createdAt))
	return complete.map((r) => {
		const at = new Date(Math.round(Number(r.completedAt)))
		const plan = plans.find((p) => p.courseIds.includes(r.courseId))
		return {
			type: 'course',
			at,
			day: chinaDay(at),
			courseId: r.courseId,
			title: r.title,
			part: r.part,
			lessons: r.lessons,
			hours: hoursFromSeconds(r.seconds),
			planTitle: plan?.title ?? null,
			assignedBy: plan?.assignedBy ?? null,
		}
	})
}

async function submittedAttempts(db: DbOrTx, personId: string, until?: Date): Promise<ExamRecord[]> {
	const rows = await db
		.select({
			attemptId: attempts.id,
			submittedAt: attempts.submittedAt,
			score: attempts.score,
			maxScore: attempts.maxScore,
			passed: attempts.passed,
			examId: exams.id,
			title: exams.title,
			purpose: examTemplates.purpose,
			assignedBy: assigners.name,
		})
		.from(attempts)
		.innerJoin(exams, eq(exams.id, attempts.examId))
		.innerJoin(examTemplates, eq(examTemplates.id, exams.templateId))
		.leftJoin(assigners, eq(assigners.id, exams.createdBy))
		.where(and(eq(attempts.personId, personId), eq(attempts.status, 'submitted'), isNotNull(attempts.submittedAt), until ? lte(attempts.submittedAt, until) : undefined))
	return rows.map((r) => ({
		type: 'exam',
		at: r.submittedAt!,
		day: chinaDay(r.submittedAt!),
		attemptId: r.attemptId,
		examId: r.examId,
		title: r.title,
		purpose: r.purpose,
		score: r.score ?? 0,
		maxScore: r.maxScore,
		passed: r.passed ?? false,
		assignedBy: r.assignedBy,
	}))
}

async function attendedTrainings(db: DbOrTx, personId: string, until?: Date): Promise<OfflineRecord[]> {
	const rows = await db
		.select({
			trainingId: offlineTrainings.id,
			kind: offlineTrainings.kind,
			topic: offlineTrainings.topic,
			hours: offlineTrainings.hours,
			heldOn: offlineTrainings.heldOn,
			trainer: offlineTrainings.trainer,
			orgName: organizations.name,
			recordedBy: assigners.name,
		})
		.from(offlineTrainingAttendees)
		.innerJoin(offlineTrainings, eq(offlineTrainings.id, offlineTrainingAttendees.trainingId))
		.innerJoin(organizations, eq(organizations.id, offlineTrainings.orgId))
		.leftJoin(assigners, eq(assigners.id, offlineTrainings.recordedBy))
		.where(and(eq(offlineTrainingAttendees.personId, personId), until ? lte(offlineTrainings.heldOn, chinaDay(until)) : undefined))
	return rows.map((r) => ({ type: 'offline', at: startOfChinaDay(r.heldOn), day: r.heldOn, ...r }))
}

/**
 * Every training record of a person, newest first: completed courses (dated by the last lesson
 * completed; 学时 = the time studied in the course, in hours to one decimal), submitted exam
 * attempts (score, pass, who gave the exam) and offline trainings attended (kind, topic, 学时,
 * who recorded it). With `until`, only what had happened by then: a course counts once its last
 * lesson was completed by then, an offline training on or before that day (China time).
 */
export async function trainingRecordsOf(db: DbOrTx, personId: string, { until }: { until?: Date } = {}): Promise<TrainingRecord[]> {
	if (!isUuid(personId)) return []
	const [courseRecords, examRecords, offlineRecords] = await Promise.all([completedCourses(db, personId), submittedAttempts(db, personId, until), attendedTrainings(db, personId, until)])
	const courseRecordsUntil = until ? courseRecords.filter((r) => r.at.getTime() <= until.getTime()) : courseRecords
	return newestFirst([...courseRecordsUntil, ...examRecords, ...offlineRecords])
}

/**
 * 轮训 hours per person: the 学时 of offline trainings of the given kinds (by default 轮训 only)
 * held from `from` to `to`, both days included (China calendar days; a Date is read as its
 * China day). Every asked person is in the answer, with 0 when they have none.
 *
 * 集中授课 is left out by default: it is any classroom session (a 班组 lecture on a new rule
 * counts as one), while the 24-学时 rule is about the rounds of training for heads and safety
 * managers, which are recorded as 轮训. Pass `kinds` to count others too.
 */
export async function rotationHoursOf(
	db: DbOrTx,
	personIds: string[],
	from: Date | string,
	to: Date | string,
	{ kinds = ['rotation'] as OfflineKind[] } = {},
): Promise<Map<string, number>> {
	const ids = [...new Set(personIds)].filter(isUuid)
	const hours = new Map<string, number>(ids.map((id) => [id, 0]))
	if (!ids.length || !kinds.length) return hours
	const day = (d: Date | string) => (typeof d === 'string' ? d : chinaDay(d))
	const rows = await db
		.select({ personId: offlineTrainingAttendees.personId, hours: offlineTrainings.hours })
		.from(offlineTrainingAttendees)
		.innerJoin(offlineTrainings, eq(offlineTrainings.id, offlineTrainingAttendees.trainingId))
		.where(
			and(
				inArray(offlineTrainingAttendees.personId, ids),
				inArray(offlineTrainings.kind, kinds),
				gte(offlineTrainings.heldOn, day(from)),
				lte(offlineTrainings.heldOn, day(to)),
			),
		)
	const byPerson = new Map<string, number[]>()
	for (const r of rows) byPerson.set(r.personId, [...(byPerson.get(r.personId) ?? []), r.hours])
	for (const [personId, list] of byPerson) hours.set(personId, sumHours(list))
	return hours
}
