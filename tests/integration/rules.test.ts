import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, test } from 'vitest'
import { courses, jobClearanceRules, rotationRules } from '#db/schema.ts'
import { syncShippedContent } from '#app/content/sync.server.ts'
import { seedDemo } from '#app/demo/seed.server.ts'
import { clearanceOfPerson } from '#app/records/clearance.server.ts'
import { db } from '#app/utils/db.server.ts'
import * as jobRuleRoute from '#app/routes/rules.$jobType.tsx'
import * as rulesRoute from '#app/routes/rules._index.tsx'
import { completeCourses, newWorker, preJobTemplateOf, submittedAttempt } from '#tests/fixtures/records.ts'
import { load, signedIn, submit } from '#tests/fixtures/requests.ts'

// 上岗规则 kept by the system administrator: what a job type requires, and 轮训 hours.

beforeAll(async () => {
	await syncShippedContent(db)
	await seedDemo(db)
})

describe('job type rules', () => {
	test('naming the courses of a job type replaces its default courses in everyone’s clearance', async () => {
		const id = await newWorker('demo-coal', ['coal_underground'])
		const before = (await clearanceOfPerson(id, '2026-11-23'))!.reasons.filter((r) => r.kind === 'course')
		expect(before.length).toBeGreaterThanOrEqual(2)
		const [pro] = await db.select().from(courses).where(eq(courses.code, 'coal-underground-pro'))
		const admin = await signedIn('13900000000')
		const saved = await submit(jobRuleRoute, '/rules/coal_underground', { courseMode: 'chosen', courseIds: [pro!.id], templateMode: 'default', passValidMonths: '6' }, admin, { jobType: 'coal_underground' })
		expect(saved.status).toBe(302)
		const reasons = (await clearanceOfPerson(id, '2026-11-23'))!.reasons.filter((r) => r.kind === 'course')
		expect(reasons.map((r) => r.courseId)).toEqual([pro!.id])

		// And the validity: a pass 7 months ago no longer counts under a 6-month rule.
		await completeCourses(id, [pro!.id], new Date('2026-01-01T08:00:00+08:00'))
		await submittedAttempt(id, await preJobTemplateOf('coal_underground'), new Date('2026-04-20T08:00:00+08:00'), true)
		expect((await clearanceOfPerson(id, '2026-10-19'))!.cleared).toBe(true)
		expect((await clearanceOfPerson(id, '2026-10-20'))!.reasons.map((r) => r.kind)).toEqual(['exam_expired'])
		await db.delete(jobClearanceRules)
		// Back on the default rule, the general course is required again.
		expect((await clearanceOfPerson(id, '2026-10-19'))!.reasons.filter((r) => r.kind === 'course').length).toBeGreaterThan(0)
	})

	test('choosing to name exams without naming any is refused next to the field, and nothing is saved', async () => {
		const admin = await signedIn('13900000000')
		const refused = await submit(jobRuleRoute, '/rules/coal_underground', { courseMode: 'default', templateMode: 'chosen', passValidMonths: '0' }, admin, { jobType: 'coal_underground' })
		expect(refused.status).toBe(400)
		expect(refused.data.errors).toMatchObject({ templateIds: '请至少选择一份试卷规则，或改用默认', passValidMonths: '至少 1 个月' })
		expect(await db.select().from(jobClearanceRules)).toEqual([])
	})

	test('only the system administrator keeps the rules', async () => {
		for (const phone of ['13900000001', '13900000003', '13900000010']) {
			const who = await signedIn(phone)
			expect((await load(rulesRoute, '/rules', who)).status).toBe(403)
			expect((await submit(jobRuleRoute, '/rules/coal_underground', { courseMode: 'default', templateMode: 'default', passValidMonths: '1' }, who, { jobType: 'coal_underground' })).status).toBe(403)
		}
		expect(await db.select().from(jobClearanceRules)).toEqual([])
	})
})

describe('rotation rules', () => {
	test('are added and removed by the system administrator', async () => {
		const admin = await signedIn('13900000000')
		const before = (await db.select().from(rotationRules)).length
		const added = await submit(rulesRoute, '/rules', { title: '建筑施工企业负责人年度轮训', categories: ['principal'], industryCodes: ['construction'], minHours: '16', periodMonths: '12' }, admin)
		expect(added.status).toBe(302)
		const [rule] = await db.select().from(rotationRules).where(eq(rotationRules.title, '建筑施工企业负责人年度轮训'))
		expect(rule).toMatchObject({ categories: ['principal'], industryCodes: ['construction'], minHours: 16 })
		const principal = await newWorker('demo-build', [], { category: 'principal' })
		expect((await clearanceOfPerson(principal, '2026-11-23'))!.reasons.map((r) => r.text)).toContain('建筑施工企业负责人年度轮训学时不足：0/16 学时')
		expect((await submit(rulesRoute, '/rules', { intent: 'remove', id: rule!.id }, admin)).status).toBe(302)
		expect((await db.select().from(rotationRules)).length).toBe(before)
	})

	test('a rule without categories or with an unknown industry is refused', async () => {
		const admin = await signedIn('13900000000')
		const refused = await submit(rulesRoute, '/rules', { title: '测试', industryCodes: ['moon_mining'], minHours: '8', periodMonths: '12' }, admin)
		expect(refused.status).toBe(400)
		expect(refused.data.errors.categories).toBe('请至少选择一类人员')
	})
})
