import { beforeAll, describe, expect, test } from 'vitest'
import { seedDemo } from '#app/demo/seed.server.ts'
import { db } from '#app/utils/db.server.ts'
import * as bankImport from '#app/routes/bank.import.tsx'
import * as peopleImport from '#app/routes/people.import.tsx'
import * as trainingsNew from '#app/routes/trainings.new.tsx'
import { context, cookieFor, formData, orgIdByCode, ORIGIN, run, signedIn, type Outcome } from '#tests/fixtures/requests.ts'
import { testIdNumber } from '#tests/fixtures/identity.ts'
import { databaseFingerprint } from './harness.ts'

// The three uploads (题库导入, 人员导入, 线下培训签到表): files that are too big or not what they
// claim are refused with a Chinese message and nothing is written; so is a CSV carrying a NUL
// character (which PostgreSQL cannot store). Covered elsewhere and
// not repeated: the question import's size, noise, formula, merged-cell and row-count checks
// (bank-import-export.test.ts), the roster's not-a-spreadsheet and example-row checks
// (roster-import.test.ts), the attachment's type-by-bytes and 5 MB checks and its nosniff
// download (offline-training.test.ts).

const CHINESE = /[\u4e00-\u9fff]/
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
const MB = 1024 * 1024

let editor: { token: string }
let coalAdmin: { token: string; personId: string }
let coalOrg = ''

beforeAll(async () => {
	await seedDemo(db)
	editor = await signedIn('13900000004')
	coalAdmin = await signedIn('13900000003')
	coalOrg = await orgIdByCode('demo-coal')
})

function uploadTo(path: string, who: { token: string }, fields: Record<string, string>, file: { bytes: Uint8Array; name: string; type: string }, fileField = 'file') {
	const body = formData(fields)
	body.append(fileField, new File([new Uint8Array(file.bytes)], file.name, { type: file.type }))
	return new Request(new URL(path, ORIGIN), { method: 'POST', headers: { Cookie: cookieFor(who.token), Origin: ORIGIN }, body })
}

const importQuestions = (file: { bytes: Uint8Array; name: string; type: string }, fields: Record<string, string> = { intent: 'check' }) =>
	run(() => bankImport.action({ request: uploadTo('/bank/import', editor, fields, file), params: {}, context }))
const importPeople = (file: { bytes: Uint8Array; name: string; type: string }, fields: Record<string, string> = { intent: 'check' }) =>
	run(() => peopleImport.action({ request: uploadTo('/people/import', coalAdmin, { orgId: coalOrg, ...fields }, file), params: {}, context }))

function expectRefusedInChinese(outcome: Outcome, what: string) {
	expect(outcome.status, what).toBeGreaterThanOrEqual(400)
	expect(outcome.status, what).toBeLessThan(500)
	const message = outcome.data.message ?? outcome.data.errors?.attachment ?? JSON.stringify(outcome.data.errors)
	expect(message, what).toMatch(CHINESE)
}

const utf8 = (text: string) => new TextEncoder().encode(text)

/** Files that are not what their name and type say. */
const IMPOSTORS = [
	{ name: '题库.xlsx', type: XLSX, bytes: utf8('<html><body><script>alert(1)</script></body></html>') },
	{ name: '名单.xlsx', type: XLSX, bytes: new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...utf8('not really a zip archive at all'), 0, 0, 0]) },
	{ name: '名单.csv', type: 'text/csv', bytes: new Uint8Array([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0xff, 0xff]) },
	{ name: '名单.xlsx', type: XLSX, bytes: utf8('%PDF-1.4\n1 0 obj\n<< >>\nendobj\n%%EOF\n') },
	{ name: '名单.xls', type: 'application/vnd.ms-excel', bytes: new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]) },
]

describe('the question and roster imports', () => {
	test('a file over 5 MB is refused with 413 before it is read, for the roster as for questions; nothing is written', async () => {
		const before = await databaseFingerprint()
		const big = { bytes: new Uint8Array(5 * MB + 1), name: '人员名单.xlsx', type: XLSX }
		for (const [what, outcome] of [
			['roster', await importPeople(big)],
			['questions', await importQuestions(big)],
		] as const) {
			expect(outcome.status, what).toBe(413)
			expect(outcome.data.message, what).toBe('文件超过 5 MB，请删除不需要的列或分批导入')
		}
		expect(await databaseFingerprint()).toEqual(before)
	})

	test('files that only pretend to be spreadsheets are refused by their bytes; nothing is written', async () => {
		const before = await databaseFingerprint()
		for (const file of IMPOSTORS) {
			expectRefusedInChinese(await importPeople(file), `roster ${file.name}`)
			expectRefusedInChinese(await importQuestions(file), `questions ${file.name}`)
		}
		expect(await databaseFingerprint()).toEqual(before)
	})

	test('a NUL character (which PostgreSQL cannot store) in a CSV is refused at the check; nothing is written', async () => {
		const before = await databaseFingerprint()
		const rosterRows = [
			['姓名', '手机号', '身份证号', '人员类别', '用工形式', '工种', '入职日期', '岗位', '所属单位'],
			['王小\u0000明', '13700009901', testIdNumber(901), '一般从业人员', '正式', '', '2025-03-01', '检修工', ''],
		]
		const questionRows = [
			['题型', '题干', 'A', 'B', 'C', 'D', '答案', '解析', '难度', '适用工种', '知识类别', '知识点'],
			['判断题', '井下可以\u0000吸烟吗？（　）', '', '', '', '', '错', '井下严禁吸烟，严禁携带烟草和点火物品下井。', '1', '全部', '通用知识', ''],
		]
		// (An .xlsx cannot carry one: the format has no way to write it.)
		const csv = (rows: string[][], encoding: 'utf-8' | 'utf-16le') => {
			const text = rows.map((r) => r.join(',')).join('\r\n')
			return encoding === 'utf-8' ? utf8(text) : new Uint8Array([0xff, 0xfe, ...Buffer.from(text, 'utf16le')])
		}
		for (const encoding of ['utf-8', 'utf-16le'] as const) {
			expectRefusedInChinese(await importPeople({ bytes: csv(rosterRows, encoding), name: 'nul.csv', type: 'text/csv' }), `roster ${encoding}`)
			expectRefusedInChinese(await importQuestions({ bytes: csv(questionRows, encoding), name: 'nul.csv', type: 'text/csv' }), `questions ${encoding}`)
		}
		expect(await databaseFingerprint()).toEqual(before)
	})
})

describe('the sign-in sheet of a 线下培训', () => {
	test('an SVG (which can carry script) named and typed as a photo is refused; nothing is written', async () => {
		const before = await databaseFingerprint()
		const svg = utf8('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>')
		const body = formData({ orgId: coalOrg, kind: 'drill', topic: '应急演练', heldOn: '2025-03-01', hours: '1', trainer: '', personIds: coalAdmin.personId })
		body.append('attachment', new File([svg], '签到表.png', { type: 'image/png' }))
		const request = new Request(new URL('/trainings/new', ORIGIN), { method: 'POST', headers: { Cookie: cookieFor(coalAdmin.token), Origin: ORIGIN }, body })
		const outcome = await run(() => trainingsNew.action({ request, params: {}, context }))
		expect(outcome.status).toBe(400)
		expect(outcome.data.errors.attachment).toBe('附件只能是 JPG、PNG 照片或 PDF 文件')
		expect(await databaseFingerprint()).toEqual(before)
	})
})
