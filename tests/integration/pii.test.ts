import { sql } from 'drizzle-orm'
import { afterEach, beforeAll, describe, expect, test, vi } from 'vitest'
import { signIn } from '#app/auth/sign-in.server.ts'
import { DEMO_PASSWORD, seedDemo } from '#app/demo/seed.server.ts'
import { decryptPii, idNumberLookupHash, phoneLookupHash } from '#app/people/pii.server.ts'
import { db, queryRows } from '#app/utils/db.server.ts'
import { logger } from '#app/utils/logger.server.ts'
import * as loginRoute from '#app/routes/login.tsx'
import * as personEditRoute from '#app/routes/people.$personId.edit.tsx'
import * as personPageRoute from '#app/routes/people.$personId._index.tsx'
import * as peopleList from '#app/routes/people._index.tsx'
import * as peopleNew from '#app/routes/people.new.tsx'
import { load, orgIdByCode, personByPhone, signedIn, submit } from '#tests/fixtures/requests.ts'
import { testIdNumber } from '#tests/fixtures/identity.ts'

// Phone numbers and 身份证号 are stored only as AES-GCM ciphertext plus keyed hashes: nothing in
// the database, the loaders' output for viewing, or the logs holds them in clear.

const ID_NUMBER = testIdNumber(8) // ends in X: stored upper-case, found from lower-case
const OTHER_ID_NUMBER = testIdNumber(9)
const PHONE = '13712345678'
// An 18-character 身份证号 standing on its own (not a run of digits inside a hex hash such as a
// session id, which would match by chance now and then).
const ID_PATTERN = /(?<![0-9A-Za-z])\d{17}[\dX](?![0-9A-Za-z])/i
// The phones of the demo county: 1390000xxxx (accounts) and 1380000xxxx (everyone else).
const DEMO_PHONE_PATTERN = /13[89]0000\d{4}/
let coalAdmin: { token: string; personId: string }
let created = ''

/** Every text-like value of every column of every table, with where it came from. */
async function dumpDatabase() {
	const columns = await queryRows<{ table_schema: string; table_name: string; column_name: string }>(sql`
		select c.table_schema, c.table_name, c.column_name
		from information_schema.columns c
		join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
		where c.table_schema not in ('pg_catalog', 'information_schema')
			and t.table_type = 'BASE TABLE'
			and (c.data_type in ('text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY', 'USER-DEFINED', 'bytea'))
		order by 1, 2, 3`)
	const values: { where: string; value: string }[] = []
	for (const c of columns) {
		const column = sql.identifier(c.column_name)
		const table = sql`${sql.identifier(c.table_schema)}.${sql.identifier(c.table_name)}`
		const rows = await queryRows<{ v: string | null }>(sql`select ${column}::text as v from ${table}`)
		for (const r of rows) if (r.v !== null) values.push({ where: `${c.table_schema}.${c.table_name}.${c.column_name}`, value: r.v })
	}
	return { columns, values }
}

beforeAll(async () => {
	await seedDemo(db)
	coalAdmin = await signedIn('13900000003')
	const result = await submit(
		peopleNew,
		'/people/new',
		{
			name: '王小明',
			phone: PHONE,
			idNumber: ID_NUMBER,
			orgId: await orgIdByCode('demo-coal'),
			category: 'general',
			employmentType: 'formal',
			position: '采煤工',
			hiredOn: '2025-06-01',
			jobTypes: ['coal_underground'],
			createAccount: '1',
		},
		coalAdmin,
	)
	expect(result.status).toBe(200)
	created = result.data.personId
})

describe('the database', () => {
	test('holds no 身份证号 and no phone number in clear in any text or JSON column', async () => {
		const { columns, values } = await dumpDatabase()
		const where = new Set(columns.map((c) => `${c.table_name}.${c.column_name}`))
		// The dump reaches the columns that hold personal data and the audit details.
		for (const column of ['people.phone_enc', 'people.phone_hash', 'people.id_number_enc', 'people.id_number_hash', 'people.name', 'audit_log.detail']) {
			expect(where.has(column), column).toBe(true)
		}
		expect(values.length).toBeGreaterThan(300)
		const leaks = values.filter(({ value }) => ID_PATTERN.test(value) || value.includes(PHONE) || DEMO_PHONE_PATTERN.test(value))
		expect(leaks).toEqual([])
		// Nor the ID number without its check letter, nor the phone written with spaces.
		expect(values.filter(({ value }) => value.includes(ID_NUMBER.slice(0, 17)) || value.includes('137 1234 5678'))).toEqual([])
	})

	test('whole rows cast to text hold none either', async () => {
		const tables = await queryRows<{ table_schema: string; table_name: string }>(sql`
			select table_schema, table_name from information_schema.tables
			where table_schema not in ('pg_catalog', 'information_schema') and table_type = 'BASE TABLE'`)
		expect(tables.map((t) => t.table_name)).toEqual(expect.arrayContaining(['people', 'audit_log', 'sessions', 'sign_in_throttle']))
		for (const t of tables) {
			const rows = await queryRows<{ v: string }>(
				sql`select r::text as v from ${sql.identifier(t.table_schema)}.${sql.identifier(t.table_name)} r`,
			)
			for (const { v } of rows) {
				expect(ID_PATTERN.test(v) || v.includes(PHONE) || DEMO_PHONE_PATTERN.test(v), `${t.table_name}: ${v.slice(0, 200)}`).toBe(false)
			}
		}
	})

	test('the ciphertext decrypts to the values typed in, and the look-up hashes find the person', async () => {
		const person = await personByPhone(PHONE)
		expect(person.id).toBe(created)
		expect(person.phoneEnc).not.toContain(PHONE)
		expect(decryptPii(person.phoneEnc)).toBe(PHONE)
		expect(decryptPii(person.idNumberEnc!)).toBe(ID_NUMBER)
		expect(person.phoneHash).toBe(phoneLookupHash('137 1234 5678'))
		expect(person.idNumberHash).toBe(idNumberLookupHash(ID_NUMBER.toLowerCase()))
		// Encryption is randomised: the same value never gives the same ciphertext twice.
		const [again] = await queryRows<{ n: number }>(sql`select count(distinct phone_enc)::int as n from people`)
		const [all] = await queryRows<{ n: number }>(sql`select count(*)::int as n from people`)
		expect(again!.n).toBe(all!.n)
	})

	test('tampered ciphertext is refused', async () => {
		const { phoneEnc } = await personByPhone(PHONE)
		const [version, iv, body, tag] = phoneEnc.split('.')
		const flipped = `${body![0] === 'A' ? 'B' : 'A'}${body!.slice(1)}`
		expect(() => decryptPii([version, iv, flipped, tag].join('.'))).toThrow()
		expect(() => decryptPii(PHONE)).toThrow()
	})
})

describe('pages', () => {
	test('the person page shows only masked values', async () => {
		const page = await load(personPageRoute, `/people/${created}`, coalAdmin, { personId: created })
		expect(page.status).toBe(200)
		expect(page.data.person.idNumberMasked).toBe('9900**********008X')
		expect(page.data.person.phoneMasked).toBe('137****5678')
		const json = JSON.stringify(page.data)
		expect(json).not.toContain(PHONE)
		expect(json).not.toMatch(ID_PATTERN)
	})

	test('the people list shows only masked phone numbers', async () => {
		const list = await load(peopleList, '/people', coalAdmin)
		expect(list.status).toBe(200)
		const json = JSON.stringify(list.data)
		expect(json).toContain('137****5678')
		expect(json).not.toContain(PHONE)
		expect(json).not.toMatch(DEMO_PHONE_PATTERN)
		expect(json).not.toMatch(ID_PATTERN)
	})

	test('the edit form, for its own administrator, shows the values in clear to correct them', async () => {
		const form = await load(personEditRoute, `/people/${created}/edit`, coalAdmin, { personId: created })
		expect(form.data.values.phone).toBe(PHONE)
		expect(form.data.values.idNumber).toBe(ID_NUMBER)
	})
})

describe('the logs', () => {
	let writes: string[] = []
	const levelBefore = logger.level

	afterEach(() => {
		vi.restoreAllMocks()
		logger.level = levelBefore
	})

	function captureStdout() {
		writes = []
		logger.level = 'info'
		vi.spyOn(process.stdout, 'write').mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
			writes.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'))
			const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined
			callback?.()
			return true
		}) as typeof process.stdout.write)
	}

	test('carry no phone number or 身份证号 through sign-in and person creation', async () => {
		captureStdout()
		expect((await signIn(PHONE, 'wrong-password-1', '198.51.100.40')).ok).toBe(false)
		expect((await signIn('13900000010', DEMO_PASSWORD, '198.51.100.40')).ok).toBe(true)
		const login = await submit(loginRoute, '/login', { phone: '13900000011', password: DEMO_PASSWORD })
		expect(login.status).toBe(302)
		const result = await submit(
			peopleNew,
			'/people/new',
			{
				name: '赵小燕',
				phone: '13612345670',
				idNumber: OTHER_ID_NUMBER,
				orgId: await orgIdByCode('demo-coal'),
				category: 'general',
				employmentType: 'flexible',
				jobTypes: [],
			},
			coalAdmin,
		)
		expect(result.status).toBe(200)
		// A refused creation echoes the typed values back to the form, but not to the logs.
		const refused = await submit(peopleNew, '/people/new', { name: '', phone: '13612345671', idNumber: OTHER_ID_NUMBER }, coalAdmin)
		expect(refused.status).toBe(400)
		logger.info({ event: 'test.marker' }, 'captured')

		const output = writes.join('')
		expect(output).toContain('test.marker')
		for (const secret of [PHONE, '13900000010', '13900000011', '13612345670', '13612345671', OTHER_ID_NUMBER, ID_NUMBER]) {
			expect(output).not.toContain(secret)
		}
		expect(output).not.toMatch(ID_PATTERN)
		expect(output).not.toContain(DEMO_PASSWORD)
	})

	test('redact phone, 身份证号 and password fields should anyone log them', () => {
		captureStdout()
		logger.info({ phone: PHONE, idNumber: ID_NUMBER, password: DEMO_PASSWORD }, 'top level')
		logger.warn({ person: { phone: PHONE, idNumber: ID_NUMBER, password: DEMO_PASSWORD } }, 'nested')
		const output = writes.join('')
		expect(output).toContain('top level')
		expect(output).toContain('nested')
		expect(output).toContain('[已隐藏]')
		expect(output).not.toContain(PHONE)
		expect(output).not.toContain(ID_NUMBER)
		expect(output).not.toContain(DEMO_PASSWORD)
	})
})
