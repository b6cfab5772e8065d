import { randomUUID } from 'node:crypto'
import { and, asc, count, eq, inArray } from 'drizzle-orm'
import { beforeAll, describe, expect, test } from 'vitest'
import { attempts, auditLog, courses, examAssignees, examTemplates, exams, lessonProgress, lessons, people, trainingPlanMembers, trainingPlans } from '#db/schema.ts'
import { loadSessionUser } from '#app/auth/auth.server.ts'
import { syncShippedContent } from '#app/content/sync.server.ts'
import { seedDemo } from '#app/demo/seed.server.ts'
import { createPerson } from '#app/people/people.server.ts'
import { savePerson } from '#app/people/save-person.server.ts'
import { insertPlan, plansForPerson } from '#app/records/plans.server.ts'
import { db } from '#app/utils/db.server.ts'
import * as planPage from '#app/routes/plans.$planId.tsx'
import * as plansList from '#app/routes/plans._index.tsx'
import * as plansNew from '#app/routes/plans.new.tsx'
import { expectSignInRedirect, load, orgByCode, personByPhone, rowCounts, signedIn, submit, type Outcome } from '#tests/fixtures/requests.ts'
import { testIdNumber } from '#tests/fixtures/identity.ts'
import { addDays, chinaDay } from '#app/utils/days.ts'

// 培训计划 through the real routes: who becomes a member (by job type and category, by list),
// the exam they are given, people added later joining the plans that match them, progress and
// 逾期, and scope (a manager of 示范煤业 neither sees nor makes plans for 示范化工).

type Auth = Awaited<ReturnType<typeof signedIn>>
let sysAdmin: Auth
let coalAdmin: Auth
let regulator: Auth
let worker: Auth
let coal: { id: string; path: string }
let chem: { id: string; path: string }
let coalExamId: string
let chemExamId: string
let courseIds: { general: string; coal: string; leaders: string }

const today = () => chinaDay(new Date())

async function courseId(code: string) {
	const [row] = await db.select({ id: courses.id }).from(courses).where(eq(courses.code, code))
	return row!.id
}

/** A new exam of an enterprise, given to nobody yet (so assignments made by a plan are visible). */
async function newExam(orgId: string, title: string) {
	const [template] = await db.select({ id: examTemplates.id }).from(examTemplates).limit(1)
	const id = randomUUID()
	const now = Date.now()
	await db.insert(exams).values({ id, templateId: template!.id, ownerOrgId: orgId, title, opensAt: new Date(now - 3600_000), closesAt: new Date(now + 30 * 24 * 3600_000) })
	return id
}

const assigneesOf = async (examId: string) => (await db.select({ personId: examAssignees.personId }).from(examAssignees).where(eq(examAssignees.examId, examId))).map((r) => r.personId).sort()
const membersOf = async (planId: string) => (await db.select({ personId: trainingPlanMembers.personId }).from(trainingPlanMembers).where(eq(trainingPlanMembers.planId, planId))).map((r) => r.personId).sort()
async function positionsOf(personIds: string[]) {
	if (!personIds.length) return []
	return (await db.select({ position: people.position }).from(people).where(inArray(people.id, personIds))).map((r) => r.position).sort()
}
const planCount = async () => (await db.select({ n: count() }).from(trainingPlans))[0]!.n
const memberCount = async () => (await db.select({ n: count() }).from(trainingPlanMembers))[0]!.n

function planIdFrom(outcome: Outcome) {
	expect(outcome.status, JSON.stringify(outcome.data)).toBe(302)
	const location = outcome.headers.get('Location')!
	expect(location).toMatch(/^\/plans\/[0-9a-f-]{36}\?members=\d+$/)
	return { planId: location.split('/')[2]!.split('?')[0]!, members: Number(location.split('=')[1]) }
}

const createVia = (body: Record<string, string | string[]>, who: Auth) => submit(plansNew, '/plans/new', body, who)

beforeAll(async () => {
	await syncShippedContent(db)
	await seedDemo(db)
	sysAdmin = await signedIn('13900000000')
	regulator = await signedIn('13900000001')
	coalAdmin = await signedIn('13900000003')
	worker = await signedIn('13900000010')
	coal = await orgByCode('demo-coal')
	chem = await orgByCode('demo-chem')
	coalExamId = await newExam(coal.id, '示范煤业 计划考试')
	chemExamId = await newExam(chem.id, '示范化工 计划考试')
	courseIds = { general: await courseId('general-safety'), coal: await courseId('coal-underground-pro'), leaders: await courseId('leaders-duties') }
})

describe('making a plan', () => {
	test('by job type: exactly the people of those job types join, and are given the exam', async () => {
		const before = (await db.select({ n: count() }).from(auditLog).where(eq(auditLog.action, 'training_plan.create')))[0]!.n
		const outcome = await createVia(
			{ orgId: coal.id, title: '瓦斯检查与机电岗位培训', dueOn: addDays(today(), 20), courseIds: [courseIds.general], examId: coalExamId, who: 'match', jobTypes: ['coal_gas_inspector', 'coal_electrician'] },
			coalAdmin,
		)
		const { planId, members } = planIdFrom(outcome)
		const memberIds = await membersOf(planId)
		expect(members).toBe(2)
		// 示范煤业 has one 瓦斯检查工 and one 井下电钳工.
		expect(await positionsOf(memberIds)).toEqual(['井下电钳工', '瓦斯检查工'])
		expect(await assigneesOf(coalExamId)).toEqual(memberIds)
		const [plan] = await db.select().from(trainingPlans).where(eq(trainingPlans.id, planId))
		expect(plan).toMatchObject({ orgId: coal.id, examId: coalExamId, courseIds: [courseIds.general], jobTypes: ['coal_gas_inspector', 'coal_electrician'], categories: [], createdBy: coalAdmin.personId })
		const after = (await db.select({ n: count() }).from(auditLog).where(eq(auditLog.action, 'training_plan.create')))[0]!.n
		expect(after).toBe(before + 1)
	})

	test('by job type and category: both must match', async () => {
		const outcome = await createVia(
			{ orgId: coal.id, title: '井下一般从业人员复训', dueOn: addDays(today(), 10), courseIds: [courseIds.coal], who: 'match', jobTypes: ['coal_underground'], categories: ['general'] },
			coalAdmin,
		)
		const { planId } = planIdFrom(outcome)
		const memberIds = await membersOf(planId)
		const rows = await db.select({ category: people.category, name: people.name }).from(people).where(inArray(people.id, memberIds))
		// 李大山 and the four other 井下 workers; not 赵立新 or the 安全副矿长 (安全管理人员, same job type).
		expect(rows).toHaveLength(5)
		expect(rows.every((r) => r.category === 'general')).toBe(true)
		expect(memberIds).toContain(worker.personId)
		expect(memberIds).not.toContain(coalAdmin.personId)
	})

	test('by list: only the chosen people, and the plan keeps no criteria', async () => {
		const principal = (await db.select({ id: people.id }).from(people).where(and(eq(people.orgId, coal.id), eq(people.category, 'principal'))))[0]!.id
		const outcome = await createVia(
			// Job types ticked on the form are ignored when the plan is by list.
			{ orgId: coal.id, title: '矿长与李大山专项培训', dueOn: addDays(today(), 5), courseIds: [courseIds.leaders], who: 'people', personIds: [worker.personId, principal], jobTypes: ['coal_underground'] },
			coalAdmin,
		)
		const { planId, members } = planIdFrom(outcome)
		expect(members).toBe(2)
		expect(await membersOf(planId)).toEqual([worker.personId, principal].sort())
		const [plan] = await db.select().from(trainingPlans).where(eq(trainingPlans.id, planId))
		expect(plan).toMatchObject({ jobTypes: [], categories: [], examId: null })
	})

	test('refuses a past due day, an exam of another enterprise, a course it cannot see and an empty choice, writing nothing', async () => {
		const chemCourseId = randomUUID()
		await db.insert(courses).values({ id: chemCourseId, ownerOrgId: chem.id, title: '化工厂区入厂须知', part: 'general', forAllJobTypes: true })
		const counts = { plans: await planCount(), members: await memberCount(), rows: await rowCounts() }
		const base = { orgId: coal.id, title: '不应保存的计划', who: 'match', jobTypes: ['coal_underground'] }

		let outcome = await createVia({ ...base, dueOn: addDays(today(), -1), courseIds: [courseIds.general] }, coalAdmin)
		expect(outcome.status).toBe(400)
		expect(outcome.data.errors.dueOn).toBe('完成期限不能早于今天')

		outcome = await createVia({ ...base, dueOn: addDays(today(), 3), examId: chemExamId }, coalAdmin)
		expect(outcome.status).toBe(400)
		expect(outcome.data.errors.examId).toBe('只能选择本单位发布、尚未结束的考试')

		outcome = await createVia({ ...base, dueOn: addDays(today(), 3), courseIds: [chemCourseId] }, coalAdmin)
		expect(outcome.status).toBe(400)
		expect(outcome.data.errors.courseIds).toBe('只能选择本单位人员可以学习的课程')

		outcome = await createVia({ orgId: coal.id, title: '没有内容的计划', dueOn: addDays(today(), 3), who: 'match' }, coalAdmin)
		expect(outcome.status).toBe(400)
		expect(outcome.data.errors.courseIds).toBe('请至少选择一门课程或一场考试')
		expect(outcome.data.errors.jobTypes).toBe('请至少选择一个工种或人员类别')
		expect(outcome.data.values.title).toBe('没有内容的计划')

		expect({ plans: await planCount(), members: await memberCount(), rows: await rowCounts() }).toEqual(counts)
	})
})

describe('people added or changed later', () => {
	test('a new person joins the matching plans of their enterprise (with the exam), never list plans, past-due plans or other enterprises’ plans', async () => {
		const actor = (await loadSessionUser(coalAdmin.personId))!
		const byJob = planIdFrom(
			await createVia({ orgId: coal.id, title: '瓦斯检查工岗前培训', dueOn: addDays(today(), 15), courseIds: [courseIds.coal], examId: coalExamId, who: 'match', jobTypes: ['coal_gas_inspector'] }, coalAdmin),
		).planId
		const byList = planIdFrom(await createVia({ orgId: coal.id, title: '名单计划', dueOn: addDays(today(), 15), courseIds: [courseIds.coal], who: 'people', personIds: [worker.personId] }, coalAdmin)).planId
		const pastDue = await insertPlan(db, { orgId: coal.id, title: '去年的计划', dueOn: addDays(today(), -30), courseIds: [courseIds.coal], examId: null, jobTypes: ['coal_gas_inspector'], categories: [], createdBy: coalAdmin.personId }, [])
		const sysActor = (await loadSessionUser(sysAdmin.personId))!
		const chemPlan = planIdFrom(
			await createVia({ orgId: chem.id, title: '化工瓦斯检查', dueOn: addDays(today(), 15), courseIds: [courseIds.general], examId: chemExamId, who: 'match', jobTypes: ['coal_gas_inspector'] }, sysAdmin),
		).planId

		const saved = await savePerson(actor, {
			name: '新来的检查工',
			phone: '13711110001',
			idNumber: testIdNumber(1),
			category: 'special_operator',
			employmentType: 'dispatched',
			position: '瓦斯检查工',
			hiredOn: undefined,
			jobTypes: ['coal_gas_inspector'],
			orgId: coal.id,
		})
		expect(saved.ok).toBe(true)
		const newId = (saved as { personId: string }).personId
		expect(await membersOf(byJob)).toContain(newId)
		expect(await membersOf(byList)).not.toContain(newId)
		expect(await membersOf(pastDue)).not.toContain(newId)
		expect(await membersOf(chemPlan)).not.toContain(newId)
		expect(await assigneesOf(coalExamId)).toContain(newId)
		expect(await assigneesOf(chemExamId)).not.toContain(newId)

		// Someone who does not match yet joins once their job type changes.
		const other = await savePerson(actor, { name: '地面装卸工', phone: '13711110002', idNumber: undefined, category: 'general', employmentType: 'flexible', position: '装车工', jobTypes: ['general_worker'], orgId: coal.id })
		const otherId = (other as { personId: string }).personId
		expect(await membersOf(byJob)).not.toContain(otherId)
		const changed = await savePerson(actor, { name: '地面装卸工', phone: '13711110002', idNumber: undefined, category: 'general', employmentType: 'flexible', position: '瓦斯检查工', jobTypes: ['coal_gas_inspector'], orgId: coal.id }, { personId: otherId })
		expect(changed.ok).toBe(true)
		expect(await membersOf(byJob)).toContain(otherId)
		expect(await assigneesOf(coalExamId)).toContain(otherId)

		// The system admin creating a 示范化工 person of that job type puts them in the 示范化工 plan only.
		const chemPerson = await savePerson(sysActor, { name: '化工检查工', phone: '13711110003', idNumber: undefined, category: 'general', employmentType: 'formal', position: '检查工', jobTypes: ['coal_gas_inspector'], orgId: chem.id })
		const chemPersonId = (chemPerson as { personId: string }).personId
		expect(await membersOf(chemPlan)).toContain(chemPersonId)
		expect(await membersOf(byJob)).not.toContain(chemPersonId)
	})
})

describe('progress', () => {
	test('courses done, exam passed and 逾期 show on the plan, the list and the worker’s own plans', async () => {
		// Two people of our own, so the demo's study records do not count.
		const diligent = await createPerson(db, { orgId: coal.id, name: '认真学', phone: '13711110011', category: 'general', employmentType: 'formal', position: '掘进工', jobTypes: ['general_worker'] })
		const halfway = await createPerson(db, { orgId: coal.id, name: '学一半', phone: '13711110012', category: 'general', employmentType: 'formal', position: '运输工', jobTypes: ['general_worker'] })
		const { planId } = planIdFrom(
			await createVia({ orgId: coal.id, title: '进度测试计划', dueOn: today(), courseIds: [courseIds.general, courseIds.coal], examId: coalExamId, who: 'people', personIds: [diligent, halfway] }, coalAdmin),
		)
		// One completes every lesson of both courses and passes the exam…
		const planLessons = await db.select({ id: lessons.id }).from(lessons).where(inArray(lessons.courseId, [courseIds.general, courseIds.coal]))
		const done = new Date()
		await db.insert(lessonProgress).values(planLessons.map((l) => ({ personId: diligent, lessonId: l.id, studiedSeconds: 600, reachedEnd: true, completedAt: done })))
		await db.insert(attempts).values({ id: randomUUID(), examId: coalExamId, personId: diligent, status: 'submitted', startedAt: done, deadlineAt: done, submittedAt: done, score: 88, maxScore: 100, passed: true })
		// …the other only the general course, and fails the exam.
		const generalLessons = await db.select({ id: lessons.id }).from(lessons).where(eq(lessons.courseId, courseIds.general)).orderBy(asc(lessons.position))
		await db.insert(lessonProgress).values(generalLessons.map((l) => ({ personId: halfway, lessonId: l.id, studiedSeconds: 600, reachedEnd: true, completedAt: done })))
		await db.insert(attempts).values({ id: randomUUID(), examId: coalExamId, personId: halfway, status: 'submitted', startedAt: done, deadlineAt: done, submittedAt: done, score: 60, maxScore: 100, passed: false })

		const page = await load(planPage, `/plans/${planId}`, coalAdmin, { planId })
		expect(page.status).toBe(200)
		const byId = new Map(page.data.members.map((m: { personId: string }) => [m.personId, m]))
		expect(byId.get(diligent)).toMatchObject({ courses: '2/2', complete: true, overdue: false, exam: '合格 · 最高 88/100 分' })
		// Due today: not yet overdue.
		expect(byId.get(halfway)).toMatchObject({ courses: '1/2', complete: false, overdue: false, exam: '未合格 · 最高 60/100 分' })
		expect(page.data.counts).toEqual({ members: 2, complete: 1, overdue: 0, examPassed: 1 })

		// The same members in a plan whose due day has passed: the unfinished one is 逾期.
		const late = await insertPlan(db, { orgId: coal.id, title: '已到期的计划', dueOn: addDays(today(), -2), courseIds: [courseIds.general, courseIds.coal], examId: coalExamId, jobTypes: [], categories: [], createdBy: coalAdmin.personId }, [diligent, halfway])
		const latePage = await load(planPage, `/plans/${late}?status=overdue`, coalAdmin, { planId: late })
		expect(latePage.data.members.map((m: { personId: string }) => m.personId)).toEqual([halfway])
		expect(latePage.data.counts).toEqual({ members: 2, complete: 1, overdue: 1, examPassed: 1 })

		const list = await load(plansList, '/plans?sort=dueOn', coalAdmin)
		const row = list.data.rows.find((r: { id: string }) => r.id === late)
		expect(row).toMatchObject({ members: 2, coursesComplete: 1, examPassed: 1, complete: 1, overdue: 1 })

		const mine = await plansForPerson(db, halfway)
		expect(mine.map((p) => p.id)).toEqual([late, planId])
		expect(mine[0]).toMatchObject({ overdue: true, complete: false, dueOn: addDays(today(), -2) })
		expect(mine[0]!.left.courses.map((c) => c.id)).toEqual([courseIds.coal])
		expect(mine[0]!.left.exam?.id).toBe(coalExamId)
		expect(mine[0]!.exam).toMatchObject({ passed: false, attempts: 1 })
		expect(mine[1]).toMatchObject({ overdue: false, complete: false })
		const forDiligent = await plansForPerson(db, diligent)
		expect(forDiligent.every((p) => p.complete && !p.overdue && p.left.courses.length === 0 && p.left.exam === null)).toBe(true)
		// Unfinished plans come first.
		const { planId: unfinished } = planIdFrom(await createVia({ orgId: coal.id, title: '新的计划', dueOn: addDays(today(), 60), courseIds: [courseIds.leaders], who: 'people', personIds: [diligent] }, coalAdmin))
		expect((await plansForPerson(db, diligent)).map((p) => p.id)).toEqual([unfinished, late, planId])
	})
})

describe('scope', () => {
	test('a manager of 示范煤业 neither sees nor makes plans for 示范化工', async () => {
		const chemWorker = await personByPhone('13900000011')
		const { planId: chemPlan } = planIdFrom(
			await createVia({ orgId: chem.id, title: '化工岗位培训', dueOn: addDays(today(), 7), courseIds: [courseIds.general], who: 'match', jobTypes: ['hazchem_operator'] }, sysAdmin),
		)
		expect((await membersOf(chemPlan)).length).toBeGreaterThan(0)

		expect((await load(planPage, `/plans/${chemPlan}`, coalAdmin, { planId: chemPlan })).status).toBe(404)
		expect((await load(planPage, `/plans/${chemPlan}`, sysAdmin, { planId: chemPlan })).status).toBe(200)
		expect((await load(planPage, '/plans/not-a-uuid', coalAdmin, { planId: 'not-a-uuid' })).status).toBe(404)
		const list = await load(plansList, '/plans', coalAdmin)
		expect(list.data.rows.some((r: { id: string }) => r.id === chemPlan)).toBe(false)
		expect(list.data.rows.every((r: { orgName: string }) => r.orgName === '示范煤业有限公司')).toBe(true)
		expect((await load(plansNew, `/plans/new?orgId=${chem.id}`, coalAdmin)).status).toBe(404)

		const counts = { plans: await planCount(), members: await memberCount(), rows: await rowCounts() }
		// A forged enterprise.
		const forged = await createVia({ orgId: chem.id, title: '越权计划', dueOn: addDays(today(), 7), courseIds: [courseIds.general], who: 'match', jobTypes: ['hazchem_operator'] }, coalAdmin)
		expect(forged.status).toBe(404)
		// 示范化工 people smuggled into a 示范煤业 plan.
		const smuggled = await createVia({ orgId: coal.id, title: '越权名单', dueOn: addDays(today(), 7), courseIds: [courseIds.general], who: 'people', personIds: [worker.personId, chemWorker.id] }, coalAdmin)
		expect(smuggled.status).toBe(400)
		expect(smuggled.data.errors.personIds).toBe('名单中有 1 人不属于示范煤业有限公司')
		expect({ plans: await planCount(), members: await memberCount(), rows: await rowCounts() }).toEqual(counts)
	})

	test('workers and regulators may not manage plans; anonymous visitors sign in first', async () => {
		for (const who of [worker, regulator]) {
			expect((await load(plansList, '/plans', who)).status).toBe(403)
			expect((await load(plansNew, '/plans/new', who)).status).toBe(403)
			expect((await createVia({ orgId: coal.id, title: '越权', dueOn: addDays(today(), 7), courseIds: [courseIds.general], who: 'match', jobTypes: ['coal_underground'] }, who)).status).toBe(403)
		}
		expectSignInRedirect(await load(plansList, '/plans', null), '/plans')
	})

	test('the form offers only the enterprise’s own exams and the courses its workers can see', async () => {
		const chemOwnCourse = randomUUID()
		await db.insert(courses).values({ id: chemOwnCourse, ownerOrgId: chem.id, title: '化工厂区安全须知', part: 'general', forAllJobTypes: true })
		const page = await load(plansNew, '/plans/new', coalAdmin)
		expect(page.status).toBe(200)
		// One enterprise: the form opens on it.
		expect(page.data.form.enterprise.id).toBe(coal.id)
		const examIds = page.data.form.exams.map(([id]: [string]) => id)
		expect(examIds).toContain(coalExamId)
		expect(examIds).not.toContain(chemExamId)
		const offered = page.data.form.courses.map((c: { id: string }) => c.id)
		expect(offered).toEqual(expect.arrayContaining([courseIds.general, courseIds.coal, courseIds.leaders]))
		expect(offered).not.toContain(chemOwnCourse)

		// The system admin picks the enterprise first.
		const adminPage = await load(plansNew, '/plans/new', sysAdmin)
		expect(adminPage.data.form).toBeNull()
		expect(adminPage.data.enterprises.map(([, name]: [string, string]) => name)).toContain('示范化工有限公司')
	})
})
