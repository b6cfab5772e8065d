import { randomUUID } from 'node:crypto'
import { and, eq } from 'drizzle-orm'
import { beforeAll, describe, expect, test } from 'vitest'
import { practiceDays, questions, questionVersions, wrongAnswers } from '#db/schema.ts'
import { syncShippedContent } from '#app/content/sync.server.ts'
import { seedDemo } from '#app/demo/seed.server.ts'
import { examsForPerson, noteWrongAnswers, startAttempt, submitAttempt } from '#app/exams/attempts.server.ts'
import { parseDone, practiceUrl, questionRef, type PracticeParams } from '#app/exams/practice.ts'
import { practiceSummary } from '#app/exams/practice.server.ts'
import { updateQuestion } from '#app/bank/questions.server.ts'
import { db } from '#app/utils/db.server.ts'
import * as homeRoute from '#app/routes/practice._index.tsx'
import * as sessionRoute from '#app/routes/practice.session.tsx'
import * as wrongRoute from '#app/routes/practice.wrong.tsx'
import { expectSignInRedirect, load, signedIn, submit } from '#tests/fixtures/requests.ts'
import { chinaDay } from '#app/utils/days.ts'

const WORKER = '13900000010' // 李大山, 示范煤业, 煤矿井下作业人员
const CHEM_WORKER = '13900000011' // 周小龙, 示范化工, 危险化学品生产操作人员

type Auth = Awaited<ReturnType<typeof signedIn>>
let worker: Auth
let chem: Auth

beforeAll(async () => {
	await syncShippedContent(db)
	await seedDemo(db)
	worker = await signedIn(WORKER)
	chem = await signedIn(CHEM_WORKER)
})

async function versionOf(versionId: string) {
	const [v] = await db.select().from(questionVersions).where(eq(questionVersions.id, versionId))
	return v!
}

/** The form values of a right (or a wrong) answer to a version. */
async function answerValues(versionId: string, right: boolean): Promise<string[]> {
	const v = await versionOf(versionId)
	if (v.type === 'judge') return [String(right ? v.answer : !v.answer)]
	const key = v.answer as string
	if (right) return [...key]
	if (v.type === 'multiple') return [key[0]!] // one of the right letters only: wrong
	return ['ABCDEFGH'.slice(0, v.options.length).split('').find((l) => l !== key)!]
}

async function showQuestion(params: PracticeParams, auth: Auth) {
	const path = practiceUrl(params)
	const outcome = await load(sessionRoute, path, auth)
	expect(outcome.status, path).toBe(200)
	expect(outcome.data.state, path).toBe('question')
	return { path, question: outcome.data.question as { id: string; versionId: string; type: string; stem: string; options: string[] }, data: outcome.data }
}

async function answer(path: string, question: { id: string; versionId: string }, right: boolean, auth: Auth) {
	const outcome = await submit(sessionRoute, path, { questionId: question.id, versionId: question.versionId, answer: await answerValues(question.versionId, right) }, auth)
	expect(outcome.status).toBe(200)
	expect(outcome.data.ok).toBe(true)
	return outcome.data as { ok: true; next: string; feedback: { correct: boolean; right: unknown; explanation: string; notebook: string | null; rightStreak: number } }
}

async function notebookEntry(personId: string, questionId: string) {
	const [row] = await db.select().from(wrongAnswers).where(and(eq(wrongAnswers.personId, personId), eq(wrongAnswers.questionId, questionId)))
	return row ?? null
}

const coalPro: PracticeParams = { set: 'bank', part: 'professional', job: 'coal_underground', order: 'seq' }

describe('choosing what to practise', () => {
	test('a worker is offered 通用知识 and the 专业知识 of their own job type only', async () => {
		const outcome = await load(homeRoute, '/practice', worker)
		expect(outcome.status).toBe(200)
		const choices = outcome.data.choices as { part: string; job: string | null; count: number; seq: string }[]
		expect(choices.map((c) => [c.part, c.job])).toEqual([
			['general', null],
			['professional', 'coal_underground'],
		])
		expect(choices[1]!.count).toBe(48)
		expect(choices[0]!.count).toBeGreaterThan(100)
		expect(choices[1]!.seq).toBe('/practice/session?part=professional&job=coal_underground&order=seq')
	})

	test('signing in is required', async () => {
		expectSignInRedirect(await load(homeRoute, '/practice', null), '/practice')
		expectSignInRedirect(await load(sessionRoute, practiceUrl(coalPro), null), practiceUrl(coalPro))
		expectSignInRedirect(await load(wrongRoute, '/practice/wrong', null), '/practice/wrong')
	})

	test('a random session gets a seed in its URL once, so reloading keeps its order', async () => {
		const outcome = await load(sessionRoute, '/practice/session?part=general&order=random', worker)
		expect(outcome.status).toBe(302)
		const location = outcome.headers.get('Location')!
		expect(location).toMatch(/^\/practice\/session\?part=general&order=random&seed=\d+$/)
		const first = await load(sessionRoute, location, worker)
		const again = await load(sessionRoute, location, worker)
		expect(first.data.question.id).toBe(again.data.question.id)
	})
})

describe('practising a job type', () => {
	test('questions come in bank order, of the job type, and the key is not sent before answering', async () => {
		const { data, question } = await showQuestion(coalPro, worker)
		const [first] = await db.select().from(questions).where(eq(questions.code, 'coal-underground-001'))
		expect(question.id).toBe(first!.id)
		expect(data.session).toMatchObject({ answered: 0, total: 48 })
		const version = await versionOf(question.versionId)
		const json = JSON.stringify(data)
		expect(json).not.toContain(version.explanation)
		expect(json).not.toMatch(/"(answer|explanation|right)"/)
		expect(Object.keys(data.question).sort()).toEqual(['id', 'options', 'stem', 'type', 'versionId'])
	})

	test('a wrong answer shows the key and explanation, lands in the 错题本, and counts for today', async () => {
		const { path, question } = await showQuestion(coalPro, worker)
		const before = await practiceSummary(worker.personId)
		const result = await answer(path, question, false, worker)
		const version = await versionOf(question.versionId)
		expect(result.feedback).toMatchObject({ correct: false, right: version.answer, explanation: version.explanation, notebook: 'added', rightStreak: 0 })
		expect(parseDone(new URL(result.next, 'http://x').searchParams.get('done'))).toEqual([questionRef(question.id)])

		const entry = await notebookEntry(worker.personId, question.id)
		expect(entry).toMatchObject({ rightStreak: 0, clearedAt: null })
		const after = await practiceSummary(worker.personId)
		expect(after.todayAnswered).toBe(before.todayAnswered + 1)
		expect(after.wrongCount).toBe(before.wrongCount + 1)
		expect(after.streakDays).toBeGreaterThanOrEqual(1)
		const [day] = await db.select().from(practiceDays).where(and(eq(practiceDays.personId, worker.personId), eq(practiceDays.day, chinaDay(new Date()))))
		expect(day).toMatchObject({ answered: after.todayAnswered })

		// The next question of the session is the second in the bank; the first is skipped.
		const next = await load(sessionRoute, result.next, worker)
		const [second] = await db.select().from(questions).where(eq(questions.code, 'coal-underground-002'))
		expect(next.data.question.id).toBe(second!.id)
		expect(next.data.session).toMatchObject({ answered: 1, total: 48 })

		const book = await load(wrongRoute, '/practice/wrong', worker)
		expect(book.data.entries.map((e: { questionId: string }) => e.questionId)).toContain(question.id)
		expect(JSON.stringify(book.data)).not.toContain(version.explanation)
	})

	test('two right answers in a row take a question out of the 错题本; a wrong one in between starts again', async () => {
		const { path, question } = await showQuestion({ ...coalPro, done: [] }, worker)
		// The first question is in the 错题本 from the test before.
		expect(await notebookEntry(worker.personId, question.id)).toMatchObject({ clearedAt: null })

		expect((await answer(path, question, true, worker)).feedback).toMatchObject({ correct: true, notebook: 'progress', rightStreak: 1 })
		expect((await answer(path, question, false, worker)).feedback).toMatchObject({ correct: false, notebook: 'reset', rightStreak: 0 })
		expect((await answer(path, question, true, worker)).feedback).toMatchObject({ notebook: 'progress', rightStreak: 1 })
		expect(await notebookEntry(worker.personId, question.id)).toMatchObject({ rightStreak: 1, clearedAt: null })
		const before = (await practiceSummary(worker.personId)).wrongCount
		expect((await answer(path, question, true, worker)).feedback).toMatchObject({ correct: true, notebook: 'cleared', rightStreak: 2 })
		const entry = await notebookEntry(worker.personId, question.id)
		expect(entry!.clearedAt).not.toBeNull()
		expect((await practiceSummary(worker.personId)).wrongCount).toBe(before - 1)
		const book = await load(wrongRoute, '/practice/wrong', worker)
		expect(book.data.entries.map((e: { questionId: string }) => e.questionId)).not.toContain(question.id)

		// A right answer to a question never got wrong writes nothing to the 错题本.
		const { path: path3, question: third } = await showQuestion({ ...coalPro, done: [questionRef(question.id), 'ffffffff'] }, worker)
		expect((await answer(path3, third, true, worker)).feedback.notebook).toBeNull()
		expect(await notebookEntry(worker.personId, third.id)).toBeNull()
	})

	test('an answer must be chosen; the error comes back and nothing is recorded', async () => {
		const { path, question } = await showQuestion(coalPro, worker)
		const before = await practiceSummary(worker.personId)
		const outcome = await submit(sessionRoute, path, { questionId: question.id, versionId: question.versionId }, worker)
		expect(outcome.status).toBe(400)
		expect(outcome.data).toMatchObject({ ok: false, error: '请先选择答案' })
		expect(await practiceSummary(worker.personId)).toEqual(before)
	})
})

describe("another job type's questions", () => {
	test('editing the URL to another job type gets a clear refusal, never a question', async () => {
		const path = practiceUrl({ ...coalPro, job: 'hazchem_operator' })
		const outcome = await load(sessionRoute, path, worker)
		expect(outcome.status).toBe(403)
		expect(outcome.data.state).toBe('refused')
		expect(outcome.data.message).toContain('只能练习本人工种')
		expect(outcome.data.question).toBeUndefined()
	})

	test("专业 without a job type gives only the person's own job types", async () => {
		const { data } = await showQuestion({ set: 'bank', part: 'professional', order: 'seq' }, worker)
		expect(data.session.total).toBe(48)
		const [q] = await db.select().from(questions).where(eq(questions.id, data.question.id))
		expect(q!.jobTypes).toContain('coal_underground')
	})

	test("answering another job type's question by posting its id is refused and reveals no key", async () => {
		const [hazchem] = await db.select().from(questions).where(eq(questions.code, 'hazchem-operator-001'))
		expect(hazchem).toBeDefined()
		const outcome = await submit(sessionRoute, practiceUrl(coalPro), { questionId: hazchem!.id, versionId: hazchem!.currentVersionId, answer: ['A'] }, worker)
		expect(outcome.status).toBe(404)
		expect(JSON.stringify(outcome.data)).not.toContain(hazchem!.explanation)
		expect(await notebookEntry(worker.personId, hazchem!.id)).toBeNull()
	})

	test('the 化工 worker practises their own 专业 questions, and sees none of the coal worker’s 错题本', async () => {
		const { question } = await showQuestion({ set: 'bank', part: 'professional', job: 'hazchem_operator', order: 'seq' }, chem)
		const [q] = await db.select().from(questions).where(eq(questions.id, question.id))
		expect(q!.code).toBe('hazchem-operator-001')
		const book = await load(wrongRoute, '/practice/wrong', chem)
		expect(book.data.total).toBe(0)
		expect((await load(sessionRoute, practiceUrl({ set: 'wrong', order: 'seq' }), chem)).data.state).toBe('empty')
	})
})

describe('the 错题本 and exams', () => {
	test('a wrong answer in an exam lands in the 错题本, and practising it twice right clears it', async () => {
		const [exam] = await examsForPerson(db, worker.personId)
		expect(exam).toBeDefined()
		const before = (await practiceSummary(worker.personId)).wrongCount
		const attemptId = await startAttempt(db, exam!.exam.id, worker.personId)
		// Submitted with no answers: every question of the paper is wrong.
		const closed = await submitAttempt(db, attemptId, 'person')
		expect(closed!.score).toBe(0)
		const after = (await practiceSummary(worker.personId)).wrongCount
		expect(after).toBe(before + 25)

		// Practise the 错题本: the first one of it (in bank order).
		const wrongSet: PracticeParams = { set: 'wrong', order: 'seq' }
		const { path, question, data } = await showQuestion(wrongSet, worker)
		expect(data.session.total).toBe(after)
		const first = await answer(path, question, true, worker)
		expect(first.feedback).toMatchObject({ notebook: 'progress', rightStreak: 1 })
		// The same session goes on to another question; a new round brings it back.
		const next = await load(sessionRoute, first.next, worker)
		expect(next.data.question.id).not.toBe(question.id)
		const round2 = await showQuestion(wrongSet, worker)
		expect(round2.question.id).toBe(question.id)
		expect((await answer(round2.path, round2.question, true, worker)).feedback.notebook).toBe('cleared')
		expect((await practiceSummary(worker.personId)).wrongCount).toBe(after - 1)
	})

	test('noteWrongAnswers (exam grading) puts a cleared question back with its streak reset', async () => {
		const [cleared] = await db.select().from(wrongAnswers).where(eq(wrongAnswers.personId, worker.personId)).then((rows) => rows.filter((r) => r.clearedAt))
		expect(cleared).toBeDefined()
		await noteWrongAnswers(db, worker.personId, [cleared!.questionId], new Date())
		expect(await notebookEntry(worker.personId, cleared!.questionId)).toMatchObject({ rightStreak: 0, clearedAt: null })
	})

	test('the 错题本 shows and practises the latest version of a question', async () => {
		const { question } = await showQuestion({ set: 'wrong', order: 'seq' }, worker)
		const [current] = await db.select().from(questions).where(eq(questions.id, question.id))
		const { id: _id, code: _code, ownerOrgId: _o, currentVersionId: _c, version: _v, stemSearch: _s, archived: _a, createdAt: _ca, updatedAt: _u, ...input } = current!
		const stem = `${current!.stem}（修订 ${randomUUID().slice(0, 4)}）`
		await updateQuestion(db, question.id, { ...input, stem, categories: input.categories ?? null })
		const [edited] = await db.select().from(questions).where(eq(questions.id, question.id))
		expect(edited!.currentVersionId).not.toBe(question.versionId)

		const again = await showQuestion({ set: 'wrong', order: 'seq' }, worker)
		expect(again.question).toMatchObject({ id: question.id, versionId: edited!.currentVersionId, stem })
		const book = await load(wrongRoute, '/practice/wrong', worker)
		expect(book.data.entries.find((e: { questionId: string }) => e.questionId === question.id).stem).toBe(stem)
	})
})
