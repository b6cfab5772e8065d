import { randomUUID } from 'node:crypto'
import { asc, eq } from 'drizzle-orm'
import { beforeAll, describe, expect, test } from 'vitest'
import { attemptQuestions, examAssignees, exams, offlineTrainingAttendees, operationCertificates, offlineTrainings, questionVersions, retrainingOrders, rotationRules, violations } from '#db/schema.ts'
import { syncShippedContent } from '#app/content/sync.server.ts'
import { requiredCourses } from '#app/courses/learning.server.ts'
import { seedDemo } from '#app/demo/seed.server.ts'
import { saveAnswer, startAttempt, submitAttempt } from '#app/exams/attempts.server.ts'
import { toShownLetters } from '#app/exams/grading.ts'
import { clearanceOfPeople, clearanceOfPerson } from '#app/records/clearance.server.ts'
import { db } from '#app/utils/db.server.ts'
import * as personRoute from '#app/routes/people.$personId._index.tsx'
import * as violationRoute from '#app/routes/people.$personId.violations.tsx'
import * as licenceRoute from '#app/routes/people.$personId.operation-certificates.tsx'
import { testIdNumber, withWrongCheckDigit } from '#tests/fixtures/identity.ts'
import { completeCourses, newWorker, preJobTemplateOf, submittedAttempt } from '#tests/fixtures/records.ts'
import { load, orgByCode, rowCounts as peopleRowCounts, signedIn, submit } from '#tests/fixtures/requests.ts'
import { chinaDay } from '#app/utils/days.ts'

// 上岗资格 derived from the records in the database: every rule with its reason, the as-of-date
// question, retraining orders opening (三违) and closing (course + re-exam), and who may see and
// record what.

const day = (iso: string) => new Date(`${iso}T10:00:00+08:00`)
const reasonsOf = async (personId: string, asOf: string) => (await clearanceOfPerson(personId, asOf))!.reasons.map((r) => r.text)

let coalTemplate: string

/** Rows that a refused request must not have written. */
async function rowCounts() {
	const n = async (table: typeof violations | typeof retrainingOrders | typeof operationCertificates | typeof exams) => (await db.select({ id: table.id }).from(table)).length
	return { ...(await peopleRowCounts()), violations: await n(violations), orders: await n(retrainingOrders), operationCertificates: await n(operationCertificates), exams: await n(exams) }
}

async function courseIdsOf(personId: string) {
	return (await requiredCourses(db, personId)).map((c) => c.id)
}

/** A coal worker whose courses were completed and exam passed on the given days. */
async function clearedWorker(completedOn = '2026-03-01', passedOn = '2026-03-02') {
	const id = await newWorker('demo-coal', ['coal_underground'])
	await completeCourses(id, await courseIdsOf(id), day(completedOn))
	await submittedAttempt(id, coalTemplate, day(passedOn), true)
	return id
}

beforeAll(async () => {
	await syncShippedContent(db)
	await seedDemo(db)
	coalTemplate = await preJobTemplateOf('coal_underground')
})

describe('clearance rules and reasons', () => {
	test('a new worker is not cleared: each required course and the exam are named', async () => {
		const id = await newWorker('demo-coal', ['coal_underground'])
		const courses = await requiredCourses(db, id)
		expect(courses.length).toBeGreaterThanOrEqual(2)
		const reasons = await reasonsOf(id, '2026-11-23')
		for (const c of courses) expect(reasons).toContain(`《${c.title}》未完成 0/${c.lessons} 课时`)
		expect(reasons).toContain('尚未参加煤矿井下作业人员岗前考试')
		expect(reasons).toHaveLength(courses.length + 1)
	})

	test('half the lessons of a course done shows the count', async () => {
		const id = await newWorker('demo-coal', ['coal_underground'])
		const [course] = await requiredCourses(db, id)
		const { lessonProgress, lessons } = await import('#db/schema.ts')
		const all = await db.select({ id: lessons.id }).from(lessons).where(eq(lessons.courseId, course!.id)).orderBy(asc(lessons.position))
		const at = day('2026-05-01')
		await db.insert(lessonProgress).values(all.slice(0, 2).map((l) => ({ personId: id, lessonId: l.id, studiedSeconds: 600, reachedEnd: true, completedAt: at, updatedAt: at })))
		expect(await reasonsOf(id, '2026-11-23')).toContain(`《${course!.title}》未完成 2/${course!.lessons} 课时`)
	})

	test('complete courses and a passed exam clear the worker; a failed exam is named as failed', async () => {
		const id = await clearedWorker()
		expect(await clearanceOfPerson(id, '2026-11-23')).toMatchObject({ cleared: true, reasons: [] })

		const failed = await newWorker('demo-coal', ['coal_underground'])
		await completeCourses(failed, await courseIdsOf(failed), day('2026-03-01'))
		await submittedAttempt(failed, coalTemplate, day('2026-03-02'), false)
		expect(await reasonsOf(failed, '2026-11-23')).toEqual(['煤矿井下作业人员岗前考试未通过'])
	})

	test('a pass runs out after 12 months and clearance near its end is flagged as expiring', async () => {
		const id = await clearedWorker('2025-11-01', '2025-11-10')
		const onTheLastDay = await clearanceOfPerson(id, '2026-11-09')
		expect(onTheLastDay).toMatchObject({ cleared: true, lapsesOn: '2026-11-10', expiringSoon: true })
		expect(await reasonsOf(id, '2026-11-10')).toEqual(['煤矿井下作业人员考试合格已于 2026-11-09 到期，须参加复训考试'])
	})

	test('the as-of date sees only the records made by the end of that day', async () => {
		const id = await clearedWorker('2026-03-01', '2026-03-02')
		expect(await reasonsOf(id, '2026-03-01')).toEqual(['尚未参加煤矿井下作业人员岗前考试'])
		expect((await clearanceOfPerson(id, '2026-03-02'))!.cleared).toBe(true)
		expect((await reasonsOf(id, '2026-02-28')).filter((r) => r.includes('未完成')).length).toBeGreaterThanOrEqual(2)
	})

	test('a special operation needs its operation certificate, recorded through the form, unexpired', async () => {
		const id = await newWorker('demo-coal', ['electrician'])
		await completeCourses(id, await courseIdsOf(id), day('2026-03-01'))
		await submittedAttempt(id, await preJobTemplateOf('electrician'), day('2026-03-02'), true)
		expect(await reasonsOf(id, '2026-11-23')).toEqual(['缺少电工作业（低压电工）的特种作业操作证'])

		const manager = await signedIn('13900000003')
		const number = `T${testIdNumber(41)}`
		const posted = await submit(licenceRoute, `/people/${id}/operation-certificates`, { jobTypeCode: 'electrician', number, issuer: '示范县应急管理局', issuedOn: '2020-05-01', validUntil: '2026-05-01' }, manager, { personId: id })
		expect(posted.status).toBe(302)
		expect(await reasonsOf(id, '2026-11-23')).toEqual(['电工作业（低压电工）的特种作业操作证已于 2026-05-01 过期'])
		expect((await clearanceOfPerson(id, '2026-04-30'))!.cleared).toBe(true)
		// The page shows the number masked, never in clear.
		const page = await load(personRoute, `/people/${id}`, manager, { personId: id })
		expect(JSON.stringify(page.data)).not.toContain(number)
		expect(page.data.licences[0].number).toBe(`T${testIdNumber(41).slice(0, 4)}**********${testIdNumber(41).slice(-4)}`)
	})

	test('a malformed certificate number is refused next to the field and nothing is written', async () => {
		const id = await newWorker('demo-coal', ['electrician'])
		const manager = await signedIn('13900000003')
		const before = await rowCounts()
		const posted = await submit(licenceRoute, `/people/${id}/operation-certificates`, { jobTypeCode: 'electrician', number: `T${withWrongCheckDigit(testIdNumber(42))}`, issuedOn: '2026-01-01', validUntil: '2025-01-01' }, manager, { personId: id })
		expect(posted.status).toBe(400)
		expect(posted.data.errors.number).toBe('证书编号为 T 加 18 位身份证号，请核对')
		expect(posted.data.errors.validUntil).toBe('有效期应晚于发证日期')
		expect(await rowCounts()).toEqual(before)
	})

	test('a rotation rule withholds clearance of principals until their hours are attended', async () => {
		const id = await newWorker('demo-coal', ['coal_underground'], { category: 'principal' })
		await completeCourses(id, await courseIdsOf(id), day('2026-03-01'))
		await submittedAttempt(id, coalTemplate, day('2026-03-02'), true)
		// The demo county's rule: 高危行业 principals and safety managers, 24 学时 a year.
		const [rule] = await db.select().from(rotationRules)
		expect(rule).toMatchObject({ categories: ['principal', 'safety_manager'], minHours: 24, periodMonths: 12 })
		expect(await reasonsOf(id, '2026-11-23')).toEqual(['高危行业主要负责人和安全管理人员年度轮训学时不足：0/24 学时'])
		const coal = await orgByCode('demo-coal')
		const trainingId = randomUUID()
		await db.insert(offlineTrainings).values({ id: trainingId, orgId: coal.id, kind: 'rotation', topic: '主要负责人安全生产知识轮训', heldOn: '2026-06-10', hours: 24 })
		await db.insert(offlineTrainingAttendees).values({ trainingId, personId: id })
		expect((await clearanceOfPerson(id, '2026-11-23'))!.cleared).toBe(true)
		// A year after the training the hours no longer count.
		expect(await reasonsOf(id, '2027-06-10')).toContain('高危行业主要负责人和安全管理人员年度轮训学时不足：0/24 学时')
	})

	test('a whole enterprise is computed in one pass, one entry per person', async () => {
		const coal = await orgByCode('demo-coal')
		const all = await clearanceOfPeople({ orgPath: coal.path }, '2026-11-23')
		const { people } = await import('#db/schema.ts')
		const count = (await db.select({ id: people.id }).from(people).where(eq(people.orgId, coal.id))).length
		expect(all.size).toBe(count)
	})
})

describe('三违 and retraining orders', () => {
	test('a 三违 opens an order that withholds clearance until its course is done and its re-exam passed', async () => {
		const id = await clearedWorker()
		const today = chinaDay(new Date())
		const [course] = await requiredCourses(db, id)
		const inspector = await signedIn('13900000002') // 东山乡 regulator: 示范煤业 is in their township
		const form = await load(violationRoute, `/people/${id}/violations`, inspector, { personId: id })
		expect(form.data.choices.templates.map((t: { id: string }) => t.id)).toContain(coalTemplate)
		const posted = await submit(
			violationRoute,
			`/people/${id}/violations`,
			{ kind: 'operation', occurredOn: today, place: '3102 综采工作面', description: '未执行敲帮问顶进入空顶区作业', courseId: course!.id, templateId: coalTemplate, dueDays: '30' },
			inspector,
			{ personId: id },
		)
		expect(posted.status).toBe(302)
		expect(await reasonsOf(id, today)).toEqual([`因三违（违章作业）于 ${today} 责令脱产培训，须完成培训并重新考试合格`])
		const [order] = await db.select().from(retrainingOrders).where(eq(retrainingOrders.personId, id))
		expect(order).toMatchObject({ source: 'violation', courseId: course!.id, closedAt: null })
		// The re-exam is given to this person alone.
		expect(await db.select().from(examAssignees).where(eq(examAssignees.examId, order!.examId!))).toHaveLength(1)

		// A failed re-exam leaves the order open; a passed one closes it.
		await takeReExam(order!.examId!, id, false)
		expect((await db.select().from(retrainingOrders).where(eq(retrainingOrders.id, order!.id)))[0]!.closedAt).toBeNull()
		const passedAttempt = await takeReExam(order!.examId!, id, true)
		const [closed] = await db.select().from(retrainingOrders).where(eq(retrainingOrders.id, order!.id))
		expect(closed!.closedAt).not.toBeNull()
		expect(closed!.closedByAttemptId).toBe(passedAttempt)
		expect((await clearanceOfPerson(id, today))!.cleared).toBe(true)
		// The day before the 三违 the worker was cleared.
		expect((await clearanceOfPerson(id, '2026-03-03'))!.cleared).toBe(true)
	})

	test('an order with a course still unfinished stays open after the re-exam is passed', async () => {
		const id = await newWorker('demo-coal', ['coal_underground'])
		const [course] = await requiredCourses(db, id)
		const manager = await signedIn('13900000003')
		const posted = await submit(violationRoute, `/people/${id}/violations`, { kind: 'discipline', occurredOn: '2026-11-02', place: '井口', description: '酒后上岗被当班班长发现', courseId: course!.id, templateId: coalTemplate, dueDays: '15' }, manager, { personId: id })
		expect(posted.status).toBe(302)
		const [order] = await db.select().from(retrainingOrders).where(eq(retrainingOrders.personId, id))
		await takeReExam(order!.examId!, id, true)
		expect((await db.select().from(retrainingOrders).where(eq(retrainingOrders.id, order!.id)))[0]!.closedAt).toBeNull()
	})

	test('bad input is refused field by field and nothing is written', async () => {
		const id = await newWorker('demo-coal', ['coal_underground'])
		const manager = await signedIn('13900000003')
		const before = await rowCounts()
		const posted = await submit(violationRoute, `/people/${id}/violations`, { kind: 'other', occurredOn: '2026/11/02', place: '', description: '短', templateId: 'x', dueDays: '0' }, manager, { personId: id })
		expect(posted.status).toBe(400)
		expect(Object.keys(posted.data.errors).sort()).toEqual(['description', 'dueDays', 'kind', 'occurredOn', 'place', 'templateId'])
		expect(await rowCounts()).toEqual(before)
	})

	test('scope: another enterprise’s manager and workers get 404, a regulator cannot record certificates', async () => {
		const chemWorker = await newWorker('demo-chem', ['hazchem_operator'])
		const coalWorker = await newWorker('demo-coal', ['electrician'])
		const body = { kind: 'operation', occurredOn: '2026-11-02', place: '罐区', description: '未办理作业票进入受限空间', templateId: coalTemplate, dueDays: '30' }
		const [coalManager, dongshan, worker] = [await signedIn('13900000003'), await signedIn('13900000002'), await signedIn('13900000010')]
		const before = await rowCounts()
		expect((await load(personRoute, `/people/${chemWorker}`, coalManager, { personId: chemWorker })).status).toBe(404)
		expect((await submit(violationRoute, `/people/${chemWorker}/violations`, body, coalManager, { personId: chemWorker })).status).toBe(404)
		// 东山乡's regulator: 示范化工 is in 西河镇.
		expect((await submit(violationRoute, `/people/${chemWorker}/violations`, body, dongshan, { personId: chemWorker })).status).toBe(404)
		expect((await submit(violationRoute, `/people/${coalWorker}/violations`, body, worker, { personId: coalWorker })).status).toBe(404)
		expect((await load(personRoute, `/people/${coalWorker}`, worker, { personId: coalWorker })).status).toBe(404)
		const licence = { jobTypeCode: 'electrician', number: `T${testIdNumber(43)}`, issuedOn: '2025-01-01', validUntil: '2031-01-01' }
		expect((await submit(licenceRoute, `/people/${coalWorker}/operation-certificates`, licence, dongshan, { personId: coalWorker })).status).toBe(403)
		expect(await rowCounts()).toEqual(before)
	})
})

/** Starts, answers (all right or all wrong) and submits an attempt of the re-exam. */
async function takeReExam(examId: string, personId: string, right: boolean) {
	const attemptId = await startAttempt(db, examId, personId)
	const paper = await db
		.select({ position: attemptQuestions.position, optionOrder: attemptQuestions.optionOrder, type: questionVersions.type, answer: questionVersions.answer })
		.from(attemptQuestions)
		.innerJoin(questionVersions, eq(questionVersions.id, attemptQuestions.questionVersionId))
		.where(eq(attemptQuestions.attemptId, attemptId))
	for (const q of paper) {
		const key = q.type === 'judge' ? (q.answer as boolean) : toShownLetters(q.answer as string, q.optionOrder)
		const wrong = q.type === 'judge' ? !key : key === 'A' ? 'B' : 'A'
		await saveAnswer(db, { attemptId, personId, position: q.position, answer: right ? key : wrong, clientSeq: 1 })
	}
	await submitAttempt(db, attemptId, 'person')
	return attemptId
}
