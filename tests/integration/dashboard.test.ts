import { randomUUID } from 'node:crypto'
import { and, eq, inArray, isNull, like } from 'drizzle-orm'
import { beforeAll, describe, expect, test } from 'vitest'
import { attempts, exams, examTemplates, organizations, people, retrainingOrders, spotCheckPopulation, spotChecks, violations } from '#db/schema.ts'
import { syncShippedContent } from '#app/content/sync.server.ts'
import { seedDemo } from '#app/demo/seed.server.ts'
import { clearanceOfPerson } from '#app/records/clearance.server.ts'
import { db } from '#app/utils/db.server.ts'
import { chinaDay } from '#app/utils/days.ts'
import * as dashboardRoute from '#app/routes/gov.dashboard.tsx'
import * as personRoute from '#app/routes/people.$personId._index.tsx'
import { load, orgByCode, signedIn } from '#tests/fixtures/requests.ts'

// 数据看板: the figures of a jurisdiction counted again here, straight from the tables, and the
// drill-down from county to person that never leaves the viewer's jurisdiction.

const path = (orgId?: string) => (orgId ? `/gov/dashboard?orgId=${orgId}` : '/gov/dashboard')
type Row = { kind: string; id: string; name: string; tally: Record<string, number>; rates: Record<string, number | null> }

beforeAll(async () => {
	await syncShippedContent(db)
	await seedDemo(db)
})

/** Everything counted without the dashboard's code: people of a subtree and their records. */
async function countedUnder(orgPath: string) {
	const now = new Date()
	const today = chinaDay(now)
	const yearStart = new Date(`${today.slice(0, 4)}-01-01T00:00:00+08:00`)
	const ids = (await db.select({ id: people.id }).from(people).innerJoin(organizations, eq(organizations.id, people.orgId)).where(like(organizations.path, `${orgPath}%`))).map((p) => p.id)
	const submitted = ids.length ? await db.select().from(attempts).where(and(inArray(attempts.personId, ids), eq(attempts.status, 'submitted'))) : []
	const thisYear = submitted.filter((a) => a.submittedAt! >= yearStart && a.submittedAt! <= now)
	const open = ids.length ? await db.select().from(retrainingOrders).where(and(inArray(retrainingOrders.personId, ids), isNull(retrainingOrders.closedAt))) : []
	const offences = ids.length ? await db.select().from(violations).where(inArray(violations.personId, ids)) : []
	const byMonth = new Map<string, number>()
	for (const a of submitted) byMonth.set(chinaDay(a.submittedAt!).slice(0, 7), (byMonth.get(chinaDay(a.submittedAt!).slice(0, 7)) ?? 0) + 1)
	return {
		ids,
		people: ids.length,
		submitted: thisYear.length,
		passed: thisYear.filter((a) => a.passed).length,
		openOrders: open.length,
		violations: offences.filter((v) => v.occurredOn >= `${today.slice(0, 4)}-01-01` && v.occurredOn <= today).length,
		violationsByMonth: offences.reduce((m, v) => m.set(v.occurredOn.slice(0, 7), (m.get(v.occurredOn.slice(0, 7)) ?? 0) + 1), new Map<string, number>()),
		byMonth,
	}
}

describe('the county regulator', () => {
	test('starts at the county: totals match the tables and the townships add up to them', async () => {
		const regulator = await signedIn('13900000001')
		const county = await orgByCode('demo-county')
		const { status, data } = await load(dashboardRoute, path(), regulator)
		expect(status).toBe(200)
		expect(data.dashboard.org.id).toBe(county.id)
		const counted = await countedUnder(county.path)
		const { tally, rates } = data.dashboard.total
		expect(tally.people).toBe(counted.people)
		expect(tally.submitted).toBe(counted.submitted)
		expect(tally.passed).toBe(counted.passed)
		expect(rates.passed).toBe(counted.submitted ? counted.passed / counted.submitted : null)
		expect(tally.openOrders).toBe(counted.openOrders)
		expect(tally.violations).toBe(counted.violations)
		// The demo county has exams, a 三违 and its open order, so none of these checks is vacuous.
		expect(counted.openOrders).toBeGreaterThan(0)
		expect([...counted.byMonth.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(0)

		const rows: Row[] = data.dashboard.rows
		const townships = rows.filter((r) => ['城关镇', '东山乡', '西河镇', '南岭街道'].includes(r.name))
		expect(townships).toHaveLength(4)
		for (const t of townships) {
			const org = (await db.select().from(organizations).where(eq(organizations.id, t.id)))[0]!
			const under = await countedUnder(org.path)
			expect(t.tally, t.name).toMatchObject({ people: under.people, submitted: under.submitted, passed: under.passed, openOrders: under.openOrders, violations: under.violations })
		}
		for (const key of ['people', 'trained', 'cleared', 'submitted', 'passed', 'openOrders', 'violations']) {
			expect(rows.reduce((n, r) => n + r.tally[key]!, 0), key).toBe(tally[key])
		}
	})

	test('the monthly trend counts every submitted attempt and 三违 of the last twelve months', async () => {
		const regulator = await signedIn('13900000001')
		const county = await orgByCode('demo-county')
		const { data } = await load(dashboardRoute, path(), regulator)
		const counted = await countedUnder(county.path)
		const trend: { month: string; submitted: number; passed: number; violations: number }[] = data.dashboard.trend
		expect(trend).toHaveLength(12)
		expect(trend.at(-1)!.month).toBe(chinaDay(new Date()).slice(0, 7))
		for (const point of trend) {
			expect(point.submitted, point.month).toBe(counted.byMonth.get(point.month) ?? 0)
			expect(point.violations, point.month).toBe(counted.violationsByMonth.get(point.month) ?? 0)
			expect(point.passed).toBeLessThanOrEqual(point.submitted)
		}
	})

	test('drills down to 示范煤业, whose people are listed with their own figures and link to their pages', async () => {
		const regulator = await signedIn('13900000001')
		const county = await load(dashboardRoute, path(), regulator)
		const dongshan = county.data.dashboard.rows.find((r: Row) => r.name === '东山乡')
		const township = await load(dashboardRoute, path(dongshan.id), regulator)
		expect(township.status).toBe(200)
		expect(township.data.breadcrumb.map((b: { name: string }) => b.name)).toEqual(['示范县', '东山乡'])
		const coalRow = township.data.dashboard.rows.find((r: Row) => r.name === '示范煤业有限公司')
		expect(coalRow).toBeDefined()

		const coal = await orgByCode('demo-coal')
		const enterprise = await load(dashboardRoute, path(coal.id), regulator)
		expect(enterprise.status).toBe(200)
		expect(enterprise.data.dashboard.byPerson).toBe(true)
		const rows: Row[] = enterprise.data.dashboard.rows
		const counted = await countedUnder(coal.path)
		expect(rows.map((r) => r.id).sort()).toEqual([...counted.ids].sort())
		expect(rows.every((r) => r.kind === 'person' && r.tally.people === 1)).toBe(true)
		// The enterprise's figures are the same seen from the township's row.
		expect(enterprise.data.dashboard.total.tally).toEqual(coalRow.tally)

		// 参训 and 上岗, person by person, against each one's own clearance.
		for (const row of rows) {
			const own = (await clearanceOfPerson(row.id))!
			expect(row.tally.trained, row.name).toBe(own.reasons.some((r) => r.kind === 'course') ? 0 : 1)
			expect(row.tally.cleared, row.name).toBe(own.cleared ? 1 : 0)
		}
		expect(rows.some((r) => r.tally.cleared === 1)).toBe(true)
		expect(rows.some((r) => r.tally.cleared === 0)).toBe(true)

		const person = await load(personRoute, `/people/${rows[0]!.id}`, regulator, { personId: rows[0]!.id })
		expect(person.status).toBe(200)
	})

	test('every row links to a page the regulator may open', async () => {
		const regulator = await signedIn('13900000001')
		const county = await load(dashboardRoute, path(), regulator)
		for (const row of county.data.dashboard.rows as Row[]) {
			if (row.kind !== 'org') continue
			expect((await load(dashboardRoute, path(row.id), regulator)).status, row.name).toBe(200)
		}
	})
})

describe('the 东山乡 regulator', () => {
	test('starts at 东山乡 and cannot open the county or another township (404)', async () => {
		const inspector = await signedIn('13900000002')
		const dongshan = await orgByCode('dongshan')
		const home = await load(dashboardRoute, path(), inspector)
		expect(home.status).toBe(200)
		expect(home.data.dashboard.org.id).toBe(dongshan.id)
		expect(home.data.breadcrumb).toEqual([{ id: dongshan.id, name: '东山乡' }])
		expect(home.data.dashboard.total.tally.people).toBe((await countedUnder(dongshan.path)).people)

		for (const code of ['demo-county', 'xihe', 'chengguan', 'demo-chem']) {
			const outside = await load(dashboardRoute, path((await orgByCode(code)).id), inspector)
			expect(outside.status, code).toBe(404)
		}
		expect((await load(dashboardRoute, path('not-an-id'), inspector)).status).toBe(404)
	})

	test('drills into 示范煤业 with a breadcrumb that stops at 东山乡', async () => {
		const inspector = await signedIn('13900000002')
		const home = await load(dashboardRoute, path(), inspector)
		for (const row of home.data.dashboard.rows as Row[]) {
			if (row.kind === 'org') expect((await load(dashboardRoute, path(row.id), inspector)).status, row.name).toBe(200)
		}
		const coal = await orgByCode('demo-coal')
		const enterprise = await load(dashboardRoute, path(coal.id), inspector)
		expect(enterprise.data.breadcrumb.map((b: { name: string }) => b.name)).toEqual(['东山乡', '示范煤业有限公司'])
	})
})

test('workers and enterprise managers have no dashboard', async () => {
	for (const phone of ['13900000010', '13900000003']) {
		expect((await load(dashboardRoute, path(), await signedIn(phone))).status, phone).toBe(403)
	}
})

test('a spot check counts drawn, taken and passed people once each', async () => {
	const regulator = await signedIn('13900000001')
	const coal = await orgByCode('demo-coal')
	const before = (await load(dashboardRoute, path(coal.id), regulator)).data.dashboard.total.tally
	const staff = (await db.select({ id: people.id }).from(people).where(eq(people.orgId, coal.id)).orderBy(people.id)).slice(0, 4)
	const [template] = await db.select().from(examTemplates).limit(1)
	const now = new Date()
	const examId = randomUUID()
	await db.insert(exams).values({ id: examId, templateId: template!.id, ownerOrgId: coal.id, title: '抽考', opensAt: new Date(now.getTime() - 3600_000), closesAt: new Date(now.getTime() + 86_400_000) })
	const spotCheckId = randomUUID()
	await db.insert(spotChecks).values({ id: spotCheckId, title: '抽考', ownerOrgId: (await orgByCode('demo-county')).id, population: { orgId: coal.id, categories: [], industryCodes: [], jobTypes: [], employmentTypes: [] }, sampleSize: 3, templateId: template!.id, examId, opensAt: new Date(now.getTime() - 3600_000), closesAt: new Date(now.getTime() + 86_400_000), seed: 'ab', populationSize: 4, drawnAt: new Date(now.getTime() - 3600_000) })
	await db.insert(spotCheckPopulation).values(staff.map((p, position) => ({ spotCheckId, position, personId: p.id, orgId: coal.id, drawn: position < 3 })))
	// The first passes on a second try, the second fails, the third has not taken it; the fourth was not drawn.
	const attempt = (personId: string, passed: boolean, minutesAgo: number) => ({ id: randomUUID(), examId, personId, status: 'submitted' as const, startedAt: new Date(now.getTime() - (minutesAgo + 10) * 60_000), deadlineAt: now, submittedAt: new Date(now.getTime() - minutesAgo * 60_000), submittedBy: 'person', score: passed ? 90 : 40, maxScore: 100, passed })
	await db.insert(attempts).values([attempt(staff[0]!.id, false, 30), attempt(staff[0]!.id, true, 10), attempt(staff[1]!.id, false, 5)])

	const after = (await load(dashboardRoute, path(coal.id), regulator)).data.dashboard.total
	expect(after.tally.spotDrawn - before.spotDrawn).toBe(3)
	expect(after.tally.spotTaken - before.spotTaken).toBe(2)
	expect(after.tally.spotPassed - before.spotPassed).toBe(1)
	expect(after.tally.submitted - before.submitted).toBe(3)
	expect(after.tally.passed - before.passed).toBe(1)
})
