import { randomUUID } from 'node:crypto'
import { and, asc, count, eq, inArray } from 'drizzle-orm'
import ExcelJS from 'exceljs'
import iconv from 'iconv-lite'
import { beforeAll, describe, expect, test } from 'vitest'
import { auditLog, importUploads, people, personJobTypes, trainingPlanMembers, trainingPlans } from '#db/schema.ts'
import { requireUser } from '#app/auth/auth.server.ts'
import { verifyPassword } from '#app/auth/password.server.ts'
import type { SessionUser } from '#app/auth/scope.ts'
import { syncShippedContent } from '#app/content/sync.server.ts'
import { seedDemo } from '#app/demo/seed.server.ts'
import { createPerson, personDetail } from '#app/people/people.server.ts'
import { commitRoster, previewRoster, readRosterUpload } from '#app/people/roster-import.server.ts'
import { EXAMPLE_ROW, ROSTER_HEADERS } from '#app/people/roster-import.ts'
import { db } from '#app/utils/db.server.ts'
import { UPLOAD_GONE, XLSX_TYPE } from '#app/utils/spreadsheet.server.ts'
import * as importRoute from '#app/routes/people.import.tsx'
import * as templateRoute from '#app/routes/people.import-template.ts'
import { testIdNumber } from '#tests/fixtures/identity.ts'
import { context, cookieFor, get, ORIGIN, orgByCode, personByPhone, post, rowCounts, run, signedIn } from '#tests/fixtures/requests.ts'

// Roster import end to end on the real database: real .xlsx files (exceljs) and CSV bytes (UTF-8
// and GBK), the page's upload → check → confirm flow, one transaction for the whole file, new
// accounts with one-time passwords, updates matched by phone or 身份证号, and scope.

let manager: { token: string; personId: string } // 示范煤业 enterprise_admin
let managerUser: SessionUser
let admin: { token: string; personId: string }
let coalId: string
let chemId: string

beforeAll(async () => {
	// The demo's clearance data draws exam papers from the shipped questions.
	await syncShippedContent(db)
	await seedDemo(db)
	manager = await signedIn('13900000003')
	managerUser = await requireUser(get('/people/import', manager.token))
	admin = await signedIn('13900000000')
	coalId = (await orgByCode('demo-coal')).id
	chemId = (await orgByCode('demo-chem')).id
})

// ---- helpers -----------------------------------------------------------------------------------

type Header = (typeof ROSTER_HEADERS)[number]
type Cells = Partial<Record<Header, string>>
const HEADER = [...ROSTER_HEADERS]
const cellsOf = (c: Cells) => HEADER.map((h) => c[h] ?? '')

/** A person of the file; `n` makes phone and 身份证号 unique (phones 1370000xxxx: not in the demo data). */
function person(n: number, more: Cells = {}): Cells {
	return {
		姓名: `王志${'刚强伟明华'[n % 5]}`,
		手机号: `1370000${String(n).padStart(4, '0')}`,
		身份证号: testIdNumber(n),
		人员类别: '一般从业人员',
		用工形式: '劳务派遣',
		工种: '有限空间作业人员、焊接与热切割作业',
		入职日期: '2025-03-01',
		岗位: '检修工',
		...more,
	}
}

async function xlsx(rows: Cells[], fill?: (sheet: ExcelJS.Worksheet) => void) {
	const workbook = new ExcelJS.Workbook()
	const sheet = workbook.addWorksheet('人员名册')
	sheet.addRow(HEADER)
	for (const r of rows) sheet.addRow(cellsOf(r))
	fill?.(sheet)
	return new Uint8Array(await workbook.xlsx.writeBuffer())
}

const csvText = (rows: Cells[]) => [HEADER, ...rows.map(cellsOf)].map((r) => r.join(',')).join('\r\n') + '\r\n'

/** A multipart POST to the import page, as a browser sends it. */
function upload(bytes: Uint8Array, name: string, token: string, fields: Record<string, string> = {}, type = XLSX_TYPE) {
	const body = new FormData()
	body.append('intent', 'check')
	for (const [k, v] of Object.entries(fields)) body.append(k, v)
	body.append('file', new File([new Uint8Array(bytes)], name, { type }))
	return new Request(new URL('/people/import', ORIGIN), { method: 'POST', headers: { Cookie: cookieFor(token), Origin: ORIGIN }, body })
}

const callAction = (request: Request) => run(() => importRoute.action({ request, params: {}, context }))

const jobTypesOf = async (personId: string) =>
	(await db.select({ code: personJobTypes.jobTypeCode }).from(personJobTypes).where(eq(personJobTypes.personId, personId)).orderBy(asc(personJobTypes.jobTypeCode))).map(
		(r) => r.code,
	)

const importAudits = async () => (await db.select({ n: count() }).from(auditLog).where(eq(auditLog.action, 'people.import')))[0]!.n

// ---- the page: upload → check → confirm ------------------------------------------------------------

describe('the import page', () => {
	test('a clean .xlsx is checked, then imported in one go: accounts with one-time passwords that must be changed', async () => {
		const rows = [person(1), person(2, { 人员类别: '特种作业人员', 用工形式: '正式', 工种: '电工作业（低压电工）' }), person(3, { 所属单位: '示范煤业有限公司', 入职日期: '' })]
		const before = await rowCounts()
		const audits = await importAudits()

		const checked = await callAction(upload(await xlsx(rows), '名册.xlsx', manager.token))
		expect(checked.status).toBe(200)
		expect(checked.data).toMatchObject({ stage: 'checked', fileName: '名册.xlsx', summary: { rows: 3, created: 3, updated: 0 } })
		// Checking writes nobody.
		expect(await rowCounts()).toEqual(before)

		const done = await callAction(post('/people/import', { intent: 'commit', uploadId: checked.data.uploadId, orgId: coalId }, manager.token))
		expect(done.status).toBe(200)
		expect(done.headers.get('Cache-Control')).toBe('no-store')
		expect(done.data.stage).toBe('done')
		expect(done.data.summary).toEqual({ rows: 3, created: 3, updated: 0 })
		expect(done.data.passwords.map((p: { row: number; phoneMasked: string }) => [p.row, p.phoneMasked])).toEqual([
			[2, '137****0001'],
			[3, '137****0002'],
			[4, '137****0003'],
		])
		expect(done.data.passwordsFile).toMatch(/^data:application\/vnd\.openxmlformats-officedocument\.spreadsheetml\.sheet;base64,/)

		const after = await rowCounts()
		expect(after.people).toBe(before.people + 3)
		expect(after.personJobTypes).toBe(before.personJobTypes + 2 + 1 + 2)
		expect(after.auditLog).toBe(before.auditLog + 1)
		expect(await importAudits()).toBe(audits + 1)

		for (const [i, p] of done.data.passwords.entries()) {
			const stored = await personByPhone(rows[i]!.手机号!)
			expect(stored.orgId).toBe(coalId)
			expect(stored.mustChangePassword).toBe(true)
			expect(stored.passwordHash).not.toContain(p.password)
			expect(await verifyPassword(stored.passwordHash, p.password)).toBe(true)
		}
		const second = await personByPhone('13700000002')
		const detail = await personDetail(db, second.id, { reveal: true })
		expect(detail).toMatchObject({ name: rows[1]!.姓名, idNumber: testIdNumber(2), category: 'special_operator', employmentType: 'formal', position: '检修工', hiredOn: '2025-03-01' })
		expect(await jobTypesOf(second.id)).toEqual(['electrician'])
		expect((await personByPhone('13700000003')).hiredOn).toBeNull()

		// The password sheet holds what the page showed.
		const workbook = new ExcelJS.Workbook()
		await workbook.xlsx.load(Buffer.from(done.data.passwordsFile.split(',')[1], 'base64') as unknown as ArrayBuffer)
		const sheetRows = workbook.worksheets[0]!.getSheetValues().filter(Boolean) as unknown[][]
		expect(sheetRows[1]!.slice(1, 5)).toEqual([2, rows[0]!.姓名, '137****0001', done.data.passwords[0].password])

		// The stashed upload is gone: a second confirmation imports nothing.
		const again = await callAction(post('/people/import', { intent: 'commit', uploadId: checked.data.uploadId, orgId: coalId }, manager.token))
		expect(again.status).toBe(409)
		expect(again.data).toMatchObject({ stage: 'error', message: UPLOAD_GONE })
		expect((await rowCounts()).people).toBe(after.people)
	})

	test('a file with one bad row lists the problem and writes nothing, even when confirmed', async () => {
		const rows = [person(11), person(12, { 身份证号: `${testIdNumber(12).slice(0, 17)}${testIdNumber(12).endsWith('0') ? '1' : '0'}` }), person(13)]
		const before = await rowCounts()
		const checked = await callAction(upload(await xlsx(rows), 'bad.xlsx', manager.token))
		expect(checked.status).toBe(422)
		expect(checked.data).toMatchObject({ stage: 'problems', errorCount: 1 })
		expect(checked.data.errors).toEqual([{ row: 3, column: '身份证号', message: '身份证号不正确：应为 18 位，且出生日期和校验位有效' }])
		expect(await db.select().from(importUploads)).toEqual([])

		const result = await commitRoster(managerUser, await xlsx(rows), { defaultOrgId: coalId })
		expect(result.ok).toBe(false)
		expect(await rowCounts()).toEqual(before)
		await expect(personByPhone('13700000011')).rejects.toThrow()
	})

	test('file problems: not a spreadsheet, no file, the template’s example row', async () => {
		const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d])
		const notSheet = await callAction(upload(png, 'photo.png', manager.token, {}, 'image/png'))
		expect(notSheet.status).toBe(400)
		expect(notSheet.data.message).toBe('文件不是 Excel（.xlsx）或 CSV 表格，请用人员导入模板填写后再上传')

		const body = new FormData()
		body.append('intent', 'check')
		body.append('file', new File([], '', { type: 'application/octet-stream' }))
		const none = await callAction(new Request(new URL('/people/import', ORIGIN), { method: 'POST', headers: { Cookie: cookieFor(manager.token), Origin: ORIGIN }, body }))
		expect(none.data).toMatchObject({ stage: 'error', message: '请选择要导入的文件' })

		const example = await callAction(upload(await xlsx([{ ...EXAMPLE_ROW }, person(21)]), 'x.xlsx', manager.token))
		expect(example.status).toBe(422)
		expect(example.data.errors).toEqual([{ row: 2, column: '姓名', message: '这是模板中的示例行，请删除后再导入' }])
	})

	test('only system and enterprise administrators may import, and only into organisations they manage', async () => {
		const worker = await signedIn('13900000010')
		const regulator = await signedIn('13900000001')
		for (const who of [worker, regulator]) {
			const page = await run(() => importRoute.loader({ request: get('/people/import', who.token), params: {}, context }))
			expect(page.status).toBe(403)
			const sent = await callAction(upload(await xlsx([person(31)]), 'r.xlsx', who.token))
			expect(sent.status).toBe(403)
		}
		const intoChem = await callAction(upload(await xlsx([person(31)]), 'r.xlsx', manager.token, { orgId: chemId }))
		expect(intoChem.status).toBe(403)
		expect(intoChem.data.message).toBe('只能导入到您管理的单位')
		const viaColumn = await callAction(upload(await xlsx([person(31, { 所属单位: '示范化工有限公司' })]), 'r.xlsx', manager.token))
		expect(viaColumn.data.errors).toEqual([{ row: 2, column: '所属单位', message: '所属单位“示范化工有限公司”不是您管理的单位' }])
		await expect(personByPhone('13700000031')).rejects.toThrow()

		// The manager's page offers only their own enterprise.
		const page = await run(() => importRoute.loader({ request: get('/people/import', manager.token), params: {}, context }))
		expect(page.data.orgs.map((o: { id: string }) => o.id)).toEqual([coalId])
		expect(page.data.orgId).toBe(coalId)
	})
})

// ---- updates and scope -----------------------------------------------------------------------------

describe('updating people already registered', () => {
	test('matched by phone or by 身份证号: fields replaced, blank optional cells kept, no new account', async () => {
		const created = await commitRoster(managerUser, await xlsx([person(41), person(42)]), { defaultOrgId: coalId })
		expect(created.ok).toBe(true)
		const byPhone = await personByPhone('13700000041')
		const byId = await personByPhone('13700000042')
		const hashBefore = byId.passwordHash
		const before = await rowCounts()

		const result = await commitRoster(
			managerUser,
			await xlsx([
				// Same phone, new name, category, job types; 入职日期 and 岗位 left blank: kept.
				person(41, { 姓名: '王建华', 人员类别: '安全管理人员', 用工形式: '正式', 工种: '电工作业（低压电工）', 入职日期: '', 岗位: '' }),
				// Same 身份证号, a new phone number.
				person(42, { 手机号: '13700000142', 入职日期: '2026/2/3', 岗位: '班长', 工种: '' }),
			]),
			{ defaultOrgId: coalId },
		)
		expect(result).toMatchObject({ ok: true, summary: { created: 0, updated: 2 }, passwords: [] })
		const after = await rowCounts()
		expect(after.people).toBe(before.people)
		expect(after.auditLog).toBe(before.auditLog + 1)

		const first = await personDetail(db, byPhone.id, { reveal: true })
		expect(first).toMatchObject({ name: '王建华', category: 'safety_manager', employmentType: 'formal', hiredOn: '2025-03-01', position: '检修工', phone: '13700000041' })
		expect(await jobTypesOf(byPhone.id)).toEqual(['electrician'])

		const second = await personDetail(db, byId.id, { reveal: true })
		expect(second).toMatchObject({ phone: '13700000142', idNumber: testIdNumber(42), hiredOn: '2026-02-03', position: '班长', employmentType: 'dispatched' })
		expect(await jobTypesOf(byId.id)).toEqual([])
		// The new phone signs in; the old one is free; the password is untouched.
		expect((await personByPhone('13700000142')).id).toBe(byId.id)
		await expect(personByPhone('13700000042')).rejects.toThrow()
		expect((await personByPhone('13700000142')).passwordHash).toBe(hashBefore)
	})

	test('a row whose phone is one person’s and 身份证号 another’s is refused', async () => {
		await commitRoster(managerUser, await xlsx([person(51), person(52)]), { defaultOrgId: coalId })
		const before = await rowCounts()
		const result = await previewRoster(managerUser, await xlsx([person(51, { 身份证号: testIdNumber(52) })]), { defaultOrgId: coalId })
		expect(result).toMatchObject({ ok: false, errors: [{ row: 2, column: '身份证号' }] })
		expect(await rowCounts()).toEqual(before)
	})

	test('a manager of 示范煤业 cannot update a person of 示范化工: phone and 身份证号 are “taken”, nothing written', async () => {
		const zhou = await personByPhone('13900000011')
		const [chemPerson] = await db.transaction(async (tx) => [
			await createPerson(tx, { orgId: chemId, name: '孙德胜', phone: '13700000061', idNumber: testIdNumber(61), category: 'general', employmentType: 'formal' }),
		])
		const snapshot = JSON.stringify(await db.select().from(people).where(inArray(people.id, [zhou.id, chemPerson!])).orderBy(people.id))
		const before = await rowCounts()

		const checked = await callAction(
			upload(await xlsx([person(60, { 手机号: '13900000011', 姓名: '周小龙' }), person(62, { 身份证号: testIdNumber(61) }), person(63)]), 'scope.xlsx', manager.token),
		)
		expect(checked.status).toBe(422)
		expect(checked.data.errors).toEqual([
			{ row: 2, column: '手机号', message: '该手机号已被其他单位的人员使用，不能导入' },
			{ row: 3, column: '身份证号', message: '该身份证号已在其他单位登记，不能导入' },
		])
		// “Taken” says nothing of who holds it.
		expect(JSON.stringify(checked.data)).not.toMatch(/示范化工|孙德胜|13700000061/)
		const result = await commitRoster(managerUser, await xlsx([person(60, { 手机号: '13900000011' })]), { defaultOrgId: coalId })
		expect(result.ok).toBe(false)
		expect(await rowCounts()).toEqual(before)
		expect(JSON.stringify(await db.select().from(people).where(inArray(people.id, [zhou.id, chemPerson!])).orderBy(people.id))).toBe(snapshot)
	})

	test('a system administrator may update anyone, and move people with 所属单位', async () => {
		const adminUser = await requireUser(get('/people/import', admin.token))
		const zhou = await personByPhone('13900000011')
		const result = await commitRoster(adminUser, await xlsx([person(70, { 手机号: '13900000011', 姓名: '周小龙', 身份证号: testIdNumber(70), 工种: '危险化学品装卸作业人员', 所属单位: '示范化工有限公司' })]), {})
		expect(result).toMatchObject({ ok: true, summary: { updated: 1, created: 0 } })
		const after = await personByPhone('13900000011')
		expect(after.id).toBe(zhou.id)
		expect(after.orgId).toBe(chemId)
		expect(await jobTypesOf(zhou.id)).toEqual(['hazchem_loading'])
	})
})

describe('training plans', () => {
	test('people added or updated by the import join the matching plans of their enterprise, in the same transaction', async () => {
		const planId = randomUUID()
		await db.insert(trainingPlans).values({ id: planId, orgId: coalId, title: '高处作业专项培训', dueOn: '2099-12-31', jobTypes: ['height_work'] })
		await commitRoster(managerUser, await xlsx([person(95, { 工种: '焊接与热切割作业' })]), { defaultOrgId: coalId })
		const result = await commitRoster(
			managerUser,
			await xlsx([person(95, { 工种: '高处作业（登高架设）' }), person(96, { 工种: '高处作业（登高架设）' }), person(97, { 工种: '焊接与热切割作业' })]),
			{ defaultOrgId: coalId },
		)
		expect(result).toMatchObject({ ok: true, summary: { created: 2, updated: 1 } })
		const members = await db.select({ personId: trainingPlanMembers.personId }).from(trainingPlanMembers).where(eq(trainingPlanMembers.planId, planId))
		const expected = [(await personByPhone('13700000095')).id, (await personByPhone('13700000096')).id]
		expect(members.map((m) => m.personId).sort()).toEqual(expected.sort())
	})
})

// ---- file formats ----------------------------------------------------------------------------------

describe('file formats', () => {
	test('CSV in GBK, as Chinese Excel saves it', async () => {
		const bytes = new Uint8Array(iconv.encode(csvText([person(81), person(82, { 人员类别: '主要负责人', 工种: '', 岗位: '矿长' })]), 'gbk'))
		expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow()
		const checked = await callAction(upload(bytes, '名册.csv', manager.token, {}, 'text/csv'))
		expect(checked.data).toMatchObject({ stage: 'checked', summary: { created: 2, updated: 0 } })
		const done = await callAction(post('/people/import', { intent: 'commit', uploadId: checked.data.uploadId, orgId: coalId }, manager.token))
		expect(done.data.stage).toBe('done')
		const principal = await personDetail(db, (await personByPhone('13700000082')).id)
		expect(principal).toMatchObject({ category: 'principal', position: '矿长', orgId: coalId, jobTypes: [] })
	})

	test('CSV in UTF-8 with and without BOM', async () => {
		for (const [bom, n] of [['\uFEFF', 83], ['', 84]] as const) {
			const result = await previewRoster(managerUser, new TextEncoder().encode(bom + csvText([person(n)])), { defaultOrgId: coalId })
			expect(result, `bom ${JSON.stringify(bom)}`).toMatchObject({ ok: true, summary: { created: 1 } })
		}
	})

	test('.xlsx with a title row, Excel date cells and numbers for phones', async () => {
		const workbook = new ExcelJS.Workbook()
		const sheet = workbook.addWorksheet('Sheet1')
		sheet.addRow(['示范煤业 2026 年人员花名册'])
		sheet.mergeCells('A1:F1')
		sheet.addRow(['序号', '姓名', '手机号码', '身份证号码', '人员类别', '用工形式', '工种', '入职时间'])
		sheet.addRow([1, '王志刚', 13700000091, testIdNumber(91), '特种作业人员', '外包', 'welding', new Date(Date.UTC(2024, 0, 15))])
		sheet.addRow([2, '李春生', 13700000092, testIdNumber(92), '一般从业人员', '灵活用工', '有限空间作业人员', 45292])
		const bytes = new Uint8Array(await workbook.xlsx.writeBuffer())
		const { format } = await readRosterUpload(bytes)
		expect(format).toBe('xlsx')
		const result = await previewRoster(managerUser, bytes, { defaultOrgId: coalId })
		expect(result).toMatchObject({ ok: true, summary: { created: 2 } })
		if (!('plan' in result)) throw new Error('no plan')
		expect(result.plan.creates.map((e) => [e.row, e.phone, e.hiredOn, e.employmentType, e.jobTypes])).toEqual([
			[3, '13700000091', '2024-01-15', 'outsourced', ['welding']],
			[4, '13700000092', '2024-01-01', 'flexible', ['confined_space']],
		])
	})

	test('the template downloads, its header is read back, and its example row is refused', async () => {
		const response = (await templateRoute.loader({ request: get('/people/import-template', manager.token), params: {}, context })) as Response
		expect(response.headers.get('Content-Type')).toBe(XLSX_TYPE)
		expect(response.headers.get('Content-Disposition')).toContain('roster-template.xlsx')
		const bytes = new Uint8Array(await response.arrayBuffer())
		const { rows } = await readRosterUpload(bytes)
		expect(rows[0]).toEqual(HEADER)
		expect(rows[1]!.slice(0, 3)).toEqual([EXAMPLE_ROW.姓名, EXAMPLE_ROW.手机号, EXAMPLE_ROW.身份证号])
		expect(rows[1]![8]).toBe('示范煤业有限公司')
		const result = await previewRoster(managerUser, bytes, { defaultOrgId: coalId })
		expect(result).toMatchObject({ ok: false, errors: [{ row: 2, message: '这是模板中的示例行，请删除后再导入' }] })

		const worker = await signedIn('13900000010')
		const refused = await run(() => templateRoute.loader({ request: get('/people/import-template', worker.token), params: {}, context }))
		expect(refused.status).toBe(403)
	})
})

describe('size', () => {
	test('300 new people are written in a few statements, with one audit entry', async () => {
		const rows = Array.from({ length: 300 }, (_, i) => person(500 + i))
		const before = await rowCounts()
		const result = await commitRoster(managerUser, await xlsx(rows), { defaultOrgId: coalId })
		expect(result).toMatchObject({ ok: true, summary: { created: 300 } })
		const after = await rowCounts()
		expect(after.people - before.people).toBe(300)
		expect(after.personJobTypes - before.personJobTypes).toBe(600)
		expect(after.auditLog - before.auditLog).toBe(1)
		const ids = (await db.select({ id: people.id }).from(people).where(and(eq(people.orgId, coalId), eq(people.mustChangePassword, true)))).length
		expect(ids).toBeGreaterThanOrEqual(300)
	})
})
