import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { and, desc, eq } from 'drizzle-orm'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { auditLog, organizations, people } from '#db/schema.ts'
import { loadSessionUser } from '#app/auth/auth.server.ts'
import { dataScopeOf } from '#app/auth/scope.ts'
import { certificatesOfPerson } from '#app/certificates/certificates.server.ts'
import { syncShippedContent } from '#app/content/sync.server.ts'
import { seedDemo } from '#app/demo/seed.server.ts'
import { maskIdNumber, maskPhone } from '#app/people/identity.ts'
import { createPerson, listPeople } from '#app/people/people.server.ts'
import { decryptPii } from '#app/people/pii.server.ts'
import { CLEARANCE_STATUS_NAMES, statusOf } from '#app/records/clearance.ts'
import { clearanceOfPeople } from '#app/records/clearance.server.ts'
import { insertOfflineTraining } from '#app/records/offline.server.ts'
import { violationsOf } from '#app/records/orders.server.ts'
import { trainingRecordsOf } from '#app/records/register.server.ts'
import { db } from '#app/utils/db.server.ts'
import * as pdfRoute from '#app/routes/people.$personId.file[.]pdf.ts'
import * as xlsxRoute from '#app/routes/people.$personId.file[.]xlsx.ts'
import * as rosterRoute from '#app/routes/people.export[.]xlsx.ts'
import { testIdNumber } from '#tests/fixtures/identity.ts'
import { context, get, orgByCode, signedIn } from '#tests/fixtures/requests.ts'
import { chinaDay } from '#app/utils/days.ts'

// 一人一档 (one person's whole file) as a PDF and a workbook, and the roster with 上岗资格 as a
// workbook: what they hold (read back with pdftotext and exceljs), that identity is masked in
// every page and cell, who may download them, and that each download is audited.

const COAL_ADMIN = '13900000003' // 赵立新, enterprise_admin of 示范煤业
const COUNTY_REGULATOR = '13900000001'
const WORKER = '13900000010' // 李大山, 示范煤业

type Auth = Awaited<ReturnType<typeof signedIn>>
let admin: Auth
let regulator: Auth
let worker: Auth
let coalPath: string
// Demo people of 示范煤业 (app/demo/clearance-demo.server.ts).
let digger: typeof people.$inferSelect // 掘进工: courses, a passed exam and its certificate, a 班前会, a 三违 with its order
let gasInspector: typeof people.$inferSelect // 瓦斯检查工: a 特种作业操作证 on record
let dir: string

type Download = { status: number; headers: Headers; body: Buffer }
type Route = { loader: (args: any) => unknown }

/** Runs a download route's loader; a thrown Response (404, 403) is the answer too. */
async function download(route: Route, url: string, auth: Auth | null, params: Record<string, string> = {}): Promise<Download> {
	let response: Response
	try {
		response = (await route.loader({ request: get(url, auth?.token), params, context })) as Response
	} catch (error) {
		if (!(error instanceof Response)) throw error
		response = error
	}
	return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) }
}

const personFile = (route: Route, personId: string, extension: 'pdf' | 'xlsx', auth: Auth | null) => download(route, `/people/${personId}/file.${extension}`, auth, { personId })

function saved(body: Buffer, name: string) {
	const file = path.join(dir, name)
	fs.writeFileSync(file, body)
	return file
}

/** The text in reading layout (-layout), or in drawing order with all white space gone, so a wrapped table cell reads as one string. */
function pdfText(file: string, { page }: { page?: number } = {}) {
	const pages = page ? ['-f', String(page), '-l', String(page)] : []
	return execFileSync('pdftotext', ['-layout', ...pages, file, '-'], { encoding: 'utf8' })
}
const pdfFlatText = (file: string) => execFileSync('pdftotext', ['-raw', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '')
const pageCount = (file: string) => Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1])

async function workbookOf(body: Buffer) {
	const workbook = new ExcelJS.Workbook()
	await workbook.xlsx.load(body as unknown as ArrayBuffer)
	return workbook
}

/** Every sheet's rows as arrays of cell text (index 0 = column A). */
function sheetRows(sheet: ExcelJS.Worksheet) {
	const rows: string[][] = []
	sheet.eachRow((row) => {
		const cells: string[] = []
		row.eachCell({ includeEmpty: true }, (cell, col) => {
			cells[col - 1] = cell.text
		})
		rows.push(Array.from(cells, (c) => c ?? ''))
	})
	return rows
}

const allCells = (workbook: ExcelJS.Workbook) => workbook.worksheets.flatMap((s) => sheetRows(s).flat())

const clearIdentity = (person: typeof people.$inferSelect) => ({ phone: decryptPii(person.phoneEnc), idNumber: person.idNumberEnc ? decryptPii(person.idNumberEnc) : null })

beforeAll(async () => {
	await syncShippedContent(db)
	await seedDemo(db)
	admin = await signedIn(COAL_ADMIN)
	regulator = await signedIn(COUNTY_REGULATOR)
	worker = await signedIn(WORKER)
	const coal = await orgByCode('demo-coal')
	coalPath = coal.path
	const staff = await db.select().from(people).where(eq(people.orgId, coal.id))
	digger = staff.find((p) => p.position === '掘进工')!
	gasInspector = staff.find((p) => p.position === '瓦斯检查工')!
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'person-file-test-'))
})

afterAll(() => {
	fs.rmSync(dir, { recursive: true, force: true })
})

describe('一人一档 as a PDF', () => {
	test('holds the identity masked, every training record and exam, the certificate, the 三违 and the order, in an embedded subset font', async () => {
		const records = await trainingRecordsOf(db, digger.id)
		const certificates = await certificatesOfPerson(db, digger.id)
		const violations = await violationsOf(db, digger.id)
		// The demo gives the 掘进工 one of everything; without it this test would prove little.
		expect(new Set(records.map((r) => r.type))).toEqual(new Set(['course', 'exam', 'offline']))
		expect(certificates.length).toBeGreaterThan(0)
		expect(violations.length).toBeGreaterThan(0)

		const result = await personFile(pdfRoute, digger.id, 'pdf', admin)
		expect(result.status).toBe(200)
		expect(result.headers.get('Content-Type')).toBe('application/pdf')
		expect(result.headers.get('Cache-Control')).toContain('no-store')
		const disposition = result.headers.get('Content-Disposition')!
		expect(disposition).toMatch(/^attachment; filename="person-file-\d{8}\.pdf"; filename\*=UTF-8''/)
		expect(decodeURIComponent(disposition.split("UTF-8''")[1]!)).toBe(`一人一档-${digger.name}-${chinaDay(new Date()).replaceAll('-', '')}.pdf`)
		expect(result.body.subarray(0, 5).toString()).toBe('%PDF-')

		const file = saved(result.body, 'digger.pdf')
		const text = pdfText(file)
		const flat = pdfFlatText(file)
		const { phone, idNumber } = clearIdentity(digger)
		expect(text).toContain('一人一档')
		expect(text).toContain('安全生产培训考试与宣教平台')
		expect(text).toContain(digger.name)
		expect(text).toContain('赵立新') // who generated it
		expect(text).toContain(maskIdNumber(idNumber!))
		expect(text).toContain(maskPhone(phone))
		expect(flat).not.toContain(idNumber)
		expect(flat).not.toContain(phone)
		expect(text).toContain(CLEARANCE_STATUS_NAMES.not_cleared)
		expect(flat).toContain('因三违（违章作业）于')
		for (const r of records) {
			const title = r.type === 'course' ? r.title : r.type === 'exam' ? r.title : r.topic
			expect(flat, `${r.type} record ${title}`).toContain(title.replace(/\s+/g, ''))
		}
		for (const c of certificates) expect(flat).toContain(c.serial)
		for (const v of violations) {
			expect(flat).toContain(v.description.replace(/\s+/g, ''))
			expect(flat).toContain(v.place.replace(/\s+/g, ''))
		}
		expect(flat).toContain('未完成') // the order still stands
		// pdftotext drops the spaces around the numbers.
		const pages = pageCount(file)
		expect(flat).toContain(`第1页共${pages}页`)
		expect(flat).toContain(`第${pages}页共${pages}页`)

		const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean)
		expect(fonts.length).toBeGreaterThan(0)
		for (const line of fonts) {
			// name, type, encoding, emb, sub, uni, object, id
			expect(line).toMatch(/^[A-Z]{6}\+NotoSansSC/)
			expect(line).toMatch(/\byes\s+yes\s+yes\b/)
		}
	})

	test('shows a 特种作业操作证 number masked, never in clear', async () => {
		const result = await personFile(pdfRoute, gasInspector.id, 'pdf', admin)
		expect(result.status).toBe(200)
		const flat = pdfFlatText(saved(result.body, 'gas.pdf'))
		const { idNumber } = clearIdentity(gasInspector)
		expect(flat).toContain(`T${maskIdNumber(idNumber!)}`)
		expect(flat).not.toContain(idNumber)
	})

	test('runs over several pages, repeating the table header on each page the table continues on', async () => {
		const coal = await orgByCode('demo-coal')
		const personId = await createPerson(db, { orgId: coal.id, name: '档案多页', phone: '13755550001', idNumber: testIdNumber(51), category: 'general', employmentType: 'formal', position: '掘进工', jobTypes: ['coal_underground'] })
		const topics = Array.from({ length: 45 }, (_, i) => `第 ${i + 1} 次班前会：顶板管理、敲帮问顶与通风瓦斯检查的要点（第 ${i + 1} 讲）`)
		for (const [i, topic] of topics.entries()) {
			await insertOfflineTraining(db, { orgId: coal.id, kind: 'pre_shift', topic, heldOn: `2026-0${1 + (i % 9)}-1${i % 10}`, hours: 0.5, trainer: '综采队队长', personIds: [personId], recordedBy: admin.personId })
		}
		const result = await personFile(pdfRoute, personId, 'pdf', admin)
		const file = saved(result.body, 'long.pdf')
		const pages = pageCount(file)
		expect(pages).toBeGreaterThanOrEqual(3)
		const flat = pdfFlatText(file)
		for (const topic of topics) expect(flat.split(topic.replace(/\s+/g, '')).length - 1, topic).toBe(1)
		// The training table starts on page 1 and runs on: every page it fills has its header row.
		const pagesWithRows = Array.from({ length: pages }, (_, i) => i + 1).filter((p) => /第\s*\d+\s*次班前会/.test(pdfText(file, { page: p })))
		expect(pagesWithRows.length).toBeGreaterThanOrEqual(2)
		for (const p of pagesWithRows) {
			const text = pdfText(file, { page: p })
			expect(text, `page ${p}`).toContain('安排/记录人')
			expect(text.replace(/\s+/g, ''), `page ${p}`).toContain(`第${p}页共${pages}页`)
		}
	})
})

describe('一人一档 as a workbook', () => {
	test('has the five sheets with one row per record, and no clear phone or 身份证号 in any cell', async () => {
		const records = await trainingRecordsOf(db, digger.id)
		const certificates = await certificatesOfPerson(db, digger.id)
		const violations = await violationsOf(db, digger.id)
		const result = await personFile(xlsxRoute, digger.id, 'xlsx', admin)
		expect(result.status).toBe(200)
		expect(result.headers.get('Content-Type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
		expect(result.headers.get('Cache-Control')).toContain('no-store')
		expect(decodeURIComponent(result.headers.get('Content-Disposition')!.split("UTF-8''")[1]!)).toMatch(new RegExp(`^一人一档-${digger.name}-\\d{8}\\.xlsx$`))

		const workbook = await workbookOf(result.body)
		expect(workbook.worksheets.map((s) => s.name)).toEqual(['基本信息', '培训记录', '考试记录', '证书', '三违与脱产培训'])
		const { phone, idNumber } = clearIdentity(digger)

		const facts = Object.fromEntries(sheetRows(workbook.getWorksheet('基本信息')!).map((r) => [r[0], r[1]]))
		expect(facts['姓名']).toBe(digger.name)
		expect(facts['身份证号']).toBe(maskIdNumber(idNumber!))
		expect(facts['手机号']).toBe(maskPhone(phone))
		expect(facts[`上岗资格（${chinaDay(new Date())}）`]).toBe(CLEARANCE_STATUS_NAMES.not_cleared)
		expect(facts['原因']).toContain('因三违（违章作业）于')
		expect(facts['生成人']).toBe('赵立新')

		const training = sheetRows(workbook.getWorksheet('培训记录')!)
		const header = training[0]!
		expect(header).toEqual(['日期', '类别', '内容', '学时', '结果', '安排/记录人'])
		const trainingRows = training.slice(1).filter((r) => /^\d{4}-\d{2}-\d{2}$/.test(r[0]!))
		expect(trainingRows).toHaveLength(records.filter((r) => r.type !== 'exam').length)
		for (const r of records) {
			if (r.type === 'course') expect(trainingRows.some((row) => row[2]!.includes(r.title))).toBe(true)
			if (r.type === 'offline') expect(trainingRows.some((row) => row[2]!.includes(r.topic))).toBe(true)
		}
		const trainingSheet = workbook.getWorksheet('培训记录')!
		expect(trainingSheet.getRow(1).font?.bold).toBe(true)
		expect(trainingSheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 })
		expect(trainingSheet.autoFilter).toBeTruthy()

		const exams = sheetRows(workbook.getWorksheet('考试记录')!).slice(1).filter((r) => /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/.test(r[0]!))
		const examRecords = records.filter((r) => r.type === 'exam')
		expect(exams).toHaveLength(examRecords.length)
		for (const r of examRecords) expect(exams.some((row) => row[1] === r.title && row[3] === `${r.score}/${r.maxScore}` && row[4] === (r.passed ? '合格' : '不合格'))).toBe(true)

		const certificateCells = sheetRows(workbook.getWorksheet('证书')!).flat()
		for (const c of certificates) expect(certificateCells).toContain(c.serial)

		const orderCells = sheetRows(workbook.getWorksheet('三违与脱产培训')!).flat()
		for (const v of violations) expect(orderCells).toContain(v.description)
		expect(orderCells).toContain('未完成')

		const cells = allCells(workbook)
		expect(cells.some((c) => c.includes(idNumber!))).toBe(false)
		expect(cells.some((c) => c.includes(phone))).toBe(false)
	})

	test('shows a 特种作业操作证 number masked', async () => {
		const workbook = await workbookOf((await personFile(xlsxRoute, gasInspector.id, 'xlsx', admin)).body)
		const { idNumber, phone } = clearIdentity(gasInspector)
		expect(sheetRows(workbook.getWorksheet('证书')!).flat()).toContain(`T${maskIdNumber(idNumber!)}`)
		const cells = allCells(workbook)
		expect(cells.some((c) => c.includes(idNumber!) || c.includes(phone))).toBe(false)
	})
})

describe('who may download a person’s file', () => {
	test('another enterprise’s manager gets 404 for both formats, and nothing is audited', async () => {
		const chem = await orgByCode('demo-chem')
		const outsider = await createPerson(db, { orgId: chem.id, name: '化工档案', phone: '13755550002', idNumber: testIdNumber(52), category: 'general', employmentType: 'formal', position: '操作工', jobTypes: [] })
		expect((await personFile(pdfRoute, outsider, 'pdf', admin)).status).toBe(404)
		expect((await personFile(xlsxRoute, outsider, 'xlsx', admin)).status).toBe(404)
		const audited = await db.select().from(auditLog).where(and(eq(auditLog.action, 'person.file.export'), eq(auditLog.targetId, outsider)))
		expect(audited).toHaveLength(0)
		// The county regulator's scope includes 示范化工.
		expect((await personFile(pdfRoute, outsider, 'pdf', regulator)).status).toBe(200)
	})

	test('a worker downloads their own file but not a colleague’s', async () => {
		expect((await personFile(pdfRoute, worker.personId, 'pdf', worker)).status).toBe(200)
		expect((await personFile(xlsxRoute, worker.personId, 'xlsx', worker)).status).toBe(200)
		expect((await personFile(pdfRoute, digger.id, 'pdf', worker)).status).toBe(404)
		expect((await personFile(xlsxRoute, digger.id, 'xlsx', worker)).status).toBe(404)
	})

	test('signed out, the download sends to the sign-in page', async () => {
		const result = await personFile(pdfRoute, digger.id, 'pdf', null)
		expect(result.status).toBe(302)
		expect(result.headers.get('Location')).toContain('/login?redirectTo=')
	})

	test('each download is audited with who, whose and which format', async () => {
		const before = await db.select().from(auditLog).where(and(eq(auditLog.action, 'person.file.export'), eq(auditLog.targetId, gasInspector.id)))
		await personFile(pdfRoute, gasInspector.id, 'pdf', regulator)
		await personFile(xlsxRoute, gasInspector.id, 'xlsx', admin)
		const after = await db.select().from(auditLog).where(and(eq(auditLog.action, 'person.file.export'), eq(auditLog.targetId, gasInspector.id)))
		const added = after.filter((a) => !before.some((b) => b.id === a.id))
		expect(added.map((a) => [a.actorId, a.targetType, a.orgId, a.detail])).toEqual(
			expect.arrayContaining([
				[regulator.personId, 'person', gasInspector.orgId, { format: 'pdf' }],
				[admin.personId, 'person', gasInspector.orgId, { format: 'xlsx' }],
			]),
		)
		expect(added).toHaveLength(2)
	})
})

describe('the roster export', () => {
	/** The roster's data rows as objects keyed by the header. */
	async function roster(query: string, auth: Auth) {
		const result = await download(rosterRoute, `/people/export.xlsx${query}`, auth)
		expect(result.status).toBe(200)
		const workbook = await workbookOf(result.body)
		expect(workbook.worksheets).toHaveLength(1)
		const [header, ...rows] = sheetRows(workbook.worksheets[0]!)
		return { result, workbook, sheet: workbook.worksheets[0]!, header: header!, rows: rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? '']))) }
	}

	/** What the roster should say for everyone at 示范煤业: their clearance worked out here, independently of the export. */
	async function expectedCoal() {
		const staff = await db.select().from(people).innerJoin(organizations, eq(organizations.id, people.orgId))
		const coalPeople = staff.filter((r) => r.organizations.path.startsWith(coalPath)).map((r) => r.people)
		const clearance = await clearanceOfPeople({ orgPath: coalPath })
		return coalPeople.map((p) => ({ person: p, clearance: clearance.get(p.id)! }))
	}

	test('lists everyone in the manager’s scope with 上岗资格, every reason and masked identity', async () => {
		const expected = await expectedCoal()
		const { result, sheet, header, rows } = await roster('', admin)
		expect(result.headers.get('Cache-Control')).toContain('no-store')
		expect(decodeURIComponent(result.headers.get('Content-Disposition')!.split("UTF-8''")[1]!)).toMatch(/^人员名册-\d{8}\.xlsx$/)
		expect(header).toEqual(['姓名', '单位', '人员类别', '用工形式', '工种', '手机号', '身份证号', '上岗资格', '原因', '有效至'])
		expect(sheet.getRow(1).font?.bold).toBe(true)
		expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 })
		expect(sheet.autoFilter).toBeTruthy()
		expect(rows).toHaveLength(expected.length)
		const key = (name: string, status: string, reasons: string) => `${name}|${status}|${reasons}`
		expect(rows.map((r) => key(r['姓名']!, r['上岗资格']!, r['原因']!)).sort()).toEqual(
			expected.map((e) => key(e.person.name, CLEARANCE_STATUS_NAMES[statusOf(e.clearance)], e.clearance.reasons.map((x) => x.text).join('；'))).sort(),
		)
		// Each kind of status is there (the demo has them all), and the 掘进工's row reads right.
		expect(new Set(rows.map((r) => r['上岗资格']))).toEqual(new Set(Object.values(CLEARANCE_STATUS_NAMES)))
		const diggerRow = rows.find((r) => r['姓名'] === digger.name && r['身份证号'] === maskIdNumber(clearIdentity(digger).idNumber!))!
		expect(diggerRow['手机号']).toBe(maskPhone(clearIdentity(digger).phone))
		expect(diggerRow['原因']).toContain('因三违（违章作业）于')
		const expiring = rows.find((r) => r['上岗资格'] === CLEARANCE_STATUS_NAMES.expiring)!
		expect(expiring['有效至']).toMatch(/^\d{4}-\d{2}-\d{2}$/)

		const cells = rows.flatMap((r) => Object.values(r))
		for (const { person } of expected) {
			const { phone, idNumber } = clearIdentity(person)
			expect(cells.some((c) => c.includes(phone)), person.name).toBe(false)
			if (idNumber) expect(cells.some((c) => c.includes(idNumber)), person.name).toBe(false)
		}
	})

	test('honours the roster page’s filters', async () => {
		const expected = await expectedCoal()
		const notCleared = await roster('?status=not_cleared', admin)
		expect(notCleared.rows.map((r) => r['姓名']).sort()).toEqual(expected.filter((e) => !e.clearance.cleared).map((e) => e.person.name).sort())
		expect(notCleared.rows.every((r) => r['上岗资格'] === CLEARANCE_STATUS_NAMES.not_cleared)).toBe(true)

		const underground = await roster('?jobType=coal_underground&status=cleared&q=', admin)
		expect(underground.rows.length).toBeGreaterThan(0)
		expect(underground.rows.every((r) => r['工种']!.includes('煤矿井下作业人员') && r['上岗资格'] === CLEARANCE_STATUS_NAMES.cleared)).toBe(true)

		const byName = await roster(`?q=${encodeURIComponent(digger.name)}`, admin)
		expect(byName.rows.map((r) => r['姓名'])).toEqual(expected.filter((e) => e.person.name.includes(digger.name)).map((e) => e.person.name))

		// In the roster page's order.
		const sorted = await roster('?sort=name&desc=1', admin)
		const page = await listPeople(db, dataScopeOf((await loadSessionUser(admin.personId))!), {}, { page: 1, pageSize: 1000, sort: 'name', desc: true })
		expect(sorted.rows.map((r) => r['姓名'])).toEqual(page.rows.map((r) => r.name))
	})

	test('keeps to the caller’s scope, whatever orgId asks for', async () => {
		const chem = await orgByCode('demo-chem')
		const outside = await roster(`?orgId=${chem.id}`, admin)
		expect(outside.rows).toHaveLength(0)
		const county = await roster(`?orgId=${chem.id}`, regulator)
		const chemPeople = await db.select({ name: people.name }).from(people).where(eq(people.orgId, chem.id))
		expect(county.rows.map((r) => r['姓名']).sort()).toEqual(chemPeople.map((p) => p.name).sort())
		expect(county.rows.every((r) => r['单位'] === chem.name)).toBe(true)
	})

	test('is for managers and regulators only, and audited without the search text', async () => {
		expect((await download(rosterRoute, '/people/export.xlsx', worker)).status).toBe(403)
		await roster(`?q=${encodeURIComponent(digger.name)}&status=not_cleared`, admin)
		const [entry] = await db.select().from(auditLog).where(eq(auditLog.action, 'people.roster.export')).orderBy(desc(auditLog.id)).limit(1)
		expect(entry).toMatchObject({ actorId: admin.personId, orgId: admin.orgId })
		expect(entry!.detail).toMatchObject({ filters: ['q', 'status'], status: 'not_cleared' })
		expect(JSON.stringify(entry!.detail)).not.toContain(digger.name)
	})
})
