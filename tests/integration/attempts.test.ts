import { randomUUID } from 'node:crypto'
import { and, asc, count, eq, inArray, sql } from 'drizzle-orm'
import { beforeAll, describe, expect, test } from 'vitest'
import { attemptAnswers, attemptEvents, attemptQuestions, attempts, examAssignees, exams, examTemplates, people, questions, questionVersions, wrongAnswers, type PaperRule } from '#db/schema.ts'
import type { Answer } from '#db/schema/bank.ts'
import type { QuestionInput } from '#app/bank/question.ts'
import { createQuestion, updateQuestion } from '#app/bank/questions.server.ts'
import { syncShippedContent } from '#app/content/sync.server.ts'
import { seedDemo } from '#app/demo/seed.server.ts'
import {
	candidatesFor,
	candidatesForRules,
	closeExpiredAttempts,
	ExamError,
	paperForTaker,
	recordPageEvent,
	resultFor,
	saveAnswer,
	startAttempt,
	submitAttempt,
} from '#app/exams/attempts.server.ts'
import { scoreAnswer, toShownLetters } from '#app/exams/grading.ts'
import { OPTION_LETTERS } from '#app/bank/question-file.ts'
import { db, dbKind } from '#app/utils/db.server.ts'
import { orgIdByCode, peopleIdsOfOrg, personByPhone } from '#tests/fixtures/requests.ts'

// The exam core against a real database: frozen papers, the server's deadline and grace,
// idempotent and ordered saves, one open attempt per person, closing expired attempts, grading
// and the 错题本. Every call takes its clock as an argument, so the times below are exact.

const WORKER = '13900000010' // 李大山, 示范煤业, coal_underground
const CHEM_WORKER = '13900000011' // 周小龙, 示范化工

const T0 = new Date('2026-09-01T08:00:00Z')
const at = (base: Date, ms: number) => new Date(base.getTime() + ms)
const MIN = 60_000
const SEC = 1000

let worker: string
let chemWorker: string
let coalPeople: string[]

beforeAll(async () => {
	await syncShippedContent(db)
	await seedDemo(db)
	worker = (await personByPhone(WORKER)).id
	chemWorker = (await personByPhone(CHEM_WORKER)).id
	coalPeople = (await peopleIdsOfOrg('demo-coal')).filter((id) => id !== worker)
})

// ---- set-up helpers ----------------------------------------------------------------------------

type TemplateOptions = Partial<Omit<typeof examTemplates.$inferInsert, 'id' | 'rules'>>

/** A template, an exam from it and its assignees, inserted directly. */
async function makeExam(rules: PaperRule[], people: string[], options: TemplateOptions & { opensAt?: Date; closesAt?: Date } = {}) {
	const { opensAt = at(T0, -24 * 60 * MIN), closesAt = at(T0, 30 * 24 * 60 * MIN), ...template } = options
	const templateId = randomUUID()
	await db.insert(examTemplates).values({ id: templateId, title: '测试试卷', purpose: 'pre_job', timeLimitMinutes: 30, passMark: 0, attemptsAllowed: 1, rules, ...template })
	const examId = randomUUID()
	await db.insert(exams).values({ id: examId, templateId, ownerOrgId: template.ownerOrgId ?? null, title: '测试考试', opensAt, closesAt })
	if (people.length) await db.insert(examAssignees).values(people.map((personId) => ({ examId, personId })))
	return examId
}

/** Questions of our own, found by a topic no shipped question has. */
async function addQuestions(topic: string, type: QuestionInput['type'], n: number, answer: Answer, optionCount = 4, ownerOrgId: string | null = null) {
	const ids: string[] = []
	for (let i = 0; i < n; i++) {
		const options = type === 'judge' ? [] : Array.from({ length: optionCount }, (_, k) => `${topic} 第 ${i + 1} 题 选项 ${k + 1}`)
		const input: QuestionInput = { type, stem: `${topic} 第 ${i + 1} 题`, options, answer, explanation: `解析-${topic}-${i + 1}`, difficulty: 3, part: 'general', forAllJobTypes: true, jobTypes: [], topics: [topic] }
		ids.push(await createQuestion(db, input, { ownerOrgId }))
	}
	return ids
}

type KeyRow = { position: number; questionId: string; versionId: string; type: 'single' | 'multiple' | 'judge'; optionOrder: number[]; points: number; bankAnswer: Answer; right: Answer; wrong: Answer }

/** The answer key of an attempt as its taker saw it (shown letters), read from the frozen versions. */
async function keyOf(attemptId: string): Promise<KeyRow[]> {
	const rows = await db
		.select({ position: attemptQuestions.position, questionId: attemptQuestions.questionId, versionId: attemptQuestions.questionVersionId, optionOrder: attemptQuestions.optionOrder, points: attemptQuestions.points, type: questionVersions.type, answer: questionVersions.answer })
		.from(attemptQuestions)
		.innerJoin(questionVersions, eq(questionVersions.id, attemptQuestions.questionVersionId))
		.where(eq(attemptQuestions.attemptId, attemptId))
		.orderBy(asc(attemptQuestions.position))
	return rows.map((r) => {
		const right = typeof r.answer === 'string' ? toShownLetters(r.answer, r.optionOrder) : r.answer
		const wrong = typeof right === 'boolean' ? !right : [...OPTION_LETTERS.slice(0, r.optionOrder.length)].find((l) => !right.includes(l))!
		return { position: r.position, questionId: r.questionId, versionId: r.versionId, type: r.type, optionOrder: r.optionOrder, points: r.points, bankAnswer: r.answer, right, wrong }
	})
}

async function attemptRow(id: string) {
	const [row] = await db.select().from(attempts).where(eq(attempts.id, id))
	return row!
}

async function savedAnswers(attemptId: string) {
	return db.select().from(attemptAnswers).where(eq(attemptAnswers.attemptId, attemptId)).orderBy(asc(attemptAnswers.position))
}

/** The error a promise rejects with (fails the test if it resolves). */
async function rejection(promise: Promise<unknown>) {
	try {
		await promise
	} catch (error) {
		return error
	}
	throw new Error('expected a rejection')
}

async function expectExamError(promise: Promise<unknown>, status: number, message?: RegExp) {
	const error = await rejection(promise)
	expect(error).toBeInstanceOf(ExamError)
	expect((error as ExamError).status).toBe(status)
	if (message) expect((error as ExamError).message).toMatch(message)
}

const COAL_RULES: PaperRule[] = [
	{ type: 'single', count: 5, points: 2, jobTypes: ['coal_underground'] },
	{ type: 'multiple', count: 3, points: 4, jobTypes: ['coal_underground'] },
	{ type: 'judge', count: 4, points: 1, jobTypes: ['coal_underground'] },
]

// ---- the paper ---------------------------------------------------------------------------------

describe('starting an attempt', () => {
	test('draws a paper by the rules and freezes it with the versions, order and option order', async () => {
		const examId = await makeExam(COAL_RULES, [worker])
		const id = await startAttempt(db, examId, worker, T0)
		const attempt = await attemptRow(id)
		expect(attempt).toMatchObject({ status: 'open', maxScore: 5 * 2 + 3 * 4 + 4 * 1, startedAt: T0, deadlineAt: at(T0, 30 * MIN) })
		const key = await keyOf(id)
		expect(key.map((k) => k.position)).toEqual([...Array(12).keys()].map((i) => i + 1))
		expect(key.filter((k) => k.type === 'single').map((k) => k.points)).toEqual([2, 2, 2, 2, 2])
		expect(key.filter((k) => k.type === 'multiple').map((k) => k.points)).toEqual([4, 4, 4])
		expect(key.filter((k) => k.type === 'judge').map((k) => k.points)).toEqual([1, 1, 1, 1])
		expect(new Set(key.map((k) => k.questionId)).size).toBe(12)
		// Every drawn question matches its rule's filter and is drawn at its current version.
		const drawn = await db.select().from(questions).where(inArray(questions.id, key.map((k) => k.questionId)))
		for (const q of drawn) {
			expect(q.forAllJobTypes || q.jobTypes.includes('coal_underground')).toBe(true)
			expect(q.archived).toBe(false)
			expect(key.find((k) => k.questionId === q.id)!.versionId).toBe(q.currentVersionId)
		}
	})

	test('the deadline is capped by the close of the exam', async () => {
		const examId = await makeExam(COAL_RULES, [worker], { timeLimitMinutes: 60, closesAt: at(T0, 10 * MIN) })
		const id = await startAttempt(db, examId, worker, T0)
		expect((await attemptRow(id)).deadlineAt).toEqual(at(T0, 10 * MIN))
	})

	test('is refused outside the window, to people not assigned, and when the bank falls short', async () => {
		const examId = await makeExam(COAL_RULES, [worker], { opensAt: at(T0, MIN), closesAt: at(T0, 60 * MIN) })
		await expectExamError(startAttempt(db, examId, worker, T0), 409, /尚未开始/)
		await expectExamError(startAttempt(db, examId, worker, at(T0, 60 * MIN)), 409, /已结束/)
		await expectExamError(startAttempt(db, examId, chemWorker, at(T0, 2 * MIN)), 404)
		expect(await db.select().from(attempts).where(eq(attempts.examId, examId))).toHaveLength(0)

		const short = await makeExam([{ type: 'judge', count: 3, points: 1, topics: ['测试-不足'] }], [worker])
		await addQuestions('测试-不足', 'judge', 2, true)
		await expectExamError(startAttempt(db, short, worker, T0), 409)
		expect(await db.select().from(attempts).where(eq(attempts.examId, short))).toHaveLength(0)
	})

	test("draws only the platform's questions and the exam owner's own, never another enterprise's", async () => {
		const coal = await orgIdByCode('demo-coal')
		const chem = await orgIdByCode('demo-chem')
		const [platform] = await addQuestions('测试-归属', 'judge', 1, true, 0, null)
		const [coalOwn] = await addQuestions('测试-归属', 'judge', 1, true, 0, coal)
		const [chemOwn] = await addQuestions('测试-归属', 'judge', 1, true, 0, chem)
		const rule: PaperRule = { type: 'judge', count: 2, points: 1, topics: ['测试-归属'] }
		expect((await candidatesFor(db, rule, { ownerOrgId: coal })).map((c) => c.questionId).sort()).toEqual([platform, coalOwn].sort())
		expect((await candidatesFor(db, rule, { ownerOrgId: null })).map((c) => c.questionId)).toEqual([platform])

		for (let i = 0; i < 5; i++) {
			const examId = await makeExam([rule], [worker], { ownerOrgId: coal })
			const id = await startAttempt(db, examId, worker, T0)
			expect((await keyOf(id)).map((k) => k.questionId).sort()).toEqual([platform, coalOwn].sort())
		}
		const three = await makeExam([{ ...rule, count: 3 }], [worker], { ownerOrgId: coal })
		await expectExamError(startAttempt(db, three, worker, T0), 409)
		expect(chemOwn).toBeDefined()
	})
})

describe('the candidates of a paper', () => {
	test('a start after any change to the bank draws from the bank as it is now, never from an older list', async () => {
		const rule: PaperRule = { type: 'judge', count: 2, points: 1, topics: ['测试-修订'] }
		const drawn = async () => {
			const examId = await makeExam([rule], [worker])
			return (await keyOf(await startAttempt(db, examId, worker, T0))).map((k) => k.versionId).sort()
		}
		const revision = async () => (await db.execute(sql`select revision::text as r from bank_revision`)) as unknown
		const [a, b] = await addQuestions('测试-修订', 'judge', 2, true)
		const versions = async () => (await db.select({ v: questions.currentVersionId }).from(questions).where(inArray(questions.id, [a!, b!]))).map((q) => q.v).sort()
		expect(await drawn()).toEqual(await versions())
		// An edit (a new version), an archive and a new question: each start after one sees it.
		const before = JSON.stringify(await revision())
		const [q] = await db.select().from(questions).where(eq(questions.id, a!))
		await updateQuestion(db, a!, { type: 'judge', stem: `${q!.stem}（改）`, options: [], answer: false, explanation: q!.explanation, difficulty: 3, part: 'general', forAllJobTypes: true, jobTypes: [], topics: ['测试-修订'] })
		expect(JSON.stringify(await revision())).not.toBe(before)
		expect(await drawn()).toEqual(await versions())
		const [c] = await addQuestions('测试-修订', 'judge', 1, true)
		await db.update(questions).set({ archived: true }).where(eq(questions.id, b!))
		const live = (await db.select({ v: questions.currentVersionId }).from(questions).where(inArray(questions.id, [a!, c!]))).map((r) => r.v).sort()
		expect(await drawn()).toEqual(live)
	})

	test('are, rule by rule, exactly the live questions matching each rule, in one pass', async () => {
		const coal = await orgIdByCode('demo-coal')
		await addQuestions('测试-候选', 'single', 3, 'A', 4, coal)
		const [archived] = await addQuestions('测试-候选', 'single', 1, 'A')
		await db.update(questions).set({ archived: true }).where(eq(questions.id, archived!))
		const rules: PaperRule[] = [
			{ type: 'single', count: 1, points: 1, jobTypes: ['coal_underground'] },
			{ type: 'single', count: 1, points: 1, jobTypes: ['coal_underground', 'hazchem_operator'], part: 'professional', minDifficulty: 2, maxDifficulty: 3 },
			{ type: 'multiple', count: 1, points: 1, topics: ['瓦斯', '自救器'] },
			{ type: 'judge', count: 1, points: 1, part: 'general' },
			{ type: 'single', count: 1, points: 1, topics: ['测试-候选'] },
		]
		// The plain reading of each rule, one query per rule.
		const reference = async (rule: PaperRule, ownerOrgId: string | null, category?: 'general') => {
			const all = await db.select().from(questions).where(eq(questions.type, rule.type))
			return all
				.filter(
					(q) =>
						!q.archived &&
						(q.ownerOrgId === null || q.ownerOrgId === ownerOrgId) &&
						(!category || !q.categories || q.categories.includes(category)) &&
						(!rule.part || q.part === rule.part) &&
						(!rule.jobTypes?.length || q.forAllJobTypes || q.jobTypes.some((j) => rule.jobTypes!.includes(j))) &&
						(!rule.topics?.length || q.topics.some((t) => rule.topics!.includes(t))) &&
						(!rule.minDifficulty || q.difficulty >= rule.minDifficulty) &&
						(!rule.maxDifficulty || q.difficulty <= rule.maxDifficulty),
				)
				.map((q) => ({ questionId: q.id, versionId: q.currentVersionId, optionCount: q.options.length }))
				.sort((a, b) => (a.questionId < b.questionId ? -1 : 1))
		}
		const byId = (list: { questionId: string }[]) => [...list].sort((a, b) => (a.questionId < b.questionId ? -1 : 1))
		for (const owner of [null, coal]) {
			const together = await candidatesForRules(db, rules, { ownerOrgId: owner })
			expect(together).toHaveLength(rules.length)
			for (const [i, rule] of rules.entries()) {
				const expected = await reference(rule, owner)
				if (i < 4) expect(expected.length).toBeGreaterThan(0)
				expect(byId(together[i]!)).toEqual(expected)
				expect(byId(await candidatesFor(db, rule, { ownerOrgId: owner }))).toEqual(expected)
			}
		}
		// For a worker: not the questions meant for 主要负责人 and 安全管理人员 (shipped for all job types).
		const forWorker = await candidatesForRules(db, rules, { ownerOrgId: coal, category: 'general' })
		for (const [i, rule] of rules.entries()) expect(byId(forWorker[i]!)).toEqual(await reference(rule, coal, 'general'))
		const leaders = (await db.select({ id: questions.id }).from(questions).where(sql`${questions.categories} is not null`)).map((q) => q.id)
		expect(leaders.length).toBeGreaterThan(0)
		expect((await candidatesFor(db, rules[3]!, {})).some((c) => leaders.includes(c.questionId))).toBe(true)
		expect(forWorker.flat().some((c) => leaders.includes(c.questionId))).toBe(false)
		expect((await candidatesForRules(db, rules, { ownerOrgId: coal }))[4]).toHaveLength(3)
		expect((await candidatesForRules(db, rules, { ownerOrgId: null }))[4]).toHaveLength(0)
		expect(await candidatesForRules(db, [], {})).toEqual([])
	})
})

describe('a paper for a worker', () => {
	test('leaves out questions meant only for other personnel categories', async () => {
		const topic = '测试-人员类别'
		await addQuestions(topic, 'judge', 2, true)
		const leaderOnly = await addQuestions(topic, 'judge', 2, false)
		await db.update(questions).set({ categories: ['principal', 'safety_manager'] }).where(inArray(questions.id, leaderOnly))
		const [principal] = await db.select({ id: people.id }).from(people).where(and(eq(people.category, 'principal'), inArray(people.id, coalPeople)))
		const rule: PaperRule = { type: 'judge', count: 2, points: 1, topics: [topic] }
		for (let i = 0; i < 5; i++) {
			const examId = await makeExam([rule], [worker])
			const id = await startAttempt(db, examId, worker, T0)
			expect((await keyOf(id)).some((k) => leaderOnly.includes(k.questionId))).toBe(false)
		}
		const three = await makeExam([{ ...rule, count: 3 }], [worker, principal!.id])
		await expectExamError(startAttempt(db, three, worker, T0), 409)
		const id = await startAttempt(db, three, principal!.id, T0)
		expect((await keyOf(id)).filter((k) => leaderOnly.includes(k.questionId)).length).toBeGreaterThan(0)
	})
})

describe('paper freezing', () => {
	test('a bank edit after the start changes neither the paper shown nor its grading', async () => {
		const examId = await makeExam(COAL_RULES, [worker])
		const id = await startAttempt(db, examId, worker, T0)
		const before = (await paperForTaker(db, id, worker, at(T0, MIN)))!
		const key = await keyOf(id)
		expect(before.questions).toHaveLength(12)

		// An editor rewrites every question on the paper: new stem, a different (disjoint) answer.
		for (const k of key) {
			const [q] = await db.select().from(questions).where(eq(questions.id, k.questionId))
			const letters = OPTION_LETTERS.slice(0, q!.options.length)
			const answer: Answer = typeof q!.answer === 'boolean' ? !q!.answer : [...letters].filter((l) => !(q!.answer as string).includes(l)).join('').slice(0, q!.type === 'single' ? 1 : undefined)
			const input: QuestionInput = { type: q!.type, stem: `${q!.stem}（已修订）`, options: q!.options, answer, explanation: `${q!.explanation}（已修订）`, difficulty: q!.difficulty, part: q!.part, forAllJobTypes: q!.forAllJobTypes, jobTypes: q!.jobTypes, categories: q!.categories, topics: q!.topics }
			expect((await updateQuestion(db, q!.id, input)).versionChanged).toBe(true)
		}
		const current = await db.select().from(questions).where(inArray(questions.id, key.map((k) => k.questionId)))
		for (const q of current) {
			expect(q.stem).toMatch(/已修订/)
			expect(q.currentVersionId).not.toBe(key.find((k) => k.questionId === q.id)!.versionId)
		}

		// The taker still sees the paper as drawn.
		const after = (await paperForTaker(db, id, worker, at(T0, 2 * MIN)))!
		expect(after.questions).toEqual(before.questions)
		for (const q of after.questions) expect(q.stem).not.toMatch(/已修订/)
		expect((await keyOf(id)).map((k) => k.versionId)).toEqual(key.map((k) => k.versionId))

		// Answered by the frozen key, the paper earns full marks; by the bank's new key it would earn nothing.
		for (const k of key) expect((await saveAnswer(db, { attemptId: id, personId: worker, position: k.position, answer: k.right, clientSeq: 1 }, at(T0, 3 * MIN))).saved).toBe(true)
		const graded = (await submitAttempt(db, id, 'person', at(T0, 4 * MIN)))!
		expect(graded).toMatchObject({ status: 'submitted', submittedBy: 'person', score: 26, maxScore: 26, passed: true })
		for (const k of key) {
			const q = current.find((c) => c.id === k.questionId)!
			expect(scoreAnswer({ type: q.type, answer: q.answer }, k.right, k.optionOrder, k.points)).toBe(0)
		}
		const review = (await resultFor(db, id, worker, at(T0, 5 * MIN)))!
		expect(review.review!.map((r) => r.stem)).toEqual(before.questions.map((q) => q.stem))
		expect(review.review!.every((r) => r.awarded === r.points)).toBe(true)
	})
})

// ---- the clock ---------------------------------------------------------------------------------

describe('the server deadline and the grace period', () => {
	test('a save 29 s after the deadline counts; one at 31 s is refused and the attempt is submitted with what it had', async () => {
		const examId = await makeExam(COAL_RULES, [worker])
		const id = await startAttempt(db, examId, worker, T0)
		const deadline = (await attemptRow(id)).deadlineAt
		expect(deadline).toEqual(at(T0, 30 * MIN))
		const [first, second] = await keyOf(id)

		expect(await saveAnswer(db, { attemptId: id, personId: worker, position: first!.position, answer: first!.right, clientSeq: 1 }, at(deadline, 29 * SEC))).toEqual({ saved: true, stale: false, clientSeq: 1 })
		await expectExamError(saveAnswer(db, { attemptId: id, personId: worker, position: second!.position, answer: second!.right, clientSeq: 2 }, at(deadline, 31 * SEC)), 409, /时间已到/)

		const closed = await attemptRow(id)
		expect(closed).toMatchObject({ status: 'submitted', submittedBy: 'deadline', submittedAt: at(deadline, 31 * SEC), score: first!.points })
		expect((await savedAnswers(id)).map((a) => [a.position, a.answer])).toEqual([[first!.position, first!.right]])
		// And nothing more goes in afterwards.
		await expectExamError(saveAnswer(db, { attemptId: id, personId: worker, position: second!.position, answer: second!.right, clientSeq: 3 }, at(deadline, 32 * SEC)), 409)
		expect(await savedAnswers(id)).toHaveLength(1)
	})

	test('exactly 30 s after the deadline still counts', async () => {
		const examId = await makeExam(COAL_RULES, [worker])
		const id = await startAttempt(db, examId, worker, T0)
		const [first] = await keyOf(id)
		expect((await saveAnswer(db, { attemptId: id, personId: worker, position: 1, answer: first!.right, clientSeq: 1 }, at(T0, 30 * MIN + 30 * SEC))).saved).toBe(true)
		expect((await attemptRow(id)).status).toBe('open')
	})

	test('an expired attempt is closed on its next access and its result can still be seen', async () => {
		const examId = await makeExam(COAL_RULES, [worker])
		const id = await startAttempt(db, examId, worker, T0)
		const key = await keyOf(id)
		// Two right, one wrong, the rest never answered; then the phone goes to sleep.
		await saveAnswer(db, { attemptId: id, personId: worker, position: key[0]!.position, answer: key[0]!.right, clientSeq: 1 }, at(T0, MIN))
		await saveAnswer(db, { attemptId: id, personId: worker, position: key[1]!.position, answer: key[1]!.right, clientSeq: 2 }, at(T0, MIN))
		await saveAnswer(db, { attemptId: id, personId: worker, position: key[2]!.position, answer: key[2]!.wrong, clientSeq: 3 }, at(T0, MIN))
		const expected = key[0]!.points + key[1]!.points

		// Still open at the deadline plus grace…
		expect((await paperForTaker(db, id, worker, at(T0, 30 * MIN + 30 * SEC)))!.attempt.status).toBe('open')
		// …closed when opened later.
		const later = at(T0, 3 * 60 * MIN)
		const opened = (await paperForTaker(db, id, worker, later))!
		expect(opened.attempt).toMatchObject({ status: 'submitted', score: expected })
		expect(opened.questions).toEqual([])
		expect(await attemptRow(id)).toMatchObject({ status: 'submitted', submittedBy: 'deadline', submittedAt: later, score: expected, passed: true })

		const result = (await resultFor(db, id, worker, at(later, MIN)))!
		expect(result.attempt.score).toBe(expected)
		expect(result.showReview).toBe(true)
		expect(result.review!.map((r) => r.awarded)).toEqual(key.map((_, i) => (i < 2 ? key[i]!.points : 0)))
		expect(result.review!.map((r) => r.right)).toEqual(key.map((k) => k.right))
		expect(result.review!.slice(0, 4).map((r) => r.given)).toEqual([key[0]!.right, key[1]!.right, key[2]!.wrong, null])
	})

	test('an expired attempt opened first through its result is closed and graded there', async () => {
		const examId = await makeExam(COAL_RULES, [worker])
		const id = await startAttempt(db, examId, worker, T0)
		const [first] = await keyOf(id)
		await saveAnswer(db, { attemptId: id, personId: worker, position: first!.position, answer: first!.right, clientSeq: 1 }, at(T0, MIN))
		const result = (await resultFor(db, id, worker, at(T0, 24 * 60 * MIN)))!
		expect(result.attempt).toMatchObject({ status: 'submitted', submittedBy: 'deadline', score: first!.points })
		expect(result.review).toHaveLength(12)
	})
})

// ---- saving answers ----------------------------------------------------------------------------

describe('saving answers', () => {
	test('the same save twice is stored once', async () => {
		const examId = await makeExam(COAL_RULES, [worker])
		const id = await startAttempt(db, examId, worker, T0)
		const [first] = await keyOf(id)
		const save = { attemptId: id, personId: worker, position: first!.position, answer: first!.right, clientSeq: 1 }
		expect(await saveAnswer(db, save, at(T0, MIN))).toEqual({ saved: true, stale: false, clientSeq: 1 })
		expect(await saveAnswer(db, save, at(T0, 2 * MIN))).toEqual({ saved: true, stale: false, clientSeq: 1 })
		const rows = await savedAnswers(id)
		expect(rows).toHaveLength(1)
		expect(rows[0]).toMatchObject({ position: first!.position, answer: first!.right, clientSeq: 1, savedAt: at(T0, MIN) })
		// Retries racing each other still leave one row.
		await Promise.all([1, 2, 3].map(() => saveAnswer(db, { ...save, clientSeq: 2 }, at(T0, 3 * MIN))))
		expect(await savedAnswers(id)).toHaveLength(1)
	})

	test('a stale save never overwrites a newer one', async () => {
		const examId = await makeExam(COAL_RULES, [worker])
		const id = await startAttempt(db, examId, worker, T0)
		const [first] = await keyOf(id)
		const save = { attemptId: id, personId: worker, position: first!.position }
		expect(await saveAnswer(db, { ...save, answer: first!.right, clientSeq: 5 }, at(T0, MIN))).toEqual({ saved: true, stale: false, clientSeq: 5 })
		expect(await saveAnswer(db, { ...save, answer: first!.wrong, clientSeq: 3 }, at(T0, 2 * MIN))).toEqual({ saved: false, stale: true, clientSeq: 5 })
		expect((await savedAnswers(id)).map((a) => [a.answer, a.clientSeq])).toEqual([[first!.right, 5]])
		// A newer one does overwrite, and clearing is an answer too.
		expect(await saveAnswer(db, { ...save, answer: null, clientSeq: 6 }, at(T0, 3 * MIN))).toEqual({ saved: true, stale: false, clientSeq: 6 })
		expect((await savedAnswers(id)).map((a) => [a.answer, a.clientSeq])).toEqual([[null, 6]])
		expect((await paperForTaker(db, id, worker, at(T0, 4 * MIN)))!.answers[first!.position]).toEqual({ answer: null, clientSeq: 6 })
	})

	test('malformed answers, unknown positions and other people are refused', async () => {
		const examId = await makeExam(COAL_RULES, [worker, chemWorker])
		const id = await startAttempt(db, examId, worker, T0)
		const key = await keyOf(id)
		const single = key.find((k) => k.type === 'single')!
		const judge = key.find((k) => k.type === 'judge')!
		const save = (position: number, answer: unknown, personId = worker) => saveAnswer(db, { attemptId: id, personId, position, answer, clientSeq: 1 }, at(T0, MIN))
		await expectExamError(save(single.position, 'AB'), 400)
		await expectExamError(save(single.position, 'H'), 400)
		await expectExamError(save(judge.position, 'true'), 400)
		await expectExamError(save(99, 'A'), 400)
		await expectExamError(save(single.position, single.right, chemWorker), 404)
		expect(await savedAnswers(id)).toHaveLength(0)
	})

	test('a save racing the close of its attempt is either refused or graded, never lost', async () => {
		const examId = await makeExam(COAL_RULES, [worker])
		const id = await startAttempt(db, examId, worker, T0)
		const [first] = await keyOf(id)
		let save!: Promise<unknown>
		let graded: { score: number | null } | null = null
		// The close holds the attempt's row lock until it commits; the save arrives meanwhile.
		await db.transaction(async (tx) => {
			graded = await submitAttempt(tx, id, 'person', at(T0, 10 * MIN))
			save = saveAnswer(db, { attemptId: id, personId: worker, position: first!.position, answer: first!.right, clientSeq: 1 }, at(T0, 10 * MIN)).then(
				(r) => r,
				(e: unknown) => e,
			)
			if (dbKind() === 'postgres') {
				// Wait until the save (on another connection) is blocked behind the close's lock.
				for (let i = 0; i < 200; i++) {
					const [{ waiting }] = (await tx.execute(sql`select count(*)::int as waiting from pg_locks where not granted`)) as unknown as [{ waiting: number }]
					if (waiting > 0) break
					await new Promise((r) => setTimeout(r, 25))
				}
			}
		})
		const outcome = await save
		const answered = await savedAnswers(id)
		const final = await attemptRow(id)
		expect(graded!.score).toBe(0)
		// Either the save was refused (and stored nothing) or it went in before grading and counts.
		if (outcome instanceof ExamError) {
			expect(outcome.status).toBe(409)
			expect(answered).toHaveLength(0)
			expect(final.score).toBe(0)
		} else {
			expect(answered).toHaveLength(1)
			expect(final.score).toBe(first!.points)
		}
		// With the close committed first, only the refusal is possible.
		expect(outcome).toBeInstanceOf(ExamError)
	})
})

// ---- attempts per person -----------------------------------------------------------------------

describe('attempts per person', () => {
	test('one open attempt per person per exam: concurrent starts and a second device get the same one', async () => {
		const examId = await makeExam(COAL_RULES, [worker])
		const ids = await Promise.all([1, 2, 3, 4].map(() => startAttempt(db, examId, worker, T0)))
		expect(new Set(ids).size).toBe(1)
		expect(await db.select().from(attempts).where(eq(attempts.examId, examId))).toHaveLength(1)
		const [{ n }] = (await db.select({ n: count() }).from(attemptQuestions).where(eq(attemptQuestions.attemptId, ids[0]!))) as [{ n: number }]
		expect(n).toBe(12)
		// Later, from another phone.
		expect(await startAttempt(db, examId, worker, at(T0, 5 * MIN))).toBe(ids[0])
	})

	test('the database itself refuses a second open attempt', async () => {
		const examId = await makeExam(COAL_RULES, [worker])
		const id = await startAttempt(db, examId, worker, T0)
		const second = { id: randomUUID(), examId, personId: worker, startedAt: T0, deadlineAt: at(T0, 30 * MIN), maxScore: 26 }
		await expect(db.insert(attempts).values(second)).rejects.toThrow()
		await submitAttempt(db, id, 'person', at(T0, MIN))
		await db.insert(attempts).values(second) // fine once the first is closed
	})

	test('the number of attempts allowed is enforced', async () => {
		const examId = await makeExam(COAL_RULES, [worker], { attemptsAllowed: 2 })
		const first = await startAttempt(db, examId, worker, T0)
		await submitAttempt(db, first, 'person', at(T0, 10 * MIN))
		const second = await startAttempt(db, examId, worker, at(T0, 20 * MIN))
		expect(second).not.toBe(first)
		// Resuming the open one is not a new attempt.
		expect(await startAttempt(db, examId, worker, at(T0, 21 * MIN))).toBe(second)
		await submitAttempt(db, second, 'person', at(T0, 30 * MIN))
		await expectExamError(startAttempt(db, examId, worker, at(T0, 40 * MIN)), 409, /最多可考 2 次/)
		expect(await db.select().from(attempts).where(eq(attempts.examId, examId))).toHaveLength(2)

		// An attempt closed by its deadline counts as well.
		const once = await makeExam(COAL_RULES, [worker])
		await startAttempt(db, once, worker, T0)
		await expectExamError(startAttempt(db, once, worker, at(T0, 31 * MIN)), 409, /最多可考 1 次/)
		expect((await db.select().from(attempts).where(eq(attempts.examId, once)))[0]).toMatchObject({ status: 'submitted', submittedBy: 'deadline' })
	})
})

// ---- the sweep ---------------------------------------------------------------------------------

describe('closing expired attempts', () => {
	// Earlier than every other test's attempts, so the sweep meets only its own.
	const S0 = new Date('2026-03-02T08:00:00Z')

	test('two sweeps at once close each expired attempt exactly once, with the answers saved', async () => {
		const people = coalPeople.slice(0, 7)
		expect(people).toHaveLength(7)
		const examId = await makeExam(COAL_RULES, [...people, worker], { opensAt: at(S0, -MIN) })
		const expired: { id: string; score: number }[] = []
		for (const [i, personId] of people.entries()) {
			const id = await startAttempt(db, examId, personId, at(S0, i * SEC))
			const key = await keyOf(id)
			// Person i answers their first i questions right.
			for (const k of key.slice(0, i)) await saveAnswer(db, { attemptId: id, personId, position: k.position, answer: k.right, clientSeq: 1 }, at(S0, 10 * MIN))
			expired.push({ id, score: key.slice(0, i).reduce((s, k) => s + k.points, 0) })
		}
		// Still within its time at the sweep.
		const running = await startAttempt(db, examId, worker, at(S0, 20 * MIN))

		const now = at(S0, 40 * MIN)
		const closed = await Promise.all([closeExpiredAttempts(db, now, 2), closeExpiredAttempts(db, at(now, SEC), 2)])
		expect(closed.flat().sort()).toEqual(expired.map((e) => e.id).sort())

		const rows = await db.select().from(attempts).where(inArray(attempts.id, expired.map((e) => e.id)))
		for (const e of expired) {
			const row = rows.find((r) => r.id === e.id)!
			expect(row).toMatchObject({ status: 'submitted', submittedBy: 'deadline', score: e.score })
			expect([now.getTime(), at(now, SEC).getTime()]).toContain(row.submittedAt!.getTime())
		}
		expect(await attemptRow(running)).toMatchObject({ status: 'open', score: null })

		// Another sweep finds nothing more, and grading again changes nothing.
		expect(await closeExpiredAttempts(db, at(now, 2 * SEC))).toEqual([])
		const again = await submitAttempt(db, expired[3]!.id, 'deadline', at(now, 3 * SEC))
		expect(again!.submittedAt).toEqual(rows.find((r) => r.id === expired[3]!.id)!.submittedAt)
		expect(await attemptRow(running)).toMatchObject({ status: 'open' })
	})
})

// ---- grading -----------------------------------------------------------------------------------

describe('多选 scoring', () => {
	async function takeMultiple(partialCredit: boolean, topic: string) {
		await addQuestions(topic, 'multiple', 3, 'ABD', 5)
		const examId = await makeExam([{ type: 'multiple', count: 3, points: 4, topics: [topic] }], [worker], { partialCredit, passMark: 6 })
		const id = await startAttempt(db, examId, worker, T0)
		const key = await keyOf(id)
		const [all, subset, withWrong] = key as [KeyRow, KeyRow, KeyRow]
		const rightOf = (k: KeyRow) => k.right as string
		await saveAnswer(db, { attemptId: id, personId: worker, position: all.position, answer: rightOf(all), clientSeq: 1 }, at(T0, MIN))
		await saveAnswer(db, { attemptId: id, personId: worker, position: subset.position, answer: rightOf(subset).slice(0, 2), clientSeq: 1 }, at(T0, MIN))
		await saveAnswer(db, { attemptId: id, personId: worker, position: withWrong.position, answer: rightOf(withWrong).slice(0, 1) + withWrong.wrong, clientSeq: 1 }, at(T0, MIN))
		const graded = (await submitAttempt(db, id, 'person', at(T0, 2 * MIN)))!
		const awarded = (await db.select({ awarded: attemptQuestions.awarded }).from(attemptQuestions).where(eq(attemptQuestions.attemptId, id)).orderBy(asc(attemptQuestions.position))).map((r) => r.awarded)
		return { graded, awarded, key }
	}

	test('all or nothing by default', async () => {
		const { graded, awarded } = await takeMultiple(false, '测试-多选-全对')
		expect(awarded).toEqual([4, 0, 0])
		expect(graded).toMatchObject({ score: 4, maxScore: 12, passed: false })
	})

	test('with partial credit, a subset without a wrong choice earns half; a wrong choice nothing', async () => {
		const { graded, awarded } = await takeMultiple(true, '测试-多选-部分')
		expect(awarded).toEqual([4, 2, 0])
		expect(graded).toMatchObject({ score: 6, maxScore: 12, passed: true })
	})
})

describe('错题本', () => {
	test('questions answered wrong go in with a streak of 0; answering wrong again resets them', async () => {
		const topic = '测试-错题本'
		await addQuestions(topic, 'judge', 3, true)
		const examId = await makeExam([{ type: 'judge', count: 3, points: 1, topics: [topic] }], [worker], { attemptsAllowed: 2 })
		const book = async (ids: string[]) => db.select().from(wrongAnswers).where(and(eq(wrongAnswers.personId, worker), inArray(wrongAnswers.questionId, ids)))

		const first = await startAttempt(db, examId, worker, T0)
		const [right, wrong, skipped] = (await keyOf(first)) as [KeyRow, KeyRow, KeyRow]
		await saveAnswer(db, { attemptId: first, personId: worker, position: right.position, answer: right.right, clientSeq: 1 }, at(T0, MIN))
		await saveAnswer(db, { attemptId: first, personId: worker, position: wrong.position, answer: wrong.wrong, clientSeq: 1 }, at(T0, MIN))
		await submitAttempt(db, first, 'person', at(T0, 2 * MIN))

		const afterFirst = await book([right.questionId, wrong.questionId, skipped.questionId])
		expect(afterFirst.map((r) => r.questionId).sort()).toEqual([wrong.questionId, skipped.questionId].sort())
		for (const r of afterFirst) expect(r).toMatchObject({ rightStreak: 0, clearedAt: null, lastWrongAt: at(T0, 2 * MIN) })

		// Practice brings one to a streak of 1 and clears the other (right twice in a row).
		await db.update(wrongAnswers).set({ rightStreak: 1 }).where(and(eq(wrongAnswers.personId, worker), eq(wrongAnswers.questionId, wrong.questionId)))
		await db.update(wrongAnswers).set({ rightStreak: 2, clearedAt: at(T0, 60 * MIN) }).where(and(eq(wrongAnswers.personId, worker), eq(wrongAnswers.questionId, skipped.questionId)))

		// The second attempt gets the same three questions; this time all wrong.
		const second = await startAttempt(db, examId, worker, at(T0, 2 * 60 * MIN))
		const key2 = await keyOf(second)
		expect(key2.map((k) => k.questionId).sort()).toEqual([right, wrong, skipped].map((k) => k.questionId).sort())
		for (const k of key2) await saveAnswer(db, { attemptId: second, personId: worker, position: k.position, answer: k.wrong, clientSeq: 1 }, at(T0, 2 * 60 * MIN + MIN))
		await submitAttempt(db, second, 'person', at(T0, 2 * 60 * MIN + 2 * MIN))

		const afterSecond = await book([right.questionId, wrong.questionId, skipped.questionId])
		expect(afterSecond).toHaveLength(3)
		for (const r of afterSecond) expect(r).toMatchObject({ rightStreak: 0, clearedAt: null, lastWrongAt: at(T0, 2 * 60 * MIN + 2 * MIN) })
	})
})

// ---- 切屏 and the review -----------------------------------------------------------------------

describe('leaving the page', () => {
	test('is recorded; reaching the template’s limit submits the attempt', async () => {
		const examId = await makeExam(COAL_RULES, [worker], { switchLimit: 3 })
		const id = await startAttempt(db, examId, worker, T0)
		const [first] = await keyOf(id)
		await saveAnswer(db, { attemptId: id, personId: worker, position: first!.position, answer: first!.right, clientSeq: 1 }, at(T0, MIN))
		for (const [i, kind] of (['hidden', 'visible', 'hidden', 'visible'] as const).entries()) await recordPageEvent(db, id, worker, kind, at(T0, (2 + i) * MIN))
		expect(await attemptRow(id)).toMatchObject({ status: 'open', switchCount: 2 })
		const closed = await recordPageEvent(db, id, worker, 'hidden', at(T0, 10 * MIN))
		expect(closed).toMatchObject({ status: 'submitted', submittedBy: 'switch_limit', switchCount: 3, score: first!.points, submittedAt: at(T0, 10 * MIN) })
		const events = await db.select().from(attemptEvents).where(eq(attemptEvents.attemptId, id))
		expect(events.map((e) => e.kind).sort()).toEqual(['hidden', 'hidden', 'hidden', 'visible', 'visible'])
		// Nothing is recorded on a closed attempt.
		expect(await recordPageEvent(db, id, worker, 'hidden', at(T0, 11 * MIN))).toBeNull()
		expect(await db.select().from(attemptEvents).where(eq(attemptEvents.attemptId, id))).toHaveLength(5)
	})

	test('without a limit it is only recorded', async () => {
		const examId = await makeExam(COAL_RULES, [worker])
		const id = await startAttempt(db, examId, worker, T0)
		for (let i = 0; i < 6; i++) await recordPageEvent(db, id, worker, 'hidden', at(T0, i * MIN))
		expect(await attemptRow(id)).toMatchObject({ status: 'open', switchCount: 6 })
	})
})

describe('the review', () => {
	test('the open paper carries no answer key; the review after submitting does', async () => {
		const topic = '测试-答案不外泄'
		await addQuestions(topic, 'single', 4, 'C')
		const examId = await makeExam([{ type: 'single', count: 4, points: 5, topics: [topic] }], [worker])
		const id = await startAttempt(db, examId, worker, T0)
		const key = await keyOf(id)
		const paper = (await paperForTaker(db, id, worker, at(T0, MIN)))!
		const json = JSON.stringify(paper)
		expect(json).not.toMatch(/解析-/)
		for (const q of paper.questions) expect(Object.keys(q).sort()).toEqual(['options', 'points', 'position', 'stem', 'type'])
		expect((await resultFor(db, id, worker, at(T0, MIN)))!.review).toBeNull()

		await saveAnswer(db, { attemptId: id, personId: worker, position: key[0]!.position, answer: key[0]!.right, clientSeq: 1 }, at(T0, MIN))
		await submitAttempt(db, id, 'person', at(T0, 2 * MIN))
		const result = (await resultFor(db, id, worker, at(T0, 3 * MIN)))!
		expect(result.showReview).toBe(true)
		expect(result.review!.map((r) => r.right)).toEqual(key.map((k) => k.right))
		expect(result.review!.every((r) => r.explanation.startsWith(`解析-${topic}`))).toBe(true)
		// The options are shown in the order the taker saw them.
		expect(result.review!.map((r) => r.options)).toEqual(paper.questions.map((q) => q.options))
	})

	test('is hidden when the template says so, while the score is shown', async () => {
		const examId = await makeExam(COAL_RULES, [worker], { showReview: false, purpose: 'spot_check' })
		const id = await startAttempt(db, examId, worker, T0)
		const [first] = await keyOf(id)
		await saveAnswer(db, { attemptId: id, personId: worker, position: first!.position, answer: first!.right, clientSeq: 1 }, at(T0, MIN))
		await submitAttempt(db, id, 'person', at(T0, 2 * MIN))
		const result = (await resultFor(db, id, worker, at(T0, 3 * MIN)))!
		expect(result).toMatchObject({ showReview: false, review: null })
		expect(result.attempt).toMatchObject({ status: 'submitted', score: first!.points, maxScore: 26 })
		// And nobody else's attempt is theirs to see.
		expect(await resultFor(db, id, chemWorker, at(T0, 3 * MIN))).toBeNull()
		expect(await paperForTaker(db, id, chemWorker, at(T0, 3 * MIN))).toBeNull()
	})
})
