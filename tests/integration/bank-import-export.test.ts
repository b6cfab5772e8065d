import { randomBytes, randomUUID } from 'node:crypto'
import { and, asc, count, eq, inArray } from 'drizzle-orm'
import ExcelJS from 'exceljs'
import { beforeAll, describe, expect, test } from 'vitest'
import { auditLog, importUploads, questions, roleAssignments } from '#db/schema.ts'
import { requireContentScope, type ContentScope } from '#app/auth/auth.server.ts'
import { commitImport, jobTypeCatalogue, previewImport, UPLOAD_GONE } from '#app/bank/import.server.ts'
import { parseQuestionRows, TEMPLATE_HEADERS, type JobTypeRef } from '#app/bank/import.ts'
import { normalizedStem } from '#app/bank/question-file.ts'
import type { QuestionInput } from '#app/bank/question.ts'
import { createQuestion } from '#app/bank/questions.server.ts'
import { MAX_UPLOAD_BYTES, MESSAGES, readQuestionUpload, UploadError, XLSX_TYPE } from '#app/bank/spreadsheet.server.ts'
import { syncShippedContent } from '#app/content/sync.server.ts'
import { seedDemo } from '#app/demo/seed.server.ts'
import { db } from '#app/utils/db.server.ts'
import * as exportRoute from '#app/routes/bank.export.ts'
import * as importRoute from '#app/routes/bank.import.tsx'
import * as templateRoute from '#app/routes/bank.template.ts'
import { context, cookieFor, get, ORIGIN, orgIdByCode, post, run, signedIn } from '#tests/fixtures/requests.ts'
import iconv from 'iconv-lite'

// Question spreadsheets end to end on the real database: real .xlsx files made with exceljs and
// real CSV bytes (UTF-8 with BOM, GB18030), the checks that refuse bad files without writing
// anything, the export → import round trip, and the upload → check → confirm flow of the page.

let editor: { token: string; personId: string }
let scope: ContentScope
let catalogue: JobTypeRef[]

beforeAll(async () => {
	await seedDemo(db)
	editor = await signedIn('13900000004')
	scope = await requireContentScope(get('/bank/import', editor.token))
	catalogue = await jobTypeCatalogue()
})

// ---- helpers -----------------------------------------------------------------------------------

const questionCount = async () => (await db.select({ n: count() }).from(questions))[0]!.n

async function xlsx(fill: (sheet: ExcelJS.Worksheet, workbook: ExcelJS.Workbook) => void) {
	const workbook = new ExcelJS.Workbook()
	fill(workbook.addWorksheet('题库'), workbook)
	return new Uint8Array(await workbook.xlsx.writeBuffer())
}

const csvCell = (cell: string) => (/[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell)
const csvText = (rows: string[][]) => rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n'
const utf8 = (text: string, bom = true) => new TextEncoder().encode((bom ? '\uFEFF' : '') + text)

// GBK bytes: TextEncoder only writes UTF-8; iconv-lite writes GB18030 independently of the
// decoder under test (TextDecoder).

/** Reads a file expecting it to be refused, and returns the message. */
async function refusal(bytes: Uint8Array | File) {
	const error = await readQuestionUpload(bytes).then(
		() => null,
		(e: unknown) => e,
	)
	expect(error).toBeInstanceOf(UploadError)
	return (error as UploadError).message
}

const SINGLE = ['单选题', '发现有人触电，首先应当（　）。', '立即切断电源', '用手把人拉开', '打电话等待救援', '', 'A', '应立即切断电源或用绝缘物使触电者脱离电源。', '2', '电工作业（低压电工）', '专业知识', '触电急救']
const SINGLE_HEADER = ['题型', '题干', 'A', 'B', 'C', 'D', '答案', '解析', '难度', '适用工种', '知识类别', '知识点']

/** What the bank holds of a question, for comparing (answers as sorted letters: the import stores them so). */
const comparable = (q: QuestionInput) => ({
	type: q.type,
	stem: q.stem,
	options: q.options,
	answer: typeof q.answer === 'string' ? [...q.answer].sort().join('') : q.answer,
	explanation: q.explanation,
	difficulty: q.difficulty,
	part: q.part,
	forAllJobTypes: q.forAllJobTypes,
	jobTypes: q.jobTypes,
	topics: q.topics,
})
const byStem = (a: { stem: string }, b: { stem: string }) => (a.stem < b.stem ? -1 : a.stem > b.stem ? 1 : 0)

async function bankSnapshot() {
	const rows = await db.select().from(questions).where(eq(questions.archived, false))
	return rows.map(comparable).sort(byStem)
}

/** A multipart POST of a file to the import page, as a browser sends it. */
function uploadRequest(bytes: Uint8Array, name: string, token: string, type = XLSX_TYPE) {
	const body = new FormData()
	body.append('intent', 'check')
	body.append('file', new File([new Uint8Array(bytes)], name, { type }))
	return new Request(new URL('/bank/import', ORIGIN), { method: 'POST', headers: { Cookie: cookieFor(token), Origin: ORIGIN }, body })
}

async function download(route: { loader: (args: any) => Promise<Response> }, path: string, token = editor.token) {
	const response = await route.loader({ request: get(path, token), params: {}, context })
	return { response, bytes: new Uint8Array(await response.arrayBuffer()) }
}

// ---- reading real files ----------------------------------------------------------------------

describe('reading real files', () => {
	test('xlsx with title rows (merged), another column order, A–D columns, extra columns and every answer notation', async () => {
		const bytes = await xlsx((sheet) => {
			sheet.addRow(['2025 年度 示范县安全生产培训题库'])
			sheet.mergeCells('A1:H1')
			sheet.addRow(['说明：本表由县应急管理局编制'])
			sheet.addRow(['序号', '试题类型', '正确答案', '试题内容', 'A', 'B', 'C', 'D', '答案解析', '难易度', '工种', '分类', '考点', '出题人'])
			const rows: (string | number | boolean)[][] = [
				[1, '单项选择题', 'ｂ', '手持电动工具的电源线应使用（　）。', '普通胶质线', '橡套软电缆', '铝芯线', '', '手持电动工具应使用橡套软电缆作电源线。', 2, '电工作业（低压电工）', '专业', '用电安全', '张工'],
				[2, '多项选择题', 'A、C、D', '下列属于个人防护用品的有（　）。', '安全帽', '灭火器', '安全带', '防护眼镜', '安全帽、安全带和防护眼镜是个人防护用品；灭火器是消防器材。', '较易', '全部', '通用', '劳动防护', '张工'],
				[3, '不定项选择题', 'a b', '动火作业前应当（　）。', '办理动火许可', '清除可燃物', '关闭照明', '', '动火前须办理许可并清除周围可燃物。', '中', '焊接与热切割作业、有限空间作业人员', '专业知识', '动火作业；作业许可', ''],
				[4, '判断', '√', '特种作业人员必须持证上岗。', '', '', '', '', '特种作业人员须取得特种作业操作证后方可上岗作业。', 1, '通用', '通用知识', '持证上岗', ''],
				[5, '判断题', '×', '发生火灾时可以乘坐电梯逃生。', '', '', '', '', '火灾时电梯可能断电且井道会成为烟囱，严禁乘坐电梯逃生。', '易', '全部', '通用', '火灾逃生', ''],
				[6, '判断题', 'B', '电气设备着火可以直接用水扑救。', '', '', '', '', '带电设备着火应先断电，使用干粉或二氧化碳灭火器，不能直接用水。', 3, '全部', '通用', '电气防火', ''],
				[7, '判断题', true, '进入有限空间前应当先通风、再检测。', '', '', '', '', '有限空间作业须执行先通风、再检测、后作业。', 2, '有限空间作业人员', '专业', '有限空间', ''],
				[8, '判断题', 'F', '安全帽超过使用期限仍可以继续使用。', '', '', '', '', '安全帽应在规定期限内使用，超期或受过冲击的应报废。', 2, '全部', '通用', '劳动防护', ''],
			]
			for (const r of rows) sheet.addRow(r)
			sheet.getCell('D4').value = { richText: [{ text: '手持电动工具的', font: { bold: true } }, { text: '电源线应使用（　）。' }] }
		})
		const { format, rows } = await readQuestionUpload(bytes)
		expect(format).toBe('xlsx')
		const result = parseQuestionRows(rows, catalogue)
		expect(result.errors).toEqual([])
		expect(result.headerRow).toBe(3)
		expect(result.warnings.map((w) => w.column)).toEqual(['序号', '出题人'])
		expect(result.questions.map((q) => [q.row, q.input.type, q.input.answer])).toEqual([
			[4, 'single', 'B'],
			[5, 'multiple', 'ACD'],
			[6, 'multiple', 'AB'],
			[7, 'judge', true],
			[8, 'judge', false],
			[9, 'judge', false],
			[10, 'judge', true],
			[11, 'judge', false],
		])
		const [first, second, third] = result.questions.map((q) => q.input)
		expect(first).toMatchObject({ stem: '手持电动工具的电源线应使用（　）。', options: ['普通胶质线', '橡套软电缆', '铝芯线'], difficulty: 2, part: 'professional', jobTypes: ['electrician'] })
		expect(second).toMatchObject({ difficulty: 2, forAllJobTypes: true, part: 'general', topics: ['劳动防护'] })
		expect(third).toMatchObject({ difficulty: 3, jobTypes: ['welding', 'confined_space'], topics: ['动火作业', '作业许可'] })
	})

	test('CSV in UTF-8 with BOM, and without', async () => {
		const text = csvText([SINGLE_HEADER, SINGLE, ['判断题', '电气设备着火可以直接用水扑救。', '', '', '', '', '错', '应先断电，用干粉或二氧化碳灭火器。', '2', '全部', '通用', '电气防火']])
		for (const bytes of [utf8(text), utf8(text, false)]) {
			const { format, rows } = await readQuestionUpload(bytes)
			expect(format).toBe('csv')
			expect(rows[0]![0]).toBe('题型')
			const result = parseQuestionRows(rows, catalogue)
			expect(result.errors).toEqual([])
			expect(result.questions.map((q) => q.input.answer)).toEqual(['A', false])
		}
	})

	test('CSV saved by Chinese Excel in GB18030/GBK', async () => {
		const text = csvText([['安全生产题库（GBK 编码）'], SINGLE_HEADER, SINGLE])
		const bytes = new Uint8Array(iconv.encode(text, 'gb18030'))
		expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow()
		const { format, rows } = await readQuestionUpload(bytes)
		expect(format).toBe('csv')
		const result = parseQuestionRows(rows, catalogue)
		expect(result.errors).toEqual([])
		expect(result.questions[0]).toMatchObject({ row: 3, input: { stem: SINGLE[1], jobTypes: ['electrician'], explanation: SINGLE[7] } })
	})

	test('a File (as the upload handler gives it) reads like bytes', async () => {
		const file = new File([utf8(csvText([SINGLE_HEADER, SINGLE]))], '题目.csv', { type: 'text/csv' })
		const { rows } = await readQuestionUpload(file)
		expect(parseQuestionRows(rows, catalogue).questions).toHaveLength(1)
	})
})

// ---- refusing bad files ------------------------------------------------------------------------

describe('bad files are refused with a clear message and nothing is written', () => {
	/** Preview and commit both refuse the file with this message; the bank is unchanged. */
	async function expectRefused(bytes: Uint8Array, message: string | RegExp) {
		const before = await questionCount()
		const audits = (await db.select({ n: count() }).from(auditLog).where(eq(auditLog.action, 'bank.import')))[0]!.n
		const preview = await previewImport(scope, bytes)
		expect(preview).toMatchObject({ ok: false, fileError: expect.stringMatching(message) })
		const result = await commitImport(scope, bytes, editor.personId)
		expect(result).toMatchObject({ ok: false })
		expect(await questionCount()).toBe(before)
		expect((await db.select({ n: count() }).from(auditLog).where(eq(auditLog.action, 'bank.import')))[0]!.n).toBe(audits)
	}

	test('a PNG image is not a spreadsheet', async () => {
		const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89])
		expect(await refusal(png)).toBe(MESSAGES.notSpreadsheet)
		await expectRefused(png, MESSAGES.notSpreadsheet)
	})

	test('an empty file, and one with only blank cells', async () => {
		expect(await refusal(new Uint8Array())).toBe(MESSAGES.empty)
		await expectRefused(new Uint8Array(), MESSAGES.empty)
		expect(await refusal(utf8(',,,\r\n\r\n , ,\r\n'))).toBe(MESSAGES.empty)
		const blankSheet = await xlsx((sheet) => {
			sheet.getCell('C3').value = ' '
		})
		expect(await refusal(blankSheet)).toBe(MESSAGES.empty)
	})

	test('10 MB of random noise is refused by its size at once, 4 MB of noise as not a spreadsheet', async () => {
		const noise = new Uint8Array(randomBytes(10 * 1024 * 1024))
		const started = Date.now()
		expect(await refusal(noise)).toBe(MESSAGES.tooLarge)
		expect(Date.now() - started).toBeLessThan(1000)
		await expectRefused(noise, MESSAGES.tooLarge)
		const smaller = new Uint8Array(randomBytes(4 * 1024 * 1024))
		smaller[0] = 0x41 // not by chance a zip or OLE header
		expect(await refusal(smaller)).toBe(MESSAGES.notSpreadsheet)
	})

	test('a good file just over 5 MB is refused by its size', async () => {
		const filler = '安'.repeat(2000)
		const rows = [SINGLE_HEADER, ...Array.from({ length: 900 }, (_, i) => ['判断题', `第 ${i} 题：${filler}`, '', '', '', '', '对', '解析', '1', '全部', '通用', ''])]
		const bytes = utf8(csvText(rows))
		expect(bytes.byteLength).toBeGreaterThan(MAX_UPLOAD_BYTES)
		await expectRefused(bytes, MESSAGES.tooLarge)
	})

	test('a sheet with formulas is refused, naming up to 10 of the cells', async () => {
		const bytes = await xlsx((sheet) => {
			sheet.addRow(SINGLE_HEADER)
			sheet.addRow(SINGLE)
			sheet.getCell('I2').value = { formula: '1+1', result: 2 }
			for (let r = 3; r <= 14; r++) {
				sheet.addRow([...SINGLE.slice(0, 1), `第 ${r} 题：配电箱应当加锁并有专人管理吗？`, ...SINGLE.slice(2)])
				sheet.getCell(`G${r}`).value = { formula: 'CHAR(65)', result: 'A' }
			}
		})
		const message = await refusal(bytes)
		expect(message).toMatch(/^有 13 个单元格是公式（I2、G3、G4、G5、G6、G7、G8、G9、G10、G11 等）/)
		expect(message).toContain('选择性粘贴')
		await expectRefused(bytes, /是公式/)
	})

	test('merged cells in the table are refused, naming the ranges; a merged title above the header is fine', async () => {
		const bytes = await xlsx((sheet) => {
			sheet.addRow(['安全生产题库'])
			sheet.mergeCells('A1:L1')
			sheet.addRow(SINGLE_HEADER)
			sheet.addRow(SINGLE)
			sheet.addRow([...SINGLE.slice(0, 1), '配电箱应当加锁并有专人管理（　）。', ...SINGLE.slice(2)])
			sheet.addRow([...SINGLE.slice(0, 1), '临时用电线路应当架空或埋地敷设（　）。', ...SINGLE.slice(2)])
			sheet.mergeCells('A3:A5')
			sheet.mergeCells('J4:K5')
		})
		const message = await refusal(bytes)
		expect(message).toBe('表格中有合并单元格 A3:A5、J4:K5，请取消合并后再导入')
		await expectRefused(bytes, /合并单元格 A3:A5/)
	})

	test('100,000 rows are refused: at most 5000 questions at once', async () => {
		const lines = ['题型,题干,答案,解析']
		for (let i = 0; i < 100_000; i++) lines.push(`判断,第${i}号题目,对,解析`)
		const bytes = utf8(lines.join('\n'))
		expect(bytes.byteLength).toBeLessThan(MAX_UPLOAD_BYTES)
		expect(await refusal(bytes)).toBe('一次最多导入 5000 道题，请分批导入')
		await expectRefused(bytes, MESSAGES.tooManyRows)
	})

	test('an xlsx of 5001 questions is refused too', async () => {
		const bytes = await xlsx((sheet) => {
			sheet.addRow(['题型', '题干', '答案', '解析'])
			for (let i = 0; i < 5001; i++) sheet.addRow(['判断', `第${i}号题目`, '对', '解析'])
		})
		expect(await refusal(bytes)).toBe(MESSAGES.tooManyRows)
	})

	test('a corrupt or truncated xlsx, and an encrypted (or old .xls) one', async () => {
		const good = await xlsx((sheet) => {
			sheet.addRow(SINGLE_HEADER)
			sheet.addRow(SINGLE)
		})
		expect(await refusal(good.subarray(0, Math.floor(good.length / 2)))).toBe(MESSAGES.corrupt)
		const garbage = new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...randomBytes(5000)])
		expect(await refusal(garbage)).toBe(MESSAGES.corrupt)
		await expectRefused(garbage, MESSAGES.corrupt)
		const ole = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...randomBytes(2000)])
		expect(await refusal(ole)).toBe(MESSAGES.oldOrEncrypted)
	})

	test('one bad row among good ones: the check lists it, and the import writes nothing', async () => {
		const rows = [SINGLE_HEADER]
		for (let i = 0; i < 20; i++) rows.push(['判断题', `第 ${i} 号：作业前应检查工具是否完好。`, '', '', '', '', '对', '作业前检查工具是本岗位要求。', '1', '全部', '通用', ''])
		rows.push(['单选题', '安全电压的额定值不包括（　）。', '36V', '24V', '', '', 'C', '我国安全电压额定值为 42V、36V、24V、12V、6V。', '2', '全部', '通用', ''])
		const bytes = await xlsx((sheet) => rows.forEach((r) => sheet.addRow(r)))
		const before = await questionCount()
		const preview = await previewImport(scope, bytes)
		expect(preview).toMatchObject({ ok: false, summary: { total: 20 } })
		expect('errors' in preview && preview.errors).toEqual([{ row: 22, column: '答案', message: '答案 C 不在选项中（本题只有 2 个选项 A–B）' }])
		const result = await commitImport(scope, bytes, editor.personId)
		expect(result).toMatchObject({ ok: false })
		expect(result.imported).toBeUndefined()
		expect(await questionCount()).toBe(before)
	})
})

// ---- export and round trip ---------------------------------------------------------------------

/** Questions made here to go with the shipped ones: cells a spreadsheet could garble. */
const EXTRA: QuestionInput[] = [
	{
		type: 'single',
		stem: '冷库作业时，库内温度一般在（　）。',
		options: ['-18℃及以下', '+25℃左右', '=0℃（写成公式样子的文字）', '@常温'],
		answer: 'A',
		explanation: '低温冷库库温通常在 -18℃ 及以下，进入前应穿戴防寒用品并确认库门内开锁装置完好。',
		difficulty: 3,
		part: 'professional',
		forAllJobTypes: false,
		jobTypes: ['electrician', 'welding'],
		topics: ['低温作业', '个体防护', '冷库'],
	},
	{
		type: 'multiple',
		stem: '关于“三违”，下列说法正确的有（　）。\n（本题为多选题）',
		options: ['“三违”指违章指挥、违章作业、违反劳动纪律', '发现“三违”应当立即制止', '“三违”只要没出事故就不用管', '班组长对"三违"有制止责任, 应当记录'],
		answer: 'ABD',
		explanation: '“三违”是事故的主要诱因，发现即应制止、纠正并记录；\n不能以“没出事故”为由放任。',
		difficulty: 5,
		part: 'general',
		forAllJobTypes: true,
		jobTypes: [],
		topics: [],
	},
	{
		type: 'multiple',
		stem: '下列属于有限空间作业中可能存在的危害的有（　）。',
		options: ['缺氧窒息', '有毒气体中毒', '可燃气体爆炸', '淹溺', '坍塌掩埋', '触电', '高处坠落', '机械伤害'],
		answer: 'ABCDEFGH',
		explanation: '有限空间作业的主要危害包括中毒、缺氧窒息、燃爆，以及淹溺、坍塌、触电、坠落、机械伤害等其他危害。',
		difficulty: 4,
		part: 'professional',
		forAllJobTypes: false,
		jobTypes: ['confined_space'],
		topics: ['有限空间'],
	},
	{
		type: 'judge',
		stem: '使用砂轮机时，操作人员应当站在砂轮的正面。',
		options: [],
		answer: false,
		explanation: '砂轮破碎时碎片沿切线方向飞出，操作人员应站在砂轮侧面，不得正对砂轮。',
		difficulty: 2,
		part: 'professional',
		forAllJobTypes: false,
		jobTypes: ['welding'],
		topics: ['机械安全'],
	},
]

describe('export, and the round trip back in', () => {
	test('exported xlsx and csv re-import as the same questions (shipped content plus questions made here)', async () => {
		await syncShippedContent(db)
		const shipped = await questionCount()
		await db.transaction(async (tx) => {
			for (const q of EXTRA) await createQuestion(tx, q, { ownerOrgId: null })
		})
		// Stems the importer would refuse as duplicates of each other (a content problem for the
		// content check, not for this test): keep the first of each.
		const all = await db.select({ id: questions.id, stem: questions.stem }).from(questions).orderBy(asc(questions.createdAt), asc(questions.id))
		const seen = new Set<string>()
		const duplicates = all.filter((q) => (seen.has(normalizedStem(q.stem)) ? true : (seen.add(normalizedStem(q.stem)), false))).map((q) => q.id)
		if (duplicates.length) await db.update(questions).set({ archived: true }).where(inArray(questions.id, duplicates))
		const before = await bankSnapshot()
		expect(before.length).toBe(shipped + EXTRA.length - duplicates.length)
		expect(before.length).toBeGreaterThanOrEqual(EXTRA.length)

		const xlsxExport = await download(exportRoute, '/bank/export?format=xlsx')
		expect(xlsxExport.response.headers.get('Content-Type')).toBe(XLSX_TYPE)
		expect(xlsxExport.response.headers.get('Content-Disposition')).toMatch(/^attachment; filename="questions-\d{8}\.xlsx"; filename\*=UTF-8''%E9%A2%98%E5%BA%93/)
		const csvExport = await download(exportRoute, '/bank/export?format=csv')
		expect(csvExport.response.headers.get('Content-Type')).toMatch(/^text\/csv/)
		expect([...csvExport.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
		// Against formula injection a CSV cell starting with = + - @ gets a leading '.
		expect(new TextDecoder().decode(csvExport.bytes)).toContain(",'-18℃及以下,'+25℃左右,'=0℃")

		// The files read back to the bank's questions, field by field.
		for (const { bytes } of [xlsxExport, csvExport]) {
			const result = parseQuestionRows((await readQuestionUpload(bytes)).rows, catalogue)
			expect(result.errors).toEqual([])
			expect(result.warnings).toEqual([])
			expect(result.questions.map((q) => comparable(q.input)).sort(byStem)).toEqual(before)
		}

		// And import into an emptied bank: the same questions again, owned by the platform.
		for (const { bytes } of [xlsxExport, csvExport]) {
			await db.delete(questions)
			const result = await commitImport(scope, bytes, editor.personId)
			expect(result).toMatchObject({ ok: true, imported: before.length })
			expect(await bankSnapshot()).toEqual(before)
			const owners = await db.selectDistinct({ owner: questions.ownerOrgId, version: questions.version }).from(questions)
			expect(owners).toEqual([{ owner: null, version: 1 }])
		}
		const [audit] = await db.select().from(auditLog).where(eq(auditLog.action, 'bank.import')).orderBy(asc(auditLog.at)).limit(1)
		expect(audit).toMatchObject({ actorId: editor.personId, targetType: 'question', detail: expect.objectContaining({ count: before.length }) })
	})

	test('the export takes the bank table filters', async () => {
		const { bytes } = await download(exportRoute, '/bank/export?format=csv&type=judge&jobType=welding&minDifficulty=2&maxDifficulty=2&q=' + encodeURIComponent('操作人员应当站在砂轮的正面'))
		const result = parseQuestionRows((await readQuestionUpload(bytes)).rows, catalogue)
		expect(result.questions.map((q) => q.input.stem)).toEqual(['使用砂轮机时，操作人员应当站在砂轮的正面。'])
		const empty = await download(exportRoute, '/bank/export?format=xlsx&q=' + encodeURIComponent('没有这样的题目'))
		const rows = (await readQuestionUpload(empty.bytes)).rows
		expect(rows).toEqual([[...TEMPLATE_HEADERS]])
	})

	test('an enterprise content editor imports questions owned by the enterprise', async () => {
		const coal = await orgIdByCode('demo-coal')
		const coalAdmin = await signedIn('13900000003')
		await db.insert(roleAssignments).values({ personId: coalAdmin.personId, role: 'content_editor', orgId: coal })
		const coalScope = await requireContentScope(get('/bank/import', coalAdmin.token))
		expect(coalScope.ownerOrgId).toBe(coal)
		const bytes = utf8(csvText([SINGLE_HEADER, ['单选题', '井下发现瓦斯超限时，首先应当（　）。', '停止作业、撤出人员', '继续作业', '', '', 'A', '瓦斯超限必须立即停止作业、撤出人员、切断电源并报告。', '2', '煤矿井下作业人员', '专业', '瓦斯防治']]))
		const result = await commitImport(coalScope, bytes, coalAdmin.personId)
		expect(result).toMatchObject({ ok: true, imported: 1 })
		const [row] = await db.select().from(questions).where(eq(questions.stem, '井下发现瓦斯超限时，首先应当（　）。'))
		expect(row).toMatchObject({ ownerOrgId: coal, jobTypes: ['coal_underground'], part: 'professional' })
		const [audit] = await db.select().from(auditLog).where(and(eq(auditLog.action, 'bank.import'), eq(auditLog.actorId, coalAdmin.personId)))
		expect(audit).toMatchObject({ orgId: coal, detail: expect.objectContaining({ count: 1 }) })
	})

	test('the template downloads with a Chinese file name and holds one example of each type', async () => {
		const { response, bytes } = await download(templateRoute, '/bank/template')
		expect(response.status).toBe(200)
		expect(response.headers.get('Content-Disposition')).toBe(
			`attachment; filename="question-template.xlsx"; filename*=UTF-8''${encodeURIComponent('题库导入模板.xlsx')}`,
		)
		const workbook = new ExcelJS.Workbook()
		await workbook.xlsx.load(bytes as unknown as ArrayBuffer)
		expect(workbook.worksheets.map((s) => s.name)).toEqual(['题库', '说明'])
		const sheet = workbook.worksheets[0]!
		expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true)
		expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 })
		const result = parseQuestionRows((await readQuestionUpload(bytes)).rows, catalogue)
		expect(result.errors).toEqual([])
		expect(result.questions.map((q) => q.input.type)).toEqual(['single', 'multiple', 'judge'])
		expect(result.questions[2]!.input.jobTypes).toEqual(['confined_space'])
	})

	test('template, export and import need a content editor', async () => {
		for (const route of [templateRoute, exportRoute, importRoute]) {
			const anonymous = await run(() => route.loader({ request: get('/bank/import'), params: {}, context }))
			expect(anonymous.status).toBe(302)
		}
		const worker = await signedIn('13900000010')
		const forbidden = await run(() => exportRoute.loader({ request: get('/bank/export', worker.token), params: {}, context }))
		expect(forbidden.status).toBe(403)
		const upload = await run(() => importRoute.action({ request: uploadRequest(utf8(csvText([SINGLE_HEADER, SINGLE])), 'a.csv', worker.token), params: {}, context }))
		expect(upload.status).toBe(403)
	})
})

// ---- the page: upload, check, confirm ----------------------------------------------------------

describe('the import page', () => {
	const callAction = (request: Request) => run(() => importRoute.action({ request, params: {}, context }))

	test('check a file, confirm it: the questions are imported once', async () => {
		const rows = [
			['题库导入'],
			SINGLE_HEADER,
			['单选题', '配电箱、开关箱应当装设（　）。', '漏电保护器', '普通插座', '', '', 'A', '施工现场临时用电实行“一机一闸一漏一箱”，开关箱须装设漏电保护器。', '2', '电工作业（低压电工）', '专业', '临时用电'],
			['多选题', '气瓶使用时应当做到（　）。', '防止暴晒', '远离明火', '可以在地面滚动搬运', '直立放置并有防倾倒措施', 'ABD', '气瓶应防晒、远离火源、直立固定，严禁滚动、撞击。', '3', '焊接与热切割作业', '专业', '气瓶安全'],
			['判断题', '乙炔瓶和氧气瓶可以混放在同一库房。', '', '', '', '', '错', '氧气瓶与乙炔瓶等可燃气瓶应分库存放。', '2', '焊接与热切割作业', '专业', '气瓶安全'],
		]
		const bytes = await xlsx((sheet) => rows.forEach((r) => sheet.addRow(r)))
		const before = await questionCount()

		const checked = await callAction(uploadRequest(bytes, '电工焊工题目.xlsx', editor.token))
		expect(checked.status).toBe(200)
		expect(checked.data).toMatchObject({ stage: 'checked', fileName: '电工焊工题目.xlsx', summary: { total: 3, single: 1, multiple: 1, judge: 1 }, warnings: [] })
		expect(await questionCount()).toBe(before)
		const uploadId = checked.data.uploadId as string
		const [stashed] = await db.select().from(importUploads).where(eq(importUploads.id, uploadId))
		expect(stashed).toMatchObject({ ownerId: editor.personId, fileName: '电工焊工题目.xlsx' })
		expect(Buffer.from(stashed!.bytes).equals(Buffer.from(bytes))).toBe(true)

		// Someone else cannot confirm it.
		const other = await signedIn('13900000000')
		const stolen = await callAction(post('/bank/import', { intent: 'commit', uploadId }, other.token))
		expect(stolen).toMatchObject({ status: 409, data: { stage: 'error', message: UPLOAD_GONE } })
		expect(await questionCount()).toBe(before)

		const done = await callAction(post('/bank/import', { intent: 'commit', uploadId }, editor.token))
		expect(done).toMatchObject({ status: 200, data: { stage: 'done', count: 3 } })
		expect(await questionCount()).toBe(before + 3)
		expect(await db.select().from(importUploads).where(eq(importUploads.id, uploadId))).toEqual([])

		const again = await callAction(post('/bank/import', { intent: 'commit', uploadId }, editor.token))
		expect(again).toMatchObject({ status: 409, data: { message: UPLOAD_GONE } })
		expect(await questionCount()).toBe(before + 3)

		// The same file checked again: every question is now a duplicate of the bank.
		const duplicate = await callAction(uploadRequest(bytes, '电工焊工题目.xlsx', editor.token))
		expect(duplicate.status).toBe(422)
		expect(duplicate.data.errors).toEqual([3, 4, 5].map((row) => ({ row, column: '题干', message: '题库中已有相同题干的题目' })))
	})

	test('an upload older than an hour can no longer be confirmed', async () => {
		const bytes = utf8(csvText([SINGLE_HEADER, ['判断题', '高处作业必须系挂安全带。', '', '', '', '', '对', '高处作业应按规定系挂安全带，高挂低用。', '1', '全部', '通用', '高处作业']]))
		const checked = await callAction(uploadRequest(bytes, 'a.csv', editor.token, 'text/csv'))
		expect(checked.data.stage).toBe('checked')
		await db
			.update(importUploads)
			.set({ createdAt: new Date(Date.now() - 61 * 60_000) })
			.where(eq(importUploads.id, checked.data.uploadId))
		const before = await questionCount()
		const late = await callAction(post('/bank/import', { intent: 'commit', uploadId: checked.data.uploadId }, editor.token))
		expect(late).toMatchObject({ status: 409, data: { message: UPLOAD_GONE } })
		const junk = await callAction(post('/bank/import', { intent: 'commit', uploadId: 'not-a-uuid' }, editor.token))
		expect(junk.status).toBe(409)
		const unknown = await callAction(post('/bank/import', { intent: 'commit', uploadId: randomUUID() }, editor.token))
		expect(unknown.status).toBe(409)
		expect(await questionCount()).toBe(before)
	})

	test('problems come back as a table of row, column and problem; nothing is stashed', async () => {
		const stashed = (await db.select({ n: count() }).from(importUploads))[0]!.n
		const bytes = utf8(csvText([SINGLE_HEADER, ['填空题', '', '', '', '', '', '', '', '9', '飞行员', '', '']]))
		const checked = await callAction(uploadRequest(bytes, 'bad.csv', editor.token, 'text/csv'))
		expect(checked.status).toBe(422)
		expect(checked.data).toMatchObject({ stage: 'problems', errorCount: 6 })
		expect(checked.data.errors.map((e: { column: string }) => e.column)).toEqual(['题型', '题干', '答案', '解析', '难度', '适用工种'])
		expect((await db.select({ n: count() }).from(importUploads))[0]!.n).toBe(stashed)
	})

	test('a file over 5 MB is refused with 413 before it is read; no file at all with 400', async () => {
		const big = new Uint8Array(MAX_UPLOAD_BYTES + 1)
		const tooBig = await callAction(uploadRequest(big, 'big.xlsx', editor.token))
		expect(tooBig).toMatchObject({ status: 413, data: { stage: 'error', message: MESSAGES.tooLarge } })
		const body = new FormData()
		body.append('intent', 'check')
		const none = await callAction(new Request(new URL('/bank/import', ORIGIN), { method: 'POST', headers: { Cookie: cookieFor(editor.token), Origin: ORIGIN }, body }))
		expect(none).toMatchObject({ status: 400, data: { message: '请选择要导入的文件' } })
		const empty = await callAction(uploadRequest(new Uint8Array(), 'empty.csv', editor.token))
		expect(empty).toMatchObject({ status: 400, data: { message: MESSAGES.empty } })
		const png = await callAction(uploadRequest(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]), 'photo.png', editor.token, 'image/png'))
		expect(png).toMatchObject({ status: 400, data: { message: MESSAGES.notSpreadsheet } })
	})
})
