import { describe, expect, test } from 'vitest'
import {
	countRosterRows,
	EXAMPLE_ROW,
	findRosterHeaderRow,
	parseCategory,
	parseDate,
	parseEmploymentType,
	parsePhone,
	parseRosterRows,
	planRoster,
	ROSTER_HEADERS,
	type ExistingPerson,
	type JobTypeRef,
	type RosterEntry,
} from '#app/people/roster-import.ts'
import { testIdNumber, withWrongCheckDigit } from '#tests/fixtures/identity.ts'

// The roster parser on plain rows of cell strings: header variants, the notations Chinese
// spreadsheets use, every problem named by row and column, and how rows are matched to the
// people already registered (update, create, taken by someone outside the manager's scope).

const CATALOGUE: JobTypeRef[] = [
	{ code: 'confined_space', name: '有限空间作业人员' },
	{ code: 'electrician', name: '电工作业（低压电工）' },
	{ code: 'welding', name: '焊接与热切割作业' },
	{ code: 'height_work', name: '高处作业（登高架设）' },
]
const ORGS = [
	{ id: 'org-coal', name: '示范煤业有限公司' },
	{ id: 'org-coal-team', name: '综采一队' },
]
const TODAY = '2026-06-01'
const OPTIONS = { catalogue: CATALOGUE, orgs: ORGS, today: TODAY }

type Header = (typeof ROSTER_HEADERS)[number]
type Cells = Partial<Record<Header, string>>

const HEADER = [...ROSTER_HEADERS]
const row = (cells: Cells) => HEADER.map((h) => cells[h] ?? '')

const PERSON: Cells = {
	姓名: '王志刚',
	手机号: '13700000001',
	身份证号: testIdNumber(1),
	人员类别: '一般从业人员',
	用工形式: '正式',
	工种: '有限空间作业人员',
	入职日期: '2024-03-01',
	岗位: '检修工',
}

/** Parses a sheet of the header and these rows (the first data row is spreadsheet row 2). */
const parse = (...rows: Cells[]) => parseRosterRows([HEADER, ...rows.map(row)], OPTIONS)

/** The problems of a sheet with one row, as [column, message]. */
function problemsOf(cells: Cells) {
	const result = parse({ ...PERSON, ...cells })
	expect(result.entries).toEqual([])
	return result.errors.map((e) => [e.row, e.column, e.message])
}

describe('the header', () => {
	test('is found below title rows, in any column order, with spaces, required marks and notes', () => {
		const rows = [
			['2026 年 示范煤业 人员花名册'],
			[],
			['序号', ' 姓 名 ', '*手机号码', '身份证号码(18位)', '工种', '用工形式', '人员类别', '入职时间', '职务', '备注'],
			['1', '王志刚', '137 0000 0001', testIdNumber(1), '有限空间作业人员', '正式', '一般从业人员', '2024-03-01', '检修工', '夜班'],
		]
		expect(findRosterHeaderRow(rows)).toBe(2)
		const result = parseRosterRows(rows, OPTIONS)
		expect(result.errors).toEqual([])
		expect(result.headerRow).toBe(3)
		expect(result.warnings.map((w) => [w.row, w.column])).toEqual([
			[3, '序号'],
			[3, '备注'],
		])
		expect(result.entries).toEqual([
			{
				row: 4,
				name: '王志刚',
				phone: '13700000001',
				idNumber: testIdNumber(1),
				category: 'general',
				employmentType: 'formal',
				jobTypes: ['confined_space'],
				hiredOn: '2024-03-01',
				position: '检修工',
				orgId: null,
			},
		])
	})

	test('a duplicated column is ignored with a warning', () => {
		const result = parseRosterRows([[...HEADER, '手机'], [...row(PERSON), '13700000099']], OPTIONS)
		expect(result.warnings).toEqual([{ row: 1, column: '手机', message: '重复的列“手机”，已忽略' }])
		expect(result.entries[0]!.phone).toBe('13700000001')
	})

	test('no header at all, or an empty sheet', () => {
		expect(parseRosterRows([['张三', '13700000001']], OPTIONS).errors).toEqual([
			{ row: 1, column: '姓名', message: '没有找到表头：表头行须有“姓名”和“手机号”列，请使用人员导入模板' },
		])
		expect(parseRosterRows([[''], []], OPTIONS).errors[0]!.message).toBe('文件里没有内容')
	})

	test('every missing required column is named; 岗位, 入职日期 and 所属单位 may be left out', () => {
		const result = parseRosterRows([['姓名', '手机号', '工种'], ['王志刚', '13700000001', '']], OPTIONS)
		expect(result.errors).toEqual([
			{ row: 1, column: '身份证号', message: '缺少“身份证号”列' },
			{ row: 1, column: '人员类别', message: '缺少“人员类别”列' },
			{ row: 1, column: '用工形式', message: '缺少“用工形式”列' },
		])
		const minimal = parseRosterRows(
			[
				['姓名', '手机号', '身份证号', '人员类别', '用工形式', '工种'],
				['王志刚', '13700000001', testIdNumber(1), '主要负责人', '正式', ''],
			],
			OPTIONS,
		)
		expect(minimal.errors).toEqual([])
		expect(minimal.entries[0]).toMatchObject({ category: 'principal', jobTypes: [], hiredOn: null, position: null, orgId: null })
	})

	test('a header with no rows below it', () => {
		expect(parse().errors).toEqual([{ row: 1, column: '姓名', message: '表头下面没有人员' }])
	})
})

describe('rows', () => {
	test('blank rows are skipped and row numbers are the spreadsheet’s', () => {
		const result = parse(PERSON, {}, { ...PERSON, 手机号: '13700000002', 身份证号: testIdNumber(2) })
		expect(result.errors).toEqual([])
		expect(result.entries.map((e) => e.row)).toEqual([2, 4])
		expect(countRosterRows([HEADER, row(PERSON), row({}), row(PERSON)])).toBe(2)
	})

	test('the template’s example row is refused', () => {
		expect(problemsOf({ ...EXAMPLE_ROW })).toEqual([[2, '姓名', '这是模板中的示例行，请删除后再导入']])
	})

	test('a row with several problems reports each, in column order', () => {
		const result = parse({ 姓名: '王志刚', 手机号: '123', 身份证号: withWrongCheckDigit(testIdNumber(1)), 人员类别: '工人', 用工形式: '正式', 入职日期: '昨天' })
		expect(result.errors.map((e) => e.column)).toEqual(['手机号', '身份证号', '人员类别', '入职日期'])
		expect(result.errors.every((e) => e.row === 2)).toBe(true)
	})
})

describe('姓名', () => {
	test('missing', () => {
		expect(problemsOf({ 姓名: '' })).toEqual([[2, '姓名', '未填姓名']])
	})
	test('too short, or with digits', () => {
		expect(problemsOf({ 姓名: '王' })).toEqual([[2, '姓名', '姓名至少 2 个字']])
		expect(problemsOf({ 姓名: '王志刚2' })).toEqual([[2, '姓名', '姓名只能包含汉字、字母和间隔号']])
	})
	test('names with an interpunct are fine', () => {
		expect(parse({ ...PERSON, 姓名: '阿依古丽·买买提' }).entries[0]!.name).toBe('阿依古丽·买买提')
	})
})

describe('手机号', () => {
	test('missing or malformed', () => {
		expect(problemsOf({ 手机号: '' })).toEqual([[2, '手机号', '未填手机号']])
		for (const bad of ['1370000000', '12700000001', '0351-1234567', '137000000011']) {
			expect(problemsOf({ 手机号: bad }), bad).toEqual([[2, '手机号', '手机号不正确：应为 11 位手机号，例如 13912345678']])
		}
	})
	test('spaces, dashes, full-width digits and +86 are accepted', () => {
		for (const good of ['137 0000 0001', '137-0000-0001', '１３７０００００００１', '+86 13700000001', '8613700000001']) {
			expect(parsePhone(good), good).toBe('13700000001')
		}
	})
	test('the same phone twice in the file', () => {
		const result = parse(PERSON, { ...PERSON, 姓名: '李春生', 手机号: '137 0000 0001', 身份证号: testIdNumber(2) })
		expect(result.errors).toEqual([{ row: 3, column: '手机号', message: '与第 2 行的手机号重复' }])
		expect(result.entries.map((e) => e.row)).toEqual([2])
	})
})

describe('身份证号', () => {
	test('missing', () => {
		expect(problemsOf({ 身份证号: '' })).toEqual([[2, '身份证号', '未填身份证号']])
	})
	test('wrong check digit, wrong length, impossible birth date', () => {
		const message = '身份证号不正确：应为 18 位，且出生日期和校验位有效'
		expect(problemsOf({ 身份证号: withWrongCheckDigit(testIdNumber(1)) })).toEqual([[2, '身份证号', message]])
		expect(problemsOf({ 身份证号: testIdNumber(1).slice(0, 17) })).toEqual([[2, '身份证号', message]])
		expect(problemsOf({ 身份证号: '99000020001301001X' })).toEqual([[2, '身份证号', message]])
	})
	test('a number Excel turned into scientific notation, and an old 15-digit number', () => {
		expect(problemsOf({ 身份证号: '9.90000200001E+17' })[0]![2]).toMatch(/科学计数法/)
		expect(problemsOf({ 身份证号: '990000000101001' })).toEqual([[2, '身份证号', '这是 15 位的旧身份证号，请填写 18 位身份证号']])
	})
	test('a lower-case x and spaces are normalised', () => {
		const id = testIdNumber(8) // ends in X
		expect(id.endsWith('X')).toBe(true)
		expect(parse({ ...PERSON, 身份证号: ` ${id.toLowerCase().slice(0, 6)} ${id.toLowerCase().slice(6)} ` }).entries[0]!.idNumber).toBe(id)
	})
	test('the same 身份证号 twice in the file', () => {
		const result = parse(PERSON, { ...PERSON, 手机号: '13700000002', 身份证号: testIdNumber(1).toLowerCase() })
		expect(result.errors).toEqual([{ row: 3, column: '身份证号', message: '与第 2 行的身份证号重复' }])
	})
})

describe('人员类别 and 用工形式', () => {
	test('every label and some common other names are understood', () => {
		expect(['主要负责人', '安全管理人员', '特种作业人员', '一般从业人员', '党政领导干部'].map(parseCategory)).toEqual([
			'principal',
			'safety_manager',
			'special_operator',
			'general',
			'party_leader',
		])
		expect([' 特种 作业 ', '安全员', '从业人员'].map(parseCategory)).toEqual(['special_operator', 'safety_manager', 'general'])
		expect(['正式', '劳务派遣', '外包', '灵活用工', '派遣', '临时工'].map(parseEmploymentType)).toEqual([
			'formal',
			'dispatched',
			'outsourced',
			'flexible',
			'dispatched',
			'flexible',
		])
	})
	test('missing or unknown', () => {
		expect(problemsOf({ 人员类别: '' })).toEqual([[2, '人员类别', '未填人员类别（主要负责人、安全管理人员、特种作业人员、一般从业人员、党政领导干部）']])
		expect(problemsOf({ 人员类别: '工人' })).toEqual([
			[2, '人员类别', '人员类别“工人”无法识别，应为 主要负责人、安全管理人员、特种作业人员、一般从业人员、党政领导干部 之一'],
		])
		expect(problemsOf({ 用工形式: '' })).toEqual([[2, '用工形式', '未填用工形式（正式、劳务派遣、外包、灵活用工）']])
		expect(problemsOf({ 用工形式: '兼职' })).toEqual([[2, '用工形式', '用工形式“兼职”无法识别，应为 正式、劳务派遣、外包、灵活用工 之一']])
	})
})

describe('工种', () => {
	test('several, by name, short name or code, separated by 、 , ；or /', () => {
		const result = parse({ ...PERSON, 工种: '有限空间作业人员、electrician ,高处作业；焊接与热切割作业/有限空间作业人员' })
		expect(result.errors).toEqual([])
		expect(result.entries[0]!.jobTypes).toEqual(['confined_space', 'electrician', 'height_work', 'welding'])
	})
	test('blank means none', () => {
		expect(parse({ ...PERSON, 人员类别: '主要负责人', 工种: '' }).entries[0]!.jobTypes).toEqual([])
	})
	test('unknown job types are listed', () => {
		expect(problemsOf({ 工种: '有限空间作业人员、挖掘机司机、厨师' })).toEqual([
			[2, '工种', '未知的工种：挖掘机司机、厨师（请填工种目录中的名称或代码，多个用“、”分隔）'],
		])
	})
	test('“全部” is not a job type of a person', () => {
		expect(problemsOf({ 工种: '全部' })).toEqual([[2, '工种', '工种请填写具体的工种名称，不能填“全部”']])
	})
	test('at most ten', () => {
		const many = Array.from({ length: 11 }, (_, i) => ({ code: `job${i}`, name: `工种${i}` }))
		const result = parseRosterRows([HEADER, row({ ...PERSON, 工种: many.map((j) => j.name).join('、') })], { ...OPTIONS, catalogue: many })
		expect(result.errors).toEqual([{ row: 2, column: '工种', message: '一个人最多 10 个工种，这里有 11 个' }])
	})
})

describe('入职日期', () => {
	test('the notations of Chinese spreadsheets and Excel day numbers', () => {
		expect(parseDate('2026-01-05')).toBe('2026-01-05')
		expect(parseDate('2026/1/5')).toBe('2026-01-05')
		expect(parseDate('2026.1.5')).toBe('2026-01-05')
		expect(parseDate('2026年1月5日')).toBe('2026-01-05')
		expect(parseDate('20260105')).toBe('2026-01-05')
		expect(parseDate('2026-01-05 00:00:00')).toBe('2026-01-05')
		expect(parseDate('45292')).toBe('2024-01-01')
		expect(parseDate('２０２６－０１－０５')).toBe('2026-01-05')
	})
	test('not a date, or no such day', () => {
		expect(problemsOf({ 入职日期: '去年三月' })).toEqual([[2, '入职日期', '入职日期“去年三月”无法识别，应为 2026-01-31 这样的日期']])
		expect(problemsOf({ 入职日期: '2026-02-30' })).toEqual([[2, '入职日期', '入职日期“2026-02-30”无法识别，应为 2026-01-31 这样的日期']])
		expect(problemsOf({ 入职日期: '2026-13-01' })[0]![1]).toBe('入职日期')
	})
	test('before 1950 or more than a year ahead', () => {
		expect(problemsOf({ 入职日期: '1949-12-31' })).toEqual([[2, '入职日期', '入职日期 1949-12-31 不合理：应在 1950 年以后，且不晚于 2027-06-02']])
		expect(problemsOf({ 入职日期: '2027-07-01' })[0]![1]).toBe('入职日期')
		expect(parse({ ...PERSON, 入职日期: '2026-09-01' }).entries[0]!.hiredOn).toBe('2026-09-01')
	})
})

describe('岗位 and 所属单位', () => {
	test('岗位 of more than 40 characters', () => {
		expect(problemsOf({ 岗位: '检'.repeat(41) })).toEqual([[2, '岗位', '岗位不能超过 40 个字']])
	})
	test('所属单位 names an organisation the manager manages, spaces aside', () => {
		expect(parse({ ...PERSON, 所属单位: ' 综采 一队 ' }).entries[0]!.orgId).toBe('org-coal-team')
	})
	test('an organisation outside the manager’s scope is refused without saying whether it exists', () => {
		expect(problemsOf({ 所属单位: '示范化工有限公司' })).toEqual([[2, '所属单位', '所属单位“示范化工有限公司”不是您管理的单位']])
	})
	test('two organisations of the same name', () => {
		const result = parseRosterRows([HEADER, row({ ...PERSON, 所属单位: '综采一队' })], { ...OPTIONS, orgs: [...ORGS, { id: 'org-other', name: '综采一队' }] })
		expect(result.errors[0]).toMatchObject({ row: 2, column: '所属单位' })
		expect(result.errors[0]!.message).toMatch(/有 2 个单位叫“综采一队”/)
	})
})

// ---- matching against the registered people ------------------------------------------------------

function entry(row: number, phone: string, idSeq: number, more: Partial<RosterEntry> = {}): RosterEntry {
	return {
		row,
		name: '王志刚',
		phone,
		idNumber: testIdNumber(idSeq),
		category: 'general',
		employmentType: 'formal',
		jobTypes: [],
		hiredOn: null,
		position: null,
		orgId: null,
		...more,
	}
}

const MINE: ExistingPerson = { id: 'p-mine', orgId: 'org-coal', manageable: true }
const OTHER_MINE: ExistingPerson = { id: 'p-mine-2', orgId: 'org-coal', manageable: true }
const THEIRS: ExistingPerson = { id: 'p-theirs', orgId: 'org-chem', manageable: false }

describe('planRoster', () => {
	test('rows matching nobody are created in their own or the default organisation', () => {
		const plan = planRoster([entry(2, '13700000001', 1), entry(3, '13700000002', 2, { orgId: 'org-coal-team' })], { byPhone: new Map(), byIdNumber: new Map() }, 'org-coal')
		expect(plan.errors).toEqual([])
		expect(plan.creates.map((e) => [e.row, e.orgId])).toEqual([
			[2, 'org-coal'],
			[3, 'org-coal-team'],
		])
		expect(plan.updates).toEqual([])
	})

	test('a person of mine matched by phone or by 身份证号 is updated, staying in their organisation', () => {
		const plan = planRoster(
			[entry(2, '13700000001', 1), entry(3, '13700000002', 2)],
			{ byPhone: new Map([['13700000001', MINE]]), byIdNumber: new Map([[testIdNumber(2), OTHER_MINE]]) },
			'org-coal-team',
		)
		expect(plan.errors).toEqual([])
		expect(plan.creates).toEqual([])
		expect(plan.updates.map((u) => [u.row, u.personId, u.orgId, u.currentOrgId])).toEqual([
			[2, 'p-mine', null, 'org-coal'],
			[3, 'p-mine-2', null, 'org-coal'],
		])
	})

	test('a phone or 身份证号 of someone outside my scope is taken, without saying whose', () => {
		const plan = planRoster(
			[entry(2, '13700000001', 1), entry(3, '13700000002', 2)],
			{ byPhone: new Map([['13700000001', THEIRS]]), byIdNumber: new Map([[testIdNumber(2), THEIRS]]) },
			'org-coal',
		)
		expect(plan.creates).toEqual([])
		expect(plan.updates).toEqual([])
		expect(plan.errors).toEqual([
			{ row: 2, column: '手机号', message: '该手机号已被其他单位的人员使用，不能导入' },
			{ row: 3, column: '身份证号', message: '该身份证号已在其他单位登记，不能导入' },
		])
		expect(JSON.stringify(plan.errors)).not.toMatch(/p-theirs|org-chem/)
	})

	test('the phone of one person with the 身份证号 of another is an error', () => {
		const plan = planRoster([entry(2, '13700000001', 2)], { byPhone: new Map([['13700000001', MINE]]), byIdNumber: new Map([[testIdNumber(2), OTHER_MINE]]) }, 'org-coal')
		expect(plan.errors).toEqual([{ row: 2, column: '身份证号', message: '手机号和身份证号分别属于名册中的两个不同人员，无法确定要更新谁，请核对' }])
		expect(plan.updates).toEqual([])
	})

	test('two rows that are the same registered person', () => {
		const plan = planRoster(
			[entry(2, '13700000001', 1), entry(5, '13700000009', 9)],
			{ byPhone: new Map([['13700000001', MINE]]), byIdNumber: new Map([[testIdNumber(9), MINE]]) },
			'org-coal',
		)
		expect(plan.errors).toEqual([{ row: 5, column: '身份证号', message: '与第 2 行是名册中的同一个人' }])
		expect(plan.updates.map((u) => u.row)).toEqual([2])
	})

	test('a new person needs an organisation: the default or 所属单位', () => {
		const plan = planRoster([entry(2, '13700000001', 1)], { byPhone: new Map(), byIdNumber: new Map() }, null)
		expect(plan.errors).toEqual([{ row: 2, column: '所属单位', message: '请在上传页选择单位，或在这一列填写所属单位' }])
	})
})
