import { randomUUID } from 'node:crypto'
import { and, asc, eq } from 'drizzle-orm'
import { examTemplates, people, questions, spotCheckPopulation, spotChecks, type PaperRule } from '#db/schema.ts'
import { loadSessionUser } from '#app/auth/auth.server.ts'
import { createSpotCheck } from '#app/oversight/spot-checks.server.ts'
import { orgByCode } from '#app/orgs/orgs.server.ts'
import { phoneLookupHash } from '#app/people/pii.server.ts'
import type { Db } from '#app/utils/db.server.ts'
import { parseChinaTime, toChinaInput } from '#app/exams/exam-form.ts'
import { sitExam } from './sit-exam.server.ts'

// 随机抽考 in the demo county: the 县安委办 (13900000001) drew 6 of the county's 主要负责人 and
// 安全管理人员 yesterday for a two-week window; two have passed, one failed (which opened a 脱产培训
// order) and the others have not taken it yet. Made through the real functions at past times.

const HOUR = 3600_000

/** 通用知识 only: every drawn person, whatever their industry, can be examined on it. */
export const SPOT_CHECK_RULES: PaperRule[] = [
	{ type: 'single', count: 10, points: 5, part: 'general' },
	{ type: 'judge', count: 10, points: 5, part: 'general' },
]

export async function seedSpotCheckDemo(db: Db, now = new Date()) {
	// The paper draws from the shipped 通用 questions; without them (some tests) there is no demo check.
	const [shipped] = await db.select({ id: questions.id }).from(questions).where(eq(questions.part, 'general')).limit(1)
	if (!shipped) return
	const [regulator] = await db.select({ id: people.id }).from(people).where(eq(people.phoneHash, phoneLookupHash('13900000001')))
	const user = regulator ? await loadSessionUser(regulator.id) : null
	if (!user) return

	const templateId = randomUUID()
	await db.insert(examTemplates).values({
		id: templateId,
		ownerOrgId: null,
		title: '主要负责人和安全管理人员安全生产知识抽考',
		purpose: 'spot_check',
		jobTypes: [],
		timeLimitMinutes: 30,
		passMark: 80,
		attemptsAllowed: 1,
		rules: SPOT_CHECK_RULES,
		shuffleQuestions: true,
		shuffleOptions: true,
		partialCredit: false,
		showReview: true,
	})

	const county = await orgByCode(db, 'demo-county')
	const drawnAt = new Date(now.getTime() - 24 * HOUR)
	// Whole minutes, as the form would have them.
	const opensAt = parseChinaTime(toChinaInput(drawnAt))!
	const closesAt = parseChinaTime(toChinaInput(new Date(now.getTime() + 14 * 24 * HOUR)))!
	const created = await createSpotCheck(
		db,
		user,
		{
			title: `${toChinaInput(now).slice(0, 4)} 年企业主要负责人和安全管理人员随机抽考`,
			orgId: county.id,
			categories: ['principal', 'safety_manager'],
			industryCodes: [],
			jobTypes: [],
			employmentTypes: [],
			sampleSize: 6,
			samplePercent: null,
			minPerEnterprise: 0,
			templateId,
			opensAt,
			closesAt,
		},
		{ now: drawnAt },
	)
	if (!created.ok) throw new Error(`demo spot check: ${JSON.stringify(created.errors)}`)

	// Who takes it: drawn people outside 示范煤业, whose 上岗资格 states the clearance demo sets up
	// one by one (a failure here would open an order there).
	const coal = await orgByCode(db, 'demo-coal')
	const drawn = await db
		.select({ personId: spotCheckPopulation.personId, orgId: spotCheckPopulation.orgId })
		.from(spotCheckPopulation)
		.where(and(eq(spotCheckPopulation.spotCheckId, created.spotCheckId), eq(spotCheckPopulation.drawn, true)))
		.orderBy(asc(spotCheckPopulation.position))
	const outsideCoal = drawn.filter((d) => d.orgId !== coal.id).map((d) => d.personId)
	const outcomes: [number, boolean][] = [
		[20, true],
		[8, true],
		[3, false],
	]
	for (const [i, [hoursAgo, pass]] of outcomes.entries()) {
		const personId = outsideCoal[i]
		if (!personId) break
		await sitExam(db, created.examId, personId, new Date(now.getTime() - hoursAgo * HOUR), { pass, minutes: 15 })
	}
	return created.spotCheckId
}

/** The demo check (for tests and README): the newest one owned by the county. */
export async function demoSpotCheckId(db: Db) {
	const county = await orgByCode(db, 'demo-county')
	const [row] = await db.select({ id: spotChecks.id }).from(spotChecks).where(eq(spotChecks.ownerOrgId, county.id)).orderBy(asc(spotChecks.drawnAt)).limit(1)
	return row?.id ?? null
}
