import { and, asc, eq } from 'drizzle-orm'
import { beforeAll, describe, expect, test } from 'vitest'
import { attemptAnswers, attemptQuestions, attempts, examAssignees, exams, questionVersions } from '#db/schema.ts'
import { syncShippedContent } from '#app/content/sync.server.ts'
import { seedDemo } from '#app/demo/seed.server.ts'
import { scoreAnswer, toShownLetters } from '#app/exams/grading.ts'
import { GRACE_SECONDS } from '#app/exams/deadline.ts'
import { db } from '#app/utils/db.server.ts'
import * as introRoute from '#app/routes/exams.$examId.tsx'
import * as attemptRoute from '#app/routes/attempts.$attemptId._index.tsx'
import * as answersRoute from '#app/routes/attempts.$attemptId.answers.ts'
import * as eventsRoute from '#app/routes/attempts.$attemptId.events.ts'
import * as resultRoute from '#app/routes/attempts.$attemptId.result.tsx'
import * as homeRoute from '#app/routes/me._index.tsx'
import { expectSignInRedirect, load, signedIn, submit, type Outcome } from '#tests/fixtures/requests.ts'

// Taking an exam through the route modules, as the browser does: the intro's 开始考试, the
// attempt page (one question per screen, forms without JavaScript), the endpoints the page's
// script uses (answers, events), 交卷 and the result. And: the answer key never leaves the server
// while the attempt is open.

const WORKER = '13900000010' // 李大山, 示范煤业, 煤矿井下作业人员: the demo 岗前安全培训考试
const CHEM_WORKER = '13900000011' // 周小龙, 示范化工, 危险化学品生产操作人员

type Auth = Awaited<ReturnType<typeof signedIn>>
let worker: Auth
let chem: Auth
let coalExamId: string
let chemExamId: string

async function examOf(personId: string) {
	const [row] = await db.select({ id: exams.id, title: exams.title }).from(examAssignees).innerJoin(exams, eq(exams.id, examAssignees.examId)).where(eq(examAssignees.personId, personId))
	if (!row) throw new Error('the demo data gives this person no exam')
	return row
}

beforeAll(async () => {
	await syncShippedContent(db)
	await seedDemo(db)
	worker = await signedIn(WORKER)
	chem = await signedIn(CHEM_WORKER)
	coalExamId = (await examOf(worker.personId)).id
	chemExamId = (await examOf(chem.personId)).id
})

/** The frozen paper with its key (shown letters), read straight from the database. */
async function paperWithKey(attemptId: string) {
	const rows = await db
		.select({ position: attemptQuestions.position, optionOrder: attemptQuestions.optionOrder, points: attemptQuestions.points, type: questionVersions.type, answer: questionVersions.answer, explanation: questionVersions.explanation, optionCount: questionVersions.options })
		.from(attemptQuestions)
		.innerJoin(questionVersions, eq(questionVersions.id, attemptQuestions.questionVersionId))
		.where(eq(attemptQuestions.attemptId, attemptId))
		.orderBy(asc(attemptQuestions.position))
	return rows.map((r) => ({ ...r, right: typeof r.answer === 'string' ? toShownLetters(r.answer, r.optionOrder) : r.answer, optionCount: r.optionCount.length }))
}

/** A posted value for an answer: the right one, or a wrong one. */
function valueFor(q: Awaited<ReturnType<typeof paperWithKey>>[number], right: boolean): string {
	if (q.type === 'judge') return String(right ? q.right : !q.right)
	const key = q.right as string
	if (right) return key
	if (q.type === 'multiple') return key[0]! // only part of the right choices: wrong (no partial credit)
	return 'ABCDEFGH'.slice(0, q.optionCount).split('').find((l) => l !== key)!
}

/** The same as form fields: one per checked box. */
const fieldsFor = (q: Awaited<ReturnType<typeof paperWithKey>>[number], right: boolean) => (q.type === 'judge' ? [valueFor(q, right)] : [...valueFor(q, right)])

async function startOn(examId: string, auth: Auth) {
	const started = await submit(introRoute, `/exams/${examId}`, {}, auth, { examId })
	expect(started.status).toBe(302)
	const location = started.headers.get('Location')!
	expect(location).toMatch(/^\/attempts\/[0-9a-f-]{36}$/)
	return location.split('/')[2]!
}

const saveVia = (attemptId: string, body: Record<string, string>, auth: Auth | null) => submit(answersRoute, `/attempts/${attemptId}/answers`, body, auth, { attemptId })
const eventVia = (attemptId: string, kind: string, auth: Auth) => submit(eventsRoute, `/attempts/${attemptId}/events`, { kind }, auth, { attemptId })
const json = (o: Outcome) => (typeof o.data === 'string' ? JSON.parse(o.data) : o.data)

async function savedRows(attemptId: string) {
	return db.select().from(attemptAnswers).where(eq(attemptAnswers.attemptId, attemptId)).orderBy(asc(attemptAnswers.position))
}

describe('taking an exam, start to result', () => {
	test('start → save via the answers endpoint → navigate without JavaScript → 交卷 → result', async () => {
		const introPath = `/exams/${coalExamId}`
		const intro = await load(introRoute, introPath, worker, { examId: coalExamId })
		expect(intro.status).toBe(200)
		expect(intro.data.template).toMatchObject({ questionCount: 25, totalPoints: 100, passMark: 80, timeLimitMinutes: 45, attemptsAllowed: 3 })
		expect(intro.data.window).toBe('open')
		expect(intro.data.attempts).toEqual([])

		const attemptId = await startOn(coalExamId, worker)
		const path = `/attempts/${attemptId}`
		const params = { attemptId }
		const page = await load(attemptRoute, `${path}?q=1`, worker, params)
		expect(page.status).toBe(200)
		expect(page.data.questions).toHaveLength(25)
		expect(page.data.q).toBe(1)
		expect(page.data.secondsLeft).toBeGreaterThan(44 * 60)
		const key = await paperWithKey(attemptId)

		// With JavaScript: one save per answer, idempotent, stale saves ignored.
		const first = key[0]!
		let saved = await saveVia(attemptId, { position: '1', answer: valueFor(first, true), clientSeq: '1' }, worker)
		expect(saved.status).toBe(200)
		expect(json(saved)).toMatchObject({ ok: true, saved: true, stale: false, clientSeq: 1 })
		saved = await saveVia(attemptId, { position: '1', answer: valueFor(first, true), clientSeq: '1' }, worker)
		expect(json(saved)).toMatchObject({ ok: true, saved: true, stale: false, clientSeq: 1 })
		saved = await saveVia(attemptId, { position: '1', answer: valueFor(first, false), clientSeq: '3' }, worker)
		expect(json(saved)).toMatchObject({ ok: true, saved: true, clientSeq: 3 })
		saved = await saveVia(attemptId, { position: '1', answer: valueFor(first, true), clientSeq: '2' }, worker)
		expect(json(saved)).toMatchObject({ ok: true, saved: false, stale: true, clientSeq: 3 })
		expect((await savedRows(attemptId))[0]).toMatchObject({ position: 1, clientSeq: 3 })
		// …and the right one again, newer.
		saved = await saveVia(attemptId, { position: '1', answer: valueFor(first, true), clientSeq: '4' }, worker)
		expect(json(saved).saved).toBe(true)

		// Malformed answers and missing fields are refused with 400; other people's attempts are 404.
		const single = key.find((q) => q.type === 'single')!
		expect((await saveVia(attemptId, { position: String(single.position), answer: 'AB', clientSeq: '5' }, worker)).status).toBe(400)
		expect((await saveVia(attemptId, { position: '2', answer: 'A' }, worker)).status).toBe(400)
		expect((await saveVia(attemptId, { position: '99', answer: 'A', clientSeq: '5' }, worker)).status).toBe(400)
		expect((await saveVia(attemptId, { position: '1', answer: 'A', clientSeq: '5' }, chem)).status).toBe(404)
		expect((await saveVia(attemptId, { position: '1', answer: 'A', clientSeq: '5' }, null)).status).toBe(401)

		// A 多选 answer from several checkboxes, a 判断 as true/false.
		const multiple = key.find((q) => q.type === 'multiple')!
		const judge = key.find((q) => q.type === 'judge')!
		for (const q of [multiple, judge]) {
			const r = await saveVia(attemptId, { position: String(q.position), answer: valueFor(q, true), clientSeq: String(10 + q.position) }, worker)
			expect(json(r).saved, `position ${q.position}`).toBe(true)
		}

		// Without JavaScript: each question is a form; 下一题/上一题 save, then move.
		const second = key[1]!
		let moved = await submit(attemptRoute, `${path}?index&q=2`, { position: '2', answer: fieldsFor(second, true), to: 'next' }, worker, params)
		expect(moved.status).toBe(302)
		expect(moved.headers.get('Location')).toBe(`${path}?q=3`)
		moved = await submit(attemptRoute, `${path}?index&q=3`, { position: '3', answer: fieldsFor(key[2]!, false), to: 'prev' }, worker, params)
		expect(moved.headers.get('Location')).toBe(`${path}?q=2`)
		// A no-JavaScript save gets a sequence number after every one the attempt has seen.
		const rows = await savedRows(attemptId)
		const row3 = rows.find((r) => r.position === 3)!
		expect(row3.clientSeq).toBeGreaterThan(Math.max(...rows.filter((r) => r.position !== 3).map((r) => r.clientSeq)))
		// Moving on without choosing anything saves nothing (on a question nobody answered yet: the
		// paper is shuffled, so the 多选 and 判断 saved above may sit anywhere).
		const answered = new Set((await savedRows(attemptId)).map((r) => r.position))
		const blank = key.find((q) => !answered.has(q.position) && q.position < key.length)!.position
		moved = await submit(attemptRoute, `${path}?index&q=${blank}`, { position: String(blank), to: 'next' }, worker, params)
		expect(moved.headers.get('Location')).toBe(`${path}?q=${blank + 1}`)
		expect((await savedRows(attemptId)).some((r) => r.position === blank)).toBe(false)

		// The page shows what the server has.
		const again = await load(attemptRoute, `${path}?q=2`, worker, params)
		expect(again.data.answers['2'].given).toEqual(second.type === 'judge' ? second.right : valueFor(second, true))
		expect(again.data.answers['3'].given).toEqual(key[2]!.type === 'judge' ? !key[2]!.right : valueFor(key[2]!, false))

		// 切屏 is counted by the server.
		expect(json(await eventVia(attemptId, 'hidden', worker))).toMatchObject({ ok: true, status: 'open', switchCount: 1 })
		expect(json(await eventVia(attemptId, 'visible', worker))).toMatchObject({ ok: true, status: 'open', switchCount: 1 })
		expect((await eventVia(attemptId, 'other', worker)).status).toBe(400)
		const clock = json(await load(eventsRoute, `${path}/events`, worker, params))
		expect(clock).toMatchObject({ ok: true, status: 'open', switchCount: 1 })
		expect(Date.parse(clock.deadlineAt)).toBeGreaterThan(Date.parse(clock.now))

		// 交卷 leads to the confirm step listing what is unanswered, which then submits.
		const toConfirm = await submit(attemptRoute, `${path}?index&q=5`, { position: '5', to: 'confirm' }, worker, params)
		expect(toConfirm.headers.get('Location')).toBe(`${path}?q=5&confirm=1`)
		const confirm = await load(attemptRoute, `${path}?q=5&confirm=1`, worker, params)
		expect(confirm.data.confirm).toBe(true)
		const done = await submit(attemptRoute, `${path}?index`, { intent: 'submit' }, worker, params)
		expect(done.status).toBe(302)
		expect(done.headers.get('Location')).toBe(`${path}/result`)

		// The score is the one the answers the server had earn.
		const given = new Map((await savedRows(attemptId)).map((r) => [r.position, r.answer]))
		const expected = key.reduce((sum, q) => sum + scoreAnswer({ type: q.type, answer: q.answer }, given.get(q.position), q.optionOrder, q.points), 0)
		const result = await load(resultRoute, `${path}/result`, worker, params)
		expect(result.status).toBe(200)
		expect(result.data.attempt).toMatchObject({ score: expected, maxScore: 100, passed: expected >= 80, switchCount: 1, submittedBy: 'person' })
		expect(result.data.review).toHaveLength(25)
		const reviewed = result.data.review as { position: number; right: unknown; explanation: string; awarded: number; given: unknown }[]
		expect(reviewed[0]!.right).toEqual(first.right)
		expect(reviewed[0]!.awarded).toBe(first.points)
		expect(reviewed[0]!.explanation).toBe(first.explanation)
		expect(reviewed.find((r) => r.position === 3)!.awarded).toBe(0)

		// Closed: the paper goes to the result, saves are refused with 409.
		const closedPage = await load(attemptRoute, `${path}?q=1`, worker, params)
		expect(closedPage.status).toBe(302)
		expect(closedPage.headers.get('Location')).toBe(`${path}/result`)
		const late = await saveVia(attemptId, { position: '4', answer: 'A', clientSeq: '100' }, worker)
		expect(late.status).toBe(409)
		expect(json(late)).toMatchObject({ ok: false, closed: true })

		// 我的考试 on the worker's home, and the intro, show it.
		const home = await load(homeRoute, '/me', worker)
		const mine = (home.data.exams as { id: string; status: string; attemptsUsed: number; latestResultId: string | null; canStart: boolean }[]).find((e) => e.id === coalExamId)!
		expect(mine).toMatchObject({ status: expected >= 80 ? 'passed' : 'failed', attemptsUsed: 1, latestResultId: attemptId })
		const introAfter = await load(introRoute, introPath, worker, { examId: coalExamId })
		expect(introAfter.data.attempts).toHaveLength(1)
		expect(introAfter.data.attempts[0]).toMatchObject({ id: attemptId, status: 'submitted', score: expected })
	})

	test('people not assigned to the exam get 404; anonymous callers are sent to sign in', async () => {
		expect((await load(introRoute, `/exams/${coalExamId}`, chem, { examId: coalExamId })).status).toBe(404)
		expect((await submit(introRoute, `/exams/${coalExamId}`, {}, chem, { examId: coalExamId })).status).toBe(404)
		expect((await load(introRoute, '/exams/nope', worker, { examId: 'nope' })).status).toBe(404)
		expectSignInRedirect(await load(introRoute, `/exams/${coalExamId}`, null, { examId: coalExamId }), `/exams/${coalExamId}`)

		const [mine] = await db.select({ id: attempts.id }).from(attempts).where(eq(attempts.personId, worker.personId))
		const params = { attemptId: mine!.id }
		expect((await load(attemptRoute, `/attempts/${mine!.id}`, chem, params)).status).toBe(404)
		expect((await load(resultRoute, `/attempts/${mine!.id}/result`, chem, params)).status).toBe(404)
		expect((await eventVia(mine!.id, 'hidden', chem)).status).toBe(404)
	})
})

/** Every key in a JSON value, at any depth. */
function keysOf(value: unknown, into = new Set<string>()): Set<string> {
	if (Array.isArray(value)) for (const v of value) keysOf(v, into)
	else if (value && typeof value === 'object')
		for (const [k, v] of Object.entries(value)) {
			into.add(k)
			keysOf(v, into)
		}
	return into
}

describe('the answer key never reaches the client before the attempt is submitted', () => {
	test('no response of an open attempt carries an answer key or an explanation', async () => {
		const responses: { what: string; outcome: Outcome }[] = []
		const record = (what: string, outcome: Outcome) => {
			responses.push({ what, outcome })
			return outcome
		}
		const introPath = `/exams/${chemExamId}`
		record('intro', await load(introRoute, introPath, chem, { examId: chemExamId }))
		const attemptId = await startOn(chemExamId, chem)
		record('intro again', await load(introRoute, introPath, chem, { examId: chemExamId }))
		record('start again (resumes)', await submit(introRoute, introPath, {}, chem, { examId: chemExamId }))
		const path = `/attempts/${attemptId}`
		const params = { attemptId }
		const key = await paperWithKey(attemptId)
		for (const q of key) {
			record(`page q=${q.position}`, await load(attemptRoute, `${path}?q=${q.position}`, chem, params))
			record(`save ${q.position}`, await saveVia(attemptId, { position: String(q.position), answer: valueFor(q, q.position % 2 === 0), clientSeq: String(q.position) }, chem))
		}
		record('bad save', await saveVia(attemptId, { position: '1', answer: 'ZZ', clientSeq: '99' }, chem))
		record('form save', await submit(attemptRoute, `${path}?index&q=1`, { position: '1', answer: fieldsFor(key[0]!, true), to: 'next' }, chem, params))
		record('form save (bad)', await submit(attemptRoute, `${path}?index&q=1`, { position: '1', answer: ['true', 'A'], to: 'next' }, chem, params))
		record('confirm step', await load(attemptRoute, `${path}?q=1&confirm=1`, chem, params))
		record('hidden', await eventVia(attemptId, 'hidden', chem))
		record('visible', await eventVia(attemptId, 'visible', chem))
		record('clock', await load(eventsRoute, `${path}/events`, chem, params))
		record('result while open', await load(resultRoute, `${path}/result`, chem, params))
		record('home', await load(homeRoute, '/me', chem))

		const explanations = key.map((q) => q.explanation)
		expect(explanations.every((e) => e.length > 8)).toBe(true)
		for (const { what, outcome } of responses) {
			expect(outcome.status, what).toBeLessThan(500)
			const text = typeof outcome.data === 'string' ? outcome.data : JSON.stringify(outcome.data)
			const parsed = typeof outcome.data === 'string' ? (outcome.data.startsWith('{') ? JSON.parse(outcome.data) : null) : outcome.data
			const keys = keysOf(parsed)
			for (const field of ['answer', 'explanation', 'right', 'key', 'optionOrder', 'questionVersionId', 'awarded', 'review']) expect(keys.has(field), `${what}: field ${field}`).toBe(false)
			for (const e of explanations) expect(text.includes(e), `${what} carries an explanation`).toBe(false)
		}
		// The result page of an open attempt sends the taker back to the paper, not to a review.
		expect(responses.find((r) => r.what === 'result while open')!.outcome.headers.get('Location')).toBe(path)
		// The attempt page's questions carry exactly the fields the taker needs.
		const page = responses.find((r) => r.what === 'page q=1')!.outcome.data
		for (const q of page.questions) expect(Object.keys(q).sort()).toEqual(['options', 'points', 'position', 'stem', 'type'])

		// Once submitted, the review has the key and the explanations.
		await submit(attemptRoute, `${path}?index`, { intent: 'submit' }, chem, params)
		const result = await load(resultRoute, `${path}/result`, chem, params)
		expect(result.data.review.map((r: { explanation: string }) => r.explanation)).toEqual(explanations)
	})
})

describe('the deadline lives on the server', () => {
	test('a save within the grace period counts; after it, it is refused with 409 and the attempt is graded with what the server had', async () => {
		const attemptId = await startOn(chemExamId, chem)
		const path = `/attempts/${attemptId}`
		const params = { attemptId }
		const key = await paperWithKey(attemptId)
		const [q1, q2, q3] = key as [(typeof key)[number], (typeof key)[number], (typeof key)[number]]
		expect(json(await saveVia(attemptId, { position: '1', answer: valueFor(q1, true), clientSeq: '1' }, chem)).saved).toBe(true)

		// The deadline passed 10 s ago: an in-flight save still counts.
		await db.update(attempts).set({ deadlineAt: new Date(Date.now() - 10_000) }).where(eq(attempts.id, attemptId))
		expect(json(await saveVia(attemptId, { position: '2', answer: valueFor(q2, true), clientSeq: '2' }, chem)).saved).toBe(true)
		// The page shows no time left but is still the paper.
		const page = await load(attemptRoute, `${path}?q=1`, chem, params)
		expect(page.status).toBe(200)
		expect(page.data.secondsLeft).toBe(0)

		// Past the grace period: refused, and the server submits with the two answers it has.
		await db.update(attempts).set({ deadlineAt: new Date(Date.now() - (GRACE_SECONDS + 5) * 1000) }).where(eq(attempts.id, attemptId))
		const late = await saveVia(attemptId, { position: '3', answer: valueFor(q3, true), clientSeq: '3' }, chem)
		expect(late.status).toBe(409)
		expect(json(late)).toMatchObject({ ok: false, closed: true })
		expect(json(late).error).toMatch(/考试时间已到/)
		const [closed] = await db.select().from(attempts).where(eq(attempts.id, attemptId))
		expect(closed).toMatchObject({ status: 'submitted', submittedBy: 'deadline', score: q1.points + q2.points })
		expect((await savedRows(attemptId)).map((r) => r.position)).toEqual([1, 2])

		// Without JavaScript the same late save lands on the result, which says why.
		const form = await submit(attemptRoute, `${path}?index&q=3`, { position: '3', answer: fieldsFor(q3, true), to: 'next' }, chem, params)
		expect(form.status).toBe(302)
		expect(form.headers.get('Location')).toBe(`${path}/result?late=1`)
		const result = await load(resultRoute, `${path}/result?late=1`, chem, params)
		expect(result.data.late).toBe(true)
		expect(result.data.attempt).toMatchObject({ score: q1.points + q2.points, submittedBy: 'deadline' })
	})

	test('an attempt whose time ran out while the page was closed opens on its graded result', async () => {
		// The demo exam allows three attempts; the chem worker has used two.
		const attemptId = await startOn(chemExamId, chem)
		const key = await paperWithKey(attemptId)
		await saveVia(attemptId, { position: '1', answer: valueFor(key[0]!, true), clientSeq: '1' }, chem)
		await db.update(attempts).set({ deadlineAt: new Date(Date.now() - 3600_000) }).where(eq(attempts.id, attemptId))
		const home = await load(homeRoute, '/me', chem)
		const mine = (home.data.exams as { id: string; status: string; canStart: boolean; latestResultId: string }[]).find((e) => e.id === chemExamId)!
		expect(mine).toMatchObject({ status: 'failed', canStart: false, latestResultId: attemptId })
		const page = await load(attemptRoute, `/attempts/${attemptId}`, chem, { attemptId })
		expect(page.headers.get('Location')).toBe(`/attempts/${attemptId}/result`)
		const result = await load(resultRoute, `/attempts/${attemptId}/result`, chem, { attemptId })
		expect(result.data.attempt).toMatchObject({ score: key[0]!.points, submittedBy: 'deadline' })
		// No attempts left: the intro says so and 开始考试 is refused with the reason.
		const refused = await submit(introRoute, `/exams/${chemExamId}`, {}, chem, { examId: chemExamId })
		expect(refused.status).toBe(409)
		expect(refused.data.error).toMatch(/次数已用完/)
	})
})

describe('a second device', () => {
	test('another session of the same person resumes the same attempt with its answers', async () => {
		const phone = await signedIn(WORKER)
		const tablet = await signedIn(WORKER)
		const attemptId = await startOn(coalExamId, phone)
		expect(await startOn(coalExamId, tablet)).toBe(attemptId)
		const open = await db.select().from(attempts).where(and(eq(attempts.personId, worker.personId), eq(attempts.status, 'open')))
		expect(open).toHaveLength(1)

		const key = await paperWithKey(attemptId)
		const params = { attemptId }
		await saveVia(attemptId, { position: '1', answer: valueFor(key[0]!, true), clientSeq: '5' }, phone)
		const onTablet = await load(attemptRoute, `/attempts/${attemptId}?q=1`, tablet, params)
		expect(onTablet.status).toBe(200)
		expect(onTablet.data.answers['1']).toEqual({ given: key[0]!.type === 'judge' ? key[0]!.right : valueFor(key[0]!, true), clientSeq: 5 })
		// The tablet's script continues after the highest sequence number it was given.
		const next = Math.max(...Object.values(onTablet.data.answers as Record<string, { clientSeq: number }>).map((a) => a.clientSeq)) + 1
		expect(json(await saveVia(attemptId, { position: '1', answer: valueFor(key[0]!, false), clientSeq: String(next) }, tablet)).saved).toBe(true)
		// A late retry from the phone's older answer does not overwrite it.
		expect(json(await saveVia(attemptId, { position: '1', answer: valueFor(key[0]!, true), clientSeq: '5' }, phone))).toMatchObject({ saved: false, stale: true })
		const [row] = await savedRows(attemptId)
		expect(row!.clientSeq).toBe(next)

		// The home page of either device offers to continue it.
		const home = await load(homeRoute, '/me', tablet)
		expect((home.data.exams as { id: string; status: string; openAttemptId: string }[]).find((e) => e.id === coalExamId)).toMatchObject({ status: 'in_progress', openAttemptId: attemptId })
	})
})
