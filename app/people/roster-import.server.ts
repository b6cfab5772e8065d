import { randomUUID } from 'node:crypto'
import { availableParallelism } from 'node:os'
import { inArray, or, sql } from 'drizzle-orm'
import ExcelJS from 'exceljs'
import { people, personJobTypes } from '#db/schema.ts'
import { generateInitialPassword, hashPassword } from '#app/auth/password.server.ts'
import type { SessionUser } from '#app/auth/scope.ts'
import { manageableOrgs } from '#app/orgs/orgs.server.ts'
import { joinMatchingPlans } from '#app/records/plans.server.ts'
import { writeAudit } from '#app/utils/audit.server.ts'
import { db, type DbOrTx } from '#app/utils/db.server.ts'
import {
	consumeUpload,
	readSpreadsheet,
	SPREADSHEET_MESSAGES,
	tooLargeMessage,
	UPLOAD_GONE,
	UploadError,
	type SpreadsheetSource,
} from '#app/utils/spreadsheet.server.ts'
import { EMPLOYMENT_TYPES, PERSON_CATEGORIES } from './labels.ts'
import { listJobTypes } from './people.server.ts'
import { encryptPii, idNumberLookupHash, phoneLookupHash } from './pii.server.ts'
import { chinaDay } from '#app/utils/days.ts'
import {
	countRosterRows,
	EXAMPLE_ROW,
	findRosterHeaderRow,
	initialPasswordOf,
	MAX_ROSTER_BYTES,
	MAX_ROSTER_ROWS,
	parseRosterRows,
	planRoster,
	ROSTER_HEADERS,
	ROSTER_TEMPLATE_NOTES,
	type ExistingPerson,
	type ImportIssue,
	type InitialPassword,
	type RosterPlan,
} from './roster-import.ts'

// Importing a roster: read and check the whole file (nothing written), then add and update every
// person in one transaction with one audit entry, or nobody. New people get an account whose
// initial password is returned once, for the manager to hand over; only its hash is stored.

export const ROSTER_MESSAGES = {
	...SPREADSHEET_MESSAGES,
	tooLarge: tooLargeMessage(MAX_ROSTER_BYTES),
	notSpreadsheet: '文件不是 Excel（.xlsx）或 CSV 表格，请用人员导入模板填写后再上传',
	tooManyRows: `一次最多导入 ${MAX_ROSTER_ROWS} 人，请分批导入`,
	notManaged: '只能导入到您管理的单位',
	changed: '检查之后名册中的人员有了变化，请重新上传文件检查',
} as const

/** The rows of an uploaded roster (.xlsx or CSV in UTF-8 or GBK); throws UploadError for anything else. */
export function readRosterUpload(file: SpreadsheetSource) {
	return readSpreadsheet(file, {
		maxBytes: MAX_ROSTER_BYTES,
		maxRows: MAX_ROSTER_ROWS,
		countRows: countRosterRows,
		findHeaderRow: findRosterHeaderRow,
		messages: ROSTER_MESSAGES,
	})
}

export type RosterSummary = { rows: number; created: number; updated: number }

export type RosterCheck =
	| { ok: false; fileError: string; status: number }
	| { ok: boolean; errors: ImportIssue[]; warnings: ImportIssue[]; summary: RosterSummary; plan: RosterPlan }

export type RosterImportResult = RosterCheck & { passwords?: InitialPassword[] }

/** Look-ups by keyed hash are batched; this many values per query. */
const LOOKUP_CHUNK = 1000
/** Rows per INSERT / UPDATE statement (13 parameters a row, well under PostgreSQL's 65,535). */
const WRITE_CHUNK = 500

const chunks = <T>(items: readonly T[], size: number) =>
	Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size))

/** The people already registered under any of these phones or 身份证号 (keyed hashes), with whether the actor manages them. */
async function registeredPeople(tx: DbOrTx, phones: string[], idNumbers: string[], manageable: ReadonlySet<string>) {
	const byPhone = new Map<string, ExistingPerson>()
	const byIdNumber = new Map<string, ExistingPerson>()
	const phoneOf = new Map(phones.map((p) => [phoneLookupHash(p), p]))
	const idOf = new Map(idNumbers.map((n) => [idNumberLookupHash(n), n]))
	const phoneHashes = [...phoneOf.keys()]
	const idHashes = [...idOf.keys()]
	for (let i = 0; i < Math.max(phoneHashes.length, idHashes.length); i += LOOKUP_CHUNK) {
		const somePhones = phoneHashes.slice(i, i + LOOKUP_CHUNK)
		const someIds = idHashes.slice(i, i + LOOKUP_CHUNK)
		const rows = await tx
			.select({ id: people.id, orgId: people.orgId, phoneHash: people.phoneHash, idNumberHash: people.idNumberHash })
			.from(people)
			.where(
				or(
					somePhones.length ? inArray(people.phoneHash, somePhones) : undefined,
					someIds.length ? inArray(people.idNumberHash, someIds) : undefined,
				),
			)
		for (const row of rows) {
			const person = { id: row.id, orgId: row.orgId, manageable: manageable.has(row.orgId) }
			const phone = phoneOf.get(row.phoneHash)
			if (phone) byPhone.set(phone, person)
			const idNumber = row.idNumberHash ? idOf.get(row.idNumberHash) : undefined
			if (idNumber) byIdNumber.set(idNumber, person)
		}
	}
	return { byPhone, byIdNumber }
}

const byRowThenColumn = (a: ImportIssue, b: ImportIssue) =>
	a.row - b.row || ROSTER_HEADERS.indexOf(a.column as never) - ROSTER_HEADERS.indexOf(b.column as never)

/**
 * Checks the rows against the catalogue, the organisations the actor manages and the people
 * already registered. Writes nothing.
 */
export async function checkRoster(tx: DbOrTx, actor: SessionUser, rows: string[][], defaultOrgId: string | null): Promise<RosterCheck> {
	const orgs = await manageableOrgs(tx, actor)
	if (defaultOrgId && !orgs.some((o) => o.id === defaultOrgId)) return { ok: false, fileError: ROSTER_MESSAGES.notManaged, status: 403 }
	const parsed = parseRosterRows(rows, { catalogue: await listJobTypes(tx), orgs, today: chinaDay(new Date()) })
	const matches = await registeredPeople(
		tx,
		parsed.entries.map((e) => e.phone),
		parsed.entries.map((e) => e.idNumber),
		new Set(orgs.map((o) => o.id)),
	)
	const plan = planRoster(parsed.entries, matches, defaultOrgId)
	const errors = [...parsed.errors, ...plan.errors].sort(byRowThenColumn)
	return {
		ok: errors.length === 0,
		errors,
		warnings: parsed.warnings,
		summary: { rows: parsed.entries.length + new Set(parsed.errors.map((e) => e.row)).size, created: plan.creates.length, updated: plan.updates.length },
		plan,
	}
}

async function readRows(upload: SpreadsheetSource) {
	try {
		return { ok: true as const, rows: (await readRosterUpload(upload)).rows }
	} catch (error) {
		if (error instanceof UploadError) return { ok: false as const, fileError: error.message, status: error.status }
		throw error
	}
}

/** Reads and checks the whole file; writes nothing. */
export async function previewRoster(actor: SessionUser, upload: SpreadsheetSource, { defaultOrgId = null as string | null } = {}) {
	const read = await readRows(upload)
	if (!read.ok) return read
	return checkRoster(db, actor, read.rows, defaultOrgId)
}

/** Runs `work` over the items, at most `limit` at a time, keeping their order. */
async function mapConcurrently<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
	const results = new Array<R>(items.length)
	let next = 0
	const worker = async () => {
		while (next < items.length) {
			const i = next++
			results[i] = await work(items[i]!)
		}
	}
	await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
	return results
}

/**
 * One initial password and its argon2 hash per new person. argon2 is deliberately slow (~20 ms
 * a hash, in libuv's thread pool), so this runs before the transaction, a few at a time.
 */
async function newAccounts(count: number) {
	const passwords = Array.from({ length: count }, generateInitialPassword)
	const hashes = await mapConcurrently(passwords, Math.max(1, Math.min(4, availableParallelism())), hashPassword)
	return passwords.map((password, i) => ({ password, hash: hashes[i]! }))
}

class Refused extends Error {
	constructor(readonly check: RosterCheck) {
		super('roster import refused')
	}
}

const identityColumns = (phone: string, idNumber: string) => ({
	phoneEnc: encryptPii(phone),
	phoneHash: phoneLookupHash(phone),
	idNumberEnc: encryptPii(idNumber),
	idNumberHash: idNumberLookupHash(idNumber),
})

/** Adds and updates everyone in the plan: a few statements per 500 people, not a few per person. */
async function writePlan(tx: DbOrTx, plan: RosterPlan, accounts: { hash: string }[]) {
	const created = plan.creates.map((entry, i) => ({ id: randomUUID(), entry, passwordHash: accounts[i]!.hash }))
	for (const batch of chunks(created, WRITE_CHUNK)) {
		await tx.insert(people).values(
			batch.map(({ id, entry, passwordHash }) => ({
				id,
				orgId: entry.orgId!,
				name: entry.name,
				...identityColumns(entry.phone, entry.idNumber),
				category: entry.category,
				employmentType: entry.employmentType,
				position: entry.position ?? '',
				hiredOn: entry.hiredOn,
				passwordHash,
				mustChangePassword: true,
			})),
		)
	}

	// Blank optional cells keep what the person had (coalesce); the rest is the file's.
	for (const batch of chunks(plan.updates, WRITE_CHUNK)) {
		const values = batch.map((u) => {
			const pii = identityColumns(u.phone, u.idNumber)
			return sql`(${u.personId}::uuid, ${u.orgId}::uuid, ${u.name}, ${pii.phoneEnc}, ${pii.phoneHash}, ${pii.idNumberEnc}, ${pii.idNumberHash}, ${u.category}::person_category, ${u.employmentType}::employment_type, ${u.position}::text, ${u.hiredOn}::date)`
		})
		await tx.execute(sql`
			update people as p set
				org_id = coalesce(v.org_id, p.org_id),
				name = v.name,
				phone_enc = v.phone_enc,
				phone_hash = v.phone_hash,
				id_number_enc = v.id_number_enc,
				id_number_hash = v.id_number_hash,
				category = v.category,
				employment_type = v.employment_type,
				position = coalesce(v.position, p.position),
				hired_on = coalesce(v.hired_on, p.hired_on),
				updated_at = now()
			from (values ${sql.join(values, sql`, `)}) as v(id, org_id, name, phone_enc, phone_hash, id_number_enc, id_number_hash, category, employment_type, position, hired_on)
			where p.id = v.id`)
	}

	// Job types: the file's list replaces what updated people had.
	for (const batch of chunks(plan.updates, WRITE_CHUNK)) {
		await tx.delete(personJobTypes).where(inArray(personJobTypes.personId, batch.map((u) => u.personId)))
	}
	const jobRows = [
		...created.flatMap(({ id, entry }) => entry.jobTypes.map((jobTypeCode) => ({ personId: id, jobTypeCode }))),
		...plan.updates.flatMap((u) => u.jobTypes.map((jobTypeCode) => ({ personId: u.personId, jobTypeCode }))),
	]
	for (const batch of chunks(jobRows, WRITE_CHUNK * 4)) await tx.insert(personJobTypes).values(batch)

	return { createdIds: created.map((c) => c.id), updatedIds: plan.updates.map((u) => u.personId) }
}

/**
 * Checks the file again and, only if it has no problem at all, adds and updates every person in
 * one transaction with one audit row. With `uploadId`, the stashed upload is deleted in the same
 * transaction (so it imports once). Returns the new accounts' initial passwords, once.
 */
export async function commitRoster(
	actor: SessionUser,
	upload: SpreadsheetSource,
	{ defaultOrgId = null, uploadId }: { defaultOrgId?: string | null; uploadId?: string } = {},
): Promise<RosterImportResult> {
	const read = await readRows(upload)
	if (!read.ok) return read
	const first = await checkRoster(db, actor, read.rows, defaultOrgId)
	if (!first.ok || !('plan' in first)) return first

	const accounts = await newAccounts(first.plan.creates.length)
	try {
		return await db.transaction(async (tx) => {
			if (uploadId && !(await consumeUpload(tx, actor.id, uploadId))) throw new Refused({ ok: false, fileError: UPLOAD_GONE, status: 409 })
			// Someone may have added or moved people while the passwords were hashed.
			const checked = await checkRoster(tx, actor, read.rows, defaultOrgId)
			if (!checked.ok || !('plan' in checked)) throw new Refused(checked)
			const newRows = (c: { plan: RosterPlan }) => c.plan.creates.map((e) => e.row).join()
			if (newRows(checked) !== newRows(first)) throw new Refused({ ok: false, fileError: ROSTER_MESSAGES.changed, status: 409 })

			const { createdIds, updatedIds } = await writePlan(tx, checked.plan, accounts)
			await joinMatchingPlans(tx, [...createdIds, ...updatedIds])
			await writeAudit(tx, {
				actorId: actor.id,
				action: 'people.import',
				targetType: 'person',
				orgId: defaultOrgId ?? actor.orgId,
				detail: {
					created: createdIds.length,
					updated: updatedIds.length,
					accounts: createdIds.length,
					orgIds: [...new Set([...checked.plan.creates, ...checked.plan.updates].map((e) => e.orgId).filter(Boolean))],
				},
			})
			return { ...checked, passwords: checked.plan.creates.map((entry, i) => initialPasswordOf(entry, accounts[i]!.password)) }
		})
	} catch (error) {
		if (error instanceof Refused) return error.check
		throw error
	}
}

// ---- workbooks -----------------------------------------------------------------------------------

const TEMPLATE_WIDTHS: Record<string, number> = { 姓名: 10, 手机号: 14, 身份证号: 22, 人员类别: 14, 用工形式: 10, 工种: 36, 入职日期: 12, 岗位: 16, 所属单位: 24 }

async function workbookBytes(workbook: ExcelJS.Workbook) {
	return new Uint8Array(await workbook.xlsx.writeBuffer())
}

/** The import template: the header, one obviously fake example row, and a 说明 sheet. */
export async function rosterTemplateWorkbook(orgName: string | null) {
	const workbook = new ExcelJS.Workbook()
	workbook.creator = '安全生产培训考试平台'
	const sheet = workbook.addWorksheet('人员名册', { views: [{ state: 'frozen', ySplit: 1 }] })
	sheet.columns = ROSTER_HEADERS.map((h) => ({ key: h, width: TEMPLATE_WIDTHS[h] ?? 14 }))
	const header = sheet.addRow([...ROSTER_HEADERS])
	header.font = { bold: true }
	header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEEF2F7' } }
	sheet.addRow(ROSTER_HEADERS.map((h) => (h === '所属单位' ? (orgName ?? '') : EXAMPLE_ROW[h])))
	// Text format keeps Excel from turning 身份证号 and phones into numbers (and losing digits).
	for (const h of ['手机号', '身份证号', '入职日期'] as const) sheet.getColumn(ROSTER_HEADERS.indexOf(h) + 1).numFmt = '@'
	// Drop-downs for the closed lists (other notations are still accepted: no error box).
	const list = (values: string[]) => ({ type: 'list' as const, allowBlank: true, showErrorMessage: false, formulae: [`"${values.join(',')}"`] })
	// exceljs has them on the worksheet but leaves them out of its types.
	const validations = (sheet as unknown as { dataValidations: { add(range: string, rule: ReturnType<typeof list>): void } }).dataValidations
	const col = (h: (typeof ROSTER_HEADERS)[number]) => String.fromCharCode(65 + ROSTER_HEADERS.indexOf(h))
	const last = MAX_ROSTER_ROWS + 1
	validations.add(`${col('人员类别')}2:${col('人员类别')}${last}`, list(Object.values(PERSON_CATEGORIES)))
	validations.add(`${col('用工形式')}2:${col('用工形式')}${last}`, list(Object.values(EMPLOYMENT_TYPES)))

	const notes = workbook.addWorksheet('说明')
	notes.columns = [{ width: 12 }, { width: 10 }, { width: 100 }]
	notes.addRow(['列', '是否必填', '填写说明']).font = { bold: true }
	for (const note of ROSTER_TEMPLATE_NOTES) notes.addRow(note).alignment = { vertical: 'top', wrapText: true }
	notes.addRow([])
	notes.addRow(['示例', '', '第 2 行是示例（身份证号是虚构的），请删除后再填写；带着示例行的文件不会被导入'])
	return workbookBytes(workbook)
}

/** The new accounts' initial passwords as an .xlsx, for the manager to hand over (made once, never stored). */
export async function initialPasswordsWorkbook(passwords: readonly InitialPassword[]) {
	const workbook = new ExcelJS.Workbook()
	workbook.creator = '安全生产培训考试平台'
	const sheet = workbook.addWorksheet('初始密码')
	sheet.columns = [
		{ header: '行', width: 6 },
		{ header: '姓名', width: 12 },
		{ header: '手机号', width: 14 },
		{ header: '初始密码', width: 14 },
	]
	sheet.getRow(1).font = { bold: true }
	for (const p of passwords) sheet.addRow([p.row, p.name, p.phoneMasked, p.password])
	sheet.addRow([])
	sheet.addRow(['', '请当面告知本人，首次登录须修改密码；发完后请删除本文件'])
	return workbookBytes(workbook)
}
