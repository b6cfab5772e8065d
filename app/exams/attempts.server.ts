import { randomUUID } from 'node:crypto'
import { and, arrayContains, arrayOverlaps, asc, eq, gte, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm'
import {
	attemptAnswers,
	bankRevision,
	attemptEvents,
	attemptQuestions,
	attempts,
	examAssignees,
	exams,
	examTemplates,
	people,
	questions,
	questionVersions,
	wrongAnswers,
	type PaperRule,
} from '#db/schema.ts'
import type { Answer } from '#db/schema/bank.ts'
import type { PersonCategory } from '#app/people/labels.ts'
import { queryRows, type Db, type DbOrTx } from '#app/utils/db.server.ts'
import { newSeed } from '#app/utils/random.ts'
import { issueCertificateFor } from '#app/certificates/issue.server.ts'
import { closeSatisfiedOrders } from '#app/records/orders.server.ts'
import { openOrderIfCheckFailed } from '#app/oversight/failures.server.ts'
import { acceptsAnswers, deadlineFor, GRACE_SECONDS, mustClose } from './deadline.ts'
import { isWellFormedAnswer, scoreAnswer, toShownLetters } from './grading.ts'
import { drawPaper, type Candidate } from './paper.ts'

// Attempts: start (draw and freeze a paper), save answers, submit and grade, close at the deadline.

export class ExamError extends Error {
	constructor(
		message: string,
		public readonly status: number,
	) {
		super(message)
	}
}

/** What a rule asks of a question, besides being live and visible to the template's owner. */
function ruleCondition(rule: PaperRule) {
	const conditions = [eq(questions.type, rule.type)]
	if (rule.part) conditions.push(eq(questions.part, rule.part))
	// forAllJobTypes as a bare column, not `= $1`: the planner then matches the partial index on
	// questions for all job types even in a generic plan of a prepared statement. It comes first,
	// as the cheaper test.
	if (rule.jobTypes?.length) conditions.push(or(sql`${questions.forAllJobTypes}`, arrayOverlaps(questions.jobTypes, rule.jobTypes))!)
	if (rule.topics?.length) conditions.push(arrayOverlaps(questions.topics, rule.topics))
	if (rule.minDifficulty) conditions.push(gte(questions.difficulty, rule.minDifficulty))
	if (rule.maxDifficulty) conditions.push(lte(questions.difficulty, rule.maxDifficulty))
	return and(...conditions)!
}

/** Whose paper it is: the template's owner (null: the platform) and the taker's personnel category. */
export type CandidateScope = { ownerOrgId?: string | null; category?: PersonCategory }

/**
 * Questions of the bank each rule may draw (current versions, not archived), in one pass over
 * the bank. With `ownerOrgId` (the template's owner), only the platform's questions and that
 * organisation's own: an enterprise's questions never reach another enterprise's paper (null:
 * the platform's only). With `category` (the taker's), only questions for everyone or for that
 * category: the questions for 主要负责人 and 安全管理人员 stay out of a worker's paper.
 */
export async function candidatesForRules(tx: DbOrTx, rules: PaperRule[], { ownerOrgId, category }: CandidateScope = {}): Promise<Candidate[][]> {
	if (!rules.length) return []
	const visible = [sql`not ${questions.archived}`]
	if (ownerOrgId !== undefined) visible.push(ownerOrgId === null ? isNull(questions.ownerOrgId) : or(isNull(questions.ownerOrgId), eq(questions.ownerOrgId, ownerOrgId))!)
	if (category) visible.push(or(isNull(questions.categories), arrayContains(questions.categories, [category]))!)
	const conditions = rules.map(ruleCondition)
	// Each rule's candidates as one text value, "id version optionCount" joined by commas: a rule
	// may match thousands of questions, and fetching them as rows cost more than finding them
	// (PGlite decodes every value on its own, in WASM). A question matching two
	// rules is listed for both, as drawPaper expects. Ordered by id, as drawPaper orders them,
	// which makes its own sort nearly free.
	const item = sql`${questions.id}::text || ' ' || ${questions.currentVersionId}::text || ' ' || jsonb_array_length(${questions.options})`
	const lists = Object.fromEntries(conditions.map((condition, i) => [`r${i}`, sql<string | null>`string_agg(${item}, ',' order by ${questions.id}) filter (where ${condition})`]))
	const [row] = await tx
		.select(lists)
		.from(questions)
		.where(and(...visible, or(...conditions)))
	return conditions.map((_, i) =>
		(row?.[`r${i}`] ?? '')
			.split(',')
			.filter(Boolean)
			.map((entry) => {
				const [questionId, versionId, optionCount] = entry.split(' ') as [string, string, string]
				return { questionId, versionId, optionCount: Number(optionCount) }
			}),
	)
}

// Candidate lists by bank revision, rules and scope. At a company-wide exam a hundred takers a
// second draw from the same rules, and the lists change only when the bank does: the revision
// changes with every change to questions, so an entry is never stale. Promises are kept, so a
// burst of starts waits for one query. Least recently used entries go first.
const candidateCache = new Map<string, Promise<Candidate[][]>>()
const CANDIDATE_CACHE_SIZE = 32

function cachedCandidates(db: DbOrTx, revision: string, rules: PaperRule[], scope: CandidateScope) {
	const key = JSON.stringify([revision, rules, scope.ownerOrgId ?? null, scope.category ?? null])
	let lists = candidateCache.get(key)
	if (lists) candidateCache.delete(key)
	else {
		lists = candidatesForRules(db, rules, scope)
		lists.catch(() => candidateCache.delete(key))
	}
	candidateCache.set(key, lists)
	if (candidateCache.size > CANDIDATE_CACHE_SIZE) candidateCache.delete(candidateCache.keys().next().value!)
	return lists
}

/** Questions of the bank one rule may draw: see candidatesForRules. */
export async function candidatesFor(tx: DbOrTx, rule: PaperRule, scope: CandidateScope = {}): Promise<Candidate[]> {
	return (await candidatesForRules(tx, [rule], scope))[0]!
}

/**
 * The exam as an assignee sees it before starting: window, rules, their attempts, and their
 * personnel category (which questions their paper may hold). Null unless they are assigned.
 */
export async function examForTaker(tx: DbOrTx, examId: string, personId: string) {
	const [found] = await tx
		.select({ exam: exams, template: examTemplates, category: people.category, bankRevision: sql<string>`(select ${bankRevision.revision}::text from ${bankRevision})` })
		.from(exams)
		.innerJoin(examTemplates, eq(examTemplates.id, exams.templateId))
		.innerJoin(examAssignees, and(eq(examAssignees.examId, exams.id), eq(examAssignees.personId, personId)))
		.innerJoin(people, eq(people.id, examAssignees.personId))
		.where(eq(exams.id, examId))
	if (!found) return null
	const mine = await tx.select().from(attempts).where(and(eq(attempts.examId, examId), eq(attempts.personId, personId))).orderBy(asc(attempts.startedAt))
	return { ...found, attempts: mine }
}

/**
 * Starts an attempt, or returns the person's open one (a second device resumes it). The paper is
 * drawn and frozen: exact question versions, order and option order. An open attempt past its
 * deadline is closed (and graded) first. At most four statements and no transaction (a company-wide exam
 * starts a hundred attempts a second): the reads need no lock, since the unique index on open
 * attempts settles a race between two devices, and the attempt and its paper go in as one statement.
 */
export async function startAttempt(db: Db, examId: string, personId: string, now = new Date()) {
	const found = await examForTaker(db, examId, personId)
	if (!found) throw new ExamError('没有找到这场考试，或您不在考试名单中', 404)
	const { exam, template } = found
	for (const attempt of found.attempts) {
		if (attempt.status === 'open' && mustClose(now, attempt.deadlineAt)) attempt.status = (await submitAttempt(db, attempt.id, 'deadline', now))?.status ?? 'submitted'
	}
	const open = found.attempts.find((a) => a.status === 'open')
	if (open) return open.id
	if (now < exam.opensAt) throw new ExamError('考试尚未开始', 409)
	if (now >= exam.closesAt) throw new ExamError('考试已结束', 409)
	if (found.attempts.length >= template.attemptsAllowed) throw new ExamError(`本场考试最多可考 ${template.attemptsAllowed} 次，您的次数已用完`, 409)

	const candidates = await cachedCandidates(db, found.bankRevision, template.rules, { ownerOrgId: template.ownerOrgId, category: found.category })
	let paper: ReturnType<typeof drawPaper>
	try {
		paper = drawPaper(template, candidates, newSeed())
	} catch {
		// The bank shrank since the template was checked (questions archived or edited).
		throw new ExamError('题库中符合试卷规则的题目不足，暂时无法组卷，请联系考试管理员', 409)
	}
	const id = randomUUID()
	const deadlineAt = deadlineFor(now, template.timeLimitMinutes, exam.closesAt)
	const maxScore = paper.reduce((sum, item) => sum + item.points, 0)
	// The whole paper as one JSON parameter: a 100-row insert with 600 bound values cost more CPU
	// in the query builder than anything else in a start.
	const paperRows = paper.map((item, i) => ({ position: i + 1, question_id: item.questionId, question_version_id: item.versionId, option_order: item.optionOrder, points: item.points }))
	const [row] = await queryRows<{ started: number }>(
		sql`with started as (
				insert into ${attempts} (id, exam_id, person_id, started_at, deadline_at, max_score)
				values (${id}::uuid, ${examId}::uuid, ${personId}::uuid, ${now.toISOString()}::timestamptz, ${deadlineAt.toISOString()}::timestamptz, ${maxScore})
				on conflict do nothing
				returning id
			), frozen as (
				insert into ${attemptQuestions} (attempt_id, position, question_id, question_version_id, option_order, points)
				select started.id, x.position, x.question_id, x.question_version_id, x.option_order, x.points
				from started cross join jsonb_to_recordset(${JSON.stringify(paperRows)}::jsonb)
					as x(position int, question_id uuid, question_version_id uuid, option_order int[], points int)
			)
			select count(*)::int as started from started`,
		db,
	)
	if (row?.started) return id
	// Another request of the same person started one a moment ago: resume that.
	const [other] = await db.select({ id: attempts.id }).from(attempts).where(and(eq(attempts.examId, examId), eq(attempts.personId, personId), eq(attempts.status, 'open')))
	if (other) return other.id
	throw new ExamError('无法开始考试，请重试', 409)
}

async function ownAttempt(tx: DbOrTx, attemptId: string, personId: string) {
	const [attempt] = await tx.select().from(attempts).where(and(eq(attempts.id, attemptId), eq(attempts.personId, personId)))
	return attempt ?? null
}

/**
 * An open attempt as its taker sees it: the exam's title and rules, questions with options in the
 * order shown, saved answers, the deadline. Never the answer key or the explanations.
 */
export async function paperForTaker(db: Db, attemptId: string, personId: string, now = new Date()) {
	const [found] = await db
		.select({ attempt: attempts, exam: { id: exams.id, title: exams.title, passMark: examTemplates.passMark, switchLimit: examTemplates.switchLimit } })
		.from(attempts)
		.innerJoin(exams, eq(exams.id, attempts.examId))
		.innerJoin(examTemplates, eq(examTemplates.id, exams.templateId))
		.where(and(eq(attempts.id, attemptId), eq(attempts.personId, personId)))
	if (!found) return null
	const { attempt, exam } = found
	if (attempt.status === 'open' && mustClose(now, attempt.deadlineAt)) {
		const closed = await submitAttempt(db, attemptId, 'deadline', now)
		return { attempt: closed ?? { ...attempt, status: 'submitted' as const }, exam, questions: [], answers: {} as Record<number, { answer: Answer | null; clientSeq: number }> }
	}
	// Questions and saved answers in one read.
	const rows = await db
		.select({
			position: attemptQuestions.position,
			optionOrder: attemptQuestions.optionOrder,
			points: attemptQuestions.points,
			type: questionVersions.type,
			stem: questionVersions.stem,
			options: questionVersions.options,
			answer: attemptAnswers.answer,
			clientSeq: attemptAnswers.clientSeq,
		})
		.from(attemptQuestions)
		.innerJoin(questionVersions, eq(questionVersions.id, attemptQuestions.questionVersionId))
		.leftJoin(attemptAnswers, and(eq(attemptAnswers.attemptId, attemptQuestions.attemptId), eq(attemptAnswers.position, attemptQuestions.position)))
		.where(eq(attemptQuestions.attemptId, attemptId))
		.orderBy(asc(attemptQuestions.position))
	const answers: Record<number, { answer: Answer | null; clientSeq: number }> = {}
	for (const r of rows) if (r.clientSeq !== null) answers[r.position] = { answer: r.answer, clientSeq: r.clientSeq }
	return {
		attempt,
		exam,
		questions: rows.map((r) => ({ position: r.position, type: r.type, stem: r.stem, points: r.points, options: r.optionOrder.map((i) => r.options[i]!) })),
		answers,
	}
}

export type SaveResult = { saved: boolean; stale: boolean; clientSeq: number }

/**
 * Saves one answer. Idempotent: the same (position, clientSeq) saved twice changes nothing, and a
 * save older than the one stored is ignored. Refused once the deadline and grace have passed.
 * Two statements and no transaction: saves are the bulk of an exam's traffic.
 */
export async function saveAnswer(
	db: Db,
	input: { attemptId: string; personId: string; position: number; answer: unknown; clientSeq: number },
	now = new Date(),
): Promise<SaveResult> {
	const [found] = await db
		.select({
			status: attempts.status,
			deadlineAt: attempts.deadlineAt,
			type: questionVersions.type,
			optionCount: sql<number>`jsonb_array_length(${questionVersions.options})::int`,
		})
		.from(attempts)
		.leftJoin(attemptQuestions, and(eq(attemptQuestions.attemptId, attempts.id), eq(attemptQuestions.position, input.position)))
		.leftJoin(questionVersions, eq(questionVersions.id, attemptQuestions.questionVersionId))
		.where(and(eq(attempts.id, input.attemptId), eq(attempts.personId, input.personId)))
	if (!found) throw new ExamError('没有找到这次考试', 404)
	if (found.status !== 'open') throw closedError()
	if (!acceptsAnswers(now, found.deadlineAt)) {
		await submitAttempt(db, input.attemptId, 'deadline', now)
		throw new ExamError('考试时间已到，系统已按已保存的答案交卷，此答案未能保存', 409)
	}
	if (!found.type) throw new ExamError('没有这道题', 400)
	if (!isWellFormedAnswer(found.type, found.optionCount, input.answer)) throw new ExamError('答案格式不正确', 400)
	const answer = input.answer as Answer | null
	// Written only while the attempt is open. The row lock FOR SHARE, held until this statement
	// commits, keeps grading (which locks the attempt FOR UPDATE) from reading the answers between
	// the check and the write, so an acknowledged answer is always graded; if grading went first,
	// the attempt is no longer open and nothing is written.
	const saved = await queryRows<{ client_seq: number }>(
		sql`insert into ${attemptAnswers} (attempt_id, position, answer, client_seq, saved_at)
			select ${attempts.id}, ${input.position}, ${answer === null ? null : JSON.stringify(answer)}::jsonb, ${input.clientSeq}, ${now.toISOString()}::timestamptz
			from ${attempts} where ${attempts.id} = ${input.attemptId} and ${attempts.status} = 'open' for share
			on conflict (attempt_id, position) do update set answer = excluded.answer, client_seq = excluded.client_seq, saved_at = excluded.saved_at
				where ${attemptAnswers.clientSeq} < excluded.client_seq
			returning client_seq`,
		db,
	)
	if (saved.length) return { saved: true, stale: false, clientSeq: input.clientSeq }
	const [current] = await db
		.select({ status: attempts.status, clientSeq: attemptAnswers.clientSeq })
		.from(attempts)
		.leftJoin(attemptAnswers, and(eq(attemptAnswers.attemptId, attempts.id), eq(attemptAnswers.position, input.position)))
		.where(eq(attempts.id, input.attemptId))
	// Graded in the meantime: this answer came too late.
	if (current?.status !== 'open') throw closedError()
	// Same sequence number again: already saved (a retry). Lower: a stale save, ignored.
	const stored = current.clientSeq ?? 0
	return { saved: stored === input.clientSeq, stale: stored > input.clientSeq, clientSeq: stored }
}

const closedError = () => new ExamError('本次考试已交卷，答案不能再修改', 409)

/** Grades and closes an attempt with the answers the server has. Does nothing if already closed. */
export async function submitAttempt(db: DbOrTx, attemptId: string, by: 'person' | 'deadline' | 'switch_limit', now = new Date()) {
	return db.transaction(async (tx) => {
		const [attempt] = await tx.select().from(attempts).where(eq(attempts.id, attemptId)).for('update')
		if (!attempt || attempt.status !== 'open') return attempt ?? null
		const [{ template }] = (await tx.select({ template: examTemplates }).from(exams).innerJoin(examTemplates, eq(examTemplates.id, exams.templateId)).where(eq(exams.id, attempt.examId))) as [{ template: typeof examTemplates.$inferSelect }]
		const paper = await tx
			.select({ position: attemptQuestions.position, questionId: attemptQuestions.questionId, optionOrder: attemptQuestions.optionOrder, points: attemptQuestions.points, type: questionVersions.type, answer: questionVersions.answer })
			.from(attemptQuestions)
			.innerJoin(questionVersions, eq(questionVersions.id, attemptQuestions.questionVersionId))
			.where(eq(attemptQuestions.attemptId, attemptId))
		const given = new Map((await tx.select().from(attemptAnswers).where(eq(attemptAnswers.attemptId, attemptId))).map((a) => [a.position, a.answer]))
		const marks = paper.map((q) => ({ ...q, awarded: scoreAnswer(q, given.get(q.position), q.optionOrder, q.points, { partialCredit: template.partialCredit }) }))
		const score = marks.reduce((sum, q) => sum + q.awarded, 0)
		const wrong = marks.filter((q) => q.awarded < q.points).map((q) => q.questionId)
		// Every question's marks in one statement (a paper has up to a few hundred questions).
		if (marks.length) {
			await tx.execute(sql`
				update ${attemptQuestions} set awarded = m.awarded
				from jsonb_to_recordset(${JSON.stringify(marks.map(({ position, awarded }) => ({ position, awarded })))}::jsonb) as m(position int, awarded int)
				where ${attemptQuestions.attemptId} = ${attemptId} and ${attemptQuestions.position} = m.position`)
		}
		const passed = score >= template.passMark
		const [closed] = await tx
			.update(attempts)
			.set({ status: 'submitted', submittedAt: now, submittedBy: by, score, passed })
			.where(eq(attempts.id, attemptId))
			.returning()
		await noteWrongAnswers(tx, attempt.personId, wrong, now)
		// 合格证: issued in this same transaction when the attempt passed and the template says so.
		if (closed?.passed) await issueCertificateFor(tx, closed, template, now)
		// A passed re-exam may complete a 脱产培训 order; a failed spot check or on-site quiz opens one.
		if (closed?.passed) await closeSatisfiedOrders(tx, closed.personId, now)
		else if (closed) await openOrderIfCheckFailed(tx, closed, now)
		return closed ?? null
	})
}

/** 错题本: every question answered wrong goes in (again), its right-answer streak reset. */
export async function noteWrongAnswers(tx: DbOrTx, personId: string, questionIds: string[], now: Date) {
	if (!questionIds.length) return
	await tx
		.insert(wrongAnswers)
		.values(questionIds.map((questionId) => ({ personId, questionId, lastWrongAt: now, rightStreak: 0, clearedAt: null })))
		.onConflictDoUpdate({ target: [wrongAnswers.personId, wrongAnswers.questionId], set: { lastWrongAt: now, rightStreak: 0, clearedAt: null } })
}

/**
 * The periodic sweep (the `close_expired_attempts` job): closes every open attempt whose deadline
 * and grace have passed and returns their ids. Rows are claimed with SKIP LOCKED, so several app
 * instances can run it at once and each attempt is closed exactly once.
 */
export async function closeExpiredAttempts(db: Db, now = new Date(), batch = 100) {
	const closed: string[] = []
	for (;;) {
		const done = await db.transaction(async (tx) => {
			const due = await tx
				.select({ id: attempts.id })
				.from(attempts)
				// deadline + grace < now, with the time through the column's encoder (a bare Date in raw
				// SQL fails on postgres.js) and 'open' a literal, so the partial index on open deadlines
				// serves even a generic plan.
				.where(and(sql`${attempts.status} = 'open'`, lt(attempts.deadlineAt, new Date(now.getTime() - GRACE_SECONDS * 1000))))
				.limit(batch)
				.for('update', { skipLocked: true })
			for (const { id } of due) await submitAttempt(tx, id, 'deadline', now)
			return due.map((d) => d.id)
		})
		closed.push(...done)
		if (done.length < batch) return closed
	}
}

/** 切屏: the page was hidden (or shown again). Hidden counts toward the template's limit, if any. */
export async function recordPageEvent(db: Db, attemptId: string, personId: string, kind: 'hidden' | 'visible', now = new Date()) {
	const attempt = await ownAttempt(db, attemptId, personId)
	if (!attempt || attempt.status !== 'open') return null
	await db.insert(attemptEvents).values({ attemptId, kind, at: now })
	if (kind !== 'hidden') return attempt
	const [updated] = await db.update(attempts).set({ switchCount: sql`${attempts.switchCount} + 1` }).where(eq(attempts.id, attemptId)).returning()
	const [{ limit }] = (await db.select({ limit: examTemplates.switchLimit }).from(exams).innerJoin(examTemplates, eq(examTemplates.id, exams.templateId)).where(eq(exams.id, attempt.examId))) as [{ limit: number | null }]
	if (limit !== null && updated && updated.switchCount >= limit) return submitAttempt(db, attemptId, 'switch_limit', now)
	return updated ?? null
}

/** A submitted attempt's result, with the review (right answers in the order shown, explanations) if the template allows. */
export async function resultFor(db: Db, attemptId: string, personId: string, now = new Date()) {
	const attempt = await ownAttempt(db, attemptId, personId)
	if (!attempt) return null
	if (attempt.status === 'open') {
		if (!mustClose(now, attempt.deadlineAt)) return { attempt, review: null, showReview: false }
		await submitAttempt(db, attemptId, 'deadline', now)
		return resultFor(db, attemptId, personId, now)
	}
	const [{ template, exam }] = (await db.select({ template: examTemplates, exam: exams }).from(exams).innerJoin(examTemplates, eq(examTemplates.id, exams.templateId)).where(eq(exams.id, attempt.examId))) as [{ template: typeof examTemplates.$inferSelect; exam: typeof exams.$inferSelect }]
	if (!template.showReview) return { attempt, exam, template, review: null, showReview: false }
	const rows = await db
		.select({ position: attemptQuestions.position, optionOrder: attemptQuestions.optionOrder, points: attemptQuestions.points, awarded: attemptQuestions.awarded, type: questionVersions.type, stem: questionVersions.stem, options: questionVersions.options, answer: questionVersions.answer, explanation: questionVersions.explanation })
		.from(attemptQuestions)
		.innerJoin(questionVersions, eq(questionVersions.id, attemptQuestions.questionVersionId))
		.where(eq(attemptQuestions.attemptId, attemptId))
		.orderBy(asc(attemptQuestions.position))
	const given = new Map((await db.select().from(attemptAnswers).where(eq(attemptAnswers.attemptId, attemptId))).map((a) => [a.position, a.answer]))
	const review = rows.map((r) => ({
		position: r.position,
		type: r.type,
		stem: r.stem,
		options: r.optionOrder.map((i) => r.options[i]!),
		given: given.get(r.position) ?? null,
		right: typeof r.answer === 'string' ? toShownLetters(r.answer, r.optionOrder) : r.answer,
		explanation: r.explanation,
		points: r.points,
		awarded: r.awarded ?? 0,
	}))
	return { attempt, exam, template, review, showReview: true }
}

/** Exams assigned to a person, with their latest attempt, for the worker's home. */
export async function examsForPerson(db: Db, personId: string) {
	const rows = await db
		.select({ exam: exams, template: examTemplates })
		.from(examAssignees)
		.innerJoin(exams, eq(exams.id, examAssignees.examId))
		.innerJoin(examTemplates, eq(examTemplates.id, exams.templateId))
		.where(eq(examAssignees.personId, personId))
		.orderBy(asc(exams.closesAt))
	if (!rows.length) return []
	const mine = await db.select().from(attempts).where(and(eq(attempts.personId, personId), inArray(attempts.examId, rows.map((r) => r.exam.id))))
	return rows.map(({ exam, template }) => {
		const list = mine.filter((a) => a.examId === exam.id).sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime())
		return { exam, template, latest: list[0] ?? null, attemptsUsed: list.length, passed: list.some((a) => a.passed) }
	})
}
