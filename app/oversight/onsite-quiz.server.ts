import { randomInt, randomUUID } from 'node:crypto'
import { and, asc, desc, eq, gt, isNull, like, sql } from 'drizzle-orm'
import { attempts, examAssignees, exams, examTemplates, inspections, onsiteQuizzes, organizations, people, personJobTypes } from '#db/schema.ts'
import type { SessionUser } from '#app/auth/scope.ts'
import { submitAttempt } from '#app/exams/attempts.server.ts'
import { mustClose } from '#app/exams/deadline.ts'
import { checkFeasibility } from '#app/exams/templates.server.ts'
import { phoneLookupHash } from '#app/people/pii.server.ts'
import { writeAudit } from '#app/utils/audit.server.ts'
import { chinaDay } from '#app/utils/days.ts'
import type { Db, DbOrTx } from '#app/utils/db.server.ts'
import { isUuid } from '#app/utils/ids.ts'
import type { InspectionInScope, InspectorScope } from './inspections.server.ts'
import { CLOSED_MESSAGE, joinableUntil, joinCodeFrom, onsiteRules, OUTSIDE_MESSAGE, passMarkFor, quizWindow } from './onsite-quiz.ts'

// 逢查必考: an on-site quiz started from an inspection — a short exam matched to the job types at
// the enterprise, joined by a six-digit code (or its QR code) by the enterprise's own people.
// Its exam is referenced by onsite_quizzes.exam_id, so a failed attempt opens a retraining order
// (app/oversight/failures.server.ts) when it is graded.

export type StartQuizResult = { ok: true; quizId: string } | { ok: false; errors: Record<string, string> }

/** The job types held by people of the enterprise (its whole subtree). */
async function jobTypesAt(tx: DbOrTx, orgPath: string) {
	const rows = await tx
		.selectDistinct({ code: personJobTypes.jobTypeCode })
		.from(personJobTypes)
		.innerJoin(people, eq(people.id, personJobTypes.personId))
		.innerJoin(organizations, eq(organizations.id, people.orgId))
		.where(and(like(organizations.path, `${orgPath}%`), isNull(people.anonymisedAt)))
	return rows.map((r) => r.code).sort()
}

/** A code no quiz still open (not ended, window not over) uses. */
async function freeJoinCode(tx: DbOrTx, now: Date) {
	for (let i = 0; i < 50; i++) {
		const code = joinCodeFrom(randomInt(1_000_000) / 1_000_000)
		const [taken] = await tx
			.select({ id: onsiteQuizzes.id })
			.from(onsiteQuizzes)
			.innerJoin(exams, eq(exams.id, onsiteQuizzes.examId))
			.where(and(eq(onsiteQuizzes.joinCode, code), isNull(onsiteQuizzes.closedAt), gt(exams.closesAt, now)))
		if (!taken) return code
	}
	throw new Error('no free join code')
}

/**
 * Starts an on-site quiz: a template owned by the inspector's organisation (purpose 'onsite')
 * whose rules the bank can satisfy — the enterprise's job types, else general questions — an exam
 * open from now for joining, and the quiz row with its join code; one transaction, audited.
 */
export async function startOnsiteQuiz(db: Db, user: SessionUser, scope: InspectorScope, found: InspectionInScope, settings: { questionCount: number; minutes: number }, now = new Date()): Promise<StartQuizResult> {
	const { inspection, org } = found
	// The template belongs to the jurisdiction the inspection is in (a system admin's: the platform's).
	const ownerOrgId = scope.all ? null : (scope.roots.find((r) => org.path.startsWith(r.path))?.orgId ?? null)
	const jobTypes = await jobTypesAt(db, org.path)
	let rules = onsiteRules(settings.questionCount, jobTypes)
	if ((await checkFeasibility(db, rules, ownerOrgId)).some((r) => r.short)) {
		// Too few questions for these job types: general questions for everyone instead.
		rules = onsiteRules(settings.questionCount, [])
		if ((await checkFeasibility(db, rules, ownerOrgId)).some((r) => r.short)) return { ok: false, errors: { form: '题库中的题目不足，暂时无法组卷，请联系题库管理员' } }
	}
	const templateId = randomUUID()
	const examId = randomUUID()
	const quizId = randomUUID()
	const title = `现场考试 · ${org.name} · ${chinaDay(now)}`
	const window = quizWindow(now, settings.minutes)
	await db.transaction(async (tx) => {
		await tx.insert(examTemplates).values({
			id: templateId,
			ownerOrgId,
			title,
			purpose: 'onsite',
			jobTypes,
			timeLimitMinutes: settings.minutes,
			passMark: passMarkFor(settings.questionCount),
			attemptsAllowed: 1,
			rules,
			showReview: true,
			createdBy: user.id,
			createdAt: now,
			updatedAt: now,
		})
		await tx.insert(exams).values({ id: examId, templateId, ownerOrgId: ownerOrgId ?? org.id, title, opensAt: window.opensAt, closesAt: window.closesAt, createdBy: user.id, createdAt: now })
		const joinCode = await freeJoinCode(tx, now)
		await tx.insert(onsiteQuizzes).values({ id: quizId, inspectionId: inspection.id, examId, joinCode, createdBy: user.id, createdAt: now })
		await writeAudit(tx, {
			actorId: user.id,
			action: 'onsite_quiz.start',
			targetType: 'onsite_quiz',
			targetId: quizId,
			orgId: org.id,
			detail: { inspectionId: inspection.id, examId, questionCount: settings.questionCount, minutes: settings.minutes, jobTypes: rules[0]?.jobTypes ?? [] },
		})
	})
	return { ok: true, quizId }
}

/** A quiz of this inspection, with its exam and template; null if not one of its quizzes. */
export async function quizOfInspection(tx: DbOrTx, inspectionId: string, quizId: string | undefined) {
	if (!isUuid(quizId)) return null
	const [row] = await tx
		.select({ quiz: onsiteQuizzes, exam: exams, template: examTemplates })
		.from(onsiteQuizzes)
		.innerJoin(exams, eq(exams.id, onsiteQuizzes.examId))
		.innerJoin(examTemplates, eq(examTemplates.id, exams.templateId))
		.where(and(eq(onsiteQuizzes.id, quizId), eq(onsiteQuizzes.inspectionId, inspectionId)))
	return row ?? null
}

export type QuizOfInspection = NonNullable<Awaited<ReturnType<typeof quizOfInspection>>>

/** Whether people may still join: not ended by the inspector, and within the joining time. */
export const isJoinable = (q: Pick<QuizOfInspection, 'quiz' | 'exam' | 'template'>, now: Date) => q.quiz.closedAt === null && now < joinableUntil(q.exam.closesAt, q.template.timeLimitMinutes)

/**
 * The inspector's live table: everyone who joined, with their attempt. Attempts past their
 * deadline are graded first, so a quiz that has ended shows every score.
 */
export async function quizBoard(db: Db, examId: string, now = new Date()) {
	const overdue = await db.select({ id: attempts.id, deadlineAt: attempts.deadlineAt }).from(attempts).where(and(eq(attempts.examId, examId), eq(attempts.status, 'open')))
	for (const a of overdue) if (mustClose(now, a.deadlineAt)) await submitAttempt(db, a.id, 'deadline', now)
	const rows = await db
		.select({
			personId: people.id,
			name: people.name,
			position: people.position,
			joinedAt: examAssignees.assignedAt,
			status: attempts.status,
			score: attempts.score,
			maxScore: attempts.maxScore,
			passed: attempts.passed,
			submittedAt: attempts.submittedAt,
		})
		.from(examAssignees)
		.innerJoin(people, eq(people.id, examAssignees.personId))
		.leftJoin(attempts, and(eq(attempts.examId, examAssignees.examId), eq(attempts.personId, examAssignees.personId)))
		.where(eq(examAssignees.examId, examId))
		.orderBy(asc(examAssignees.assignedAt), asc(people.id))
	return rows
}

/**
 * 结束考试: nobody may join any more, and the exam closes now — open attempts' deadlines are
 * capped at now (as deadlineFor caps them at an exam's close), so they are graded with the answers
 * saved once the grace has passed (by the attempt-closing job, the taker's page, or this quiz's table).
 */
export async function closeOnsiteQuiz(db: Db, user: SessionUser, found: InspectionInScope, q: QuizOfInspection, now = new Date()) {
	return db.transaction(async (tx) => {
		const closed = await tx.update(onsiteQuizzes).set({ closedAt: now }).where(and(eq(onsiteQuizzes.id, q.quiz.id), isNull(onsiteQuizzes.closedAt))).returning({ id: onsiteQuizzes.id })
		if (!closed.length) return false
		await tx.update(exams).set({ closesAt: sql`least(${exams.closesAt}, ${now.toISOString()}::timestamptz)` }).where(eq(exams.id, q.exam.id))
		await tx
			.update(attempts)
			.set({ deadlineAt: sql`least(${attempts.deadlineAt}, ${now.toISOString()}::timestamptz)` })
			.where(and(eq(attempts.examId, q.exam.id), eq(attempts.status, 'open')))
		await writeAudit(tx, { actorId: user.id, action: 'onsite_quiz.close', targetType: 'onsite_quiz', targetId: q.quiz.id, orgId: found.org.id, detail: { examId: q.exam.id } })
		return true
	})
}

// ---- joining ---------------------------------------------------------------------------------

/** The quiz behind a join code (the latest with it), with the inspected enterprise. */
export async function quizByCode(tx: DbOrTx, code: string) {
	const [row] = await tx
		.select({ quiz: onsiteQuizzes, exam: exams, template: examTemplates, org: { id: organizations.id, name: organizations.name, path: organizations.path } })
		.from(onsiteQuizzes)
		.innerJoin(exams, eq(exams.id, onsiteQuizzes.examId))
		.innerJoin(examTemplates, eq(examTemplates.id, exams.templateId))
		.innerJoin(inspections, eq(inspections.id, onsiteQuizzes.inspectionId))
		.innerJoin(organizations, eq(organizations.id, inspections.orgId))
		.where(eq(onsiteQuizzes.joinCode, code))
		.orderBy(desc(onsiteQuizzes.createdAt))
		.limit(1)
	return row ?? null
}

export type QuizByCode = NonNullable<Awaited<ReturnType<typeof quizByCode>>>

export type JoinResult = { ok: true; examId: string; resumed: boolean } | { ok: false; status: number; error: string }

/**
 * Adds a person of the inspected enterprise to the quiz's exam. A second join resumes: nothing
 * is added, and the exam's page offers 继续考试 (or the result).
 */
export async function joinQuiz(db: Db, q: QuizByCode, person: { id: string; orgPath: string }, via: 'session' | 'roster', now = new Date()): Promise<JoinResult> {
	if (!person.orgPath.startsWith(q.org.path)) return { ok: false, status: 403, error: OUTSIDE_MESSAGE }
	return db.transaction(async (tx) => {
		const [already] = await tx.select({ personId: examAssignees.personId }).from(examAssignees).where(and(eq(examAssignees.examId, q.exam.id), eq(examAssignees.personId, person.id)))
		if (already) return { ok: true as const, examId: q.exam.id, resumed: true }
		if (!isJoinable(q, now)) return { ok: false as const, status: 409, error: CLOSED_MESSAGE }
		await tx.insert(examAssignees).values({ examId: q.exam.id, personId: person.id, assignedAt: now }).onConflictDoNothing()
		await writeAudit(tx, { actorId: person.id, action: 'onsite_quiz.join', targetType: 'onsite_quiz', targetId: q.quiz.id, orgId: q.org.id, detail: { via } })
		return { ok: true as const, examId: q.exam.id, resumed: false }
	})
}

/** The enterprise's person with exactly this name and phone, if any (phone by its keyed hash). */
export async function rosterMatch(tx: DbOrTx, q: QuizByCode, name: string, phone: string) {
	const [person] = await tx
		.select({ id: people.id, orgPath: organizations.path, hasPassword: sql<boolean>`${people.passwordHash} is not null` })
		.from(people)
		.innerJoin(organizations, eq(organizations.id, people.orgId))
		.where(and(eq(people.phoneHash, phoneLookupHash(phone)), eq(people.name, name.trim()), like(organizations.path, `${q.org.path}%`)))
	return person ?? null
}
