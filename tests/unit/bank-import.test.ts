import { describe, expect, test } from 'vitest'
import {
	countQuestionRows,
	findHeaderRow,
	parseQuestionRows,
	questionToRow,
	TEMPLATE_HEADERS,
	type ImportResult,
	type JobTypeRef,
} from '#app/bank/import.ts'
import { normalizedStem } from '#app/bank/question-file.ts'
import type { QuestionInput } from '#app/bank/question.ts'

// The question-spreadsheet parser on plain rows of cell strings: header variants, the notations
// Chinese exam systems write, and every problem reported with its row and column.

const CATALOGUE: JobTypeRef[] = [
	{ code: 'confined_space', name: '有限空间作业人员' },
	{ code: 'electrician', name: '电工作业（低压电工）' },
	{ code: 'welding', name: '焊接与热切割作业' },
]

const HEADER = [...TEMPLATE_HEADERS]
type Cells = Partial<Record<(typeof TEMPLATE_HEADERS)[number], string>>

/** A row in the template's columns. */
function row(cells: Cells): string[] {
	return HEADER.map((h) => cells[h] ?? '')
}

const SINGLE: Cells = {
	题型: '单选题',
	题干: '发现有人触电，首先应当（　）。',
	选项A: '立即切断电源',
	选项B: '用手把人拉开',
	选项C: '打电话等待救援',
	答案: 'A',
	解析: '发现有人触电应立即切断电源或用绝缘物使触电者脱离电源，不能直接用手拉。',
	难度: '2',
	适用工种: '电工作业（低压电工）',
	知识类别: '专业知识',
	知识点: '触电急救',
}
const MULTIPLE: Cells = {
	题型: '多选题',
	题干: '动火作业前应做好下列哪些工作（　）。',
	选项A: '办理动火作业许可',
	选项B: '清除周围可燃物',
	选项C: '配备灭火器材',
	选项D: '关闭现场照明',
	答案: 'ABC',
	解析: '动火前须办理许可、清除可燃物并配备灭火器材，关闭照明与防火无关且影响作业安全。',
	难度: '3',
	适用工种: '焊接与热切割作业',
	知识类别: '专业知识',
	知识点: '动火作业',
}
const JUDGE: Cells = {
	题型: '判断题',
	题干: '有限空间作业应当先通风、再检测、后作业。',
	答案: '正确',
	解析: '有限空间作业必须执行先通风、再检测、后作业的要求。',
	难度: '1',
	适用工种: '全部',
	知识类别: '通用知识',
	知识点: '有限空间',
}

function parse(rows: string[][], existing: string[] = []) {
	return parseQuestionRows(rows, CATALOGUE, { existingStems: new Set(existing.map(normalizedStem)) })
}

/** Parses one question row under the template header and returns the question (asserting no errors). */
function parseOne(cells: Cells) {
	const result = parse([HEADER, row(cells)])
	expect(result.errors).toEqual([])
	expect(result.questions).toHaveLength(1)
	return result.questions[0]!.input
}

/** The problems of one row under the template header. */
function errorsOf(cells: Cells, existing: string[] = []) {
	const result = parse([HEADER, row(cells)], existing)
	expect(result.questions).toHaveLength(0)
	return result.errors
}

const pick = (result: ImportResult) => result.questions.map((q) => q.input)

describe('the template itself', () => {
	test('reads one question of each type in the template columns', () => {
		const result = parse([HEADER, row(SINGLE), row(MULTIPLE), row(JUDGE)])
		expect(result.errors).toEqual([])
		expect(result.warnings).toEqual([])
		expect(result.headerRow).toBe(1)
		expect(result.questions.map((q) => q.row)).toEqual([2, 3, 4])
		expect(pick(result)).toEqual([
			{
				type: 'single',
				stem: SINGLE.题干,
				options: ['立即切断电源', '用手把人拉开', '打电话等待救援'],
				answer: 'A',
				explanation: SINGLE.解析,
				difficulty: 2,
				part: 'professional',
				forAllJobTypes: false,
				jobTypes: ['electrician'],
				categories: null,
				topics: ['触电急救'],
			},
			expect.objectContaining({ type: 'multiple', answer: 'ABC', options: ['办理动火作业许可', '清除周围可燃物', '配备灭火器材', '关闭现场照明'], jobTypes: ['welding'] }),
			expect.objectContaining({ type: 'judge', answer: true, options: [], forAllJobTypes: true, jobTypes: [], part: 'general', difficulty: 1 }),
		])
	})

	test('questionToRow writes what the parser reads back', () => {
		const questions: QuestionInput[] = [parseOne(SINGLE), parseOne(MULTIPLE), parseOne(JUDGE), { ...parseOne(JUDGE), stem: '电气设备着火时，可以用水直接扑救。', answer: false }]
		const rows = [HEADER, ...questions.map((q) => questionToRow(q, CATALOGUE))]
		expect(rows[4]![TEMPLATE_HEADERS.indexOf('答案')]).toBe('错误')
		expect(pick(parse(rows))).toEqual(questions)
	})
})

describe('finding the header', () => {
	test('title rows above the header are skipped and rows keep their spreadsheet numbers', () => {
		const rows = [['2025年度安全生产培训题库'], ['编制单位：县应急管理局', '', '日期：2025-03-01'], [], HEADER, row(SINGLE), row(JUDGE)]
		expect(findHeaderRow(rows)).toBe(3)
		const result = parse(rows)
		expect(result.errors).toEqual([])
		expect(result.headerRow).toBe(4)
		expect(result.questions.map((q) => q.row)).toEqual([5, 6])
	})

	test('a file without a 题干-like column is refused', () => {
		const result = parse([['姓名', '手机号'], ['张三', '13900000000']])
		expect(result.questions).toEqual([])
		expect(result.errors).toEqual([{ row: 1, column: '题干', message: expect.stringContaining('没有找到表头') }])
	})

	test.each(['题型', '答案', '解析'])('a header without the required column %s is refused', (column) => {
		const header = HEADER.filter((h) => h !== column)
		const result = parse([header, header.map((h) => (SINGLE as Record<string, string>)[h] ?? '')])
		expect(result.questions).toEqual([])
		expect(result.errors).toEqual([{ row: 1, column, message: `缺少“${column}”列` }])
	})

	test('question rows are counted by the columns the importer reads (the 5000-row limit)', () => {
		// A template with 序号 filled far down below a few questions is not 8000 questions.
		const rows = [['题库'], ['序号', ...HEADER], ['1', ...row(SINGLE)], ['2', ...row(JUDGE)], ...Array.from({ length: 8000 }, (_, i) => [String(i + 3)])]
		expect(countQuestionRows(rows)).toBe(2)
		expect(countQuestionRows([['没有表头'], ['第二行'], [], ['第四行']])).toBe(3)
	})

	test('a header with nothing below it is reported', () => {
		expect(parse([HEADER, []]).errors).toEqual([{ row: 1, column: '题干', message: '表头下面没有题目' }])
	})

	test('header cells may carry required marks, notes in brackets and spaces', () => {
		const header = ['*题型', '题 干（必填）', 'A', 'B', '答案(必填)', '解析：', '难度[1-5]']
		const result = parse([header, ['单选', '下列哪项是安全电压等级（　）。', '36V', '220V', 'A', '我国安全电压额定值有 42V、36V、24V、12V、6V。', '2']])
		expect(result.errors).toEqual([])
		expect(pick(result)[0]).toMatchObject({ type: 'single', options: ['36V', '220V'], answer: 'A', difficulty: 2 })
	})
})

describe('header synonyms', () => {
	/** The template header with one column renamed. */
	const renamed = (column: string, name: string) => HEADER.map((h) => (h === column ? name : h))

	test.each(['试题类型', '题目类型', '题型', '类型'])('题型 as %s', (name) => {
		const result = parse([renamed('题型', name), row(SINGLE)])
		expect(result.errors).toEqual([])
		expect(pick(result)[0]!.type).toBe('single')
	})

	test.each(['试题内容', '题目', '问题', '题干', '试题'])('题干 as %s', (name) => {
		const result = parse([['某某单位题库'], renamed('题干', name), row(SINGLE)])
		expect(result.errors).toEqual([])
		expect(result.headerRow).toBe(2)
		expect(pick(result)[0]!.stem).toBe(SINGLE.题干)
	})

	test.each([
		['A', 'B', 'C', 'D'],
		['选项A', '选项B', '选项C', '选项D'],
		['选项a', '选项b', '选项c', '选项d'],
		['A选项', 'B选项', 'C选项', 'D选项'],
		['Ａ', 'Ｂ', 'Ｃ', 'Ｄ'],
		['选项 A', '选项 B', '选项 C', '选项 D'],
	])('option columns as %s %s %s %s', (...names) => {
		const header = ['题型', '题干', ...names, '答案', '解析']
		const result = parse([header, ['多选题', MULTIPLE.题干!, '办理动火作业许可', '清除周围可燃物', '配备灭火器材', '关闭现场照明', 'ABC', MULTIPLE.解析!]])
		expect(result.errors).toEqual([])
		expect(pick(result)[0]!.options).toEqual(['办理动火作业许可', '清除周围可燃物', '配备灭火器材', '关闭现场照明'])
	})

	test.each(['正确答案', '参考答案', '答案', '标准答案'])('答案 as %s', (name) => {
		const result = parse([renamed('答案', name), row(MULTIPLE)])
		expect(result.errors).toEqual([])
		expect(pick(result)[0]!.answer).toBe('ABC')
	})

	test.each(['答案解析', '试题解析', '解析'])('解析 as %s', (name) => {
		const result = parse([renamed('解析', name), row(SINGLE)])
		expect(result.errors).toEqual([])
		expect(pick(result)[0]!.explanation).toBe(SINGLE.解析)
	})

	test.each(['难度', '难易度', '难度系数'])('难度 as %s', (name) => {
		const result = parse([renamed('难度', name), row({ ...SINGLE, 难度: '4' })])
		expect(result.errors).toEqual([])
		expect(result.warnings).toEqual([])
		expect(pick(result)[0]!.difficulty).toBe(4)
	})

	test.each(['分类', '知识类型', '知识类别'])('知识类别 as %s', (name) => {
		const result = parse([renamed('知识类别', name), row(SINGLE)])
		expect(result.errors).toEqual([])
		expect(pick(result)[0]!.part).toBe('professional')
	})

	test.each(['知识点', '考点', '标签'])('知识点 as %s', (name) => {
		const result = parse([renamed('知识点', name), row({ ...SINGLE, 知识点: '触电急救、心肺复苏' })])
		expect(result.errors).toEqual([])
		expect(pick(result)[0]!.topics).toEqual(['触电急救', '心肺复苏'])
	})

	test.each(['适用工种', '工种', '岗位'])('适用工种 as %s', (name) => {
		const result = parse([renamed('适用工种', name), row(SINGLE)])
		expect(result.errors).toEqual([])
		expect(pick(result)[0]!.jobTypes).toEqual(['electrician'])
	})

	test('columns may come in any order', () => {
		const header = [...HEADER].reverse()
		const result = parse([header, [...row(SINGLE)].reverse(), [...row(JUDGE)].reverse()])
		expect(result.errors).toEqual([])
		expect(pick(result)).toEqual(pick(parse([HEADER, row(SINGLE), row(JUDGE)])))
	})

	test('unknown columns are ignored with a warning naming each', () => {
		const header = ['序号', ...HEADER, '出题人', '备注']
		const result = parse([header, ['1', ...row(SINGLE), '张工', '2024 年新增']])
		expect(result.errors).toEqual([])
		expect(result.questions).toHaveLength(1)
		expect(result.warnings).toEqual([
			{ row: 1, column: '序号', message: '未识别的列“序号”，已忽略' },
			{ row: 1, column: '出题人', message: '未识别的列“出题人”，已忽略' },
			{ row: 1, column: '备注', message: '未识别的列“备注”，已忽略' },
		])
	})

	test('a second column for the same field is ignored with a warning', () => {
		const result = parse([[...HEADER, '参考答案'], [...row(SINGLE), 'B']])
		expect(pick(result)[0]!.answer).toBe('A')
		expect(result.warnings).toEqual([{ row: 1, column: '参考答案', message: '重复的列“参考答案”，已忽略' }])
	})
})

describe('notations in the cells', () => {
	test.each([
		['AB', 'AB'],
		['A,B', 'AB'],
		['A，B', 'AB'],
		['A、B', 'AB'],
		['A B', 'AB'],
		['a b', 'AB'],
		['ab', 'AB'],
		['ＡＢ', 'AB'],
		['B A', 'AB'],
		[' A;B ', 'AB'],
	])('multiple-choice answer %j reads as %s', (answer, expected) => {
		expect(parseOne({ ...MULTIPLE, 答案: answer }).answer).toBe(expected)
	})

	test.each(['b', 'Ｂ', ' B '])('single-choice answer %j reads as B', (answer) => {
		expect(parseOne({ ...SINGLE, 答案: answer }).answer).toBe('B')
	})

	test.each([
		['对', '错'],
		['正确', '错误'],
		['√', '×'],
		['✓', '✗'],
		['A', 'B'],
		['a', 'b'],
		['T', 'F'],
		['Y', 'N'],
		['是', '否'],
		['true', 'false'],
		['TRUE', 'FALSE'],
	])('判断题 answers %s / %s', (yes, no) => {
		expect(parseOne({ ...JUDGE, 答案: yes }).answer).toBe(true)
		expect(parseOne({ ...JUDGE, 答案: no }).answer).toBe(false)
	})

	test('判断题 with options 正确/错误 reads a letter through them', () => {
		expect(parseOne({ ...JUDGE, 选项A: '错误', 选项B: '正确', 答案: 'B' })).toMatchObject({ answer: true, options: [] })
		const result = parse([HEADER, row({ ...JUDGE, 选项A: '正确', 选项B: '错误', 答案: 'A' })])
		expect(result.warnings).toEqual([])
		expect(pick(result)[0]!.answer).toBe(true)
	})

	test('判断题 with other options keeps the answer and warns that the options are dropped', () => {
		const result = parse([HEADER, row({ ...JUDGE, 选项A: '通风', 答案: '对' })])
		expect(pick(result)[0]).toMatchObject({ answer: true, options: [] })
		expect(result.warnings).toEqual([{ row: 2, column: '选项', message: '判断题不需要选项，已忽略' }])
	})

	test.each([
		['单选', 'single'],
		['单选题', 'single'],
		['单项选择题', 'single'],
		['单项选择', 'single'],
		[' 单选题 ', 'single'],
	] as const)('题型 %j is a single choice', (type, expected) => {
		expect(parseOne({ ...SINGLE, 题型: type }).type).toBe(expected)
	})

	test.each(['多选', '多选题', '多项选择题', '不定项选择题'])('题型 %j is a multiple choice', (type) => {
		expect(parseOne({ ...MULTIPLE, 题型: type }).type).toBe('multiple')
	})

	test.each(['判断', '判断题'])('题型 %j is a true/false question', (type) => {
		expect(parseOne({ ...JUDGE, 题型: type }).type).toBe('judge')
	})

	test.each([
		['易', 1],
		['较易', 2],
		['中', 3],
		['较难', 4],
		['难', 5],
		['1', 1],
		['5', 5],
		['３', 3],
		['4.0', 4],
	] as const)('难度 %j is %i', (cell, expected) => {
		expect(parseOne({ ...SINGLE, 难度: cell }).difficulty).toBe(expected)
	})

	test.each([
		['通用知识', 'general'],
		['通用', 'general'],
		['专业知识', 'professional'],
		['专业', 'professional'],
	] as const)('知识类别 %j is %s', (cell, expected) => {
		expect(parseOne({ ...SINGLE, 知识类别: cell }).part).toBe(expected)
	})

	test('适用工种: names separated by 、 or ，, codes, and a name without its bracketed note', () => {
		expect(parseOne({ ...SINGLE, 适用工种: '电工作业（低压电工）、焊接与热切割作业' }).jobTypes).toEqual(['electrician', 'welding'])
		expect(parseOne({ ...SINGLE, 适用工种: '有限空间作业人员，welding' }).jobTypes).toEqual(['confined_space', 'welding'])
		expect(parseOne({ ...SINGLE, 适用工种: '电工作业(低压电工)' }).jobTypes).toEqual(['electrician'])
		expect(parseOne({ ...SINGLE, 适用工种: '电工作业' }).jobTypes).toEqual(['electrician'])
	})

	test.each(['全部', '通用', '全部工种'])('适用工种 %j means every job type', (cell) => {
		expect(parseOne({ ...SINGLE, 适用工种: cell })).toMatchObject({ forAllJobTypes: true, jobTypes: [] })
	})

	test.each(['触电急救、绝缘防护', '触电急救,绝缘防护', '触电急救；绝缘防护', '触电急救，绝缘防护、触电急救'])('知识点 %j', (cell) => {
		expect(parseOne({ ...SINGLE, 知识点: cell }).topics).toEqual(['触电急救', '绝缘防护'])
	})

	test('blank rows are skipped (also rows with only a number in an unknown column)', () => {
		const result = parse([['序号', ...HEADER], ['1', ...row(SINGLE)], [], ['', '', ' '], ['3'], ['4', ...row(JUDGE)], ['5']])
		expect(result.errors).toEqual([])
		expect(result.questions.map((q) => q.row)).toEqual([2, 6])
	})

	test('cells are trimmed and the apostrophe an export puts before = + - @ is dropped', () => {
		const q = parseOne({ ...SINGLE, 题干: '  冷库作业环境温度通常为（　）。 ', 选项A: "'-18℃左右", 选项B: "'+40℃左右", 选项C: '常温' })
		expect(q.stem).toBe('冷库作业环境温度通常为（　）。')
		expect(q.options).toEqual(['-18℃左右', '+40℃左右', '常温'])
	})

	test('blank 难度, 知识类别 and 适用工种 take defaults, with one warning each naming the rows', () => {
		const result = parse([HEADER, row({ ...SINGLE, 难度: '', 知识类别: '', 适用工种: '' }), row({ ...JUDGE, 难度: '' })])
		expect(result.errors).toEqual([])
		expect(pick(result)[0]).toMatchObject({ difficulty: 3, part: 'general', forAllJobTypes: true, jobTypes: [] })
		expect(result.warnings).toEqual([
			{ row: 2, column: '难度', message: '2 道题（第 2、3 行）未填难度，按难度 3（中）导入' },
			{ row: 2, column: '知识类别', message: '1 道题（第 2 行）未填知识类别，按“通用知识”导入' },
			{ row: 2, column: '适用工种', message: '1 道题（第 2 行）未填适用工种，按“全部工种”导入' },
		])
	})

	test('a file without 难度, 知识类别 and 适用工种 columns imports with defaults and says so once', () => {
		const result = parse([['题型', '题干', 'A', 'B', '答案', '解析'], ['单选题', SINGLE.题干!, '立即切断电源', '用手把人拉开', 'A', SINGLE.解析!]])
		expect(result.errors).toEqual([])
		expect(pick(result)[0]).toMatchObject({ difficulty: 3, part: 'general', forAllJobTypes: true })
		expect(result.warnings.map((w) => w.column)).toEqual(['难度', '知识类别', '适用工种'])
	})
})

describe('problems, each with its row and column', () => {
	test('unknown 题型', () => {
		expect(errorsOf({ ...SINGLE, 题型: '填空题' })).toEqual([{ row: 2, column: '题型', message: '无法识别的题型“填空题”，应为 单选题、多选题 或 判断题' }])
		expect(errorsOf({ ...SINGLE, 题型: '' })).toEqual([{ row: 2, column: '题型', message: expect.stringContaining('未填题型') }])
	})

	test('missing 题干', () => {
		expect(errorsOf({ ...SINGLE, 题干: '' })).toEqual([{ row: 2, column: '题干', message: '未填题干' }])
	})

	test('answer not among the options', () => {
		expect(errorsOf({ ...SINGLE, 答案: 'D' })).toEqual([{ row: 2, column: '答案', message: '答案 D 不在选项中（本题只有 3 个选项 A–C）' }])
		expect(errorsOf({ ...MULTIPLE, 答案: 'AE' })).toEqual([{ row: 2, column: '答案', message: expect.stringContaining('答案 E 不在选项中') }])
	})

	test('answer that is not letters', () => {
		expect(errorsOf({ ...SINGLE, 答案: '正确' })).toEqual([{ row: 2, column: '答案', message: '答案“正确”无法识别，应为选项字母，如 B 或 ACD' }])
		expect(errorsOf({ ...SINGLE, 答案: '' })).toEqual([{ row: 2, column: '答案', message: '未填答案' }])
	})

	test('single choice with several answers', () => {
		expect(errorsOf({ ...SINGLE, 答案: 'A,B' })).toEqual([{ row: 2, column: '答案', message: '单选题只能有一个答案，这里是 AB' }])
	})

	test('multiple choice with fewer than two answers', () => {
		expect(errorsOf({ ...MULTIPLE, 答案: 'c' })).toEqual([{ row: 2, column: '答案', message: '多选题至少要有两个答案，这里只有 C' }])
	})

	test('判断题 answer that is not true or false', () => {
		expect(errorsOf({ ...JUDGE, 答案: '不一定' })).toEqual([{ row: 2, column: '答案', message: expect.stringContaining('判断题的答案“不一定”无法识别') }])
		expect(errorsOf({ ...JUDGE, 答案: 'C' })).toEqual([{ row: 2, column: '答案', message: expect.stringContaining('判断题的答案“C”无法识别') }])
	})

	test('fewer than two options', () => {
		expect(errorsOf({ ...SINGLE, 选项B: '', 选项C: '' })).toEqual([{ row: 2, column: '选项', message: '选择题至少要有 2 个选项，这里只有 1 个' }])
	})

	test('a gap between options', () => {
		expect(errorsOf({ ...MULTIPLE, 选项B: '' })).toEqual([{ row: 2, column: '选项B', message: '选项B为空，但后面还有选项C' }])
	})

	test('the same option twice', () => {
		expect(errorsOf({ ...SINGLE, 选项C: '立即切断电源' })).toEqual([{ row: 2, column: '选项', message: '选项重复：立即切断电源' }])
	})

	test('unknown 工种 name', () => {
		expect(errorsOf({ ...SINGLE, 适用工种: '电工作业（低压电工）、飞行员' })).toEqual([
			{ row: 2, column: '适用工种', message: expect.stringContaining('未知的工种：飞行员') },
		])
	})

	test.each(['0', '6', '2.5', '-1'])('难度 %s out of range', (cell) => {
		expect(errorsOf({ ...SINGLE, 难度: cell })).toEqual([{ row: 2, column: '难度', message: `难度 ${cell} 超出范围，应为 1–5 的整数` }])
	})

	test('难度 that is not a number or a level', () => {
		expect(errorsOf({ ...SINGLE, 难度: '很难' })).toEqual([{ row: 2, column: '难度', message: expect.stringContaining('难度“很难”无法识别') }])
	})

	test('unknown 知识类别', () => {
		expect(errorsOf({ ...SINGLE, 知识类别: '法律' })).toEqual([{ row: 2, column: '知识类别', message: expect.stringContaining('知识类别“法律”无法识别') }])
	})

	test('missing 解析 is an error', () => {
		expect(errorsOf({ ...JUDGE, 解析: ' ' })).toEqual([{ row: 2, column: '解析', message: '未填解析（平台要求每道题都有解析）' }])
	})

	test('the same stem twice in the file (ignoring spaces and punctuation)', () => {
		const result = parse([HEADER, row(SINGLE), row(JUDGE), row({ ...SINGLE, 题干: '发现有人触电 首先应当( )' })])
		expect(result.questions.map((q) => q.row)).toEqual([2, 3])
		expect(result.errors).toEqual([{ row: 4, column: '题干', message: '与第 2 行的题干重复' }])
	})

	test('a stem already in the bank', () => {
		expect(errorsOf(JUDGE, ['有限空间作业应当先通风，再检测，后作业'])).toEqual([{ row: 2, column: '题干', message: '题库中已有相同题干的题目' }])
	})

	test('several problems of one row are all reported', () => {
		const errors = errorsOf({ ...SINGLE, 题干: '', 答案: 'AB', 解析: '', 难度: '9', 适用工种: '宇航员' })
		expect(errors.map((e) => e.column)).toEqual(['题干', '答案', '解析', '难度', '适用工种'])
		expect(errors.every((e) => e.row === 2)).toBe(true)
	})

	test('a bad row gives no question; the others are read; row numbers count title rows', () => {
		const result = parse([['题库'], HEADER, row(SINGLE), row({ ...MULTIPLE, 答案: 'Z' }), row(JUDGE)])
		expect(result.questions.map((q) => q.row)).toEqual([3, 5])
		expect(result.errors).toEqual([{ row: 4, column: '答案', message: expect.stringContaining('答案 Z 不在选项中') }])
	})
})
