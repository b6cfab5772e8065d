import { randomUUID } from 'node:crypto'
import { and, asc, count, desc, eq, gt, gte, inArray, isNotNull, isNull, like, or, sql, type SQLWrapper } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import {
	attempts,
	courses,
	examTemplates,
	exams,
	jobTypes,
	lessonProgress,
	lessons,
	organizations,
	people,
	personJobTypes,
	trainingPlanMembers,
	trainingPlans,
} from '#db/schema.ts'
import type { SessionUser } from '#app/auth/scope.ts'
import { addAssignees } from '#app/exams/assign.server.ts'
import { selfAndAncestorIds } from '#app/people/audience.server.ts'
import type { PersonCategory } from '#app/people/labels.ts'
import { unknownJobTypes } from '#app/people/people.server.ts'
import { writeAudit } from '#app/utils/audit.server.ts'
import type { Db, DbOrTx } from '#app/utils/db.server.ts'
import type { FormErrors } from '#app/utils/forms.ts'
import { isUuid } from '#app/utils/ids.ts'
import { memberStatus, planMatches, type MemberProgress } from './plans.ts'
import type { PlanInput } from './plans-form.ts'
import { managedOrgs, scopeHasPath, type ManagedEnterprise, type ManagerScope } from './plans-scope.server.ts'
import { chinaDay } from '#app/utils/days.ts'

// 培训计划: courses and an exam for people of one enterprise, with a due date. Members are
// written when the plan is made and, for plans by job type or category, whenever a matching
// person is added or changed (joinMatchingPlans); progress is read from the learning and exam
// records, never stored.

// ---- choices for the form --------------------------------------------------------------------

/** Courses the enterprise's workers can open: published, the platform's or the enterprise's own. */
export async function coursesForEnterprise(tx: DbOrTx, enterprise: ManagedEnterprise) {
	const owners = selfAndAncestorIds(enterprise.path)
	return tx
		.select({ id: courses.id, title: courses.title, part: courses.part, categories: courses.categories })
		.from(courses)
		.where(and(eq(courses.published, true), or(isNull(courses.ownerOrgId), inArray(courses.ownerOrgId, owners))))
		.orderBy(asc(courses.part), asc(courses.title))
}

/** The enterprise's own exams that have not closed yet. */
export async function examsForEnterprise(tx: DbOrTx, enterprise: ManagedEnterprise, now = new Date()) {
	return tx
		.select({ id: exams.id, title: exams.title, opensAt: exams.opensAt, closesAt: exams.closesAt, purpose: examTemplates.purpose })
		.from(exams)
		.innerJoin(examTemplates, eq(examTemplates.id, exams.templateId))
		.where(and(eq(exams.ownerOrgId, enterprise.id), gt(exams.closesAt, now)))
		.orderBy(asc(exams.closesAt), asc(exams.title))
}

// ---- creating a plan -------------------------------------------------------------------------

const MEMBER_CHUNK = 1000

/** People of the enterprise matching job types and categories (an empty list does not filter). */
function matchingPeople(tx: DbOrTx, enterprise: ManagedEnterprise, criteria: { jobTypes: string[]; categories: PersonCategory[] }) {
	return tx
		.select({ id: people.id })
		.from(people)
		.innerJoin(organizations, eq(organizations.id, people.orgId))
		.where(
			and(
				like(organizations.path, `${enterprise.path}%`),
				isNull(people.anonymisedAt),
				criteria.jobTypes.length
					? inArray(people.id, tx.select({ id: personJobTypes.personId }).from(personJobTypes).where(inArray(personJobTypes.jobTypeCode, criteria.jobTypes)))
					: undefined,
				criteria.categories.length ? inArray(people.category, criteria.categories) : undefined,
			),
		)
}

export type NewPlan = {
	orgId: string
	title: string
	dueOn: string
	courseIds: string[]
	examId: string | null
	jobTypes: string[]
	categories: PersonCategory[]
	createdBy: string | null
}

/** Writes a plan with its members and gives them its exam (inside the caller's transaction). */
export async function insertPlan(tx: DbOrTx, plan: NewPlan, memberIds: string[], now = new Date()) {
	const id = randomUUID()
	await tx.insert(trainingPlans).values({ id, ...plan, createdAt: now })
	for (let i = 0; i < memberIds.length; i += MEMBER_CHUNK) {
		const chunk = memberIds.slice(i, i + MEMBER_CHUNK)
		await tx
			.insert(trainingPlanMembers)
			.values(chunk.map((personId) => ({ planId: id, personId, addedAt: now })))
			.onConflictDoNothing()
		if (plan.examId) await addAssignees(tx, plan.examId, chunk, now)
	}
	return id
}

export type CreatePlanResult = { ok: true; planId: string; members: number } | { ok: false; errors: FormErrors }

/**
 * Creates a plan for an enterprise of the manager's. Every choice is checked against the
 * enterprise first (its courses, its open exams, its people); on any problem nothing is written.
 * The plan, its members, their exam assignments and the audit entry go in one transaction.
 */
export async function createPlan(db: Db, user: SessionUser, enterprise: ManagedEnterprise, input: PlanInput, now = new Date()): Promise<CreatePlanResult> {
	const errors: FormErrors = {}
	if (input.dueOn < chinaDay(now)) errors.dueOn = '完成期限不能早于今天'
	if (input.courseIds.length) {
		const visible = new Set((await coursesForEnterprise(db, enterprise)).map((c) => c.id))
		if (input.courseIds.some((id) => !visible.has(id))) errors.courseIds = '只能选择本单位人员可以学习的课程'
	}
	if (input.examId && !(await examsForEnterprise(db, enterprise, now)).some((e) => e.id === input.examId)) {
		errors.examId = '只能选择本单位发布、尚未结束的考试'
	}
	const unknown = await unknownJobTypes(db, input.jobTypes)
	if (unknown.length) errors.jobTypes = `工种不存在：${unknown.join('、')}`

	let memberIds: string[] = []
	if (input.who === 'people') {
		const listed = await db
			.select({ id: people.id })
			.from(people)
			.innerJoin(organizations, eq(organizations.id, people.orgId))
			.where(and(inArray(people.id, input.personIds), like(organizations.path, `${enterprise.path}%`), isNull(people.anonymisedAt)))
		if (listed.length < input.personIds.length) errors.personIds = `名单中有 ${input.personIds.length - listed.length} 人不属于${enterprise.name}`
		memberIds = listed.map((p) => p.id)
	} else if (!unknown.length) {
		memberIds = (await matchingPeople(db, enterprise, input)).map((p) => p.id)
	}
	if (Object.keys(errors).length) return { ok: false, errors }

	const planId = await db.transaction(async (tx) => {
		const id = await insertPlan(
			tx,
			{ orgId: enterprise.id, title: input.title, dueOn: input.dueOn, courseIds: input.courseIds, examId: input.examId, jobTypes: input.jobTypes, categories: input.categories, createdBy: user.id },
			memberIds,
			now,
		)
		await writeAudit(tx, {
			actorId: user.id,
			action: 'training_plan.create',
			targetType: 'training_plan',
			targetId: id,
			orgId: enterprise.id,
			detail: { who: input.who, members: memberIds.length, courses: input.courseIds.length, examId: input.examId, jobTypes: input.jobTypes, categories: input.categories, dueOn: input.dueOn },
		})
		return id
	})
	return { ok: true, planId, members: memberIds.length }
}

// ---- new and changed people ------------------------------------------------------------------

/**
 * Puts people into every training plan of their enterprise that matches them (by job type and
 * category), and gives them the plans' exams. Called, in the same transaction, whenever people
 * are created or their job types or category change. Plans by list never take people by
 * themselves, and plans already past their due day take nobody new (they would start overdue).
 * Nobody is taken out of a plan they no longer match: what they were asked to do stays on record.
 */
export async function joinMatchingPlans(tx: DbOrTx, personIds: string[], now = new Date()): Promise<void> {
	const ids = [...new Set(personIds)].filter(isUuid)
	if (!ids.length) return
	const persons = await tx
		.select({ id: people.id, category: people.category, orgPath: organizations.path })
		.from(people)
		.innerJoin(organizations, eq(organizations.id, people.orgId))
		.where(inArray(people.id, ids))
	if (!persons.length) return
	const jobs = await tx.select({ personId: personJobTypes.personId, code: personJobTypes.jobTypeCode }).from(personJobTypes).where(inArray(personJobTypes.personId, ids))
	const orgIds = [...new Set(persons.flatMap((p) => selfAndAncestorIds(p.orgPath)))]
	const plans = await tx
		.select({ id: trainingPlans.id, orgId: trainingPlans.orgId, examId: trainingPlans.examId, jobTypes: trainingPlans.jobTypes, categories: trainingPlans.categories })
		.from(trainingPlans)
		.where(and(inArray(trainingPlans.orgId, orgIds), gte(trainingPlans.dueOn, chinaDay(now))))
	// A roster import passes thousands of people at once: index them before matching.
	const jobsOf = new Map<string, string[]>()
	for (const j of jobs) jobsOf.set(j.personId, [...(jobsOf.get(j.personId) ?? []), j.code])
	const candidates = persons.map((p) => ({ id: p.id, orgIds: new Set(selfAndAncestorIds(p.orgPath)), match: { category: p.category, jobTypes: jobsOf.get(p.id) ?? [] } }))
	for (const plan of plans) {
		const joining = candidates.filter((p) => p.orgIds.has(plan.orgId) && planMatches(plan, p.match)).map((p) => p.id)
		for (let i = 0; i < joining.length; i += MEMBER_CHUNK) {
			const chunk = joining.slice(i, i + MEMBER_CHUNK)
			await tx
				.insert(trainingPlanMembers)
				.values(chunk.map((personId) => ({ planId: plan.id, personId, addedAt: now })))
				.onConflictDoNothing()
			if (plan.examId) await addAssignees(tx, plan.examId, chunk, now)
		}
	}
}

// ---- progress --------------------------------------------------------------------------------

type People = string[] | SQLWrapper

/** Lessons per course (courses without lessons are left out: there is nothing to complete). */
async function lessonCounts(tx: DbOrTx, courseIds: string[]) {
	if (!courseIds.length) return new Map<string, number>()
	const rows = await tx
		.select({ courseId: lessons.courseId, n: count() })
		.from(lessons)
		.where(inArray(lessons.courseId, courseIds))
		.groupBy(lessons.courseId)
	return new Map(rows.map((r) => [r.courseId, r.n]))
}

/** Completed lessons per person and course, for these people. */
async function completedLessons(tx: DbOrTx, courseIds: string[], persons: People) {
	const byPerson = new Map<string, Map<string, number>>()
	if (!courseIds.length || (Array.isArray(persons) && !persons.length)) return byPerson
	const rows = await tx
		.select({ personId: lessonProgress.personId, courseId: lessons.courseId, n: count() })
		.from(lessonProgress)
		.innerJoin(lessons, eq(lessons.id, lessonProgress.lessonId))
		.where(and(inArray(lessons.courseId, courseIds), inArray(lessonProgress.personId, persons), isNotNull(lessonProgress.completedAt)))
		.groupBy(lessonProgress.personId, lessons.courseId)
	for (const r of rows) {
		if (!byPerson.has(r.personId)) byPerson.set(r.personId, new Map())
		byPerson.get(r.personId)!.set(r.courseId, r.n)
	}
	return byPerson
}

type ExamResult = { attempts: number; passed: boolean; bestScore: number | null; maxScore: number }

/** Submitted attempts per exam and person: how many, any passed, the best score. */
async function examResults(tx: DbOrTx, examIds: string[], persons: People) {
	const results = new Map<string, ExamResult>()
	if (!examIds.length || (Array.isArray(persons) && !persons.length)) return results
	const rows = await tx
		.select({
			examId: attempts.examId,
			personId: attempts.personId,
			attempts: count(),
			passed: sql<boolean>`coalesce(bool_or(${attempts.passed}), false)`,
			bestScore: sql<number | null>`max(${attempts.score})`,
			maxScore: sql<number>`max(${attempts.maxScore})`,
		})
		.from(attempts)
		.where(and(inArray(attempts.examId, examIds), inArray(attempts.personId, persons), eq(attempts.status, 'submitted')))
		.groupBy(attempts.examId, attempts.personId)
	for (const r of rows) results.set(`${r.examId} ${r.personId}`, { attempts: r.attempts, passed: r.passed, bestScore: r.bestScore, maxScore: r.maxScore })
	return results
}

type Progress = Awaited<ReturnType<typeof loadProgress>>

/** Everything needed to say how far members are in these plans. */
async function loadProgress(tx: DbOrTx, plans: { courseIds: string[]; examId: string | null }[], persons: People) {
	const courseIds = [...new Set(plans.flatMap((p) => p.courseIds))]
	const examIds = [...new Set(plans.flatMap((p) => (p.examId ? [p.examId] : [])))]
	const [lessonsPerCourse, done, results] = await Promise.all([lessonCounts(tx, courseIds), completedLessons(tx, courseIds, persons), examResults(tx, examIds, persons)])
	return { lessonsPerCourse, done, results }
}

/** One member's progress in one plan. */
function progressOf(progress: Progress, plan: { courseIds: string[]; examId: string | null }, personId: string) {
	const courses = plan.courseIds
		.filter((id) => progress.lessonsPerCourse.has(id))
		.map((id) => {
			const lessonCount = progress.lessonsPerCourse.get(id)!
			const done = progress.done.get(personId)?.get(id) ?? 0
			return { id, lessons: lessonCount, done, complete: done >= lessonCount }
		})
	const exam = plan.examId ? (progress.results.get(`${plan.examId} ${personId}`) ?? { attempts: 0, passed: false, bestScore: null, maxScore: 0 }) : null
	const summary: MemberProgress = { courseCount: courses.length, coursesDone: courses.filter((c) => c.complete).length, examPassed: exam ? exam.passed : null }
	return { courses, exam, summary }
}

// ---- lists and pages -------------------------------------------------------------------------

const creators = alias(people, 'creators')

export type PlanSort = 'dueOn' | 'createdAt' | 'title'

/** Plans of the manager's enterprises, a page at a time, each with its members' progress. */
export async function listPlans(tx: DbOrTx, scope: ManagerScope, { page, pageSize, sort, descending }: { page: number; pageSize: number; sort: PlanSort; descending: boolean }, now = new Date()) {
	const where = managedOrgs(scope)
	const column = { dueOn: trainingPlans.dueOn, createdAt: trainingPlans.createdAt, title: trainingPlans.title }[sort]
	const rows = await tx
		.select({
			id: trainingPlans.id,
			title: trainingPlans.title,
			dueOn: trainingPlans.dueOn,
			courseIds: trainingPlans.courseIds,
			examId: trainingPlans.examId,
			jobTypes: trainingPlans.jobTypes,
			categories: trainingPlans.categories,
			createdAt: trainingPlans.createdAt,
			orgName: organizations.name,
			examTitle: exams.title,
			createdByName: creators.name,
		})
		.from(trainingPlans)
		.innerJoin(organizations, eq(organizations.id, trainingPlans.orgId))
		.leftJoin(exams, eq(exams.id, trainingPlans.examId))
		.leftJoin(creators, eq(creators.id, trainingPlans.createdBy))
		.where(where)
		.orderBy(descending ? desc(column) : asc(column), desc(trainingPlans.createdAt), asc(trainingPlans.id))
		.limit(pageSize)
		.offset((page - 1) * pageSize)
	const [total] = await tx.select({ n: count() }).from(trainingPlans).innerJoin(organizations, eq(organizations.id, trainingPlans.orgId)).where(where)
	if (!rows.length) return { rows: [], total: total?.n ?? 0 }

	const planIds = rows.map((r) => r.id)
	const members = await tx.select({ planId: trainingPlanMembers.planId, personId: trainingPlanMembers.personId }).from(trainingPlanMembers).where(inArray(trainingPlanMembers.planId, planIds))
	const progress = await loadProgress(tx, rows, tx.select({ id: trainingPlanMembers.personId }).from(trainingPlanMembers).where(inArray(trainingPlanMembers.planId, planIds)))
	const today = chinaDay(now)
	return {
		total: total?.n ?? 0,
		rows: rows.map((plan) => {
			const statuses = members
				.filter((m) => m.planId === plan.id)
				.map((m) => {
					const p = progressOf(progress, plan, m.personId)
					return { ...memberStatus(p.summary, plan.dueOn, today), examPassed: p.summary.examPassed }
				})
			return {
				...plan,
				members: statuses.length,
				coursesComplete: statuses.filter((s) => s.coursesComplete).length,
				examPassed: plan.examId ? statuses.filter((s) => s.examPassed).length : null,
				complete: statuses.filter((s) => s.complete).length,
				overdue: statuses.filter((s) => s.overdue).length,
			}
		}),
	}
}

/** One plan of the manager's (null outside their scope), its courses, exam and every member's progress. */
export async function planDetail(tx: DbOrTx, scope: ManagerScope, planId: string, now = new Date()) {
	if (!isUuid(planId)) return null
	const [plan] = await tx
		.select({
			id: trainingPlans.id,
			title: trainingPlans.title,
			dueOn: trainingPlans.dueOn,
			courseIds: trainingPlans.courseIds,
			examId: trainingPlans.examId,
			jobTypes: trainingPlans.jobTypes,
			categories: trainingPlans.categories,
			createdAt: trainingPlans.createdAt,
			orgId: trainingPlans.orgId,
			orgName: organizations.name,
			orgPath: organizations.path,
			createdByName: creators.name,
		})
		.from(trainingPlans)
		.innerJoin(organizations, eq(organizations.id, trainingPlans.orgId))
		.leftJoin(creators, eq(creators.id, trainingPlans.createdBy))
		.where(and(eq(trainingPlans.id, planId), managedOrgs(scope)))
	if (!plan || !scopeHasPath(scope, plan.orgPath)) return null

	const courseRows = plan.courseIds.length ? await tx.select({ id: courses.id, title: courses.title, part: courses.part }).from(courses).where(inArray(courses.id, plan.courseIds)) : []
	const [exam] = plan.examId
		? await tx
				.select({ id: exams.id, title: exams.title, opensAt: exams.opensAt, closesAt: exams.closesAt, passMark: examTemplates.passMark })
				.from(exams)
				.innerJoin(examTemplates, eq(examTemplates.id, exams.templateId))
				.where(eq(exams.id, plan.examId))
		: []
	const jobTypeNames = plan.jobTypes.length ? (await tx.select({ name: jobTypes.name }).from(jobTypes).where(inArray(jobTypes.code, plan.jobTypes)).orderBy(asc(jobTypes.sortOrder))).map((j) => j.name) : []
	const memberRows = await tx
		.select({ personId: people.id, name: people.name, position: people.position, category: people.category, addedAt: trainingPlanMembers.addedAt })
		.from(trainingPlanMembers)
		.innerJoin(people, eq(people.id, trainingPlanMembers.personId))
		.where(eq(trainingPlanMembers.planId, plan.id))
		.orderBy(asc(people.name), asc(people.id))
	const progress = await loadProgress(tx, [plan], tx.select({ id: trainingPlanMembers.personId }).from(trainingPlanMembers).where(eq(trainingPlanMembers.planId, plan.id)))
	const today = chinaDay(now)
	const lessonsOf = (id: string) => progress.lessonsPerCourse.get(id) ?? 0
	return {
		plan,
		jobTypeNames,
		courses: plan.courseIds.flatMap((id) => {
			const c = courseRows.find((r) => r.id === id)
			return c ? [{ ...c, lessons: lessonsOf(id) }] : []
		}),
		exam: exam ?? null,
		members: memberRows.map((m) => {
			const p = progressOf(progress, plan, m.personId)
			return { ...m, coursesDone: p.summary.coursesDone, courseCount: p.summary.courseCount, exam: p.exam, ...memberStatus(p.summary, plan.dueOn, today) }
		}),
	}
}

/**
 * A person's training plans for their home page: due day, each course with how far they are,
 * the exam and whether it is passed, and whether anything is left or overdue. Unfinished plans
 * first, the nearest due day first.
 */
export async function plansForPerson(db: DbOrTx, personId: string, now = new Date()) {
	if (!isUuid(personId)) return []
	const plans = await db
		.select({ id: trainingPlans.id, title: trainingPlans.title, dueOn: trainingPlans.dueOn, courseIds: trainingPlans.courseIds, examId: trainingPlans.examId, orgName: organizations.name })
		.from(trainingPlanMembers)
		.innerJoin(trainingPlans, eq(trainingPlans.id, trainingPlanMembers.planId))
		.innerJoin(organizations, eq(organizations.id, trainingPlans.orgId))
		.where(eq(trainingPlanMembers.personId, personId))
		.orderBy(asc(trainingPlans.dueOn), asc(trainingPlans.title))
	if (!plans.length) return []
	const courseIds = [...new Set(plans.flatMap((p) => p.courseIds))]
	const examIds = [...new Set(plans.flatMap((p) => (p.examId ? [p.examId] : [])))]
	const [courseRows, examRows, progress] = await Promise.all([
		courseIds.length ? db.select({ id: courses.id, title: courses.title }).from(courses).where(inArray(courses.id, courseIds)) : [],
		examIds.length ? db.select({ id: exams.id, title: exams.title, closesAt: exams.closesAt }).from(exams).where(inArray(exams.id, examIds)) : [],
		loadProgress(db, plans, [personId]),
	])
	const today = chinaDay(now)
	const result = plans.map((plan) => {
		const p = progressOf(progress, plan, personId)
		const exam = examRows.find((e) => e.id === plan.examId)
		const status = memberStatus(p.summary, plan.dueOn, today)
		const planCourses = p.courses.flatMap((c) => {
			const course = courseRows.find((r) => r.id === c.id)
			return course ? [{ ...c, title: course.title }] : []
		})
		return {
			id: plan.id,
			title: plan.title,
			orgName: plan.orgName,
			dueOn: plan.dueOn,
			complete: status.complete,
			overdue: status.overdue,
			courses: planCourses,
			exam: exam && p.exam ? { id: exam.id, title: exam.title, closesAt: exam.closesAt, passed: p.exam.passed, attempts: p.exam.attempts } : null,
			/** What is left: courses not complete, and the exam unless it is passed. */
			left: { courses: planCourses.filter((c) => !c.complete), exam: exam && p.exam && !p.exam.passed ? { id: exam.id, title: exam.title } : null },
		}
	})
	return [...result.filter((r) => !r.complete), ...result.filter((r) => r.complete)]
}

export type PersonPlan = Awaited<ReturnType<typeof plansForPerson>>[number]
