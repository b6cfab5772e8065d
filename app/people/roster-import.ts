import { parseJobTypes, type ImportIssue, type JobTypeRef } from '#app/bank/import.ts'

import { isValidIdNumber, isValidPhone, maskPhone, normalizeIdNumber, normalizePhone, withCheckDigit } from './identity.ts'
import { EMPLOYMENT_TYPES, PERSON_CATEGORIES, type EmploymentType, type PersonCategory } from './labels.ts'
import { personFormSchema } from './person-form.ts'
import { addDays } from '#app/utils/days.ts'

// Reading a roster (人员花名册) spreadsheet, already turned into rows of cell strings, into people.
// Pure: the caller reads the file, the job-type catalogue and the organisations the manager may
// import into; the database checks (who already exists, whose phone is taken) come afterwards in
// roster-import.server.ts. Columns may come in any order, with spaces or notes in the header.

export type { ImportIssue, JobTypeRef }

/** The template's columns, in order. */
export const ROSTER_HEADERS = ['姓名', '手机号', '身份证号', '人员类别', '用工形式', '工种', '入职日期', '岗位', '所属单位'] as const

export const MAX_ROSTER_ROWS = 5000
export const MAX_ROSTER_BYTES = 5 * 1024 * 1024
export const MAX_JOB_TYPES = 10

/**
 * The template's example row. Its 身份证号 is in region 990000, which does not exist; a file
 * that still holds this row is refused, so nobody imports the example by mistake.
 */
export const EXAMPLE_ROW = {
	姓名: '张示例',
	手机号: '13000000000',
	身份证号: withCheckDigit('99000019800101001'),
	人员类别: '一般从业人员',
	用工形式: '劳务派遣',
	工种: '有限空间作业人员、焊接与热切割作业',
	入职日期: '2026-01-05',
	岗位: '检修工',
	所属单位: '',
} satisfies Record<(typeof ROSTER_HEADERS)[number], string>

type Field = 'name' | 'phone' | 'idNumber' | 'category' | 'employmentType' | 'jobTypes' | 'hiredOn' | 'position' | 'org'

const FIELD_LABELS: Record<Field, (typeof ROSTER_HEADERS)[number]> = {
	name: '姓名',
	phone: '手机号',
	idNumber: '身份证号',
	category: '人员类别',
	employmentType: '用工形式',
	jobTypes: '工种',
	hiredOn: '入职日期',
	position: '岗位',
	org: '所属单位',
}

const HEADER_SYNONYMS: Record<Field, string[]> = {
	name: ['姓名', '名字', '员工姓名', '人员姓名', '职工姓名'],
	phone: ['手机号', '手机号码', '手机', '联系电话', '电话', '电话号码', '联系方式', '移动电话'],
	idNumber: ['身份证号', '身份证号码', '身份证', '公民身份号码', '证件号码', '身份证件号码'],
	category: ['人员类别', '人员类型', '类别', '人员分类'],
	employmentType: ['用工形式', '用工类型', '用工方式', '用工性质'],
	jobTypes: ['工种', '作业工种', '工种名称', '岗位工种', '作业类别'],
	hiredOn: ['入职日期', '入职时间', '到岗日期', '入职', '参加工作日期'],
	position: ['岗位', '职务', '岗位职务', '职位', '岗位/职务'],
	org: ['所属单位', '单位', '单位名称', '企业', '企业名称', '所属企业', '工作单位'],
}

/** Columns the file must have (cells of 工种 may be blank: a 主要负责人 may have none). */
const REQUIRED_COLUMNS: Field[] = ['name', 'phone', 'idNumber', 'category', 'employmentType', 'jobTypes']

/** NFKC (full-width letters and digits to ASCII, ，to ,) and trimmed. */
const nfkc = (s: string) => s.normalize('NFKC').trim()
const compact = (s: string) => nfkc(s).replace(/\s+/g, '').toLowerCase()

const HEADER_FIELD = new Map<string, Field>(
	Object.entries(HEADER_SYNONYMS).flatMap(([field, names]) => names.map((n) => [compact(n), field as Field] as const)),
)

/** A header cell reduced to its name: without spaces, required marks (*) and notes in brackets. */
function headerKey(cell: string) {
	return compact(cell)
		.replace(/[*]/g, '')
		.replace(/\([^)]*\)|\[[^\]]*\]|【[^】]*】/g, '')
		.replace(/[:：]$/, '')
}

const fieldOf = (cell: string | undefined) => HEADER_FIELD.get(headerKey(cell ?? '')) ?? null

/** How far down a header may be (a title row, notes above it). */
const HEADER_SEARCH_ROWS = 30

/** 0-based index of the header: the first row naming both a 姓名 and a 手机号 column; -1 if none. */
export function findRosterHeaderRow(rows: readonly (readonly string[])[]) {
	const limit = Math.min(rows.length, HEADER_SEARCH_ROWS)
	for (let i = 0; i < limit; i++) {
		const fields = new Set(rows[i]!.map(fieldOf))
		if (fields.has('name') && fields.has('phone')) return i
	}
	return -1
}

/** A cell as imported: trimmed, without the ' that keeps = + - @ from being a formula. */
export function cellValue(cell: string | undefined) {
	return (cell ?? '').replace(/^'/, '').trim()
}

const isBlankRow = (row: readonly string[] | undefined) => !row || row.every((c) => !cellValue(c))

/** Data rows: non-blank rows below the header (all non-blank rows when there is none). */
export function countRosterRows(rows: readonly (readonly string[])[]) {
	const header = findRosterHeaderRow(rows)
	let n = 0
	for (let i = header + 1; i < rows.length; i++) if (!isBlankRow(rows[i])) n++
	return n
}

// ---- cell notations ----------------------------------------------------------------------------

/** Phone numbers as typed: spaces, dashes, full-width digits and a +86 prefix are fine. */
export function parsePhone(cell: string): string | null {
	const value = normalizePhone(nfkc(cell)).replace(/^(?:\+?86)(?=1\d{10}$)/, '')
	return isValidPhone(value) ? value : null
}

const CATEGORY_WORDS: Record<PersonCategory, string[]> = {
	principal: ['主要负责人', '负责人', '企业主要负责人'],
	safety_manager: ['安全管理人员', '安全管理', '安全生产管理人员', '安全员'],
	special_operator: ['特种作业人员', '特种作业', '特种作业操作人员'],
	general: ['一般从业人员', '从业人员', '一般人员', '一般'],
	party_leader: ['党政领导干部', '领导干部', '党政干部'],
}
const CATEGORY_OF = new Map(Object.entries(CATEGORY_WORDS).flatMap(([key, words]) => words.map((w) => [w, key as PersonCategory] as const)))

export function parseCategory(cell: string): PersonCategory | null {
	return CATEGORY_OF.get(compact(cell)) ?? null
}

const EMPLOYMENT_WORDS: Record<EmploymentType, string[]> = {
	formal: ['正式', '正式工', '正式员工', '正式职工', '合同制'],
	dispatched: ['劳务派遣', '派遣', '派遣工'],
	outsourced: ['外包', '外包人员', '外包工', '承包商'],
	flexible: ['灵活用工', '灵活就业', '临时工', '灵活'],
}
const EMPLOYMENT_OF = new Map(Object.entries(EMPLOYMENT_WORDS).flatMap(([key, words]) => words.map((w) => [w, key as EmploymentType] as const)))

export function parseEmploymentType(cell: string): EmploymentType | null {
	return EMPLOYMENT_OF.get(compact(cell)) ?? null
}

const iso = (y: number, m: number, d: number) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`

/** Day 0 of Excel's serial dates (1899-12-30, which absorbs its 1900 leap-year bug). */
const EXCEL_EPOCH = Date.UTC(1899, 11, 30)

/**
 * Dates as Chinese spreadsheets hold them: 2026-01-05, 2026/1/5, 2026.1.5, 2026年1月5日, 20260105,
 * or an Excel day number (a date cell saved as a number). Null if it is not a calendar date.
 */
export function parseDate(cell: string): string | null {
	const value = nfkc(cell).replace(/[ T]00:00(:00(\.0+)?)?Z?$/, '')
	let y: number, m: number, d: number
	let match = value.match(/^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/)
	if (match) [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])]
	else if ((match = value.match(/^(\d{4})(\d{2})(\d{2})$/))) [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])]
	else if (/^\d{5}(\.\d+)?$/.test(value)) {
		const date = new Date(EXCEL_EPOCH + Number.parseInt(value, 10) * 86_400_000)
		return date.toISOString().slice(0, 10)
	} else return null
	const date = new Date(Date.UTC(y, m - 1, d))
	if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null
	return iso(y, m, d)
}

const EARLIEST_HIRE_DATE = '1950-01-01'

/** Job types by name, short name or code, separated by 、 , ；/ or line breaks. */
function parseRosterJobTypes(cell: string, catalogue: readonly JobTypeRef[]) {
	return parseJobTypes(cell.replace(/[/／|]+/g, '、'), catalogue)
}

type OrgRef = { id: string; name: string }

// ---- the whole sheet ---------------------------------------------------------------------------

/** One person as the file describes them. Null optional fields were left blank. */
export type RosterEntry = {
	row: number
	name: string
	phone: string
	idNumber: string
	category: PersonCategory
	employmentType: EmploymentType
	jobTypes: string[]
	/** Blank: a new person has none, an existing person keeps theirs. */
	hiredOn: string | null
	position: string | null
	/** From 所属单位; blank: an existing person stays, a new one goes to the chosen default. */
	orgId: string | null
}

export type RosterParseResult = {
	entries: RosterEntry[]
	errors: ImportIssue[]
	warnings: ImportIssue[]
	/** 1-based row of the header, null when none was found. */
	headerRow: number | null
}

export type RosterParseOptions = {
	catalogue: readonly JobTypeRef[]
	/** The organisations the manager may import into (所属单位 must name one of them). */
	orgs: readonly OrgRef[]
	/** YYYY-MM-DD; hire dates more than a year after it are refused as typos. */
	today: string
}

const CATEGORY_LIST = Object.values(PERSON_CATEGORIES).join('、')
const EMPLOYMENT_LIST = Object.values(EMPLOYMENT_TYPES).join('、')

/** Reads every row; a row with any problem gives no entry. Problems name the row and the column. */
export function parseRosterRows(rows: readonly (readonly string[])[], { catalogue, orgs, today }: RosterParseOptions): RosterParseResult {
	const errors: ImportIssue[] = []
	const warnings: ImportIssue[] = []
	const entries: RosterEntry[] = []
	const headerIndex = findRosterHeaderRow(rows)
	if (headerIndex < 0) {
		const message = rows.every(isBlankRow) ? '文件里没有内容' : '没有找到表头：表头行须有“姓名”和“手机号”列，请使用人员导入模板'
		return { entries, errors: [{ row: 1, column: '姓名', message }], warnings, headerRow: null }
	}
	const headerRow = headerIndex + 1
	const columns = new Map<Field, number>()
	rows[headerIndex]!.forEach((cell, index) => {
		const name = (cell ?? '').trim()
		const field = fieldOf(cell)
		if (!field) {
			if (name) warnings.push({ row: headerRow, column: name, message: `未识别的列“${name}”，已忽略` })
			return
		}
		if (columns.has(field)) {
			warnings.push({ row: headerRow, column: name, message: `重复的列“${name}”，已忽略` })
			return
		}
		columns.set(field, index)
	})
	const missing = REQUIRED_COLUMNS.filter((f) => !columns.has(f))
	if (missing.length) {
		for (const field of missing) errors.push({ row: headerRow, column: FIELD_LABELS[field], message: `缺少“${FIELD_LABELS[field]}”列` })
		return { entries, errors, warnings, headerRow }
	}

	const orgsByName = new Map<string, OrgRef[]>()
	for (const org of orgs) orgsByName.set(compact(org.name), [...(orgsByName.get(compact(org.name)) ?? []), org])
	const latestHireDate = addDays(today, 366)
	const phoneRows = new Map<string, number>()
	const idRows = new Map<string, number>()
	const used = [...columns.values()]

	for (let index = headerIndex + 1; index < rows.length; index++) {
		const cells = rows[index] ?? []
		const row = index + 1
		if (used.every((col) => !cellValue(cells[col]))) continue
		const get = (field: Field) => {
			const col = columns.get(field)
			return col === undefined ? '' : cellValue(cells[col])
		}
		const rowErrors: ImportIssue[] = []
		const fail = (field: Field, message: string) => rowErrors.push({ row, column: FIELD_LABELS[field], message })

		if (get('name') === EXAMPLE_ROW.姓名 && parsePhone(get('phone')) === EXAMPLE_ROW.手机号) {
			errors.push({ row, column: '姓名', message: '这是模板中的示例行，请删除后再导入' })
			continue
		}

		const nameCell = get('name')
		const nameResult = personFormSchema.shape.name.safeParse(nameCell)
		if (!nameCell) fail('name', '未填姓名')
		else if (!nameResult.success) fail('name', nameResult.error.issues[0]!.message)

		const phoneCell = get('phone')
		const phone = phoneCell ? parsePhone(phoneCell) : null
		if (!phoneCell) fail('phone', '未填手机号')
		else if (!phone) fail('phone', '手机号不正确：应为 11 位手机号，例如 13912345678')
		else {
			const first = phoneRows.get(phone)
			if (first !== undefined) fail('phone', `与第 ${first} 行的手机号重复`)
			else phoneRows.set(phone, row)
		}

		const idCell = get('idNumber')
		const idNumber = idCell ? normalizeIdNumber(nfkc(idCell)) : ''
		let validId = false
		if (!idCell) fail('idNumber', '未填身份证号')
		else if (/^\d(\.\d+)?E\+?\d+$/.test(idNumber)) {
			fail('idNumber', '身份证号被 Excel 存成了数字（科学计数法），后几位已丢失：请把这一列设为“文本”格式，重新填写后再导入')
		} else if (/^\d{15}$/.test(idNumber)) fail('idNumber', '这是 15 位的旧身份证号，请填写 18 位身份证号')
		else if (!isValidIdNumber(idNumber)) fail('idNumber', '身份证号不正确：应为 18 位，且出生日期和校验位有效')
		else {
			validId = true
			const first = idRows.get(idNumber)
			if (first !== undefined) fail('idNumber', `与第 ${first} 行的身份证号重复`)
			else idRows.set(idNumber, row)
		}

		const categoryCell = get('category')
		const category = categoryCell ? parseCategory(categoryCell) : null
		if (!categoryCell) fail('category', `未填人员类别（${CATEGORY_LIST}）`)
		else if (!category) fail('category', `人员类别“${categoryCell}”无法识别，应为 ${CATEGORY_LIST} 之一`)

		const employmentCell = get('employmentType')
		const employmentType = employmentCell ? parseEmploymentType(employmentCell) : null
		if (!employmentCell) fail('employmentType', `未填用工形式（${EMPLOYMENT_LIST}）`)
		else if (!employmentType) fail('employmentType', `用工形式“${employmentCell}”无法识别，应为 ${EMPLOYMENT_LIST} 之一`)

		const jobCell = get('jobTypes')
		let jobTypes: string[] = []
		if (jobCell) {
			const parsed = parseRosterJobTypes(jobCell, catalogue)
			if (parsed.forAll) fail('jobTypes', `工种请填写具体的工种名称，不能填“${jobCell}”`)
			else if (parsed.unknown.length) fail('jobTypes', `未知的工种：${parsed.unknown.join('、')}（请填工种目录中的名称或代码，多个用“、”分隔）`)
			else if (parsed.codes.length > MAX_JOB_TYPES) fail('jobTypes', `一个人最多 ${MAX_JOB_TYPES} 个工种，这里有 ${parsed.codes.length} 个`)
			jobTypes = parsed.codes
		}

		const dateCell = get('hiredOn')
		let hiredOn: string | null = null
		if (dateCell) {
			hiredOn = parseDate(dateCell)
			if (!hiredOn) fail('hiredOn', `入职日期“${dateCell}”无法识别，应为 2026-01-31 这样的日期`)
			else if (hiredOn < EARLIEST_HIRE_DATE || hiredOn > latestHireDate) {
				fail('hiredOn', `入职日期 ${hiredOn} 不合理：应在 1950 年以后，且不晚于 ${latestHireDate}`)
			}
		}

		const positionCell = get('position')
		if (positionCell.length > 40) fail('position', '岗位不能超过 40 个字')

		const orgCell = get('org')
		let orgId: string | null = null
		if (orgCell) {
			const matches = orgsByName.get(compact(orgCell)) ?? []
			if (matches.length === 1) orgId = matches[0]!.id
			else if (matches.length > 1) fail('org', `有 ${matches.length} 个单位叫“${orgCell}”，请在上传页选择单位，并清空这一列`)
			else fail('org', `所属单位“${orgCell}”不是您管理的单位`)
		}

		if (rowErrors.length || !nameResult.success || !phone || !validId || !category || !employmentType) {
			errors.push(...rowErrors)
			continue
		}
		entries.push({
			row,
			name: nameResult.data,
			phone,
			idNumber,
			category,
			employmentType,
			jobTypes,
			hiredOn,
			position: positionCell || null,
			orgId,
		})
	}
	if (!entries.length && !errors.length) errors.push({ row: headerRow, column: '姓名', message: '表头下面没有人员' })
	return { entries, errors, warnings, headerRow }
}

// ---- matching against the people already registered ------------------------------------------

/** A person already registered with the phone or 身份证号 of a row. */
export type ExistingPerson = { id: string; orgId: string; manageable: boolean }

export type RosterMatch = {
	byPhone: ReadonlyMap<string, ExistingPerson>
	byIdNumber: ReadonlyMap<string, ExistingPerson>
}

export type RosterPlan = {
	creates: RosterEntry[]
	updates: (RosterEntry & { personId: string; currentOrgId: string })[]
	errors: ImportIssue[]
}

/**
 * Which rows add people and which update them: a row whose phone or 身份证号 is registered
 * updates that person, if the manager manages them. Someone else's phone or 身份证号 is reported
 * as taken, without saying by whom; a phone of one person with the 身份证号 of another, or two
 * rows for the same person, are errors.
 */
export function planRoster(entries: readonly RosterEntry[], { byPhone, byIdNumber }: RosterMatch, defaultOrgId: string | null): RosterPlan {
	const plan: RosterPlan = { creates: [], updates: [], errors: [] }
	const rowOfPerson = new Map<string, number>()
	for (const entry of entries) {
		const rowErrors: ImportIssue[] = []
		const fail = (column: string, message: string) => rowErrors.push({ row: entry.row, column, message })
		const phoneOwner = byPhone.get(entry.phone)
		const idOwner = byIdNumber.get(entry.idNumber)
		if (phoneOwner && !phoneOwner.manageable) fail('手机号', '该手机号已被其他单位的人员使用，不能导入')
		if (idOwner && !idOwner.manageable) fail('身份证号', '该身份证号已在其他单位登记，不能导入')
		if (!rowErrors.length && phoneOwner && idOwner && phoneOwner.id !== idOwner.id) {
			fail('身份证号', '手机号和身份证号分别属于名册中的两个不同人员，无法确定要更新谁，请核对')
		}
		const person = phoneOwner ?? idOwner
		if (!rowErrors.length && person) {
			const first = rowOfPerson.get(person.id)
			if (first !== undefined) fail(phoneOwner ? '手机号' : '身份证号', `与第 ${first} 行是名册中的同一个人`)
			else rowOfPerson.set(person.id, entry.row)
		}
		if (!rowErrors.length && !person && !entry.orgId && !defaultOrgId) fail('所属单位', '请在上传页选择单位，或在这一列填写所属单位')
		if (rowErrors.length) plan.errors.push(...rowErrors)
		else if (person) plan.updates.push({ ...entry, personId: person.id, currentOrgId: person.orgId })
		else plan.creates.push({ ...entry, orgId: entry.orgId ?? defaultOrgId })
	}
	return plan
}

/** New accounts as the manager hands them over: name, masked phone and the initial password. */
export type InitialPassword = { row: number; name: string; phoneMasked: string; password: string }

export const initialPasswordOf = (entry: RosterEntry, password: string): InitialPassword => ({
	row: entry.row,
	name: entry.name,
	phoneMasked: maskPhone(entry.phone),
	password,
})

/** What each column takes, for the template's 说明 sheet. */
export const ROSTER_TEMPLATE_NOTES: [column: string, required: string, note: string][] = [
	['姓名', '必填', '2～30 个字，汉字、字母或间隔号（·）'],
	['手机号', '必填', '11 位手机号，用于登录。文件内不能重复；已登记的手机号会更新该人员的信息'],
	['身份证号', '必填', '18 位身份证号，请把这一列设为“文本”格式，否则 Excel 会把后几位变成 0。文件内不能重复；已登记的身份证号会更新该人员的信息'],
	['人员类别', '必填', CATEGORY_LIST],
	['用工形式', '必填', EMPLOYMENT_LIST],
	['工种', '选填', '工种目录中的名称（或代码），多个用“、”“,”“；”或“/”分隔；主要负责人等没有工种的可不填（更新时不填表示清空工种）'],
	['入职日期', '选填', '如 2026-01-31，也可写 2026/1/31、2026年1月31日 或用 Excel 日期格式；更新时不填则保留原来的'],
	['岗位', '选填', '如 采煤工、安全科科长，不超过 40 个字；更新时不填则保留原来的'],
	['所属单位', '选填', '您管理的单位的名称；不填则新人员进入上传页所选的单位，已登记的人员留在原单位'],
	['其他', '', `列的顺序不限，表头上方可以有标题行，不认识的列会被忽略。请不要使用公式和合并单元格。一次最多 ${MAX_ROSTER_ROWS} 人，文件不超过 ${MAX_ROSTER_BYTES / 1024 / 1024} MB。新人员会开通账号，初始密码只在导入完成时显示一次`],
]
