import { count, eq } from 'drizzle-orm'
import { beforeAll, describe, expect, test } from 'vitest'
import { auditLog, people, personJobTypes, signInThrottle } from '#db/schema.ts'
import { DEMO_PASSWORD, seedDemo } from '#app/demo/seed.server.ts'
import { db } from '#app/utils/db.server.ts'
import * as loginRoute from '#app/routes/login.tsx'
import * as passwordPage from '#app/routes/password.tsx'
import * as peopleNew from '#app/routes/people.new.tsx'
import { testIdNumber, withWrongCheckDigit } from '#tests/fixtures/identity.ts'
import {
	formData,
	orgIdByCode,
	peopleSnapshot,
	personByPhone,
	rowCounts,
	signedIn,
	submit,
	type FormBody,
} from '#tests/fixtures/requests.ts'

// A form with any problem answers 400 with a Chinese message on the field at fault and writes
// nothing; a good one writes exactly one person and one audit entry.

const CHINESE = /[\u4e00-\u9fff]/
let coalAdmin: { token: string; personId: string }
let coalOrg = ''
let chemOrg = ''

beforeAll(async () => {
	await seedDemo(db)
	coalAdmin = await signedIn('13900000003')
	coalOrg = await orgIdByCode('demo-coal')
	chemOrg = await orgIdByCode('demo-chem')
})

const validPerson = () => ({
	name: '张三丰',
	phone: '13712340001',
	idNumber: '',
	orgId: coalOrg,
	category: 'special_operator',
	employmentType: 'formal',
	position: '井下电钳工',
	hiredOn: '2025-01-15',
	jobTypes: ['coal_electrician', 'coal_underground'],
})

async function everything() {
	return { counts: await rowCounts(), people: await peopleSnapshot() }
}

async function expectRefused(body: FormBody, field: string, message?: RegExp) {
	const before = await everything()
	const result = await submit(peopleNew, '/people/new', body, coalAdmin)
	expect(result.status, field).toBe(400)
	expect(result.thrown).toBe(false)
	expect(result.data.ok).toBe(false)
	expect(Object.keys(result.data.errors), field).toContain(field)
	expect(result.data.errors[field]).toMatch(CHINESE)
	if (message) expect(result.data.errors[field]).toMatch(message)
	expect(await everything()).toEqual(before)
	return result
}

describe('新增人员 with bad input', () => {
	test('a missing name', async () => {
		const result = await expectRefused({ ...validPerson(), name: '' }, 'name', /姓名/)
		// What was typed comes back so the page keeps it.
		expect(result.data.values.phone).toBe('13712340001')
		expect(result.data.values.jobTypes).toEqual(['coal_electrician', 'coal_underground'])
	})

	test('a name with digits or markup', async () => {
		await expectRefused({ ...validPerson(), name: '<b>张三</b>' }, 'name')
	})

	test('a bad phone number', async () => {
		await expectRefused({ ...validPerson(), phone: '1234567' }, 'phone', /手机号/)
		await expectRefused({ ...validPerson(), phone: '' }, 'phone', /手机号/)
	})

	test('a 身份证号 with a wrong check digit', async () => {
		await expectRefused({ ...validPerson(), idNumber: withWrongCheckDigit(testIdNumber(8)) }, 'idNumber', /身份证号/)
	})

	test('the phone of someone already registered', async () => {
		await expectRefused({ ...validPerson(), phone: '13900000010' }, 'phone', /已被/)
		// Even someone of another enterprise: phone numbers are unique platform-wide.
		await expectRefused({ ...validPerson(), phone: '139 0000 0011' }, 'phone', /已被/)
	})

	test('an unknown job type', async () => {
		await expectRefused({ ...validPerson(), jobTypes: ['coal_underground', 'no_such_job'] }, 'jobTypes', /no_such_job/)
	})

	test('an organisation outside the admin’s enterprise', async () => {
		await expectRefused({ ...validPerson(), orgId: chemOrg }, 'orgId', /单位/)
		await expectRefused({ ...validPerson(), orgId: await orgIdByCode('dongshan') }, 'orgId', /单位/)
		await expectRefused({ ...validPerson(), orgId: 'not-a-uuid' }, 'orgId', /单位/)
	})

	test('an unknown category or employment type, and a bad date', async () => {
		await expectRefused({ ...validPerson(), category: 'boss' }, 'category', /类别/)
		await expectRefused({ ...validPerson(), employmentType: '' }, 'employmentType', /用工/)
		await expectRefused({ ...validPerson(), hiredOn: '2025-13-45' }, 'hiredOn', /日期/)
	})

	test('sent as multipart form data too', async () => {
		await expectRefused(formData({ ...validPerson(), name: '' }), 'name', /姓名/)
	})
})

describe('新增人员 with good input', () => {
	test('creates exactly one person and one audit entry', async () => {
		const before = await rowCounts()
		const result = await submit(peopleNew, '/people/new', { ...validPerson(), idNumber: testIdNumber(8), createAccount: '1' }, coalAdmin)
		expect(result.status).toBe(200)
		expect(result.data.ok).toBe(true)
		expect(result.data.name).toBe('张三丰')
		expect(result.data.initialPassword).toMatch(/^[A-Za-z2-9]{10}$/)
		const after = await rowCounts()
		expect(after).toEqual({ ...before, people: before.people + 1, auditLog: before.auditLog + 1, personJobTypes: before.personJobTypes + 2 })

		const created = await personByPhone('13712340001')
		expect(created.id).toBe(result.data.personId)
		expect(created.orgId).toBe(coalOrg)
		expect(created.mustChangePassword).toBe(true)
		const jobs = await db.select().from(personJobTypes).where(eq(personJobTypes.personId, created.id))
		expect(jobs.map((j) => j.jobTypeCode).sort()).toEqual(['coal_electrician', 'coal_underground'])
		const entries = await db.select().from(auditLog).where(eq(auditLog.targetId, created.id))
		expect(entries).toHaveLength(1)
		expect(entries[0]).toMatchObject({ action: 'person.create', actorId: coalAdmin.personId, targetType: 'person', orgId: coalOrg })
	})

	test('then the same 身份证号 cannot be registered twice', async () => {
		await expectRefused({ ...validPerson(), phone: '13712340002', idNumber: testIdNumber(8).toLowerCase() }, 'idNumber', /已登记/)
	})

	test('without an account, no password is set', async () => {
		const before = await rowCounts()
		const result = await submit(peopleNew, '/people/new', { ...validPerson(), phone: '13712340003', jobTypes: [] }, coalAdmin)
		expect(result.status).toBe(200)
		expect(result.data.initialPassword).toBeNull()
		expect((await rowCounts()).people).toBe(before.people + 1)
		expect((await personByPhone('13712340003')).passwordHash).toBeNull()
	})
})

describe('the login form', () => {
	test('answers empty input with field errors and counts no failure', async () => {
		const [throttleBefore] = await db.select({ n: count() }).from(signInThrottle)
		for (const body of [{}, { phone: '', password: '' }]) {
			const result = await submit(loginRoute, '/login', body)
			expect(result.status).toBe(400)
			expect(result.data.errors.phone).toBe('请填写手机号')
			expect(result.data.errors.password).toBe('请填写密码')
			expect(result.headers.get('Set-Cookie')).toBeNull()
		}
		const badPhone = await submit(loginRoute, '/login', { phone: '12', password: 'x' })
		expect(badPhone.status).toBe(400)
		expect(badPhone.data.errors.phone).toMatch(/11 位手机号/)
		const [throttleAfter] = await db.select({ n: count() }).from(signInThrottle)
		expect(throttleAfter!.n).toBe(throttleBefore!.n)
	})

	test('a wrong password is a form error that does not say which part was wrong', async () => {
		const result = await submit(loginRoute, '/login', { phone: '13900000010', password: 'not-it-1' })
		expect(result.status).toBe(400)
		expect(result.data.errors).toEqual({ form: '手机号或密码不正确' })
		expect(result.data.values).not.toHaveProperty('password')
		const unknown = await submit(loginRoute, '/login', { phone: '13612345678', password: 'not-it-1' })
		expect(unknown.data.errors).toEqual({ form: '手机号或密码不正确' })
	})
})

describe('the password form', () => {
	let worker: { token: string; personId: string }
	beforeAll(async () => {
		worker = await signedIn('13900000010')
	})

	async function expectPasswordRefused(body: Record<string, string>, field: string, message?: RegExp) {
		const [before] = await db.select().from(people).where(eq(people.id, worker.personId))
		const counts = await rowCounts()
		const result = await submit(passwordPage, '/password', body, worker)
		expect(result.status, field).toBe(400)
		expect(result.data.errors[field], field).toMatch(CHINESE)
		if (message) expect(result.data.errors[field]).toMatch(message)
		expect(JSON.stringify(result.data.values ?? {})).not.toMatch(/password/i)
		const [after] = await db.select().from(people).where(eq(people.id, worker.personId))
		expect(after!.passwordHash).toBe(before!.passwordHash)
		expect(await rowCounts()).toEqual(counts)
	}

	test('answers empty input with an error on every field', async () => {
		const result = await submit(passwordPage, '/password', {}, worker)
		expect(result.status).toBe(400)
		expect(result.data.errors).toEqual({
			currentPassword: '请填写当前密码',
			newPassword: '请填写新密码',
			confirmPassword: '请再次填写新密码',
		})
		await expectPasswordRefused({ currentPassword: '', newPassword: '', confirmPassword: '' }, 'currentPassword')
	})

	test('refuses mismatched, wrong, unchanged and weak passwords', async () => {
		await expectPasswordRefused({ currentPassword: DEMO_PASSWORD, newPassword: 'Xinmima2026', confirmPassword: 'Xinmima2027' }, 'confirmPassword', /不一致/)
		await expectPasswordRefused({ currentPassword: 'Wrong2026', newPassword: 'Xinmima2026', confirmPassword: 'Xinmima2026' }, 'currentPassword', /不正确/)
		await expectPasswordRefused({ currentPassword: DEMO_PASSWORD, newPassword: DEMO_PASSWORD, confirmPassword: DEMO_PASSWORD }, 'newPassword', /相同/)
		await expectPasswordRefused({ currentPassword: DEMO_PASSWORD, newPassword: 'short1', confirmPassword: 'short1' }, 'newPassword', /8 位/)
		await expectPasswordRefused({ currentPassword: DEMO_PASSWORD, newPassword: 'onlyletters', confirmPassword: 'onlyletters' }, 'newPassword', /字母和数字/)
	})

	test('refuses a new password containing the person’s own phone number', async () => {
		const withPhone = 'ab13900000010'
		await expectPasswordRefused({ currentPassword: DEMO_PASSWORD, newPassword: withPhone, confirmPassword: withPhone }, 'newPassword', /手机号/)
	})
})
