import { randomUUID } from 'node:crypto'
import ExcelJS from 'exceljs'
import { and, arrayOverlaps, count, eq, inArray, like } from 'drizzle-orm'
import { beforeAll, describe, expect, test } from 'vitest'
import { attemptQuestions, auditLog, examAssignees, exams, examTemplates, organizations, people, personJobTypes, questions } from '#db/schema.ts'
import { syncShippedContent } from '#app/content/sync.server.ts'
import { DEMO_EXAM_JOB_TYPES, seedDemo } from '#app/demo/seed.server.ts'
import { examsForPerson, recordPageEvent, startAttempt, submitAttempt } from '#app/exams/attempts.server.ts'
import { db } from '#app/utils/db.server.ts'
import * as templatesRoute from '#app/routes/exam-templates._index.tsx'
import * as newTemplateRoute from '#app/routes/exam-templates.new.tsx'
import * as templateRoute from '#app/routes/exam-templates.$templateId.tsx'
import * as examsRoute from '#app/routes/exams._index.tsx'
import * as newExamRoute from '#app/routes/exams.new.tsx'
import * as resultsRoute from '#app/routes/exams.$examId_.results.tsx'
import * as exportRoute from '#app/routes/exams.$examId_.export.ts'
import { context, get, load, orgByCode, orgIdByCode, personByPhone, signedIn, submit } from '#tests/fixtures/requests.ts'

// 试卷规则 and giving exams, through the routes: the bank feasibility check, who may change
// which template, whom an exam may be given to, the results view, and the demo exams.

const ADMIN = '13900000000'
const COUNTY_REGULATOR = '13900000001'
const TOWNSHIP_REGULATOR = '13900000002' // 东山乡: 示范煤业 is there, 示范化工 is in 西河
const COAL_ADMIN = '13900000003'
const EDITOR = '13900000004'
const WORKER = '13900000010'
const CHEM_WORKER = '13900000011'

type Session = Awaited<ReturnType<typeof signedIn>>
let admin: Session, county: Session, township: Session, coalAdmin: Session, editor: Session, worker: Session

beforeAll(async () => {
	await syncShippedContent(db)
	await seedDemo(db)
	admin = await signedIn(ADMIN)
	county = await signedIn(COUNTY_REGULATOR)
	township = await signedIn(TOWNSHIP_REGULATOR)
	coalAdmin = await signedIn(COAL_ADMIN)
	editor = await signedIn(EDITOR)
	worker = await signedIn(WORKER)
})

// ---- helpers -------------------------------------------------------------------------------------

const templateFields = (over: Record<string, string | string[]> = {}) => ({
	title: '测试岗前考试',
	purpose: 'pre_job',
	jobTypes: ['coal_underground'],
	timeLimitMinutes: '30',
	passMark: '12',
	attemptsAllowed: '1',
	shuffleQuestions: '1',
	shuffleOptions: '1',
	showReview: '1',
	rule1_type: 'single',
	rule1_count: '5',
	rule1_points: '2',
	rule1_jobTypes: ['coal_underground'],
	rule2_type: 'judge',
	rule2_count: '5',
	rule2_points: '2',
	rule2_jobTypes: ['coal_underground'],
	...over,
})

const countOf = async (table: typeof examTemplates | typeof exams | typeof auditLog | typeof examAssignees) => (await db.select({ n: count() }).from(table))[0]!.n

async function templateOwnedBy(ownerOrgId: string | null, title = '某单位试卷') {
	const id = randomUUID()
	await db.insert(examTemplates).values({ id, ownerOrgId, title, purpose: 'annual', timeLimitMinutes: 30, passMark: 6, rules: [{ type: 'judge', count: 5, points: 2 }] })
	return id
}

async function platformTemplateId() {
	const [t] = await db.select({ id: examTemplates.id }).from(examTemplates).where(eq(examTemplates.title, '煤矿井下作业人员岗前安全培训考试'))
	return t!.id
}

const locationId = (headers: Headers) => headers.get('Location')!.split('/')[2]!.split('?')[0]!

async function assigneesOf(examId: string) {
	const rows = await db.select({ personId: examAssignees.personId }).from(examAssignees).where(eq(examAssignees.examId, examId))
	return rows.map((r) => r.personId).sort()
}

async function peopleUnder(code: string, extra?: ReturnType<typeof eq>) {
	const org = await orgByCode(code)
	const rows = await db
		.select({ id: people.id })
		.from(people)
		.innerJoin(organizations, eq(organizations.id, people.orgId))
		.where(and(like(organizations.path, `${org.path}%`), extra))
	return rows.map((r) => r.id).sort()
}

const WINDOW = () => {
	const china = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16)
	return { opensAt: china(new Date(Date.now() - 3600_000)), closesAt: china(new Date(Date.now() + 7 * 24 * 3600_000)) }
}

// ---- the feasibility check --------------------------------------------------------------------

describe('saving a template checks the bank', () => {
	test('names the rule that falls short and by how many, and writes nothing', async () => {
		const [{ n: available }] = (await db
			.select({ n: count() })
			.from(questions)
			.where(and(eq(questions.type, 'multiple'), eq(questions.part, 'professional'), eq(questions.archived, false), arrayOverlaps(questions.jobTypes, ['coal_underground'])))) as [{ n: number }]
		expect(available).toBeGreaterThan(0)
		const before = { templates: await countOf(examTemplates), audit: await countOf(auditLog) }

		// Row 2 left empty: the message names the row the editor sees (3).
		const outcome = await submit(
			newTemplateRoute,
			'/exam-templates/new',
			templateFields({ rule2_type: '', rule2_count: '', rule2_points: '', rule2_jobTypes: [], rule3_type: 'multiple', rule3_count: String(available + 4), rule3_points: '2', rule3_jobTypes: ['coal_underground'], rule3_part: 'professional' }),
			editor,
		)
		expect(outcome.status).toBe(400)
		const message = `第 3 条规则（多选题，煤矿井下作业人员，专业知识）需要 ${available + 4} 道题，题库中只有 ${available} 道，还差 4 道`
		expect(outcome.data.shortfalls).toEqual([message])
		expect(outcome.data.errors.rule3_count).toBe(`题库中只有 ${available} 道，还差 4 道`)
		expect(outcome.data.errors.rules).toMatch(/不能满足 1 条规则/)
		// What was typed comes back.
		expect(outcome.data.values.rule3_count).toBe(String(available + 4))
		expect({ templates: await countOf(examTemplates), audit: await countOf(auditLog) }).toEqual(before)
	})

	test('a question taken by an earlier rule does not count again for a later one', async () => {
		const [{ n: judges }] = (await db
			.select({ n: count() })
			.from(questions)
			.where(and(eq(questions.type, 'judge'), eq(questions.part, 'professional'), eq(questions.archived, false), arrayOverlaps(questions.jobTypes, ['coal_underground'])))) as [{ n: number }]
		const rule = { rule1_jobTypes: ['coal_underground'], rule1_part: 'professional', rule2_jobTypes: ['coal_underground'], rule2_part: 'professional' }
		const outcome = await submit(
			newTemplateRoute,
			'/exam-templates/new',
			templateFields({ ...rule, passMark: '1', rule1_type: 'judge', rule1_count: String(judges - 2), rule1_points: '1', rule2_type: 'judge', rule2_count: '5', rule2_points: '1' }),
			editor,
		)
		expect(outcome.status).toBe(400)
		expect(outcome.data.shortfalls).toEqual([`第 2 条规则（判断题，煤矿井下作业人员，专业知识）需要 5 道题，题库中只有 2 道，还差 3 道`])
	})

	test('a feasible template saves, with its audit entry, and its page shows the check', async () => {
		const before = await countOf(examTemplates)
		const outcome = await submit(newTemplateRoute, '/exam-templates/new', templateFields({ rule3_type: 'multiple', rule3_count: '2', rule3_points: '3', rule3_part: 'general', rule3_topics: '' }), editor)
		expect(outcome.status).toBe(302)
		const id = locationId(outcome.headers)
		expect(await countOf(examTemplates)).toBe(before + 1)
		const [saved] = await db.select().from(examTemplates).where(eq(examTemplates.id, id))
		expect(saved).toMatchObject({ ownerOrgId: null, title: '测试岗前考试', passMark: 12, timeLimitMinutes: 30, partialCredit: false, showReview: true, switchLimit: null })
		expect(saved!.rules).toEqual([
			{ type: 'single', count: 5, points: 2, jobTypes: ['coal_underground'] },
			{ type: 'judge', count: 5, points: 2, jobTypes: ['coal_underground'] },
			{ type: 'multiple', count: 2, points: 3, part: 'general' },
		])
		const [audit] = await db.select().from(auditLog).where(and(eq(auditLog.action, 'exam_template.create'), eq(auditLog.targetId, id)))
		expect(audit).toMatchObject({ actorId: editor.personId, targetType: 'exam_template' })

		const page = await load(templateRoute, `/exam-templates/${id}`, editor, { templateId: id })
		expect(page.status).toBe(200)
		expect(page.data.editable).toBe(true)
		expect(page.data.feasibility.map((f: { short: boolean }) => f.short)).toEqual([false, false, false])
		expect(page.data.values.rule3_part).toBe('general')

		// An edit that the bank cannot satisfy changes nothing.
		const edit = await submit(templateRoute, `/exam-templates/${id}`, templateFields({ title: '改过的名称', rule1_count: '200', rule1_points: '1', passMark: '1' }), editor, { templateId: id })
		expect(edit.status).toBe(400)
		expect(edit.data.shortfalls[0]).toMatch(/^第 1 条规则（单选题，煤矿井下作业人员）需要 200 道题/)
		expect((await db.select().from(examTemplates).where(eq(examTemplates.id, id)))[0]!.title).toBe('测试岗前考试')
	})

	test('bad numbers come back next to their fields', async () => {
		const outcome = await submit(newTemplateRoute, '/exam-templates/new', templateFields({ rule1_count: 'abc', passMark: '500' }), editor)
		expect(outcome.status).toBe(400)
		expect(outcome.data.errors.rule1_count).toBe('题数须为整数')
	})
})

// ---- who may change which template -------------------------------------------------------------

describe('template scope', () => {
	test('workers cannot open the template pages', async () => {
		expect((await load(templatesRoute, '/exam-templates', worker)).status).toBe(403)
		expect((await submit(newTemplateRoute, '/exam-templates/new', templateFields(), worker)).status).toBe(403)
	})

	test("an enterprise admin edits their enterprise's templates, reads the platform's, and never sees another enterprise's", async () => {
		const coalOrg = await orgIdByCode('demo-coal')
		const created = await submit(newTemplateRoute, '/exam-templates/new', templateFields({ title: '示范煤业年度复训', purpose: 'annual' }), coalAdmin)
		expect(created.status).toBe(302)
		const own = locationId(created.headers)
		expect((await db.select().from(examTemplates).where(eq(examTemplates.id, own)))[0]!.ownerOrgId).toBe(coalOrg)

		const platform = await platformTemplateId()
		const chemOwned = await templateOwnedBy(await orgIdByCode('demo-chem'), '示范化工内部试卷')

		const list = await load(templatesRoute, '/exam-templates?page=1', coalAdmin)
		const ids = list.data.rows.map((r: { id: string }) => r.id)
		expect(ids).toContain(own)
		expect(ids).toContain(platform)
		expect(ids).not.toContain(chemOwned)

		const platformPage = await load(templateRoute, `/exam-templates/${platform}`, coalAdmin, { templateId: platform })
		expect(platformPage.status).toBe(200)
		expect(platformPage.data.editable).toBe(false)
		const before = JSON.stringify(await db.select().from(examTemplates).where(inArray(examTemplates.id, [platform, chemOwned])))
		expect((await submit(templateRoute, `/exam-templates/${platform}`, templateFields(), coalAdmin, { templateId: platform })).status).toBe(403)
		expect((await load(templateRoute, `/exam-templates/${chemOwned}`, coalAdmin, { templateId: chemOwned })).status).toBe(404)
		expect((await submit(templateRoute, `/exam-templates/${chemOwned}`, templateFields(), coalAdmin, { templateId: chemOwned })).status).toBe(404)
		expect(JSON.stringify(await db.select().from(examTemplates).where(inArray(examTemplates.id, [platform, chemOwned])))).toBe(before)

		const edited = await submit(templateRoute, `/exam-templates/${own}`, templateFields({ title: '示范煤业年度复训（修订）', purpose: 'annual' }), coalAdmin, { templateId: own })
		expect(edited.status).toBe(302)
		expect((await db.select().from(examTemplates).where(eq(examTemplates.id, own)))[0]!.title).toBe('示范煤业年度复训（修订）')
	})

	test('a regulator keeps 抽考 templates of their own office; the platform editor edits platform ones', async () => {
		const created = await submit(newTemplateRoute, '/exam-templates/new', templateFields({ title: '东山乡安全生产抽考', purpose: 'spot_check', showReview: '' }), township)
		expect(created.status).toBe(302)
		const id = locationId(created.headers)
		const [t] = await db.select().from(examTemplates).where(eq(examTemplates.id, id))
		expect(t).toMatchObject({ ownerOrgId: await orgIdByCode('dongshan'), purpose: 'spot_check', showReview: false })
		// The new-template form starts on 抽考 for them.
		expect((await load(newTemplateRoute, '/exam-templates/new', township)).data.defaults.purpose).toBe('spot_check')

		const platform = await platformTemplateId()
		expect((await submit(templateRoute, `/exam-templates/${platform}`, templateFields(), township, { templateId: platform })).status).toBe(403)
		// The county office cannot change the township's template, nor the coal enterprise's admin.
		expect((await load(templateRoute, `/exam-templates/${id}`, county, { templateId: id })).status).toBe(404)
		expect((await load(templateRoute, `/exam-templates/${id}`, coalAdmin, { templateId: id })).status).toBe(404)
		// The platform editor and the system admin may.
		expect((await load(templateRoute, `/exam-templates/${platform}`, editor, { templateId: platform })).data.editable).toBe(true)
		expect((await load(templateRoute, `/exam-templates/${id}`, admin, { templateId: id })).data.editable).toBe(true)
	})
})

// ---- giving exams ------------------------------------------------------------------------------

describe('giving an exam', () => {
	test('by job type: the people of that job type in the enterprise', async () => {
		const template = await platformTemplateId()
		const before = await countOf(exams)
		const outcome = await submit(newExamRoute, '/exams/new', { templateId: template, title: '十一月煤矿井下岗前考试', ...WINDOW(), assignBy: 'jobType', jobTypes: ['coal_underground', 'welding'] }, coalAdmin)
		expect(outcome.status).toBe(302)
		const examId = locationId(outcome.headers)
		const coal = await orgByCode('demo-coal')
		const expected = (
			await db
				.selectDistinct({ id: personJobTypes.personId })
				.from(personJobTypes)
				.innerJoin(people, eq(people.id, personJobTypes.personId))
				.where(and(eq(people.orgId, coal.id), inArray(personJobTypes.jobTypeCode, ['coal_underground', 'welding'])))
		)
			.map((r) => r.id)
			.sort()
		expect(expected.length).toBeGreaterThan(3)
		expect(await assigneesOf(examId)).toEqual(expected)
		expect(outcome.headers.get('Location')).toBe(`/exams/${examId}/results?assigned=${expected.length}`)
		expect(await countOf(exams)).toBe(before + 1)
		const [exam] = await db.select().from(exams).where(eq(exams.id, examId))
		expect(exam).toMatchObject({ ownerOrgId: coal.id, createdBy: coalAdmin.personId, title: '十一月煤矿井下岗前考试' })
		const [audit] = await db.select().from(auditLog).where(and(eq(auditLog.action, 'exam.create'), eq(auditLog.targetId, examId)))
		expect(audit!.detail).toMatchObject({ assigned: expected.length, assignBy: 'jobType' })
	})

	test('by category: that category within the scope only', async () => {
		const template = await platformTemplateId()
		const outcome = await submit(newExamRoute, '/exams/new', { templateId: template, title: '特种作业人员复训考试', ...WINDOW(), assignBy: 'category', categories: ['special_operator'] }, coalAdmin)
		expect(outcome.status).toBe(302)
		expect(await assigneesOf(locationId(outcome.headers))).toEqual(await peopleUnder('demo-coal', eq(people.category, 'special_operator')))
	})

	test('by list: exactly the people listed, and none from another enterprise', async () => {
		const template = await platformTemplateId()
		const workerId = worker.personId
		const colleague = (await peopleUnder('demo-coal')).find((id) => id !== workerId && id !== coalAdmin.personId)!
		const outcome = await submit(newExamRoute, '/exams/new', { templateId: template, title: '补考', ...WINDOW(), assignBy: 'people', personIds: [workerId, colleague] }, coalAdmin)
		expect(outcome.status).toBe(302)
		expect(await assigneesOf(locationId(outcome.headers))).toEqual([workerId, colleague].sort())

		const chemWorker = (await personByPhone(CHEM_WORKER)).id
		const before = { exams: await countOf(exams), assignees: await countOf(examAssignees), audit: await countOf(auditLog) }
		const refused = await submit(newExamRoute, '/exams/new', { templateId: template, title: '补考', ...WINDOW(), assignBy: 'people', personIds: [workerId, chemWorker] }, coalAdmin)
		expect(refused.status).toBe(400)
		expect(refused.data.errors.personIds).toBe('名单中有 1 人不在您的管理范围内')
		// Another enterprise as the organisation filter is refused too.
		const otherOrg = await submit(newExamRoute, '/exams/new', { templateId: template, title: '补考', ...WINDOW(), orgId: await orgIdByCode('demo-chem'), assignBy: 'jobType', jobTypes: ['hazchem_operator'] }, coalAdmin)
		expect(otherOrg.status).toBe(400)
		expect(otherOrg.data.errors.orgId).toMatch(/不在您的管理范围/)
		// Nobody matching in scope: nothing written either.
		const nobody = await submit(newExamRoute, '/exams/new', { templateId: template, title: '补考', ...WINDOW(), assignBy: 'jobType', jobTypes: ['hazchem_operator'] }, coalAdmin)
		expect(nobody.status).toBe(400)
		expect(nobody.data.errors.jobTypes).toMatch(/没有符合条件的人员/)
		expect({ exams: await countOf(exams), assignees: await countOf(examAssignees), audit: await countOf(auditLog) }).toEqual(before)
	})

	test("an enterprise admin cannot give an exam from another enterprise's template", async () => {
		const chemOwned = await templateOwnedBy(await orgIdByCode('demo-chem'))
		const outcome = await submit(newExamRoute, '/exams/new', { templateId: chemOwned, title: '越权考试', ...WINDOW(), assignBy: 'jobType', jobTypes: ['coal_underground'] }, coalAdmin)
		expect(outcome.status).toBe(400)
		expect(outcome.data.errors.templateId).toBe('没有找到这份试卷规则')
	})

	test('a township regulator assigns only within their township', async () => {
		const template = await platformTemplateId()
		const outcome = await submit(newExamRoute, '/exams/new', { templateId: template, title: '东山乡一般从业人员抽考', ...WINDOW(), assignBy: 'category', categories: ['general'] }, township)
		expect(outcome.status).toBe(302)
		const examId = locationId(outcome.headers)
		const assigned = await assigneesOf(examId)
		expect(assigned).toEqual(await peopleUnder('dongshan', eq(people.category, 'general')))
		expect(assigned).toContain(worker.personId)
		expect(assigned).not.toContain((await personByPhone(CHEM_WORKER)).id)
		expect((await db.select().from(exams).where(eq(exams.id, examId)))[0]!.ownerOrgId).toBe(await orgIdByCode('dongshan'))

		const chemWorker = (await personByPhone(CHEM_WORKER)).id
		const refused = await submit(newExamRoute, '/exams/new', { templateId: template, title: '越界抽考', ...WINDOW(), assignBy: 'people', personIds: [chemWorker] }, township)
		expect(refused.status).toBe(400)
		expect(refused.data.errors.personIds).toMatch(/不在您的管理范围/)
		const xihe = await submit(newExamRoute, '/exams/new', { templateId: template, title: '越界抽考', ...WINDOW(), orgId: await orgIdByCode('xihe'), assignBy: 'category', categories: ['general'] }, township)
		expect(xihe.status).toBe(400)

		// The county office covers every township.
		const countyWide = await submit(newExamRoute, '/exams/new', { templateId: template, title: '全县危化抽考', ...WINDOW(), assignBy: 'jobType', jobTypes: ['hazchem_operator'] }, county)
		expect(countyWide.status).toBe(302)
		expect(await assigneesOf(locationId(countyWide.headers))).toContain(chemWorker)
	})

	test('content editors and workers cannot give exams', async () => {
		const template = await platformTemplateId()
		for (const who of [editor, worker]) {
			expect((await load(newExamRoute, '/exams/new', who)).status).toBe(403)
			expect((await submit(newExamRoute, '/exams/new', { templateId: template, title: '考试', ...WINDOW(), assignBy: 'jobType', jobTypes: ['coal_underground'] }, who)).status).toBe(403)
			expect((await load(examsRoute, '/exams', who)).status).toBe(403)
		}
	})

	test('a window already over is refused', async () => {
		const template = await platformTemplateId()
		const outcome = await submit(newExamRoute, '/exams/new', { templateId: template, title: '过期考试', opensAt: '2020-01-01T08:00', closesAt: '2020-01-02T08:00', assignBy: 'jobType', jobTypes: ['coal_underground'] }, coalAdmin)
		expect(outcome.status).toBe(400)
		expect(outcome.data.errors.closesAt).toMatch(/已过/)
	})
})

// ---- the demo exams and the results view --------------------------------------------------------

describe('the demo exams', () => {
	test('platform templates for the job types with shipped questions, each feasible', async () => {
		const templates = await db.select().from(examTemplates).where(like(examTemplates.title, '%岗前安全培训考试'))
		expect(templates.map((t) => t.jobTypes[0]).sort()).toEqual([...DEMO_EXAM_JOB_TYPES].sort())
		for (const t of templates) {
			expect(t).toMatchObject({ ownerOrgId: null, purpose: 'pre_job', timeLimitMinutes: 45, passMark: 80 })
			expect(t.rules.reduce((n, r) => n + r.count * r.points, 0)).toBe(100)
			const page = await load(templateRoute, `/exam-templates/${t.id}`, editor, { templateId: t.id })
			expect(page.data.feasibility.filter((f: { short: boolean }) => f.short), t.title).toEqual([])
		}
	})

	test('13900000010 has an open 煤矿井下作业 exam and gets a paper of the template size; 13900000011 one for 危化', async () => {
		const mine = await examsForPerson(db, worker.personId)
		const coalExam = mine.find((e) => e.exam.title === '煤矿井下作业人员岗前安全培训考试' && e.template.ownerOrgId === null)!
		expect(coalExam).toBeDefined()
		const now = new Date()
		expect(coalExam.exam.opensAt.getTime()).toBeLessThan(now.getTime())
		expect(coalExam.exam.closesAt.getTime()).toBeGreaterThan(now.getTime() + 29 * 24 * 3600_000)
		expect(coalExam.exam.ownerOrgId).toBe(await orgIdByCode('demo-coal'))

		const attemptId = await startAttempt(db, coalExam.exam.id, worker.personId)
		const paper = await db.select().from(attemptQuestions).where(eq(attemptQuestions.attemptId, attemptId))
		expect(paper).toHaveLength(25)
		expect(paper.reduce((n, q) => n + q.points, 0)).toBe(100)

		const chem = await personByPhone(CHEM_WORKER)
		const theirs = await examsForPerson(db, chem.id)
		expect(theirs.map((e) => e.exam.title)).toContain('危险化学品生产操作人员岗前安全培训考试')
		expect(theirs.map((e) => e.exam.title)).not.toContain('煤矿井下作业人员岗前安全培训考试')
	})

	test('managers see the exams in their scope with counts, and the results with 切屏次数', async () => {
		const [coalExam] = await db.select().from(exams).where(and(eq(exams.title, '煤矿井下作业人员岗前安全培训考试'), eq(exams.ownerOrgId, await orgIdByCode('demo-coal'))))
		const [chemExam] = await db.select().from(exams).where(and(eq(exams.title, '危险化学品生产操作人员岗前安全培训考试'), eq(exams.ownerOrgId, await orgIdByCode('demo-chem'))))

		// 李大山 hands in his paper after leaving the page twice.
		const attemptId = await startAttempt(db, coalExam!.id, worker.personId)
		await recordPageEvent(db, attemptId, worker.personId, 'hidden')
		await recordPageEvent(db, attemptId, worker.personId, 'visible')
		await recordPageEvent(db, attemptId, worker.personId, 'hidden')
		await submitAttempt(db, attemptId, 'person')

		const list = await load(examsRoute, '/exams', coalAdmin)
		expect(list.status).toBe(200)
		const row = list.data.rows.find((r: { id: string }) => r.id === coalExam!.id)
		const assigned = (await assigneesOf(coalExam!.id)).length
		expect(row).toMatchObject({ assigned, taken: 1, state: '进行中' })
		expect(list.data.rows.map((r: { id: string }) => r.id)).not.toContain(chemExam!.id)

		const results = await load(resultsRoute, `/exams/${coalExam!.id}/results`, coalAdmin, { examId: coalExam!.id })
		expect(results.status).toBe(200)
		expect(results.data.summary).toMatchObject({ assigned, taken: 1 })
		expect(results.data.total).toBe(assigned)
		expect(results.data.rows.length).toBe(Math.min(assigned, 50))
		// Filtered to who has handed in: the one worker, with the attempt's facts.
		const submitted = await load(resultsRoute, `/exams/${coalExam!.id}/results?show=submitted`, coalAdmin, { examId: coalExam!.id })
		expect(submitted.data.rows.map((r: { personId: string }) => r.personId)).toEqual([worker.personId])
		const [mine] = submitted.data.rows
		expect(mine).toMatchObject({ status: '已交卷', switchCount: 2, submittedBy: '本人交卷', attemptsUsed: 1, maxScore: 100 })
		expect(typeof mine.score).toBe('number')
		const notStarted = await load(resultsRoute, `/exams/${coalExam!.id}/results?show=not_started`, coalAdmin, { examId: coalExam!.id })
		expect(notStarted.data.total).toBe(assigned - 1)
		expect(notStarted.data.rows.every((r: { status: string }) => r.status === '未参加')).toBe(true)

		// The township regulator over 示范煤业 sees it too; not 示范化工's exam, which the county office sees.
		expect((await load(resultsRoute, `/exams/${coalExam!.id}/results`, township, { examId: coalExam!.id })).status).toBe(200)
		expect((await load(resultsRoute, `/exams/${chemExam!.id}/results`, township, { examId: chemExam!.id })).status).toBe(404)
		expect((await load(resultsRoute, `/exams/${chemExam!.id}/results`, coalAdmin, { examId: chemExam!.id })).status).toBe(404)
		expect((await load(resultsRoute, `/exams/${chemExam!.id}/results`, county, { examId: chemExam!.id })).status).toBe(200)
		expect((await load(resultsRoute, `/exams/${chemExam!.id}/results`, worker, { examId: chemExam!.id })).status).toBe(403)
		expect((await load(resultsRoute, `/exams/not-a-uuid/results`, admin, { examId: 'not-a-uuid' })).status).toBe(404)

		// The same rows as an Excel file; another enterprise's exam is not there to export.
		const response = (await exportRoute.loader({ request: get(`/exams/${coalExam!.id}/export`, coalAdmin), params: { examId: coalExam!.id }, context })) as Response
		expect(response.headers.get('Content-Type')).toMatch(/spreadsheetml/)
		const workbook = new ExcelJS.Workbook()
		await workbook.xlsx.load(await response.arrayBuffer())
		const sheet = workbook.worksheets[0]!
		expect(sheet.rowCount).toBe(assigned + 1)
		const li = (await personByPhone(WORKER)).name
		const liRow = sheet.getSheetValues().find((row) => Array.isArray(row) && row[1] === li) as unknown[]
		expect(liRow.slice(4, 5)).toEqual(['已交卷'])
		expect(liRow[9]).toBe(2)
		expect((await load(exportRoute, `/exams/${chemExam!.id}/export`, coalAdmin, { examId: chemExam!.id })).status).toBe(404)
	})

	test("a regulator's exam shows an enterprise admin only their own people", async () => {
		// The county office gives a 抽考 to every 一般从业人员 of the county.
		const template = await platformTemplateId()
		const outcome = await submit(newExamRoute, '/exams/new', { templateId: template, title: '全县一般从业人员抽考', ...WINDOW(), assignBy: 'category', categories: ['general'] }, county)
		expect(outcome.status).toBe(302)
		const examId = locationId(outcome.headers)
		const everyone = await assigneesOf(examId)
		const coalPeople = await peopleUnder('demo-coal', eq(people.category, 'general'))
		expect(everyone.length).toBeGreaterThan(coalPeople.length)

		const results = await load(resultsRoute, `/exams/${examId}/results`, coalAdmin, { examId })
		expect(results.status).toBe(200)
		expect(results.data.total).toBe(coalPeople.length)
		const shown: string[] = []
		for (let page = 1; page <= Math.ceil(coalPeople.length / 50); page++) {
			shown.push(...(await load(resultsRoute, `/exams/${examId}/results?page=${page}`, coalAdmin, { examId })).data.rows.map((r: { personId: string }) => r.personId))
		}
		expect(shown.sort()).toEqual(coalPeople)
		const list = await load(examsRoute, '/exams', coalAdmin)
		expect(list.data.rows.find((r: { id: string }) => r.id === examId).assigned).toBe(coalPeople.length)
	})
})
