import { eq } from 'drizzle-orm'
import ExcelJS from 'exceljs'
import { personJobTypes } from '#db/schema.ts'
import { notFound } from '#app/auth/auth.server.ts'
import { dataScopeOf, type SessionUser } from '#app/auth/scope.ts'
import { certificatesOfPerson } from '#app/certificates/certificates.server.ts'
import { allPeopleMatching, personDetail } from '#app/people/people.server.ts'
import { writeAudit } from '#app/utils/audit.server.ts'
import type { Db, DbOrTx } from '#app/utils/db.server.ts'
import { attachment, XLSX_TYPE } from '#app/utils/spreadsheet.server.ts'
import { clearanceOfPerson } from './clearance.server.ts'
import { operationCertificatesOf } from './operation-certificates.server.ts'
import { ordersOf, violationsOf } from './orders.server.ts'
import { renderPersonFilePdf } from './person-file-pdf.server.ts'
import { PLATFORM_NAME, personFileName, personFileSheets, ROSTER_COLUMNS, rosterRow, type FileTable, type PersonFile, type RosterQuery } from './person-file.ts'
import { trainingRecordsOf } from './register.server.ts'
import { chinaDay } from '#app/utils/days.ts'

// 一人一档 and the roster export: gathering a person's file from where each kind of record is
// kept, writing the workbooks, and the downloads (audited: they carry personal data). The
// caller has checked scope.

/** One person's whole file as it stands at `now`, or null if there is no such person. */
export async function personFileOf(db: DbOrTx, personId: string, { generatedBy, now = new Date() }: { generatedBy: string; now?: Date }): Promise<PersonFile | null> {
	const asOf = chinaDay(now)
	const [detail, since, clearance, records, certificates, licences, violations, orders] = await Promise.all([
		personDetail(db, personId),
		db.select({ code: personJobTypes.jobTypeCode, since: personJobTypes.since }).from(personJobTypes).where(eq(personJobTypes.personId, personId)),
		clearanceOfPerson(personId, asOf, db),
		trainingRecordsOf(db, personId),
		certificatesOfPerson(db, personId, now),
		operationCertificatesOf(db, personId),
		violationsOf(db, personId),
		ordersOf(db, personId),
	])
	if (!detail || !clearance) return null
	return {
		person: {
			name: detail.name,
			orgName: detail.orgName,
			position: detail.position,
			category: detail.category,
			employmentType: detail.employmentType,
			phoneMasked: detail.phoneMasked,
			idNumberMasked: detail.idNumberMasked,
			hiredOn: detail.hiredOn,
			jobTypes: detail.jobTypes.map((j) => ({ name: j.name, specialOperation: j.specialOperation, since: since.find((s) => s.code === j.code)?.since ?? null })),
			deleted: detail.anonymisedAt ? { on: chinaDay(detail.anonymisedAt), recordsRetainedUntil: detail.recordsRetainedUntil ?? '—' } : null,
		},
		asOf,
		clearance,
		records,
		certificates,
		licences,
		violations,
		orders,
		generatedAt: now,
		generatedBy,
	}
}

// ---- workbooks -----------------------------------------------------------------------------------

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEEF2F7' } }

function headerRow(sheet: ExcelJS.Worksheet, headers: string[]) {
	const row = sheet.addRow(headers)
	row.font = { bold: true }
	row.fill = HEADER_FILL
	return row
}

/**
 * Writes a sheet's tables one under another. A sheet of one table gets its header row frozen
 * and an auto-filter; a sheet of several gets a title over each.
 */
function writeTables(sheet: ExcelJS.Worksheet, tables: FileTable[]) {
	const columnCount = Math.max(...tables.map((t) => t.columns.length))
	sheet.columns = Array.from({ length: columnCount }, (_, i) => ({ width: Math.max(...tables.map((t) => t.columns[i]?.width ?? 0), 8) }))
	const single = tables.length === 1
	tables.forEach((table, index) => {
		if (!single) {
			if (index > 0) sheet.addRow([])
			sheet.addRow([table.title]).font = { bold: true, size: 12 }
		}
		const header = headerRow(sheet, table.columns.map((c) => c.header))
		for (const cells of table.rows) sheet.addRow(cells).alignment = { vertical: 'top', wrapText: true }
		if (!table.rows.length && table.empty) sheet.addRow([table.empty]).font = { italic: true, color: { argb: 'FF4F5966' } }
		if (single) {
			sheet.views = [{ state: 'frozen', ySplit: header.number }]
			if (table.rows.length) sheet.autoFilter = { from: { row: header.number, column: 1 }, to: { row: header.number + table.rows.length, column: table.columns.length } }
		}
		if (table.note) {
			sheet.addRow([])
			sheet.addRow([table.note]).font = { color: { argb: 'FF4F5966' } }
		}
	})
}

async function workbookBytes(workbook: ExcelJS.Workbook): Promise<Uint8Array<ArrayBuffer>> {
	return new Uint8Array((await workbook.xlsx.writeBuffer()) as ArrayBuffer)
}

export async function personFileWorkbook(file: PersonFile) {
	const workbook = new ExcelJS.Workbook()
	workbook.creator = PLATFORM_NAME
	workbook.title = `一人一档 ${file.person.name}`
	for (const { name, tables } of personFileSheets(file)) writeTables(workbook.addWorksheet(name), tables)
	return workbookBytes(workbook)
}

export async function rosterWorkbook(people: Parameters<typeof rosterRow>[0][]) {
	const workbook = new ExcelJS.Workbook()
	workbook.creator = PLATFORM_NAME
	const sheet = workbook.addWorksheet('人员名册', { views: [{ state: 'frozen', ySplit: 1 }] })
	sheet.columns = ROSTER_COLUMNS.map((c) => ({ width: c.width }))
	headerRow(sheet, ROSTER_COLUMNS.map((c) => c.header))
	for (const person of people) sheet.addRow(rosterRow(person)).alignment = { vertical: 'top', wrapText: true }
	sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: people.length + 1, column: ROSTER_COLUMNS.length } }
	return workbookBytes(workbook)
}

// ---- downloads -----------------------------------------------------------------------------------

const PDF_TYPE = 'application/pdf'

function download(body: Uint8Array<ArrayBuffer>, type: string, filename: string, fallback: string) {
	return new Response(body, {
		headers: {
			'Content-Type': type,
			'Content-Length': String(body.byteLength),
			'Content-Disposition': attachment(filename, fallback),
			'Cache-Control': 'private, no-store',
		},
	})
}

/** 一人一档 as a PDF or a workbook, for a person the caller may read; the export is audited. */
export async function personFileDownload(db: Db, user: SessionUser, person: { id: string; orgId: string }, format: 'pdf' | 'xlsx', now = new Date()) {
	const file = await personFileOf(db, person.id, { generatedBy: user.name, now })
	if (!file) throw notFound()
	const body = format === 'pdf' ? new Uint8Array(await renderPersonFilePdf(file)) : await personFileWorkbook(file)
	await writeAudit(db, { actorId: user.id, action: 'person.file.export', targetType: 'person', targetId: person.id, orgId: person.orgId, detail: { format } })
	const date = file.asOf.replaceAll('-', '')
	return download(body, format === 'pdf' ? PDF_TYPE : XLSX_TYPE, personFileName(file, format), `person-file-${date}.${format}`)
}

/** The roster with 上岗资格 as a workbook: the roster page's filters, the caller's scope; audited. */
export async function rosterDownload(db: Db, user: SessionUser, query: RosterQuery, now = new Date()) {
	const { sort, desc, ...filter } = query
	const asOf = chinaDay(now)
	const people = await allPeopleMatching(db, dataScopeOf(user), filter, { sort, desc: desc === '1' }, asOf)
	const body = await rosterWorkbook(people)
	// Which filters, not their values: a search may be somebody's name.
	const filters = Object.entries(filter).flatMap(([key, value]) => (value ? [key] : []))
	await writeAudit(db, { actorId: user.id, action: 'people.roster.export', targetType: 'organization', targetId: filter.orgId ?? user.orgId, orgId: user.orgId, detail: { filters, rows: people.length, status: filter.status ?? null } })
	const date = asOf.replaceAll('-', '')
	return download(body, XLSX_TYPE, `人员名册-${date}.xlsx`, `roster-${date}.xlsx`)
}
