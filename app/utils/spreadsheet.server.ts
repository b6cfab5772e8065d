import { randomUUID } from 'node:crypto'
import { and, eq, gt, lt } from 'drizzle-orm'
import { parse as parseCsv } from 'csv-parse/sync'
import ExcelJS from 'exceljs'
import { importUploads } from '#db/schema.ts'
import { db, type DbOrTx } from './db.server.ts'

// Uploaded spreadsheets, whatever they hold (question banks, rosters): an .xlsx (first worksheet)
// or a CSV file turned into rows of cell strings, or refused with a message the uploader can act
// on. Also the stash that keeps a checked upload until it is confirmed.

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
export const CSV_TYPE = 'text/csv; charset=utf-8'

/** Uncompressed size of an .xlsx's parts; beyond it the file is a zip bomb, not a table. */
const MAX_XLSX_UNZIPPED_BYTES = 120 * 1024 * 1024
const MAX_LISTED_CELLS = 10

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

export const tooLargeMessage = (maxBytes: number) => `文件超过 ${maxBytes / 1024 / 1024} MB，请删除不需要的列或分批导入`

export const SPREADSHEET_MESSAGES = {
	empty: '文件是空的，没有任何数据',
	oldOrEncrypted: '这是旧版 Excel（.xls）文件或加了密码的文件，请在 Excel 中取消密码，另存为“Excel 工作簿（*.xlsx）”后再导入',
	corrupt: '文件已损坏或不是有效的 Excel 文件',
} as const

export type SheetRows = { format: 'xlsx' | 'csv'; rows: string[][] }
export type SpreadsheetSource = File | Blob | Uint8Array | ArrayBuffer

/** What the kind of table being imported decides. */
export type ReadOptions = {
	maxBytes: number
	maxRows: number
	/** The data rows that count towards maxRows. */
	countRows: (rows: readonly (readonly string[])[]) => number
	/** 0-based index of the header row, -1 if none: merged and formula cells are refused from there on. */
	findHeaderRow: (rows: readonly (readonly string[])[]) => number
	messages: { tooLarge: string; notSpreadsheet: string; tooManyRows: string }
}

function sizeOf(file: SpreadsheetSource) {
	return file instanceof ArrayBuffer ? file.byteLength : file instanceof Uint8Array ? file.byteLength : file.size
}

export async function bytesOf(file: SpreadsheetSource): Promise<Uint8Array> {
	if (file instanceof Uint8Array) return file
	if (file instanceof ArrayBuffer) return new Uint8Array(file)
	return new Uint8Array(await file.arrayBuffer())
}

const startsWith = (bytes: Uint8Array, ...magic: number[]) => magic.every((b, i) => bytes[i] === b)

/**
 * The rows of an uploaded .xlsx (first worksheet) or CSV (UTF-8, with or without BOM, or
 * GB18030/GBK as Chinese Excel saves it). Throws UploadError for anything else.
 */
export async function readSpreadsheet(file: SpreadsheetSource, options: ReadOptions): Promise<SheetRows> {
	// Size first: nothing of an oversized file is read.
	const size = sizeOf(file)
	if (size > options.maxBytes) throw new UploadError(options.messages.tooLarge, 413)
	if (size === 0) throw new UploadError(SPREADSHEET_MESSAGES.empty)
	const bytes = await bytesOf(file)

	let result: SheetRows
	if (startsWith(bytes, 0x50, 0x4b, 0x03, 0x04)) result = { format: 'xlsx', rows: await readXlsx(bytes, options) }
	else if (startsWith(bytes, 0x50, 0x4b)) throw new UploadError(SPREADSHEET_MESSAGES.corrupt)
	else if (startsWith(bytes, 0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1)) throw new UploadError(SPREADSHEET_MESSAGES.oldOrEncrypted)
	else result = { format: 'csv', rows: readCsv(decodeText(bytes, options.messages.notSpreadsheet)) }

	if (result.rows.every((row) => row.every((cell) => !cell.trim()))) throw new UploadError(SPREADSHEET_MESSAGES.empty)
	if (options.countRows(result.rows) > options.maxRows) throw new UploadError(options.messages.tooManyRows, 413)
	return result
}

// ---- CSV -----------------------------------------------------------------------------------------

function decodeText(bytes: Uint8Array, notSpreadsheet: string): string {
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
	throw new UploadError(notSpreadsheet)
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
	// Excel keeps dates as day numbers; exceljs gives them as UTC midnights.
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

async function readXlsx(bytes: Uint8Array, options: ReadOptions): Promise<string[][]> {
	const unzipped = unzippedSize(bytes)
	if (unzipped === null) throw new UploadError(SPREADSHEET_MESSAGES.corrupt)
	if (unzipped > MAX_XLSX_UNZIPPED_BYTES) throw new UploadError(options.messages.tooManyRows, 413)
	const workbook = new ExcelJS.Workbook()
	try {
		await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ArrayBuffer)
	} catch {
		throw new UploadError(SPREADSHEET_MESSAGES.corrupt)
	}
	const sheet = workbook.worksheets[0]
	if (!sheet) throw new UploadError(SPREADSHEET_MESSAGES.empty)

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
	if (options.countRows(rows) > options.maxRows) throw new UploadError(options.messages.tooManyRows, 413)

	// Title rows above the header may be merged or computed; the table itself may not.
	const firstRow = options.findHeaderRow(rows) + 1 || 1
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

// ---- downloads -----------------------------------------------------------------------------------

/** Content-Disposition for a download with a Chinese name (RFC 6266 / RFC 5987). */
export function attachment(filename: string, fallback: string) {
	return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(filename)}`
}

// ---- uploads waiting for confirmation ------------------------------------------------------------

/** Uploads waiting for confirmation expire after this. */
export const UPLOAD_TTL_MS = 60 * 60_000

export const UPLOAD_GONE = '这份文件已经导入过，或已超过 1 小时，请重新上传'

/** Keeps a checked file until its owner confirms; clears everyone's stale ones on the way. */
export async function stashUpload(ownerId: string, bytes: Uint8Array, fileName: string) {
	const id = randomUUID()
	await db.delete(importUploads).where(lt(importUploads.createdAt, new Date(Date.now() - UPLOAD_TTL_MS)))
	await db.insert(importUploads).values({ id, ownerId, bytes, fileName: fileName.slice(0, 200) })
	return id
}

/** The caller's stashed upload if it is less than an hour old. */
export async function findUpload(ownerId: string, id: string) {
	const [row] = await db
		.select()
		.from(importUploads)
		.where(and(eq(importUploads.id, id), eq(importUploads.ownerId, ownerId), gt(importUploads.createdAt, new Date(Date.now() - UPLOAD_TTL_MS))))
		.limit(1)
	return row ?? null
}

/** Deletes the stashed upload inside the importing transaction (so it imports once); false if it was gone. */
export async function consumeUpload(tx: DbOrTx, ownerId: string, id: string) {
	const deleted = await tx
		.delete(importUploads)
		.where(and(eq(importUploads.id, id), eq(importUploads.ownerId, ownerId)))
		.returning({ id: importUploads.id })
	return deleted.length > 0
}
