import { PassThrough, Readable } from 'node:stream'
import { parse as parseCsv } from 'csv-parse/sync'
import { stringify as stringifyCsv } from 'csv-stringify/sync'
import ExcelJS from 'exceljs'
import { countQuestionRows, findHeaderRow, MAX_ROWS, MAX_UPLOAD_BYTES, questionToRow, TEMPLATE_HEADERS, TEMPLATE_NOTES, type JobTypeRef } from './import.ts'
import type { QuestionInput } from './question.ts'

// Question spreadsheets in and out: .xlsx (exceljs) and CSV. Reading turns a file into rows of
// cell strings for app/bank/import.ts, or refuses it with a message the editor can act on.

export { MAX_UPLOAD_BYTES }
/** Uncompressed size of an .xlsx's parts; beyond it the file is a zip bomb, not a question list. */
const MAX_XLSX_UNZIPPED_BYTES = 120 * 1024 * 1024
const MAX_LISTED_CELLS = 10

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
export const CSV_TYPE = 'text/csv; charset=utf-8'

/** A file we will not import, with the reason in Chinese. */
export class UploadError extends Error {
	constructor(
		message: string,
		readonly status = 400,
	) {
		super(message)
		this.name = 'UploadError'
	}
}

export const MESSAGES = {
	tooLarge: `文件超过 ${MAX_UPLOAD_BYTES / 1024 / 1024} MB，请删除不需要的列或分批导入`,
	empty: '文件是空的，没有任何数据',
	notSpreadsheet: '文件不是 Excel（.xlsx）或 CSV 表格，请用题库导入模板填写后再上传',
	oldOrEncrypted: '这是旧版 Excel（.xls）文件或加了密码的文件，请在 Excel 中取消密码，另存为“Excel 工作簿（*.xlsx）”后再导入',
	corrupt: '文件已损坏或不是有效的 Excel 文件',
	tooManyRows: `一次最多导入 ${MAX_ROWS} 道题，请分批导入`,
} as const

export type SheetRows = { format: 'xlsx' | 'csv'; rows: string[][] }
type Source = File | Blob | Uint8Array | ArrayBuffer

function sizeOf(file: Source) {
	return file instanceof ArrayBuffer ? file.byteLength : file instanceof Uint8Array ? file.byteLength : file.size
}

async function bytesOf(file: Source): Promise<Uint8Array> {
	if (file instanceof Uint8Array) return file
	if (file instanceof ArrayBuffer) return new Uint8Array(file)
	return new Uint8Array(await file.arrayBuffer())
}

const startsWith = (bytes: Uint8Array, ...magic: number[]) => magic.every((b, i) => bytes[i] === b)

/**
 * The rows of an uploaded .xlsx (first worksheet) or CSV (UTF-8, with or without BOM, or
 * GB18030/GBK as Chinese Excel saves it). Throws UploadError for anything else.
 */
export async function readQuestionUpload(file: Source, _name = ''): Promise<SheetRows> {
	// Size first: nothing of an oversized file is read.
	const size = sizeOf(file)
	if (size > MAX_UPLOAD_BYTES) throw new UploadError(MESSAGES.tooLarge, 413)
	if (size === 0) throw new UploadError(MESSAGES.empty)
	const bytes = await bytesOf(file)

	let result: SheetRows
	if (startsWith(bytes, 0x50, 0x4b, 0x03, 0x04)) result = { format: 'xlsx', rows: await readXlsx(bytes) }
	else if (startsWith(bytes, 0x50, 0x4b)) throw new UploadError(MESSAGES.corrupt)
	else if (startsWith(bytes, 0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1)) throw new UploadError(MESSAGES.oldOrEncrypted)
	else result = { format: 'csv', rows: readCsv(decodeText(bytes)) }

	if (result.rows.every((row) => row.every((cell) => !cell.trim()))) throw new UploadError(MESSAGES.empty)
	if (countQuestionRows(result.rows) > MAX_ROWS) throw new UploadError(MESSAGES.tooManyRows, 413)
	return result
}

// ---- CSV -----------------------------------------------------------------------------------------

function decodeText(bytes: Uint8Array): string {
	const attempts: [encoding: string, skip: number][] = startsWith(bytes, 0xef, 0xbb, 0xbf)
		? [['utf-8', 3]]
		: startsWith(bytes, 0xff, 0xfe)
			? [['utf-16le', 2]]
			: startsWith(bytes, 0xfe, 0xff)
				? [['utf-16be', 2]]
				: [
						['utf-8', 0],
						['gb18030', 0],
					]
	for (const [encoding, skip] of attempts) {
		let text: string
		try {
			text = new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes.subarray(skip))
		} catch {
			continue
		}
		// Text files do not hold control characters; images and archives that decode by chance do.
		if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text)) break
		return text
	}
	throw new UploadError(MESSAGES.notSpreadsheet)
}

function readCsv(text: string): string[][] {
	const firstLine = text.slice(0, text.search(/\r?\n|$/))
	const delimiter = firstLine.includes('\t') && !firstLine.includes(',') ? '\t' : ','
	try {
		return parseCsv(text, {
			delimiter,
			relax_column_count: true,
			relax_quotes: true,
			skip_empty_lines: false,
		}) as string[][]
	} catch (error) {
		const line = (error as { lines?: number }).lines
		throw new UploadError(`CSV 文件格式有误${line ? `（第 ${line} 行附近）` : ''}：引号不成对或分隔符不对，请在 Excel 中另存为“CSV UTF-8”后再导入`)
	}
}

// ---- xlsx ----------------------------------------------------------------------------------------

/** Sum of the uncompressed sizes in a zip's central directory; null when there is none. */
function unzippedSize(bytes: Uint8Array): number | null {
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
	const from = Math.max(0, bytes.length - 22 - 65_535)
	for (let eocd = bytes.length - 22; eocd >= from; eocd--) {
		if (view.getUint32(eocd, true) !== 0x06054b50) continue
		const entries = view.getUint16(eocd + 10, true)
		let at = view.getUint32(eocd + 16, true)
		let total = 0
		for (let i = 0; i < entries; i++) {
			if (at + 46 > bytes.length || view.getUint32(at, true) !== 0x02014b50) return null
			const uncompressed = view.getUint32(at + 24, true)
			if (uncompressed === 0xffffffff) return Number.POSITIVE_INFINITY
			total += uncompressed
			at += 46 + view.getUint16(at + 28, true) + view.getUint16(at + 30, true) + view.getUint16(at + 32, true)
		}
		return total
	}
	return null
}

function cellText(value: ExcelJS.CellValue): string {
	if (value === null || value === undefined) return ''
	if (typeof value === 'string') return value
	if (typeof value === 'number' || typeof value === 'boolean') return String(value)
	if (value instanceof Date) return value.toISOString().slice(0, 10)
	if ('richText' in value) return value.richText.map((r) => r.text).join('')
	if ('hyperlink' in value) return typeof value.text === 'string' ? value.text : cellText(value.text as ExcelJS.CellValue)
	if ('error' in value) return value.error
	if ('result' in value) return cellText((value.result ?? null) as ExcelJS.CellValue)
	return ''
}

const isFormula = (value: ExcelJS.CellValue) =>
	value !== null && typeof value === 'object' && !(value instanceof Date) && ('formula' in value || 'sharedFormula' in value)

function listCells(cells: string[]) {
	const shown = cells.slice(0, MAX_LISTED_CELLS).join('、')
	return cells.length > MAX_LISTED_CELLS ? `${shown} 等 ${cells.length} 处` : shown
}

async function readXlsx(bytes: Uint8Array): Promise<string[][]> {
	const unzipped = unzippedSize(bytes)
	if (unzipped === null) throw new UploadError(MESSAGES.corrupt)
	if (unzipped > MAX_XLSX_UNZIPPED_BYTES) throw new UploadError(MESSAGES.tooManyRows, 413)
	const workbook = new ExcelJS.Workbook()
	try {
		await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ArrayBuffer)
	} catch {
		throw new UploadError(MESSAGES.corrupt)
	}
	const sheet = workbook.worksheets[0]
	if (!sheet) throw new UploadError(MESSAGES.empty)

	const rows: string[][] = []
	const formulas: { row: number; address: string }[] = []
	sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
		const cells: string[] = []
		row.eachCell({ includeEmpty: false }, (cell, col) => {
			if (isFormula(cell.value)) formulas.push({ row: rowNumber, address: cell.address })
			cells[col - 1] = cellText(cell.value)
		})
		rows[rowNumber - 1] = Array.from(cells, (c) => c ?? '')
	})
	for (let i = 0; i < rows.length; i++) rows[i] ??= []
	if (countQuestionRows(rows) > MAX_ROWS) throw new UploadError(MESSAGES.tooManyRows, 413)

	// Title rows above the header may be merged or computed; the table itself may not.
	const firstRow = findHeaderRow(rows) + 1 || 1
	const merges = (sheet.hasMerges ? sheet.model.merges : []).filter((range) => bottomRowOf(range) >= firstRow)
	if (merges.length) throw new UploadError(`表格中有合并单元格 ${listCells(merges)}，请取消合并后再导入`)
	const formulaCells = formulas.filter((f) => f.row >= firstRow).map((f) => f.address)
	if (formulaCells.length) {
		const shown = formulaCells.slice(0, MAX_LISTED_CELLS).join('、') + (formulaCells.length > MAX_LISTED_CELLS ? ' 等' : '')
		throw new UploadError(`有 ${formulaCells.length} 个单元格是公式（${shown}），请复制后用“选择性粘贴 → 数值”换成文字再导入`)
	}
	return rows
}

const bottomRowOf = (range: string) => Number(range.split(':').pop()!.replace(/^[A-Z$]+/i, '').replace('$', ''))

// ---- writing -------------------------------------------------------------------------------------

const COLUMN_WIDTHS: Record<string, number> = { 题型: 10, 题干: 50, 答案: 8, 解析: 50, 难度: 6, 适用工种: 28, 知识类别: 11, 知识点: 22 }

const DIFFICULTY_COLUMN = TEMPLATE_HEADERS.indexOf('难度')

type Batches = AsyncIterable<QuestionInput[]> | Iterable<QuestionInput[]>

/** Writes the template columns (bold frozen header, 说明 sheet) to a stream, batch by batch. */
async function writeWorkbookTo(stream: PassThrough, batches: Batches, catalogue: readonly JobTypeRef[]) {
	const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: true })
	workbook.creator = '安全生产培训考试平台'
	const sheet = workbook.addWorksheet('题库', { views: [{ state: 'frozen', ySplit: 1 }] })
	sheet.columns = TEMPLATE_HEADERS.map((h) => ({ key: h, width: COLUMN_WIDTHS[h] ?? 18 }))
	const header = sheet.addRow([...TEMPLATE_HEADERS])
	header.font = { bold: true }
	header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEEF2F7' } }
	header.commit()
	// Drop-downs for the closed lists (other notations are still accepted: no error box).
	const last = MAX_ROWS + 1
	const list = (values: string[]) => ({ type: 'list' as const, allowBlank: true, showErrorMessage: false, formulae: [`"${values.join(',')}"`] })
	// exceljs has them on the streaming worksheet but leaves them out of its types.
	const validations = (sheet as unknown as { dataValidations: { add(range: string, rule: ReturnType<typeof list>): void } }).dataValidations
	const col = (name: (typeof TEMPLATE_HEADERS)[number]) => String.fromCharCode(65 + TEMPLATE_HEADERS.indexOf(name))
	validations.add(`${col('题型')}2:${col('题型')}${last}`, list(['单选题', '多选题', '判断题']))
	validations.add(`${col('知识类别')}2:${col('知识类别')}${last}`, list(['通用知识', '专业知识']))
	for await (const batch of batches) {
		for (const q of batch) {
			const cells: (string | number)[] = questionToRow(q, catalogue)
			cells[DIFFICULTY_COLUMN] = q.difficulty
			const row = sheet.addRow(cells)
			row.alignment = { vertical: 'top', wrapText: true }
			row.commit()
		}
	}
	sheet.commit()

	const notes = workbook.addWorksheet('说明')
	notes.columns = [{ width: 14 }, { width: 12 }, { width: 100 }]
	const notesHeader = notes.addRow(['列', '是否必填', '填写说明'])
	notesHeader.font = { bold: true }
	notesHeader.commit()
	for (const note of TEMPLATE_NOTES) {
		const row = notes.addRow(note)
		row.alignment = { vertical: 'top', wrapText: true }
		row.commit()
	}
	notes.commit()
	await workbook.commit()
}

/** An .xlsx of the questions, streamed as it is written (for large exports). */
export function questionWorkbookStream(batches: Batches, catalogue: readonly JobTypeRef[]): ReadableStream<Uint8Array> {
	const stream = new PassThrough()
	writeWorkbookTo(stream, batches, catalogue).catch((error) => stream.destroy(error as Error))
	return Readable.toWeb(stream) as unknown as ReadableStream<Uint8Array>
}

/** An .xlsx of the questions in the template's columns (re-importable as is). */
export async function writeQuestionWorkbook(questions: QuestionInput[], catalogue: readonly JobTypeRef[]): Promise<Buffer> {
	const stream = new PassThrough()
	const chunks: Buffer[] = []
	stream.on('data', (chunk: Buffer) => chunks.push(chunk))
	const ended = new Promise<void>((resolve, reject) => {
		stream.on('end', resolve)
		stream.on('error', reject)
	})
	await writeWorkbookTo(stream, [questions], catalogue)
	await ended
	return Buffer.concat(chunks)
}

/** Excel would run a cell starting with = + - @ as a formula: a leading ' keeps it text (the importer drops it). */
const csvSafe = (cell: string) => (/^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell)

function csvRows(questions: QuestionInput[], catalogue: readonly JobTypeRef[]) {
	return stringifyCsv(
		questions.map((q) => questionToRow(q, catalogue).map(csvSafe)),
		{ record_delimiter: '\r\n' },
	)
}

const BOM = '\uFEFF'
const csvHeader = () => stringifyCsv([[...TEMPLATE_HEADERS]], { record_delimiter: '\r\n' })

/** CSV in the template's columns, UTF-8 with BOM so that Excel reads the Chinese right. */
export function writeQuestionCsv(questions: QuestionInput[], catalogue: readonly JobTypeRef[]): string {
	return BOM + csvHeader() + csvRows(questions, catalogue)
}

/** The same CSV, streamed batch by batch. */
export function questionCsvStream(batches: Batches, catalogue: readonly JobTypeRef[]): ReadableStream<Uint8Array> {
	const encoder = new TextEncoder()
	async function* generate() {
		yield encoder.encode(BOM + csvHeader())
		for await (const batch of batches) yield encoder.encode(csvRows(batch, catalogue))
	}
	return Readable.toWeb(Readable.from(generate())) as unknown as ReadableStream<Uint8Array>
}

/** Content-Disposition for a download with a Chinese name (RFC 6266 / RFC 5987). */
export function attachment(filename: string, fallback: string) {
	return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(filename)}`
}
