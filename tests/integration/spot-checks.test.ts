import { and, asc, count, eq, inArray, like } from 'drizzle-orm'
import ExcelJS from 'exceljs'
import { beforeAll, describe, expect, test } from 'vitest'
import { attempts, examAssignees, examTemplates, exams, organizations, people, personJobTypes, retrainingOrders, spotCheckPopulation, spotChecks } from '#db/schema.ts'
import { loadSessionUser } from '#app/auth/auth.server.ts'
import { syncShippedContent } from '#app/content/sync.server.ts'
import { demoSpotCheckId } from '#app/demo/spot-check-demo.server.ts'
import { seedDemo } from '#app/demo/seed.server.ts'
import { startAttempt, submitAttempt } from '#app/exams/attempts.server.ts'
import { toChinaInput } from '#app/exams/exam-form.ts'
import { myExams } from '#app/exams/taking.server.ts'
import type { SpotCheckInput } from '#app/oversight/spot-checks-form.ts'
import { createSpotCheck, replaySpotCheck } from '#app/oversight/spot-checks.server.ts'
import { drawSpotCheckSample } from '#app/oversight/sampling.ts'
import { rotationHoursOf } from '#app/records/register.server.ts'
import { db } from '#app/utils/db.server.ts'
import { chinaDay } from '#app/utils/days.ts'
import * as detailsRoute from '#app/routes/spot-checks.$spotCheckId.tsx'
import * as exportRoute from '#app/routes/spot-checks.$spotCheckId.export[.]xlsx.ts'
import * as listRoute from '#app/routes/spot-checks._index.tsx'
import * as newRoute from '#app/routes/spot-checks.new.tsx'
import * as leadersRoute from '#app/routes/registers.leaders.tsx'
import * as leadersExportRoute from '#app/routes/registers.leaders[.]xlsx.ts'
import { newWorker } from '#tests/fixtures/records.ts'
import { context, get, load, orgByCode, signedIn, submit } from '#tests/fixtures/requests.ts'

// 随机抽考: the draw, its replay from the stored seed and frozen population, the population
// filters, the scope of township inspectors, retraining orders on failure, the export, and the
// 领导干部 register.

type Auth = Awaited<ReturnType<typeof signedIn>>
let county: Auth
let dongshan: Auth
let templateId: string

const HOUR = 3600_000

/** The "new spot check" form as posted, with overrides. */
function form(over: Record<string, string | string[] | undefined> = {}) {
	const now = Date.now()
	return {
		title: '测试抽考',
		categories: ['principal', 'safety_manager'],
		sizeUnit: 'people',
		size: '4',
		minPerEnterprise: '0',
		templateId,
		opensAt: toChinaInput(new Date(now - HOUR)),
		closesAt: toChinaInput(new Date(now + 7 * 24 * HOUR)),
		...over,
	}
}

/** Posts the form as this person; on success, the new check's id from the redirect. */
async function create(auth: Auth, over: Record<string, string | string[] | undefined> = {}) {
	const outcome = await submit(newRoute, '/spot-checks/new', form(over), auth)
	const location = outcome.headers.get('Location')
	return { outcome, id: location?.match(/^\/spot-checks\/([0-9a-f-]{36})\?drawn=\d+$/)?.[1] ?? null }
}

async function frozen(spotCheckId: string) {
	return db.select().from(spotCheckPopulation).where(eq(spotCheckPopulation.spotCheckId, spotCheckId)).orderBy(asc(spotCheckPopulation.position))
}

async function checkOf(spotCheckId: string) {
	const [check] = await db.select().from(spotChecks).where(eq(spotChecks.id, spotCheckId))
	return check!
}

/** People of the categories under the organisation, as an independent query. */
async function peopleUnder(code: string, categories: ('principal' | 'safety_manager' | 'party_leader' | 'general' | 'special_operator')[]) {
	const org = await orgByCode(code)
	const rows = await db
		.select({ id: people.id })
		.from(people)
		.innerJoin(organizations, eq(organizations.id, people.orgId))
		.where(and(like(organizations.path, `${org.path}%`), inArray(people.category, categories)))
	return rows.map((r) => r.id).sort()
}

async function sessionUser(phone: string) {
	const { personId } = await signedIn(phone)
	return (await loadSessionUser(personId))!
}

function input(over: Partial<SpotCheckInput> & { orgId: string }): SpotCheckInput {
	return {
		title: '直接创建的抽考',
		categories: [],
		industryCodes: [],
		jobTypes: [],
		employmentTypes: [],
		sampleSize: 3,
		samplePercent: null,
		minPerEnterprise: 0,
		templateId,
		opensAt: new Date(Date.now() - HOUR),
		closesAt: new Date(Date.now() + 24 * HOUR),
		...over,
	}
}

beforeAll(async () => {
	await syncShippedContent(db)
	await seedDemo(db)
	county = await signedIn('13900000001')
	dongshan = await signedIn('13900000002')
	const [template] = await db.select({ id: examTemplates.id }).from(examTemplates).where(eq(examTemplates.purpose, 'spot_check'))
	templateId = template!.id
})

describe('the draw and its replay', () => {
	test('the county draws from its 主要负责人 and 安全管理人员; the frozen population is exactly them, in id order', async () => {
		const { outcome, id } = await create(county)
		expect(outcome.status).toBe(302)
		const check = await checkOf(id!)
		const expected = await peopleUnder('demo-county', ['principal', 'safety_manager'])
		expect(expected.length).toBe(11) // 5 enterprises: 5 主要负责人, 6 安全管理人员 (赵立新 too)
		const rows = await frozen(id!)
		expect(rows.map((r) => r.personId)).toEqual(expected)
		expect(rows.map((r) => r.position)).toEqual([...expected.keys()])
		expect(check.populationSize).toBe(11)
		expect(check.seed).toMatch(/^-?\d+$/)
		expect(check.ownerOrgId).toBe((await orgByCode('demo-county')).id)
		// The stored draw is the sampler's answer for the stored seed, and the exam went to exactly those people.
		const drawn = rows.filter((r) => r.drawn).map((r) => r.personId)
		expect(drawn).toHaveLength(4)
		expect(drawSpotCheckSample(Number(check.seed), rows, { size: { count: 4 } }).personIds).toEqual(drawn)
		const assigned = await db.select({ personId: examAssignees.personId }).from(examAssignees).where(eq(examAssignees.examId, check.examId!))
		expect(assigned.map((a) => a.personId).sort()).toEqual([...drawn].sort())
		const [exam] = await db.select().from(exams).where(eq(exams.id, check.examId!))
		expect(exam).toMatchObject({ templateId, ownerOrgId: check.ownerOrgId, title: '测试抽考' })
	})

	test('复核抽取 gives the same people, even after the roster changed', async () => {
		const { id } = await create(county, { size: '5' })
		const before = await frozen(id!)
		const size = before.length
		const recorded = before.filter((r) => r.drawn).map((r) => r.personId)

		const first = await submit(detailsRoute, `/spot-checks/${id}`, {}, county, { spotCheckId: id! })
		expect(first.data.replay).toMatchObject({ matches: true, assigneesMatch: true, populationSize: size, frozenSize: size })
		expect(first.data.replay.drawn.map((d: { personId: string }) => d.personId)).toEqual(recorded)

		// The roster changes: a new 主要负责人, and a drawn person moved to another category.
		await newWorker('demo-chem', [], { category: 'principal' })
		await db.update(people).set({ category: 'general' }).where(eq(people.id, recorded[0]!))
		expect(await peopleUnder('demo-county', ['principal', 'safety_manager'])).not.toEqual(before.map((r) => r.personId).sort())
		const again = await replaySpotCheck(db, await checkOf(id!))
		expect(again.matches).toBe(true)
		expect(again.drawn.map((d) => d.personId)).toEqual(recorded)
		expect((await frozen(id!)).map((r) => r.personId)).toEqual(before.map((r) => r.personId))
		await db.update(people).set({ category: 'principal' }).where(eq(people.id, recorded[0]!))
	})

	test('a tampered record does not pass 复核', async () => {
		const { id } = await create(county, { size: '3' })
		const rows = await frozen(id!)
		const notDrawn = rows.find((r) => !r.drawn)!
		await db.update(spotCheckPopulation).set({ drawn: true }).where(and(eq(spotCheckPopulation.spotCheckId, id!), eq(spotCheckPopulation.position, notDrawn.position)))
		const replay = await submit(detailsRoute, `/spot-checks/${id}`, {}, county, { spotCheckId: id! })
		expect(replay.data.replay.matches).toBe(false)
		expect(replay.data.replay.assigneesMatch).toBe(false)
	})

	test('the same seed over the same population draws the same people in two checks', async () => {
		const user = await sessionUser('13900000001')
		const countyOrg = await orgByCode('demo-county')
		const a = await createSpotCheck(db, user, input({ orgId: countyOrg.id, categories: ['special_operator'] }), { seed: 20260601 })
		const b = await createSpotCheck(db, user, input({ orgId: countyOrg.id, categories: ['special_operator'] }), { seed: 20260601 })
		if (!a.ok || !b.ok) throw new Error('not created')
		const drawnOf = async (id: string) => (await frozen(id)).filter((r) => r.drawn).map((r) => r.personId)
		expect(await drawnOf(a.spotCheckId)).toEqual(await drawnOf(b.spotCheckId))
		expect(a.populationSize).toBeGreaterThan(10)
		// Other seeds draw other people (any one of them may match by chance, 1 in C(n, 3); not all three).
		const others = new Set<string>()
		for (const seed of [7, 8, 9]) {
			const c = await createSpotCheck(db, user, input({ orgId: countyOrg.id, categories: ['special_operator'] }), { seed })
			if (!c.ok) throw new Error('not created')
			others.add((await drawnOf(c.spotCheckId)).join(','))
		}
		others.delete((await drawnOf(a.spotCheckId)).join(','))
		expect(others.size).toBeGreaterThan(0)
	})

	test('size as a percentage rounds up; a minimum per enterprise reaches every enterprise', async () => {
		const { id } = await create(county, { sizeUnit: 'percent', size: '25' }) // 11 × 25% = 2.75 → 3
		expect((await frozen(id!)).filter((r) => r.drawn)).toHaveLength(3)
		const user = await sessionUser('13900000001')
		const made = await createSpotCheck(db, user, input({ orgId: (await orgByCode('demo-county')).id, categories: ['principal'], sampleSize: 1, minPerEnterprise: 1 }))
		if (!made.ok) throw new Error('not created')
		const rows = await frozen(made.spotCheckId)
		const enterprises = new Set(rows.map((r) => r.orgId))
		expect(enterprises.size).toBe(5)
		const drawn = rows.filter((r) => r.drawn)
		// One per enterprise (the minimums outweigh the size of 1), and nobody else.
		expect(new Set(drawn.map((r) => r.orgId))).toEqual(enterprises)
		expect(drawn.length).toBe(enterprises.size)
	})
})

describe('population filters', () => {
	const frozenPeople = async (made: Awaited<ReturnType<typeof createSpotCheck>>) => {
		if (!made.ok) throw new Error(JSON.stringify(made.errors))
		return (await frozen(made.spotCheckId)).map((r) => r.personId)
	}

	test('industry (the enterprise’s), job type, employment type and subtree each narrow the population', async () => {
		const user = await sessionUser('13900000001')
		const countyOrg = await orgByCode('demo-county')
		const chem = await orgByCode('demo-chem')

		const hazchem = await frozenPeople(await createSpotCheck(db, user, input({ orgId: countyOrg.id, industryCodes: ['hazchem'] })))
		const chemPeople = (await db.select({ id: people.id }).from(people).where(eq(people.orgId, chem.id))).map((r) => r.id).sort()
		expect(hazchem).toEqual(chemPeople)

		const welders = await frozenPeople(await createSpotCheck(db, user, input({ orgId: countyOrg.id, jobTypes: ['welding'] })))
		const holders = (await db.select({ id: personJobTypes.personId }).from(personJobTypes).where(eq(personJobTypes.jobTypeCode, 'welding'))).map((r) => r.id).sort()
		expect(welders).toEqual(holders)
		expect(welders.length).toBeGreaterThanOrEqual(3)

		const dispatched = await frozenPeople(await createSpotCheck(db, user, input({ orgId: countyOrg.id, employmentTypes: ['dispatched'], categories: ['general', 'special_operator'] })))
		const rows = await db.select({ employmentType: people.employmentType, category: people.category }).from(people).where(inArray(people.id, dispatched))
		expect(rows.length).toBeGreaterThan(2)
		for (const r of rows) expect(r.employmentType).toBe('dispatched')

		const dongshanOrg = await orgByCode('dongshan')
		const inDongshan = await frozenPeople(await createSpotCheck(db, user, input({ orgId: dongshanOrg.id, categories: ['principal', 'safety_manager'] })))
		expect(inDongshan).toEqual(await peopleUnder('dongshan', ['principal', 'safety_manager']))
	})

	test('an empty population or a zero size is refused next to the fields, and nothing is written', async () => {
		const before = (await db.select({ n: count() }).from(spotChecks))[0]!.n
		const empty = await create(county, { categories: ['party_leader'], industryCodes: ['coal'] })
		expect(empty.outcome.status).toBe(400)
		expect(empty.outcome.data.errors.population).toMatch(/没有符合条件的人员/)
		const zero = await create(county, { size: '0' })
		expect(zero.outcome.status).toBe(400)
		expect(zero.outcome.data.errors.size).toMatch(/至少为 1 人/)
		const noTemplate = await create(county, { templateId: '00000000-0000-4000-8000-000000000000' })
		expect(noTemplate.outcome.data.errors.templateId).toBeTruthy()
		expect(noTemplate.outcome.data.values.categories).toEqual(['principal', 'safety_manager'])
		expect((await db.select({ n: count() }).from(spotChecks))[0]!.n).toBe(before)
	})
})

describe('scope', () => {
	test('a township inspector cannot draw over another township, nor see or export the county’s check', async () => {
		const xihe = await orgByCode('xihe')
		const before = (await db.select({ n: count() }).from(spotChecks))[0]!.n
		const refused = await create(dongshan, { orgId: xihe.id })
		expect(refused.outcome.status).toBe(400)
		expect(refused.outcome.data.errors.orgId).toMatch(/不在您的管理范围/)
		expect((await db.select({ n: count() }).from(spotChecks))[0]!.n).toBe(before)

		const countyCheck = (await demoSpotCheckId(db))!
		expect((await load(detailsRoute, `/spot-checks/${countyCheck}`, dongshan, { spotCheckId: countyCheck })).status).toBe(404)
		expect((await submit(detailsRoute, `/spot-checks/${countyCheck}`, {}, dongshan, { spotCheckId: countyCheck })).status).toBe(404)
		expect((await load(exportRoute, `/spot-checks/${countyCheck}/export.xlsx`, dongshan, { spotCheckId: countyCheck })).status).toBe(404)
		const list = await load(listRoute, '/spot-checks', dongshan)
		expect(list.data.rows.some((r: { id: string }) => r.id === countyCheck)).toBe(false)

		// Their own township: drawn only from it, owned by it, seen by the county too.
		const own = await create(dongshan, { size: '2' })
		const check = await checkOf(own.id!)
		expect(check.ownerOrgId).toBe((await orgByCode('dongshan')).id)
		expect((await frozen(own.id!)).map((r) => r.personId)).toEqual(await peopleUnder('dongshan', ['principal', 'safety_manager']))
		expect((await load(listRoute, '/spot-checks', dongshan)).data.rows.map((r: { id: string }) => r.id)).toEqual([own.id])
		expect((await load(detailsRoute, `/spot-checks/${own.id}`, county, { spotCheckId: own.id! })).status).toBe(200)
	})

	test('workers and enterprise admins may not open spot checks', async () => {
		for (const phone of ['13900000010', '13900000003']) {
			const auth = await signedIn(phone)
			expect((await load(listRoute, '/spot-checks', auth)).status).toBe(403)
			expect((await create(auth)).outcome.status).toBe(403)
			expect((await load(leadersRoute, '/registers/leaders', auth)).status).toBe(403)
		}
		expect((await load(detailsRoute, '/spot-checks/not-an-id', county, { spotCheckId: 'not-an-id' })).status).toBe(404)
	})
})

describe('taking the check', () => {
	test('drawn people see it on their home with its deadline; a failed attempt opens a 脱产培训 order', async () => {
		const { id } = await create(county, { size: '2' })
		const check = await checkOf(id!)
		const [person] = (await frozen(id!)).filter((r) => r.drawn)
		const mine = (await myExams(db, person!.personId)).find((e) => e.id === check.examId)
		expect(mine).toMatchObject({ purpose: 'spot_check', closesAt: check.closesAt.toISOString(), canStart: true })

		const attemptId = await startAttempt(db, check.examId!, person!.personId)
		await submitAttempt(db, attemptId, 'person') // nothing answered: a fail
		const [attempt] = await db.select().from(attempts).where(eq(attempts.id, attemptId))
		expect(attempt!.passed).toBe(false)
		const orders = await db.select().from(retrainingOrders).where(and(eq(retrainingOrders.personId, person!.personId), eq(retrainingOrders.source, 'spot_check')))
		expect(orders).toHaveLength(1)
		expect(orders[0]!.closedAt).toBeNull()

		const page = await load(detailsRoute, `/spot-checks/${id}`, county, { spotCheckId: id! })
		expect(page.data.summary).toMatchObject({ drawn: 2, taken: 1, passed: 0, notTaken: 1, passRate: 0 })
		const row = page.data.rows.find((r: { personId: string }) => r.personId === person!.personId)
		expect(row).toMatchObject({ status: '已交卷', passed: false, score: 0 })
	})

	test('the demo check is in progress: drawn yesterday, two passed, one failed with an order, three not yet', async () => {
		const id = (await demoSpotCheckId(db))!
		const page = await load(detailsRoute, `/spot-checks/${id}`, county, { spotCheckId: id })
		expect(page.data.check.populationSize).toBe(11)
		expect(page.data.summary).toMatchObject({ drawn: 6, taken: 3, passed: 2, notTaken: 3 })
		const failed = page.data.rows.filter((r: { submitted: boolean; passed: boolean }) => r.submitted && !r.passed)
		expect(failed).toHaveLength(1)
		const orders = await db.select().from(retrainingOrders).where(and(eq(retrainingOrders.personId, failed[0].personId), eq(retrainingOrders.source, 'spot_check')))
		expect(orders).toHaveLength(1)
		expect((await replaySpotCheck(db, await checkOf(id))).matches).toBe(true)
	})
})

describe('export', () => {
	test('one row per drawn person, with the facts on a second sheet', async () => {
		const id = (await demoSpotCheckId(db))!
		const response = (await exportRoute.loader({ request: get(`/spot-checks/${id}/export.xlsx`, county), params: { spotCheckId: id }, context })) as Response
		expect(response.status).toBe(200)
		expect(response.headers.get('Content-Disposition')).toMatch(/filename\*=UTF-8''/)
		const workbook = new ExcelJS.Workbook()
		await workbook.xlsx.load(await response.arrayBuffer())
		const sheet = workbook.getWorksheet('抽考结果')!
		const drawn = (await frozen(id)).filter((r) => r.drawn)
		expect(sheet.rowCount).toBe(1 + drawn.length)
		const names = (await db.select({ name: people.name }).from(people).where(inArray(people.id, drawn.map((d) => d.personId)))).map((p) => p.name).sort()
		expect(sheet.getColumn(2).values.slice(2).map(String).sort()).toEqual(names)
		const results = sheet.getColumn(8).values.slice(2)
		expect(results.filter((v) => v === '合格')).toHaveLength(2)
		expect(results.filter((v) => v === '不合格')).toHaveLength(1)
		const facts = workbook.getWorksheet('抽考信息')!
		expect(facts.getColumn(2).values).toContain((await checkOf(id)).seed)
	})
})

describe('领导干部 register', () => {
	test('lists only leaders and key personnel in scope, with this year’s 轮训 hours and the last spot check', async () => {
		const { data } = await load(leadersRoute, '/registers/leaders', county)
		const expected = await peopleUnder('demo-county', ['party_leader', 'principal', 'safety_manager'])
		expect(data.total).toBe(expected.length)
		expect(data.rows.length).toBe(Math.min(50, expected.length))
		for (const r of data.rows) expect(['党政领导干部', '主要负责人', '安全管理人员']).toContain(r.category)

		const ids = data.rows.map((r: { personId: string }) => r.personId)
		const today = chinaDay(new Date())
		const hours = await rotationHoursOf(db, ids, `${today.slice(0, 4)}-01-01`, today)
		for (const r of data.rows) expect(r.rotationHours).toBe(hours.get(r.personId))
		// The demo's 24-学时 轮训 at 示范煤业 was two weeks ago: counted when that is this year.
		const coalPrincipal = data.rows.find((r: { orgName: string; category: string }) => r.orgName === '示范煤业有限公司' && r.category === '主要负责人')
		const thisYear = chinaDay(new Date(Date.now() - 14 * 24 * HOUR)).slice(0, 4) === today.slice(0, 4)
		expect(coalPrincipal.rotationHours).toBe(thisYear ? 24 : 0)

		// A check drawing everyone: its result is now everyone's last one.
		const { id } = await create(county, { title: '全员抽考', sizeUnit: 'percent', size: '100' })
		const check = await checkOf(id!)
		const [failing, waiting] = (await frozen(id!)).map((r) => r.personId)
		await submitAttempt(db, await startAttempt(db, check.examId!, failing!), 'person')
		const rowsOf = async (category: string) => (await load(leadersRoute, `/registers/leaders?category=${category}`, county)).data.rows
		const keyPeople = [...(await rowsOf('principal')), ...(await rowsOf('safety_manager'))]
		expect(keyPeople.find((r: { personId: string }) => r.personId === failing)).toMatchObject({ result: '不合格 0 分', spotCheck: { id, title: '全员抽考', failed: true, day: today } })
		expect(keyPeople.find((r: { personId: string }) => r.personId === waiting)).toMatchObject({ result: '未参加', spotCheck: { id } })
		const neverDrawn = data.rows.find((r: { category: string }) => r.category === '党政领导干部')
		expect(neverDrawn.result).toBe('未被抽考')
	})

	test('filters by category and organisation, stays within a township inspector’s scope, and exports the same people', async () => {
		const principals = await load(leadersRoute, '/registers/leaders?category=principal', county)
		expect(principals.data.total).toBe((await peopleUnder('demo-county', ['principal'])).length)
		for (const r of principals.data.rows) expect(r.category).toBe('主要负责人')

		const chem = await orgByCode('demo-chem')
		const chemOnly = await load(leadersRoute, `/registers/leaders?orgId=${chem.id}`, county)
		expect(chemOnly.data.rows.map((r: { orgName: string }) => r.orgName)).toEqual(Array(chemOnly.data.total).fill('示范化工有限公司'))

		const township = await load(leadersRoute, '/registers/leaders', dongshan)
		expect(township.data.total).toBe((await peopleUnder('dongshan', ['party_leader', 'principal', 'safety_manager'])).length)
		// Another township's enterprise as a filter matches nobody.
		expect((await load(leadersRoute, `/registers/leaders?orgId=${chem.id}`, dongshan)).data.total).toBe(0)

		const response = (await leadersExportRoute.loader({ request: get('/registers/leaders.xlsx?category=principal', county), params: {}, context })) as Response
		const workbook = new ExcelJS.Workbook()
		await workbook.xlsx.load(await response.arrayBuffer())
		expect(workbook.worksheets[0]!.rowCount).toBe(1 + principals.data.total)
	})
})
