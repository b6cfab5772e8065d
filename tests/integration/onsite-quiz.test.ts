import { and, count, eq, ne } from 'drizzle-orm'
import { beforeAll, describe, expect, test } from 'vitest'
import { attemptQuestions, attempts, auditLog, examAssignees, exams, inspectionHazards, inspections, onsiteQuizzes, people, questionVersions, retrainingOrders } from '#db/schema.ts'
import { syncShippedContent } from '#app/content/sync.server.ts'
import { seedDemo } from '#app/demo/seed.server.ts'
import { toShownLetters } from '#app/exams/grading.ts'
import { joinCodeFrom, onsiteRules, passMarkFor } from '#app/oversight/onsite-quiz.ts'
import { quizBoard } from '#app/oversight/onsite-quiz.server.ts'
import { readQuizPass, signQuizPass } from '#app/oversight/quiz-pass.ts'
import { decryptPii } from '#app/people/pii.server.ts'
import { db } from '#app/utils/db.server.ts'
import * as attemptRoute from '#app/routes/attempts.$attemptId._index.tsx'
import * as examRoute from '#app/routes/exams.$examId.tsx'
import * as inspectionRoute from '#app/routes/inspections.$inspectionId.tsx'
import * as quizPageRoute from '#app/routes/inspections.$inspectionId_.quizzes.$quizId.tsx'
import * as newInspectionRoute from '#app/routes/inspections.new.tsx'
import * as joinRoute from '#app/routes/quiz.$code.tsx'
import { newWorker } from '#tests/fixtures/records.ts'
import { context, load, orgByCode, ORIGIN, run, signedIn, submit, type FormBody } from '#tests/fixtures/requests.ts'

// 逢查必考: an inspection, its on-site quiz, joining by code (signed in) and by roster match
// (name + phone, a pass for this one exam), refusals, closing, scope, and the order a failure opens.

type Signed = Awaited<ReturnType<typeof signedIn>>
let inspector: Signed
let coalId: string
let chemId: string

beforeAll(async () => {
	await syncShippedContent(db)
	await seedDemo(db)
	inspector = await signedIn('13900000002')
	coalId = (await orgByCode('demo-coal')).id
	chemId = (await orgByCode('demo-chem')).id
})

const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10)

async function recordInspection(orgId = coalId, who: Signed = inspector) {
	const outcome = await submit(newInspectionRoute, '/inspections/new', {
		orgId,
		inspectedOn: today(),
		inspectors: '陈海涛、王磊',
		findings: '检查了采掘工作面',
		hazardDescription: ['皮带机头防护栏缺失', '', ''],
		hazardRectifyBy: [today(), '', ''],
	}, who)
	expect(outcome.status, JSON.stringify(outcome.data)).toBe(302)
	return outcome.headers.get('Location')!.split('/').pop()!
}

async function startQuiz(inspectionId: string) {
	const outcome = await submit(inspectionRoute, `/inspections/${inspectionId}`, { intent: 'startQuiz', questionCount: '5', minutes: '5' }, inspector, { inspectionId })
	expect(outcome.status, JSON.stringify(outcome.data)).toBe(302)
	const quizId = outcome.headers.get('Location')!.split('/').pop()!
	const page = await load(quizPageRoute, `/inspections/${inspectionId}/quizzes/${quizId}`, inspector, { inspectionId, quizId })
	expect(page.status).toBe(200)
	return { quizId, code: page.data.quiz.joinCode as string, examId: page.data.exam.id as string, page: page.data }
}

/** A request carrying only the given cookie header (the quiz pass, no session). */
function withCookie(method: 'GET' | 'POST', path: string, cookie: string, body?: FormBody) {
	const headers = new Headers({ Cookie: cookie })
	if (method === 'POST') headers.set('Origin', ORIGIN)
	return new Request(new URL(path, ORIGIN), { method, headers, body: body ? new URLSearchParams(body as Record<string, string>) : undefined })
}

const assigneesOf = async (examId: string) => (await db.select({ personId: examAssignees.personId }).from(examAssignees).where(eq(examAssignees.examId, examId))).map((r) => r.personId)
const rosterPerson = async (personId: string) => {
	const [p] = await db.select().from(people).where(eq(people.id, personId))
	return { name: p!.name, phone: decryptPii(p!.phoneEnc) }
}

describe('the pure parts', () => {
	test('the paper has the asked number of 单选 and 判断, for the job types or else general questions', () => {
		for (let n = 5; n <= 10; n++) {
			const rules = onsiteRules(n, ['coal_underground'])
			expect(rules.reduce((sum, r) => sum + r.count, 0)).toBe(n)
			expect(new Set(rules.map((r) => r.type))).toEqual(new Set(['single', 'judge']))
			for (const r of rules) expect(r.jobTypes).toEqual(['coal_underground'])
			for (const r of onsiteRules(n, [])) expect([r.part, r.jobTypes]).toEqual(['general', undefined])
			expect(passMarkFor(n)).toBe(Math.ceil(n * 10 * 0.6))
		}
		expect(joinCodeFrom(0)).toBe('000000')
		expect(joinCodeFrom(0.9999999)).toBe('999999')
	})

	test('a quiz pass reads back only untouched, unexpired and with the right key', () => {
		const now = new Date('2026-05-01T08:00:00Z')
		const person = '0196a3b2-1111-7000-8000-000000000001'
		const exam = '0196a3b2-2222-7000-8000-000000000002'
		const token = signQuizPass('key', person, exam, new Date(now.getTime() + 60_000))
		expect(readQuizPass('key', token, now)).toMatchObject({ personId: person, examId: exam })
		expect(readQuizPass('other key', token, now)).toBeNull()
		expect(readQuizPass('key', token, new Date(now.getTime() + 60_000))).toBeNull()
		expect(readQuizPass('key', token.replace('2222', '3333'), now)).toBeNull()
	})
})

describe('the demo', () => {
	test('has an inspection of 示范煤业 with a hazard rectified and a finished quiz: two passed, one failed with an order', async () => {
		const [row] = await db.select().from(inspections).where(eq(inspections.orgId, coalId))
		expect(row).toBeTruthy()
		const hazards = await db.select().from(inspectionHazards).where(eq(inspectionHazards.inspectionId, row!.id))
		expect(hazards.map((h) => h.status).sort()).toEqual(['open', 'rectified'])
		const [quiz] = await db.select().from(onsiteQuizzes).where(eq(onsiteQuizzes.inspectionId, row!.id))
		expect(quiz!.closedAt).not.toBeNull()
		const taken = await db.select().from(attempts).where(eq(attempts.examId, quiz!.examId))
		expect(taken.map((a) => [a.status, a.passed]).sort()).toEqual([['submitted', false], ['submitted', true], ['submitted', true]])
		const failed = taken.find((a) => !a.passed)!
		const orders = await db.select().from(retrainingOrders).where(and(eq(retrainingOrders.personId, failed.personId), eq(retrainingOrders.source, 'onsite')))
		expect(orders).toHaveLength(1)
		// The inspection's page keeps the results.
		const page = await load(inspectionRoute, `/inspections/${row!.id}`, inspector, { inspectionId: row!.id })
		expect(page.data.quizzes[0]).toMatchObject({ joined: 3, finished: 3, passed: 2 })
	})
})

describe('inspections', () => {
	test('records an inspection with its hazards, and marks one rectified', async () => {
		const id = await recordInspection()
		const page = await load(inspectionRoute, `/inspections/${id}`, inspector, { inspectionId: id })
		expect(page.data.hazards).toHaveLength(1)
		const hazardId = page.data.hazards[0].id
		const done = await submit(inspectionRoute, `/inspections/${id}`, { intent: 'rectify', hazardId, rectifiedOn: today() }, inspector, { inspectionId: id })
		expect(done.status).toBe(302)
		const [hazard] = await db.select().from(inspectionHazards).where(eq(inspectionHazards.id, hazardId))
		expect(hazard).toMatchObject({ status: 'rectified', rectifiedOn: today() })
	})

	test('refuses a hazard without its 整改期限, saying which row', async () => {
		const before = (await db.select({ n: count() }).from(inspections))[0]!.n
		const outcome = await submit(newInspectionRoute, '/inspections/new', { orgId: coalId, inspectedOn: today(), inspectors: '陈海涛', hazardDescription: ['', '顶板离层'], hazardRectifyBy: ['', ''] }, inspector)
		expect(outcome.status).toBe(400)
		expect(outcome.data.errors['hazard-1']).toBe('请填写整改期限')
		expect((await db.select({ n: count() }).from(inspections))[0]!.n).toBe(before)
	})

	test('the 东山乡 inspector cannot inspect 示范化工 in 西河镇, see its inspections or start a quiz there', async () => {
		const countsBefore = async () => ({
			inspections: (await db.select({ n: count() }).from(inspections))[0]!.n,
			quizzes: (await db.select({ n: count() }).from(onsiteQuizzes))[0]!.n,
			audit: (await db.select({ n: count() }).from(auditLog))[0]!.n,
		})
		const before = await countsBefore()
		const refused = await submit(newInspectionRoute, '/inspections/new', { orgId: chemId, inspectedOn: today(), inspectors: '陈海涛', hazardDescription: [], hazardRectifyBy: [] }, inspector)
		expect(refused.status).toBe(400)
		expect(refused.data.errors.orgId).toBe('该企业不在您的检查范围内')
		expect(await countsBefore()).toEqual(before)

		// The county's inspector records one there; the township's gets 404 for it.
		const county = await signedIn('13900000001')
		const chemInspection = await recordInspection(chemId, county)
		const after = await countsBefore()
		for (const outcome of [
			await load(inspectionRoute, `/inspections/${chemInspection}`, inspector, { inspectionId: chemInspection }),
			await submit(inspectionRoute, `/inspections/${chemInspection}`, { intent: 'startQuiz', questionCount: '5', minutes: '5' }, inspector, { inspectionId: chemInspection }),
		]) {
			expect(outcome.status).toBe(404)
		}
		expect(await countsBefore()).toEqual(after)
		// A worker is no inspector at all.
		const worker = await signedIn('13900000010')
		expect((await load(newInspectionRoute, '/inspections/new', worker)).status).toBe(403)
	})
})

describe('the on-site quiz', () => {
	test('starts with a six-digit code, a QR code of the join URL, matched to the job types present', async () => {
		const { code, page, examId } = await startQuiz(await recordInspection())
		expect(code).toMatch(/^\d{6}$/)
		expect(page.joinUrl).toBe(`${ORIGIN}/quiz/${code}`)
		expect(page.qrSvg).toContain('<svg')
		const [exam] = await db.select().from(exams).where(eq(exams.id, examId))
		expect(exam!.closesAt.getTime() - exam!.opensAt.getTime()).toBe((5 + 30) * 60_000)
		const [quiz] = await db.select().from(onsiteQuizzes).where(eq(onsiteQuizzes.examId, examId))
		expect(quiz!.joinCode).toBe(code)
	})

	test('a signed-in worker of the enterprise joins by code, and a second join resumes', async () => {
		const { code, examId } = await startQuiz(await recordInspection())
		const worker = await signedIn('13900000010')
		const joined = await submit(joinRoute, `/quiz/${code}`, { intent: 'join' }, worker, { code })
		expect(joined.status).toBe(302)
		expect(joined.headers.get('Location')).toBe(`/exams/${examId}`)
		const started = await submit(examRoute, `/exams/${examId}`, {}, worker, { examId })
		expect(started.status).toBe(302)
		const again = await submit(joinRoute, `/quiz/${code}`, { intent: 'join' }, worker, { code })
		expect(again.headers.get('Location')).toBe(`/exams/${examId}`)
		expect(await assigneesOf(examId)).toEqual([worker.personId])
		const resumed = await submit(examRoute, `/exams/${examId}`, {}, worker, { examId })
		expect(resumed.headers.get('Location')).toBe(started.headers.get('Location'))
		const joins = await db.select().from(auditLog).where(and(eq(auditLog.action, 'onsite_quiz.join'), eq(auditLog.actorId, worker.personId)))
		expect(joins).toHaveLength(1)
	})

	test('a person of another enterprise is refused, signed in or by name and phone', async () => {
		const { code, examId } = await startQuiz(await recordInspection())
		const other = await signedIn('13900000011')
		const refused = await submit(joinRoute, `/quiz/${code}`, { intent: 'join' }, other, { code })
		expect(refused.status).toBe(403)
		const stranger = await newWorker('demo-chem', ['hazchem_operator'])
		const byRoster = await submit(joinRoute, `/quiz/${code}`, { intent: 'roster', ...(await rosterPerson(stranger)) }, null, { code })
		expect(byRoster.status).toBe(400)
		expect(byRoster.headers.get('Set-Cookie')).toBeNull()
		expect(await assigneesOf(examId)).toEqual([])
	})

	test('someone without an account joins by roster match and takes this exam only; a failure opens an order', async () => {
		const { code, examId } = await startQuiz(await recordInspection())
		const newcomer = await newWorker('demo-coal', ['coal_underground'])
		const { name, phone } = await rosterPerson(newcomer)

		for (const wrong of [{ name: `${name}甲`, phone }, { name, phone: '13812345678' }]) {
			const refused = await submit(joinRoute, `/quiz/${code}`, { intent: 'roster', ...wrong }, null, { code })
			expect(refused.status).toBe(400)
			expect(refused.data.errors.form).toContain('名单不符')
			expect(refused.headers.get('Set-Cookie')).toBeNull()
		}
		expect(await assigneesOf(examId)).toEqual([])

		const matched = await submit(joinRoute, `/quiz/${code}`, { intent: 'roster', name, phone }, null, { code })
		expect(matched.status).toBe(302)
		expect(matched.headers.get('Location')).toBe(`/exams/${examId}`)
		const cookie = matched.headers.get('Set-Cookie')!.split(';')[0]!
		expect(cookie).toMatch(/^quiz=/)
		expect(await assigneesOf(examId)).toEqual([newcomer])

		// The pass opens this exam…
		const intro = await run(() => examRoute.loader({ request: withCookie('GET', `/exams/${examId}`, cookie), params: { examId }, context }))
		expect(intro.status).toBe(200)
		const started = await run(() => examRoute.action({ request: withCookie('POST', `/exams/${examId}`, cookie, {}), params: { examId }, context }))
		expect(started.status).toBe(302)
		const attemptId = started.headers.get('Location')!.split('/').pop()!
		// …and no other exam, even one the same person is assigned to.
		const [otherExam] = await db.select({ id: exams.id }).from(exams).where(ne(exams.id, examId)).limit(1)
		const otherExamId = otherExam!.id
		await db.insert(examAssignees).values({ examId: otherExamId, personId: newcomer }).onConflictDoNothing()
		const elsewhere = await run(() => examRoute.loader({ request: withCookie('GET', `/exams/${otherExamId}`, cookie), params: { examId: otherExamId }, context }))
		expect(elsewhere.status).toBe(302)
		expect(elsewhere.headers.get('Location')).toMatch(/^\/login/)
		// A forged pass (another exam id, same signature) opens nothing.
		const forged = cookie.replace(examId.replace(/-/g, ''), otherExamId.replace(/-/g, ''))
		const forgedIntro = await run(() => examRoute.loader({ request: withCookie('GET', `/exams/${otherExamId}`, forged), params: { examId: otherExamId }, context }))
		expect(forgedIntro.status).toBe(302)

		// Answer every question wrong and hand in, with the pass alone.
		const paper = await db
			.select({ position: attemptQuestions.position, optionOrder: attemptQuestions.optionOrder, type: questionVersions.type, answer: questionVersions.answer })
			.from(attemptQuestions)
			.innerJoin(questionVersions, eq(questionVersions.id, attemptQuestions.questionVersionId))
			.where(eq(attemptQuestions.attemptId, attemptId))
		expect(paper).toHaveLength(5)
		for (const q of paper) {
			const key = q.type === 'judge' ? String(q.answer) : toShownLetters(q.answer as string, q.optionOrder)
			const wrong = q.type === 'judge' ? String(key !== 'true') : key === 'A' ? 'B' : 'A'
			const saved = await run(() => attemptRoute.action({ request: withCookie('POST', `/attempts/${attemptId}`, cookie, { position: String(q.position), answer: wrong, to: 'next' }), params: { attemptId }, context }))
			expect(saved.status).toBe(302)
		}
		const handedIn = await run(() => attemptRoute.action({ request: withCookie('POST', `/attempts/${attemptId}`, cookie, { intent: 'submit' }), params: { attemptId }, context }))
		expect(handedIn.headers.get('Location')).toBe(`/attempts/${attemptId}/result`)
		const [attempt] = await db.select().from(attempts).where(eq(attempts.id, attemptId))
		expect(attempt).toMatchObject({ status: 'submitted', passed: false, score: 0 })
		const orders = await db.select().from(retrainingOrders).where(eq(retrainingOrders.personId, newcomer))
		expect(orders.map((o) => o.source)).toEqual(['onsite'])
	})

	test('an account holder must sign in: name and phone are not a password', async () => {
		const { code, examId } = await startQuiz(await recordInspection())
		const refused = await submit(joinRoute, `/quiz/${code}`, { intent: 'roster', name: '李大山', phone: '13900000010' }, null, { code })
		expect(refused.status).toBe(409)
		expect(refused.data.errors.form).toContain('请先登录')
		expect(refused.headers.get('Set-Cookie')).toBeNull()
		expect(await assigneesOf(examId)).toEqual([])
	})

	test('an unknown code says so', async () => {
		const used = new Set((await db.select({ code: onsiteQuizzes.joinCode }).from(onsiteQuizzes)).map((r) => r.code))
		const unknown = ['000000', '111111', '123456', '999999'].find((c) => !used.has(c))!
		const outcome = await load(joinRoute, `/quiz/${unknown}`, null, { code: unknown })
		expect(outcome.status).toBe(404)
		expect(outcome.data.state).toBe('unknown')
	})

	test('结束考试 stops new joins, closes the exam and caps open papers, which are then graded', async () => {
		const inspectionId = await recordInspection()
		const { quizId, code, examId } = await startQuiz(inspectionId)
		const worker = await signedIn('13900000010')
		await submit(joinRoute, `/quiz/${code}`, { intent: 'join' }, worker, { code })
		const started = await submit(examRoute, `/exams/${examId}`, {}, worker, { examId })
		const attemptId = started.headers.get('Location')!.split('/').pop()!

		const closed = await submit(quizPageRoute, `/inspections/${inspectionId}/quizzes/${quizId}`, { intent: 'close' }, inspector, { inspectionId, quizId })
		expect(closed.status).toBe(302)
		const closedAt = new Date()
		const [quiz] = await db.select().from(onsiteQuizzes).where(eq(onsiteQuizzes.id, quizId))
		expect(quiz!.closedAt).not.toBeNull()
		const [exam] = await db.select().from(exams).where(eq(exams.id, examId))
		expect(exam!.closesAt.getTime()).toBeLessThanOrEqual(closedAt.getTime())
		const [open] = await db.select().from(attempts).where(eq(attempts.id, attemptId))
		expect(open!.deadlineAt.getTime()).toBeLessThanOrEqual(closedAt.getTime())

		// No new joins, by session or by roster.
		const latecomer = await signedIn('13900000003')
		const refused = await submit(joinRoute, `/quiz/${code}`, { intent: 'join' }, latecomer, { code })
		expect(refused.status).toBe(409)
		expect(refused.data.errors.form).toBe('本场现场考试已结束，不能再加入')
		const newcomer = await newWorker('demo-coal', ['coal_underground'])
		const byRoster = await submit(joinRoute, `/quiz/${code}`, { intent: 'roster', ...(await rosterPerson(newcomer)) }, null, { code })
		expect(byRoster.status).toBe(409)
		expect(await assigneesOf(examId)).toEqual([worker.personId])
		expect((await load(joinRoute, `/quiz/${code}`, null, { code })).data.state).toBe('closed')

		// Past the grace, the inspector's table grades the open paper.
		const board = await quizBoard(db, examId, new Date(closedAt.getTime() + 60_000))
		expect(board).toHaveLength(1)
		expect(board[0]).toMatchObject({ personId: worker.personId, status: 'submitted' })
	})
})
