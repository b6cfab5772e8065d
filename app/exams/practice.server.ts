import { and, arrayOverlaps, asc, count, desc, eq, gt, isNull, or, sql, type SQL } from 'drizzle-orm'
import { jobTypes, organizations, people, personJobTypes, practiceDays, questions, questionVersions, wrongAnswers } from '#db/schema.ts'
import type { Answer } from '#db/schema/bank.ts'
import { PART_LABELS, type KnowledgePart } from '#app/bank/question.ts'
import { db as defaultDb, type Db, type DbOrTx } from '#app/utils/db.server.ts'
import { ExamError, noteWrongAnswers } from './attempts.server.ts'
import { isWellFormedAnswer, scoreAnswer } from './grading.ts'
import { CLEAR_AFTER, inNotebook, notebookAfter, practiceStreak, type PracticeSummary } from './practice.ts'
import { forAudience, type Audience } from '#app/people/audience.server.ts'
import { chinaDay } from '#app/utils/days.ts'

// 自我评测: practice by job type and part, the 错题本 and the daily streak. Every function takes
// the person from the session (never from the request), so a person only ever sees their own data
// and questions of their own job types.

/** What a practice session draws from: a part of the bank (专业 of one of the person's job types, or all of them), or the 错题本. */
export type PracticeSet = { kind: 'bank'; part: KnowledgePart; job: string | null } | { kind: 'wrong' }

type Practitioner = Audience & { id: string; jobs: { code: string; name: string }[] }

async function practitionerOf(tx: DbOrTx, personId: string): Promise<Practitioner | null> {
	const [row] = await tx
		.select({ id: people.id, category: people.category, orgPath: organizations.path })
		.from(people)
		.innerJoin(organizations, eq(organizations.id, people.orgId))
		.where(eq(people.id, personId))
	if (!row) return null
	const jobs = await tx
		.select({ code: jobTypes.code, name: jobTypes.name })
		.from(personJobTypes)
		.innerJoin(jobTypes, eq(jobTypes.code, personJobTypes.jobTypeCode))
		.where(eq(personJobTypes.personId, personId))
		.orderBy(asc(jobTypes.sortOrder), asc(jobTypes.code))
	return { id: row.id, category: row.category, orgPath: row.orgPath, jobs }
}

/** Questions a person may practise at all: live, owned by the platform or their own organisation (or its parents), for their personnel category. */
function visibleTo(p: Practitioner): SQL {
	return and(eq(questions.archived, false), forAudience(questions, p))!
}

/** For every job type, or for one of these. */
function forJobs(codes: string[]): SQL {
	return codes.length ? or(eq(questions.forAllJobTypes, true), arrayOverlaps(questions.jobTypes, codes))! : eq(questions.forAllJobTypes, true)
}

function bankCondition(p: Practitioner, set: { part: KnowledgePart; job: string | null }): SQL {
	const codes = set.job ? [set.job] : p.jobs.map((j) => j.code)
	return and(visibleTo(p), eq(questions.part, set.part), forJobs(codes))!
}

/** Anything the person may practise: their job types and 通用, both parts. */
function anyPractisable(p: Practitioner): SQL {
	return and(visibleTo(p), forJobs(p.jobs.map((j) => j.code)))!
}

/** The bank's own order: shipped questions by their code, then the ones made in the app by age. */
const bankOrder = [asc(sql`${questions.code} is null`), asc(questions.code), asc(questions.createdAt), asc(questions.id)]

const openNotebook = (personId: string) => and(eq(wrongAnswers.personId, personId), isNull(wrongAnswers.clearedAt), eq(questions.archived, false))

/**
 * Checks a requested set against the person: 专业 questions only of their own job types. Returns
 * the set with a label, or a message saying why not.
 */
export async function resolvePracticeSet(
	tx: DbOrTx,
	personId: string,
	request: { set?: 'bank' | 'wrong'; part?: KnowledgePart; job?: string | null },
): Promise<{ ok: true; set: PracticeSet; label: string } | { ok: false; message: string }> {
	if (request.set === 'wrong') return { ok: true, set: { kind: 'wrong' }, label: '错题本' }
	const p = await practitionerOf(tx, personId)
	if (!p) return { ok: false, message: '没有找到您的人员信息' }
	if (!request.part) return { ok: false, message: '请选择练习内容' }
	const job = request.job || null
	if (job && !p.jobs.some((j) => j.code === job)) {
		return { ok: false, message: '只能练习本人工种的题目。您登记的工种不包括这个工种，请从“自我评测”页选择。' }
	}
	if (request.part === 'general') return { ok: true, set: { kind: 'bank', part: 'general', job: null }, label: PART_LABELS.general }
	const jobName = job ? p.jobs.find((j) => j.code === job)!.name : p.jobs.map((j) => j.name).join('、')
	return { ok: true, set: { kind: 'bank', part: 'professional', job }, label: `${PART_LABELS.professional}${jobName ? ` · ${jobName}` : ''}` }
}

/** The ids of the questions of a set, in the bank's order. */
export async function practiceQuestionIds(tx: DbOrTx, personId: string, set: PracticeSet): Promise<string[]> {
	if (set.kind === 'wrong') {
		const rows = await tx
			.select({ id: questions.id })
			.from(wrongAnswers)
			.innerJoin(questions, eq(questions.id, wrongAnswers.questionId))
			.where(openNotebook(personId))
			.orderBy(...bankOrder)
		return rows.map((r) => r.id)
	}
	const p = await practitionerOf(tx, personId)
	if (!p) return []
	const rows = await tx.select({ id: questions.id }).from(questions).where(bankCondition(p, set)).orderBy(...bankOrder)
	return rows.map((r) => r.id)
}

/** The choices on the practice page: 通用, then 专业 of each of the person's job types, with their question counts. */
export async function practiceChoices(tx: DbOrTx, personId: string) {
	const p = await practitionerOf(tx, personId)
	if (!p) return []
	const countOf = async (set: { part: KnowledgePart; job: string | null }) =>
		(await tx.select({ n: count() }).from(questions).where(bankCondition(p, set)))[0]?.n ?? 0
	const choices = [{ part: 'general' as KnowledgePart, job: null as string | null, label: PART_LABELS.general, count: await countOf({ part: 'general', job: null }) }]
	for (const j of p.jobs) choices.push({ part: 'professional', job: j.code, label: `${PART_LABELS.professional} · ${j.name}`, count: await countOf({ part: 'professional', job: j.code }) })
	return choices
}

/**
 * A question as the practice page shows it before it is answered: its latest version's stem and
 * options, never the answer or the explanation.
 */
export async function practiceQuestion(tx: DbOrTx, questionId: string) {
	const [row] = await tx
		.select({ id: questions.id, versionId: questionVersions.id, type: questionVersions.type, stem: questionVersions.stem, options: questionVersions.options, part: questions.part })
		.from(questions)
		.innerJoin(questionVersions, eq(questionVersions.id, questions.currentVersionId))
		.where(eq(questions.id, questionId))
	return row ?? null
}

export type NotebookChange = 'added' | 'reset' | 'progress' | 'cleared' | null

export type PracticeFeedback = {
	correct: boolean
	question: { id: string; type: 'single' | 'multiple' | 'judge'; stem: string; options: string[] }
	given: Answer
	right: Answer
	explanation: string
	notebook: NotebookChange
	rightStreak: number
}

/** Whether the person may practise this question: one of their job types or 通用, or one in their 错题本. */
async function mayPractise(tx: DbOrTx, p: Practitioner, questionId: string) {
	const [bank] = await tx.select({ id: questions.id }).from(questions).where(and(eq(questions.id, questionId), anyPractisable(p)))
	if (bank) return true
	const [noted] = await tx.select({ id: wrongAnswers.questionId }).from(wrongAnswers).where(and(eq(wrongAnswers.personId, p.id), eq(wrongAnswers.questionId, questionId)))
	return Boolean(noted)
}

/**
 * Grades one practice answer against the version that was shown, and records it: the day's
 * count (for the streak) and the 错题本 (a wrong answer puts the question in with a streak of 0; a
 * right one counts toward the two in a row that clear it). Returns the feedback with the key and
 * the explanation — only ever after an answer.
 */
export async function answerPractice(
	db: Db,
	input: { personId: string; questionId: string; versionId: string; answer: unknown },
	now = new Date(),
): Promise<PracticeFeedback> {
	return db.transaction(async (tx) => {
		const p = await practitionerOf(tx, input.personId)
		if (!p || !(await mayPractise(tx, p, input.questionId))) throw new ExamError('没有找到这道题，或它不属于您可以练习的题目', 404)
		const [version] = await tx
			.select()
			.from(questionVersions)
			.where(and(eq(questionVersions.id, input.versionId), eq(questionVersions.questionId, input.questionId)))
		if (!version) throw new ExamError('没有找到这道题', 404)
		if (input.answer === null || !isWellFormedAnswer(version.type, version.options.length, input.answer)) throw new ExamError('答案格式不正确', 400)
		// Letters compared as a set: "CA" is the same answer as "AC".
		const given = typeof input.answer === 'string' ? [...input.answer].sort().join('') : (input.answer as Answer)
		const identity = version.options.map((_, i) => i)
		const correct = scoreAnswer(version, given, identity, 1) === 1

		const day = chinaDay(now)
		await tx
			.insert(practiceDays)
			.values({ personId: p.id, day, answered: 1, correct: correct ? 1 : 0 })
			.onConflictDoUpdate({
				target: [practiceDays.personId, practiceDays.day],
				set: { answered: sql`${practiceDays.answered} + 1`, correct: sql`${practiceDays.correct} + ${correct ? 1 : 0}` },
			})

		const [entry] = await tx
			.select()
			.from(wrongAnswers)
			.where(and(eq(wrongAnswers.personId, p.id), eq(wrongAnswers.questionId, input.questionId)))
			.for('update')
		const next = notebookAfter(entry ?? null, correct, now)
		let change: NotebookChange = null
		if (!correct) {
			await noteWrongAnswers(tx, p.id, [input.questionId], now)
			change = inNotebook(entry) ? 'reset' : 'added'
		} else if (entry && next && inNotebook(entry)) {
			await tx
				.update(wrongAnswers)
				.set({ rightStreak: next.rightStreak, clearedAt: next.clearedAt })
				.where(and(eq(wrongAnswers.personId, p.id), eq(wrongAnswers.questionId, input.questionId)))
			change = next.clearedAt ? 'cleared' : 'progress'
		}
		return {
			correct,
			question: { id: input.questionId, type: version.type, stem: version.stem, options: version.options },
			given,
			right: version.answer,
			explanation: version.explanation,
			notebook: change,
			rightStreak: next?.rightStreak ?? 0,
		}
	})
}

export const NOTEBOOK_PAGE_SIZE = 30

/** The person's 错题本: open entries, most recently wrong first, with the latest version's stem. */
export async function notebookFor(tx: DbOrTx, personId: string, page = 1) {
	const [{ total }] = (await tx
		.select({ total: count() })
		.from(wrongAnswers)
		.innerJoin(questions, eq(questions.id, wrongAnswers.questionId))
		.where(openNotebook(personId))) as [{ total: number }]
	const pages = Math.max(1, Math.ceil(total / NOTEBOOK_PAGE_SIZE))
	const current = Math.min(Math.max(1, page), pages)
	const rows = await tx
		.select({
			questionId: questions.id,
			type: questionVersions.type,
			stem: questionVersions.stem,
			part: questions.part,
			lastWrongAt: wrongAnswers.lastWrongAt,
			rightStreak: wrongAnswers.rightStreak,
		})
		.from(wrongAnswers)
		.innerJoin(questions, eq(questions.id, wrongAnswers.questionId))
		.innerJoin(questionVersions, eq(questionVersions.id, questions.currentVersionId))
		.where(openNotebook(personId))
		.orderBy(desc(wrongAnswers.lastWrongAt), asc(questions.id))
		.limit(NOTEBOOK_PAGE_SIZE)
		.offset((current - 1) * NOTEBOOK_PAGE_SIZE)
	return { total, page: current, pages, pageSize: NOTEBOOK_PAGE_SIZE, entries: rows, clearAfter: CLEAR_AFTER }
}

export async function notebookCount(tx: DbOrTx, personId: string) {
	const [row] = await tx
		.select({ n: count() })
		.from(wrongAnswers)
		.innerJoin(questions, eq(questions.id, wrongAnswers.questionId))
		.where(openNotebook(personId))
	return row?.n ?? 0
}

/** For the worker's home: the daily-practice streak, today's answers and the 错题本's size. */
export async function practiceSummary(personId: string, now = new Date(), tx: DbOrTx = defaultDb): Promise<PracticeSummary> {
	const days = await tx
		.select({ day: practiceDays.day, answered: practiceDays.answered })
		.from(practiceDays)
		.where(and(eq(practiceDays.personId, personId), gt(practiceDays.answered, 0)))
		.orderBy(desc(practiceDays.day))
	const today = chinaDay(now)
	return {
		streakDays: practiceStreak(days, now),
		todayAnswered: days.find((d) => d.day === today)?.answered ?? 0,
		wrongCount: await notebookCount(tx, personId),
	}
}
