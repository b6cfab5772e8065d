import { randomUUID } from 'node:crypto'
import { and, count, eq } from 'drizzle-orm'
import { beforeAll, describe, expect, test } from 'vitest'
import { auditLog, organizations, people } from '#db/schema.ts'
import { seedDemo } from '#app/demo/seed.server.ts'
import { phoneLookupHash } from '#app/people/pii.server.ts'
import { db } from '#app/utils/db.server.ts'
import * as adminHome from '#app/routes/admin._index.tsx'
import * as auditPage from '#app/routes/audit.tsx'
import * as editorHome from '#app/routes/editor._index.tsx'
import * as entHome from '#app/routes/ent._index.tsx'
import * as govHome from '#app/routes/gov._index.tsx'
import * as meHome from '#app/routes/me._index.tsx'
import * as orgPageRoute from '#app/routes/orgs.$orgId.tsx'
import * as orgsList from '#app/routes/orgs._index.tsx'
import * as passwordPage from '#app/routes/password.tsx'
import * as personPageRoute from '#app/routes/people.$personId._index.tsx'
import * as personEditRoute from '#app/routes/people.$personId.edit.tsx'
import * as personPasswordRoute from '#app/routes/people.$personId.password.tsx'
import * as peopleList from '#app/routes/people._index.tsx'
import * as peopleNew from '#app/routes/people.new.tsx'
import {
	expectSignInRedirect,
	load,
	orgIdByCode,
	orgIdsUnder,
	peopleIdsOfOrg,
	peopleSnapshot,
	rowCounts,
	signedIn,
	submit,
	type Outcome,
} from '#tests/fixtures/requests.ts'

// Who may read and change which people and organisations, role by role, through the real
// loaders and actions. Refusals are 404 for records outside the caller's scope (their ids reveal
// nothing) and 403 for pages or changes the caller's role does not allow.

type Token = { token: string; personId: string }
const as: Record<string, Token> = {}
let coalPeople: string[] = []
let chemPeople: string[] = []
let allPeople: string[] = []
let allOrgs: string[] = []
let coalOrg = ''
let chemOrg = ''
let xiheOrg = ''
let dongshanOrg = ''
let coalWorker = ''
let coalAdmin = ''

beforeAll(async () => {
	await seedDemo(db)
	const accounts = {
		sysAdmin: '13900000000',
		countyRegulator: '13900000001',
		dongshanRegulator: '13900000002',
		coalAdmin: '13900000003',
		editor: '13900000004',
		coalWorker: '13900000010',
		chemWorker: '13900000011',
	}
	for (const [key, phone] of Object.entries(accounts)) as[key] = await signedIn(phone)
	coalPeople = await peopleIdsOfOrg('demo-coal')
	chemPeople = await peopleIdsOfOrg('demo-chem')
	allPeople = (await db.select({ id: people.id }).from(people)).map((r) => r.id)
	allOrgs = (await db.select({ id: organizations.id }).from(organizations)).map((r) => r.id)
	coalOrg = await orgIdByCode('demo-coal')
	chemOrg = await orgIdByCode('demo-chem')
	xiheOrg = await orgIdByCode('xihe')
	dongshanOrg = await orgIdByCode('dongshan')
	coalWorker = as.coalWorker!.personId
	coalAdmin = as.coalAdmin!.personId
})

// ---- calls -----------------------------------------------------------------------------------

const personPage = (id: string, who?: Token) => load(personPageRoute, `/people/${id}`, who, { personId: id })
const editPage = (id: string, who?: Token) => load(personEditRoute, `/people/${id}/edit`, who, { personId: id })
const editPost = (id: string, body: Record<string, string | string[]>, who?: Token) =>
	submit(personEditRoute, `/people/${id}/edit`, body, who, { personId: id })
const resetPost = (id: string, who?: Token) => submit(personPasswordRoute, `/people/${id}/password`, {}, who, { personId: id })
const orgPage = (id: string, who?: Token) => load(orgPageRoute, `/orgs/${id}`, who, { orgId: id })

const LISTS = {
	'/people': peopleList,
	'/orgs': orgsList,
	'/admin': adminHome,
	'/gov': govHome,
	'/ent': entHome,
	'/editor': editorHome,
	'/audit': auditPage,
} as const
type ListPath = keyof typeof LISTS

async function expectLists(who: Token, expected: Record<ListPath, number>) {
	for (const [path, status] of Object.entries(expected) as [ListPath, number][]) {
		const outcome = await load(LISTS[path], path, who)
		expect(outcome.status, `${path}`).toBe(status)
	}
}

/** A body the edit form would accept, aimed at moving a person into `orgId`. */
const hostileEdit = (orgId: string) => ({
	name: '篡改者',
	phone: '13799990000',
	idNumber: '',
	orgId,
	category: 'general',
	employmentType: 'formal',
	position: '',
	hiredOn: '',
})

function expectStatus(outcome: Outcome, status: number, what: string) {
	expect(outcome.status, what).toBe(status)
	if (status >= 300) expect(outcome.thrown, `${what} is thrown`).toBe(true)
}

async function auditCount() {
	return (await db.select({ n: count() }).from(auditLog))[0]!.n
}

async function sessionStillValid(who: Token) {
	return (await load(meHome, '/me', who)).status === 200
}

// ---- enterprise admin of 示范煤业 --------------------------------------------------------------

describe('enterprise admin of 示范煤业', () => {
	test('gets 404 for every person of 示范化工 by URL and by form post, and nothing is written', async () => {
		const who = as.coalAdmin!
		const before = { counts: await rowCounts(), people: await peopleSnapshot() }
		expect(chemPeople.length).toBeGreaterThan(5)
		for (const id of chemPeople) {
			expectStatus(await personPage(id, who), 404, `view ${id}`)
			expectStatus(await editPage(id, who), 404, `edit form ${id}`)
			expectStatus(await editPost(id, hostileEdit(chemOrg), who), 404, `edit post ${id}`)
			expectStatus(await editPost(id, hostileEdit(coalOrg), who), 404, `edit post (move) ${id}`)
			expectStatus(await resetPost(id, who), 404, `password reset ${id}`)
		}
		expect(await rowCounts()).toEqual(before.counts)
		expect(await peopleSnapshot()).toBe(before.people)
		// The dispatched worker of 示范化工 was not signed out by a reset.
		expect(await sessionStillValid(as.chemWorker!)).toBe(true)
	})

	test('gets 404 for 示范化工, its township and the county', async () => {
		const who = as.coalAdmin!
		for (const id of [chemOrg, xiheOrg, dongshanOrg, await orgIdByCode('demo-county')]) {
			expectStatus(await orgPage(id, who), 404, `org ${id}`)
		}
		expectStatus(await orgPage(coalOrg, who), 200, 'own enterprise')
	})

	test('lists only 示范煤业 people and organisations, whatever the query asks for', async () => {
		const who = as.coalAdmin!
		const list = await load(peopleList, '/people', who)
		expect(list.status).toBe(200)
		expect(list.data.total).toBe(coalPeople.length)
		expect(new Set(list.data.rows.map((r: { id: string }) => r.id))).toEqual(new Set(coalPeople))
		for (const row of list.data.rows) expect(row.orgName).toBe('示范煤业有限公司')

		const askingForChem = await load(peopleList, `/people?orgId=${chemOrg}`, who)
		expect(askingForChem.data.total).toBe(0)
		const searchingChem = await load(peopleList, `/people?q=${encodeURIComponent('示范化工')}`, who)
		expect(searchingChem.data.total).toBe(0)

		const orgs = await load(orgsList, '/orgs', who)
		expect(orgs.data.rows.map((r: { id: string }) => r.id)).toEqual([coalOrg])
	})

	test('has the enterprise workbench only', async () => {
		await expectLists(as.coalAdmin!, {
			'/people': 200,
			'/orgs': 200,
			'/ent': 200,
			'/admin': 403,
			'/gov': 403,
			'/editor': 403,
			'/audit': 403,
		})
	})

	test('edits its own worker: the change is saved with one audit entry', async () => {
		const who = as.coalAdmin!
		const form = await editPage(coalWorker, who)
		expect(form.status).toBe(200)
		expect(form.data.values.phone).toBe('13900000010')
		const auditBefore = await auditCount()
		const saved = await editPost(coalWorker, { ...form.data.values, position: '综采队班长' }, who)
		expectStatus(saved, 302, 'edit post')
		expect(saved.headers.get('Location')).toBe(`/people/${coalWorker}`)
		const [row] = await db.select().from(people).where(eq(people.id, coalWorker))
		expect(row!.position).toBe('综采队班长')
		expect(row!.phoneHash).toBe(phoneLookupHash('13900000010'))
		expect(row!.orgId).toBe(coalOrg)
		expect(await auditCount()).toBe(auditBefore + 1)
		const [entry] = await db
			.select()
			.from(auditLog)
			.where(and(eq(auditLog.action, 'person.update'), eq(auditLog.targetId, coalWorker)))
		expect(entry!.actorId).toBe(coalAdmin)
	})

	test('cannot move its own worker into 示范化工 (400, nothing written)', async () => {
		const who = as.coalAdmin!
		const form = await editPage(coalWorker, who)
		const before = { counts: await rowCounts(), people: await peopleSnapshot() }
		const moved = await editPost(coalWorker, { ...form.data.values, orgId: chemOrg }, who)
		expect(moved.status).toBe(400)
		expect(moved.data.errors.orgId).toMatch(/单位/)
		expect(await rowCounts()).toEqual(before.counts)
		expect(await peopleSnapshot()).toBe(before.people)
	})
})

// ---- regulator of 东山乡 -----------------------------------------------------------------------

describe('regulator of 东山乡', () => {
	test('reads 示范煤业 people and its township, gets 404 for 示范化工 and 西河镇', async () => {
		const who = as.dongshanRegulator!
		for (const id of coalPeople) expectStatus(await personPage(id, who), 200, `coal person ${id}`)
		for (const id of chemPeople) expectStatus(await personPage(id, who), 404, `chem person ${id}`)
		for (const id of [coalOrg, dongshanOrg]) expectStatus(await orgPage(id, who), 200, `org ${id}`)
		for (const id of [chemOrg, xiheOrg, await orgIdByCode('demo-county')]) expectStatus(await orgPage(id, who), 404, `org ${id}`)
	})

	test('lists the people of 东山乡 only', async () => {
		const who = as.dongshanRegulator!
		const inDongshan = new Set(await orgIdsUnder('dongshan'))
		const expected = (await db.select({ id: people.id, orgId: people.orgId }).from(people)).filter((p) => inDongshan.has(p.orgId))
		const list = await load(peopleList, '/people', who)
		expect(list.status).toBe(200)
		expect(list.data.total).toBe(expected.length)
		const ids = new Set(list.data.rows.map((r: { id: string }) => r.id))
		expect(ids).toEqual(new Set(expected.map((p) => p.id)))
		for (const id of coalPeople) expect(ids.has(id)).toBe(true)
		for (const id of chemPeople) expect(ids.has(id)).toBe(false)
		const orgs = await load(orgsList, '/orgs', who)
		expect(new Set(orgs.data.rows.map((r: { id: string }) => r.id))).toEqual(inDongshan)
	})

	test('cannot edit or reset passwords even in its township (403), and nothing is written', async () => {
		const who = as.dongshanRegulator!
		const before = { counts: await rowCounts(), people: await peopleSnapshot() }
		for (const id of [coalWorker, coalAdmin, coalPeople[0]!]) {
			expectStatus(await editPage(id, who), 403, `edit form ${id}`)
			expectStatus(await editPost(id, hostileEdit(coalOrg), who), 403, `edit post ${id}`)
			expectStatus(await resetPost(id, who), 403, `password reset ${id}`)
		}
		for (const id of chemPeople) {
			expectStatus(await editPost(id, hostileEdit(chemOrg), who), 404, `edit post ${id}`)
			expectStatus(await resetPost(id, who), 404, `password reset ${id}`)
		}
		expect(await rowCounts()).toEqual(before.counts)
		expect(await peopleSnapshot()).toBe(before.people)
		expect(await sessionStillValid(as.coalWorker!)).toBe(true)
	})

	test('cannot create people', async () => {
		const who = as.dongshanRegulator!
		const before = await rowCounts()
		expectStatus(await load(peopleNew, '/people/new', who), 403, 'new person form')
		expectStatus(await submit(peopleNew, '/people/new', hostileEdit(coalOrg), who), 403, 'new person post')
		expect(await rowCounts()).toEqual(before)
	})

	test('has the regulator workbench only', async () => {
		await expectLists(as.dongshanRegulator!, {
			'/people': 200,
			'/orgs': 200,
			'/gov': 200,
			'/admin': 403,
			'/ent': 403,
			'/editor': 403,
			'/audit': 403,
		})
	})
})

// ---- county regulator and system admin ---------------------------------------------------------

describe('county regulator', () => {
	test('reads both enterprises, lists the whole county, edits nothing', async () => {
		const who = as.countyRegulator!
		for (const id of [...coalPeople, ...chemPeople]) expectStatus(await personPage(id, who), 200, `person ${id}`)
		for (const id of [coalOrg, chemOrg, xiheOrg, dongshanOrg]) expectStatus(await orgPage(id, who), 200, `org ${id}`)
		const list = await load(peopleList, '/people', who)
		expect(list.data.total).toBe(allPeople.length)
		const chemList = await load(peopleList, `/people?orgId=${chemOrg}`, who)
		expect(new Set(chemList.data.rows.map((r: { id: string }) => r.id))).toEqual(new Set(chemPeople))
		const before = { counts: await rowCounts(), people: await peopleSnapshot() }
		expectStatus(await editPost(coalWorker, hostileEdit(coalOrg), who), 403, 'edit coal worker')
		expectStatus(await resetPost(chemPeople[0]!, who), 403, 'reset chem person')
		expect(await rowCounts()).toEqual(before.counts)
		expect(await peopleSnapshot()).toBe(before.people)
	})
})

describe('system admin', () => {
	test('reads every person and organisation', async () => {
		const who = as.sysAdmin!
		for (const id of allPeople) expectStatus(await personPage(id, who), 200, `person ${id}`)
		for (const id of allOrgs) expectStatus(await orgPage(id, who), 200, `org ${id}`)
		expectStatus(await editPage(chemPeople[0]!, who), 200, 'edit form of a 示范化工 person')
		const list = await load(peopleList, '/people', who)
		expect(list.data.total).toBe(allPeople.length)
		const orgs = await load(orgsList, '/orgs', who)
		expect(orgs.data.rows).toHaveLength(allOrgs.length)
		await expectLists(who, { '/people': 200, '/orgs': 200, '/admin': 200, '/audit': 200 } as Record<ListPath, number>)
	})
})

// ---- workers and the content editor ------------------------------------------------------------

describe('worker', () => {
	test('gets 404 for every other person and organisation', async () => {
		const who = as.coalWorker!
		for (const id of allPeople.filter((id) => id !== coalWorker)) expectStatus(await personPage(id, who), 404, `person ${id}`)
		for (const id of [coalOrg, chemOrg, dongshanOrg]) expectStatus(await orgPage(id, who), 404, `org ${id}`)
		const before = { counts: await rowCounts(), people: await peopleSnapshot() }
		expectStatus(await editPost(coalAdmin, hostileEdit(coalOrg), who), 404, 'edit another person')
		expectStatus(await resetPost(coalAdmin, who), 404, 'reset another person')
		expectStatus(await editPost(coalWorker, hostileEdit(coalOrg), who), 403, 'edit own record')
		expectStatus(await resetPost(coalWorker, who), 403, 'reset own password')
		expect(await rowCounts()).toEqual(before.counts)
		expect(await peopleSnapshot()).toBe(before.people)
	})

	test('gets 403 for every list and workbench', async () => {
		const all403 = Object.fromEntries(Object.keys(LISTS).map((p) => [p, 403])) as Record<ListPath, number>
		await expectLists(as.coalWorker!, all403)
		await expectLists(as.chemWorker!, all403)
		expectStatus(await load(peopleNew, '/people/new', as.coalWorker!), 403, 'new person form')
	})

	test('reads their own record on /me', async () => {
		for (const [who, phone, name] of [
			[as.coalWorker!, '139****0010', '李大山'],
			[as.chemWorker!, '139****0011', '周小龙'],
		] as const) {
			const me = await load(meHome, '/me', who)
			expect(me.status).toBe(200)
			expect(me.data.person.id).toBe(who.personId)
			expect(me.data.person.name).toBe(name)
			expect(me.data.person.phoneMasked).toBe(phone)
		}
	})
})

describe('content editor', () => {
	test('gets 403 on people and organisation lists and 404 on person and organisation pages', async () => {
		const who = as.editor!
		await expectLists(who, {
			'/editor': 200,
			'/people': 403,
			'/orgs': 403,
			'/admin': 403,
			'/gov': 403,
			'/ent': 403,
			'/audit': 403,
		})
		const colleague = (await peopleIdsOfOrg('county-emergency-bureau')).find((id) => id !== who.personId)!
		for (const id of [coalWorker, chemPeople[0]!, colleague]) {
			expectStatus(await personPage(id, who), 404, `person ${id}`)
			expectStatus(await editPage(id, who), 404, `edit form ${id}`)
		}
		for (const id of [coalOrg, await orgIdByCode('county-emergency-bureau')]) expectStatus(await orgPage(id, who), 404, `org ${id}`)
	})
})

// ---- anonymous and malformed requests ----------------------------------------------------------

describe('anonymous requests', () => {
	test('redirect to /login with the page they asked for', async () => {
		for (const [path, route] of Object.entries(LISTS)) expectSignInRedirect(await load(route, path), path)
		expectSignInRedirect(await load(peopleList, `/people?orgId=${coalOrg}&page=2`), `/people?orgId=${coalOrg}&page=2`)
		expectSignInRedirect(await load(meHome, '/me'), '/me')
		expectSignInRedirect(await load(passwordPage, '/password'), '/password')
		expectSignInRedirect(await personPage(coalWorker), `/people/${coalWorker}`)
		expectSignInRedirect(await editPage(coalWorker), `/people/${coalWorker}/edit`)
		expectSignInRedirect(await orgPage(coalOrg), `/orgs/${coalOrg}`)
		expectSignInRedirect(await load(peopleNew, '/people/new'), '/people/new')
	})

	test('posts redirect to /login and write nothing', async () => {
		const before = { counts: await rowCounts(), people: await peopleSnapshot() }
		expectSignInRedirect(await editPost(coalWorker, hostileEdit(coalOrg)), `/people/${coalWorker}/edit`)
		expectSignInRedirect(await resetPost(coalWorker), `/people/${coalWorker}/password`)
		expectSignInRedirect(await submit(peopleNew, '/people/new', hostileEdit(coalOrg)), '/people/new')
		expectSignInRedirect(
			await submit(passwordPage, '/password', { currentPassword: 'x', newPassword: 'Abcdefg123', confirmPassword: 'Abcdefg123' }),
			'/password',
		)
		expect(await rowCounts()).toEqual(before.counts)
		expect(await peopleSnapshot()).toBe(before.people)
	})

	test('an unknown or garbage session cookie counts as anonymous', async () => {
		expectSignInRedirect(await load(peopleList, '/people', { token: 'not-a-real-token' }), '/people')
		expectSignInRedirect(await load(meHome, '/me', { token: '' }), '/me')
	})
})

describe('malformed ids', () => {
	const GARBAGE = [
		'not-a-uuid',
		'1',
		"' or 1=1 --",
		'..%2F..%2Fetc',
		'------------------------------------',
		'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz',
		'0123456789abcdef0123456789abcdef0123',
		`${randomUUID()}x`,
	]

	test('give 404, not a server error, on every route that takes an id', async () => {
		const who = as.sysAdmin!
		const before = { counts: await rowCounts(), people: await peopleSnapshot() }
		for (const id of [...GARBAGE, randomUUID()]) {
			expectStatus(await personPage(id, who), 404, `view ${id}`)
			expectStatus(await editPage(id, who), 404, `edit form ${id}`)
			expectStatus(await editPost(id, hostileEdit(coalOrg), who), 404, `edit post ${id}`)
			expectStatus(await resetPost(id, who), 404, `password reset ${id}`)
			expectStatus(await orgPage(id, who), 404, `org ${id}`)
		}
		expect(await rowCounts()).toEqual(before.counts)
		expect(await peopleSnapshot()).toBe(before.people)
	})

	test('in list filters are ignored rather than failing', async () => {
		const list = await load(peopleList, '/people?orgId=not-a-uuid&page=-3&sort=evil&category=x', as.sysAdmin!)
		expect(list.status).toBe(200)
		expect(list.data.total).toBe(allPeople.length)
	})
})
