import { beforeAll, describe, expect, test } from 'vitest'
import { syncShippedContent } from '#app/content/sync.server.ts'
import { requiredCourses } from '#app/courses/learning.server.ts'
import { seedDemo } from '#app/demo/seed.server.ts'
import { db } from '#app/utils/db.server.ts'
import * as checkRoute from '#app/routes/check.$token.tsx'
import * as codeRoute from '#app/routes/me.code.tsx'
import * as entRoute from '#app/routes/ent._index.tsx'
import * as peopleRoute from '#app/routes/people._index.tsx'
import { completeCourses, newWorker, preJobTemplateOf, submittedAttempt } from '#tests/fixtures/records.ts'
import { load, signedIn } from '#tests/fixtures/requests.ts'

// 上岗资格 where managers and inspectors look for it: the enterprise home's counts and lists, the
// roster's status filter, and the worker's 一人一码 scanned at the gate.

let clearedId: string

beforeAll(async () => {
	await syncShippedContent(db)
	await seedDemo(db)
	clearedId = await newWorker('demo-coal', ['coal_underground'])
	await completeCourses(clearedId, (await requiredCourses(db, clearedId)).map((c) => c.id), new Date())
	await submittedAttempt(clearedId, await preJobTemplateOf('coal_underground'), new Date(), true)
})

describe('the enterprise home', () => {
	test('counts everyone once as cleared, expiring or not cleared, and lists the not cleared with reasons', async () => {
		const manager = await signedIn('13900000003')
		const { data } = await load(entRoute, '/ent', manager)
		const [coal] = data.enterprises
		const { counts, total, notCleared } = coal.clearance
		expect(counts.cleared + counts.expiring + counts.not_cleared).toBe(total)
		expect(counts.cleared).toBeGreaterThanOrEqual(1)
		expect(notCleared.length).toBe(Math.min(counts.not_cleared, 20))
		for (const p of notCleared) expect(p.reasons.length).toBeGreaterThan(0)
		expect(notCleared.some((p: { id: string }) => p.id === clearedId)).toBe(false)
	})
})

describe('the roster', () => {
	test('filters by clearance status, server-side, and shows each row’s status', async () => {
		const manager = await signedIn('13900000003')
		const cleared = await load(peopleRoute, '/people?status=cleared', manager)
		expect(cleared.data.rows.map((r: { id: string }) => r.id)).toContain(clearedId)
		for (const r of cleared.data.rows) expect(r.clearance.cleared).toBe(true)
		const notCleared = await load(peopleRoute, '/people?status=not_cleared', manager)
		expect(notCleared.data.total).toBeGreaterThan(0)
		for (const r of notCleared.data.rows) expect(r.clearance.cleared).toBe(false)
		const all = await load(peopleRoute, '/people', manager)
		const expiring = await load(peopleRoute, '/people?status=expiring', manager)
		expect(cleared.data.total + notCleared.data.total + expiring.data.total).toBe(all.data.total)
	})

	test('a regulator narrows to one enterprise of their township', async () => {
		const regulator = await signedIn('13900000001')
		const { data } = await load(peopleRoute, '/people', regulator)
		const coal = data.orgs.find((o: { name: string }) => o.name === '示范煤业有限公司')
		const only = await load(peopleRoute, `/people?orgId=${coal.id}`, regulator)
		expect(only.data.total).toBeGreaterThan(0)
		for (const r of only.data.rows) expect(r.orgName).toBe('示范煤业有限公司')
	})
})

describe('一人一码', () => {
	test('the code opens the person’s clearance for a manager in scope, and nothing for others', async () => {
		const worker = await signedIn('13900000010')
		const { data } = await load(codeRoute, '/me/code', worker)
		expect(data.svg).toContain('<svg')
		const token = new URL(data.url).pathname.split('/').pop()!
		const manager = await signedIn('13900000003')
		const seen = await load(checkRoute, `/check/${token}`, manager, { token })
		expect(seen.data).toMatchObject({ ok: true, person: { id: worker.personId, name: '李大山' } })
		expect(seen.data.clearance.reasons.length).toBeGreaterThan(0)
		expect(JSON.stringify(seen.data)).not.toMatch(/\d{17}[\dX]/)

		// Another worker sees nothing; the regulator of the worker's township (东山乡) sees it.
		const other = await signedIn('13900000011')
		expect((await load(checkRoute, `/check/${token}`, other, { token })).status).toBe(404)
		const dongshanRegulator = await signedIn('13900000002')
		expect((await load(checkRoute, `/check/${token}`, dongshanRegulator, { token })).data.ok).toBe(true)
	})

	test('a tampered code is refused', async () => {
		const worker = await signedIn('13900000010')
		const { data } = await load(codeRoute, '/me/code', worker)
		const token = new URL(data.url).pathname.split('/').pop()!
		const tampered = token.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'))
		const manager = await signedIn('13900000003')
		expect((await load(checkRoute, `/check/${tampered}`, manager, { token: tampered })).data).toEqual({ ok: false, problem: 'invalid' })
	})
})
