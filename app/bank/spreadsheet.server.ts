import { PassThrough, Readable } from 'node:stream'
import { stringify as stringifyCsv } from 'csv-stringify/sync'
import ExcelJS from 'exceljs'
import { readSpreadsheet, SPREADSHEET_MESSAGES, tooLargeMessage, type SheetRows, type SpreadsheetSource } from '#app/utils/spreadsheet.server.ts'
import { countQuestionRows, findHeaderRow, MAX_ROWS, MAX_UPLOAD_BYTES, questionToRow, TEMPLATE_HEADERS, TEMPLATE_NOTES, type JobTypeRef } from './import.ts'
import type { QuestionInput } from './question.ts'

// Question spreadsheets in and out: .xlsx (exceljs) and CSV. Reading (app/utils/spreadsheet.server.ts)
// turns a file into rows of cell strings for app/bank/import.ts, or refuses it with a message the
// editor can act on.

export { attachment, CSV_TYPE, UploadError, XLSX_TYPE, type SheetRows } from '#app/utils/spreadsheet.server.ts'
export { MAX_UPLOAD_BYTES }

export const MESSAGES = {
	...SPREADSHEET_MESSAGES,
	tooLarge: tooLargeMessage(MAX_UPLOAD_BYTES),
	notSpreadsheet: '文件不是 Excel（.xlsx）或 CSV 表格，请用题库导入模板填写后再上传',
	tooManyRows: `一次最多导入 ${MAX_ROWS} 道题，请分批导入`,
} as const

/**
 * The rows of an uploaded .xlsx (first worksheet) or CSV (UTF-8, with or without BOM, or
 * GB18030/GBK as Chinese Excel saves it). Throws UploadError for anything else.
 */
export function readQuestionUpload(file: SpreadsheetSource, _name = ''): Promise<SheetRows> {
	return readSpreadsheet(file, {
		maxBytes: MAX_UPLOAD_BYTES,
		maxRows: MAX_ROWS,
		countRows: countQuestionRows,
		findHeaderRow,
		messages: MESSAGES,
	})
}

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
