import type { Answer } from '#db/schema/bank.ts'
import { normalizedStem, OPTION_LETTERS, QUESTION_TYPES, type QuestionType } from './question-file.ts'
import { PART_LABELS, type KnowledgePart, type QuestionInput } from './question.ts'

// Reading a question spreadsheet (already turned into rows of cell strings) into questions.
// Pure: the caller reads the file, the job-type catalogue and the stems already in the bank.
// It accepts what Chinese exam systems write: title rows above the header, other names for the
// columns, any column order, answers as AB / A,B / A、B / ＡＢ, 判断题 as 对/错, √/×, T/F…

/** The columns of the template and of an export, in order. */
export const TEMPLATE_HEADERS = [
	'题型',
	'题干',
	...[...OPTION_LETTERS].map((l) => `选项${l}`),
	'答案',
	'解析',
	'难度',
	'适用工种',
	'知识类别',
	'知识点',
] as const

export const MAX_ROWS = 5000
export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024

export type JobTypeRef = { code: string; name: string }
/** A problem with the file: the spreadsheet's row number (1-based) and the column's name. */
export type ImportIssue = { row: number; column: string; message: string }
export type ImportedQuestion = { row: number; input: QuestionInput }
export type ImportResult = {
	questions: ImportedQuestion[]
	errors: ImportIssue[]
	warnings: ImportIssue[]
	/** 1-based row of the header, null when none was found. */
	headerRow: number | null
}

type Field = 'type' | 'stem' | 'answer' | 'explanation' | 'difficulty' | 'part' | 'topics' | 'jobTypes'

/** The field's name in messages (as in the template). */
const FIELD_LABELS: Record<Field, string> = {
	type: '题型',
	stem: '题干',
	answer: '答案',
	explanation: '解析',
	difficulty: '难度',
	part: '知识类别',
	topics: '知识点',
	jobTypes: '适用工种',
}

const HEADER_SYNONYMS: Record<Field, string[]> = {
	type: ['题型', '试题类型', '题目类型', '类型', '题型名称', '试题题型', '题目题型'],
	stem: ['题干', '试题内容', '题目', '问题', '试题', '题目内容', '题干内容', '试题题干', '题目名称', '问题内容'],
	answer: ['答案', '正确答案', '参考答案', '标准答案'],
	explanation: ['解析', '答案解析', '试题解析', '题目解析', '答题解析'],
	difficulty: ['难度', '难易度', '难度系数', '难易程度', '难度等级'],
	part: ['知识类别', '分类', '知识类型', '知识分类', '类别'],
	topics: ['知识点', '考点', '标签'],
	jobTypes: ['适用工种', '工种', '岗位', '适用岗位'],
}

const HEADER_FIELD = new Map<string, Field>(
	Object.entries(HEADER_SYNONYMS).flatMap(([field, names]) => names.map((n) => [n, field as Field] as const)),
)

/** NFKC (full-width letters and digits to ASCII, ，to ,) and trimmed. */
const nfkc = (s: string) => s.normalize('NFKC').trim()
const compact = (s: string) => nfkc(s).replace(/\s+/g, '').toLowerCase()

/** A header cell reduced to its name: without spaces, required marks (*) and notes in brackets. */
function headerKey(cell: string) {
	return compact(cell)
		.replace(/[*]/g, '')
		.replace(/\([^)]*\)|\[[^\]]*\]|【[^】]*】/g, '')
		.replace(/[:：]$/, '')
}

type Column = { field: Field } | { option: number }

function columnOf(cell: string): Column | null {
	const key = headerKey(cell)
	if (!key) return null
	const field = HEADER_FIELD.get(key)
	if (field) return { field }
	const option = key.match(/^(?:选项)?([a-h])(?:选项)?$/)
	if (option) return { option: OPTION_LETTERS.indexOf(option[1]!.toUpperCase()) }
	return null
}

/** How far down a header may be (title rows, notes above it). */
const HEADER_SEARCH_ROWS = 30

/** 0-based index of the header: the first row naming a 题干-like column; -1 if none. */
export function findHeaderRow(rows: readonly (readonly string[])[]) {
	const limit = Math.min(rows.length, HEADER_SEARCH_ROWS)
	for (let i = 0; i < limit; i++) {
		if (rows[i]!.some((cell) => HEADER_FIELD.get(headerKey(cell ?? '')) === 'stem')) return i
	}
	return -1
}

const isBlankRow = (row: readonly string[] | undefined) => !row || row.every((c) => !c || !c.trim())

/**
 * Question rows: rows below the header with something in a column the importer reads (a 序号
 * filled far down an empty template does not count), or all non-blank rows when there is no header.
 */
export function countQuestionRows(rows: readonly (readonly string[])[]) {
	const header = findHeaderRow(rows)
	const columns = header < 0 ? null : rows[header]!.flatMap((cell, i) => (columnOf(cell ?? '') ? [i] : []))
	let n = 0
	for (let i = header + 1; i < rows.length; i++) {
		const row = rows[i]
		if (!row) continue
		if (columns ? columns.some((c) => cellValue(row[c])) : !isBlankRow(row)) n++
	}
	return n
}

// ---- cell notations ----------------------------------------------------------------------------

const TYPE_WORDS: Record<QuestionType, string[]> = {
	single: ['单选', '单选题', '单项选择', '单项选择题', 'single'],
	multiple: ['多选', '多选题', '多项选择', '多项选择题', '不定项选择', '不定项选择题', '不定项', 'multiple'],
	judge: ['判断', '判断题', '是非题', '对错题', 'judge'],
}
const TYPE_OF = new Map(Object.entries(TYPE_WORDS).flatMap(([type, words]) => words.map((w) => [w, type as QuestionType] as const)))

export function parseQuestionType(cell: string): QuestionType | null {
	return TYPE_OF.get(compact(cell)) ?? null
}

const TRUE_WORDS = ['对', '正确', '√', '✓', '✔', '☑', 'a', 't', 'true', 'y', 'yes', '是']
const FALSE_WORDS = ['错', '错误', '×', '✗', '✘', '☒', 'x', 'b', 'f', 'false', 'n', 'no', '否']

/** 判断题 answers: 对/错, 正确/错误, √/×, ✓/✗, A/B (A = 正确), T/F, Y/N, 是/否, true/false. */
export function parseJudgeAnswer(cell: string): boolean | null {
	const key = compact(cell).replace(/[.。!！]$/, '')
	if (TRUE_WORDS.includes(key)) return true
	if (FALSE_WORDS.includes(key)) return false
	return null
}

/** Choice answers: AB, A,B, A、B, A B, a b, ＡＢ → "AB" (sorted, each letter once); null if not letters. */
export function parseChoiceAnswer(cell: string): string | null {
	const letters = nfkc(cell)
		.toUpperCase()
		.replace(/[\s,、;；/|.．·]+/g, '')
	if (!/^[A-Z]+$/.test(letters)) return null
	return [...new Set(letters)].sort().join('')
}

const DIFFICULTY_WORDS: Record<string, number> = {
	易: 1,
	容易: 1,
	简单: 1,
	较易: 2,
	较容易: 2,
	较简单: 2,
	中: 3,
	中等: 3,
	一般: 3,
	适中: 3,
	较难: 4,
	难: 5,
	困难: 5,
}

/** 1–5, or 易/较易/中/较难/难; a number out of range is returned as is for the caller to report. */
export function parseDifficulty(cell: string): number | null {
	const key = compact(cell)
	if (key in DIFFICULTY_WORDS) return DIFFICULTY_WORDS[key]!
	if (/^-?\d+(\.0+)?$/.test(key)) return Number.parseInt(key, 10)
	if (/^-?\d*\.\d+$/.test(key)) return Number(key)
	return null
}

const PART_WORDS: Record<string, KnowledgePart> = {
	通用知识: 'general',
	通用: 'general',
	general: 'general',
	专业知识: 'professional',
	专业: 'professional',
	professional: 'professional',
}

export function parsePart(cell: string): KnowledgePart | null {
	return PART_WORDS[compact(cell)] ?? null
}

const ALL_JOB_WORDS = ['全部', '通用', '全部工种', '所有工种', '所有', '全体', 'all']
const LIST_SEPARATORS = /[、,，;；\n]+/

/** Topics: separated by 、 or , or ；(each once, in order). */
export function splitTopics(cell: string) {
	return [...new Set(cell.split(LIST_SEPARATORS).map((t) => t.trim()).filter(Boolean))]
}

/** Job types by name (or code); 全部/通用 for every job type. */
export function parseJobTypes(cell: string, catalogue: readonly JobTypeRef[]) {
	const byKey = new Map<string, string>()
	const byShortName = new Map<string, string[]>()
	for (const job of catalogue) {
		byKey.set(compact(job.name), job.code)
		byKey.set(job.code.toLowerCase(), job.code)
		// 高处作业（登高架设） may be written 高处作业.
		const short = compact(job.name).replace(/\([^)]*\)$/, '')
		if (short !== compact(job.name)) byShortName.set(short, [...(byShortName.get(short) ?? []), job.code])
	}
	const names = splitTopics(cell)
	if (names.some((n) => ALL_JOB_WORDS.includes(compact(n)))) return { forAll: true, codes: [] as string[], unknown: [] as string[] }
	const codes: string[] = []
	const unknown: string[] = []
	for (const name of names) {
		const key = compact(name)
		const code = byKey.get(key) ?? (byShortName.get(key)?.length === 1 ? byShortName.get(key)![0] : undefined)
		if (code) {
			if (!codes.includes(code)) codes.push(code)
		} else unknown.push(name)
	}
	return { forAll: false, codes, unknown }
}

/** A cell as imported: trimmed, without the ' an export puts before = + - @ (against formula injection). */
export function cellValue(cell: string | undefined) {
	return (cell ?? '').replace(/^'(?=[=+\-@])/, '').trim()
}

// ---- the whole sheet ---------------------------------------------------------------------------

export type ParseOptions = {
	/** normalizedStem of every question already in the bank (of those the importer can see). */
	existingStems?: ReadonlySet<string>
}

/** Reads every row; a row with any problem gives no question. */
export function parseQuestionRows(rows: readonly (readonly string[])[], catalogue: readonly JobTypeRef[], { existingStems }: ParseOptions = {}): ImportResult {
	const errors: ImportIssue[] = []
	const warnings: ImportIssue[] = []
	const questions: ImportedQuestion[] = []
	const headerIndex = findHeaderRow(rows)
	if (headerIndex < 0) {
		const message = isBlankRow(rows.find((r) => !isBlankRow(r)))
			? '文件里没有内容'
			: '没有找到表头：表头行须有“题干”（或“试题内容”“题目”）列，请使用题库导入模板'
		return { questions, errors: [{ row: 1, column: '题干', message }], warnings, headerRow: null }
	}
	const headerRow = headerIndex + 1
	const header = rows[headerIndex]!

	// Which column holds what.
	const fieldColumn = new Map<Field, number>()
	const optionColumns: (number | undefined)[] = []
	const used = new Set<number>()
	header.forEach((cell, index) => {
		const column = columnOf(cell ?? '')
		const name = (cell ?? '').trim()
		if (!column) {
			if (name) warnings.push({ row: headerRow, column: name, message: `未识别的列“${name}”，已忽略` })
			return
		}
		const taken = 'field' in column ? fieldColumn.has(column.field) : optionColumns[column.option] !== undefined
		if (taken) {
			warnings.push({ row: headerRow, column: name, message: `重复的列“${name}”，已忽略` })
			return
		}
		if ('field' in column) fieldColumn.set(column.field, index)
		else optionColumns[column.option] = index
		used.add(index)
	})

	const missing = (['type', 'answer', 'explanation'] as const).filter((f) => !fieldColumn.has(f))
	if (missing.length) {
		for (const field of missing) errors.push({ row: headerRow, column: FIELD_LABELS[field], message: `缺少“${FIELD_LABELS[field]}”列` })
		return { questions, errors, warnings, headerRow }
	}
	for (const field of ['difficulty', 'part', 'jobTypes'] as const) {
		if (!fieldColumn.has(field)) warnings.push({ row: headerRow, column: FIELD_LABELS[field], message: `没有“${FIELD_LABELS[field]}”列，${DEFAULT_NOTES[field]}` })
	}

	const optionLetters = optionColumns.flatMap((col, i) => (col === undefined ? [] : [i]))
	const lastOption = optionLetters.length ? Math.max(...optionLetters) : -1
	const defaulted: Record<'difficulty' | 'part' | 'jobTypes', number[]> = { difficulty: [], part: [], jobTypes: [] }
	const stemRows = new Map<string, number>()

	for (let index = headerIndex + 1; index < rows.length; index++) {
		const cells = rows[index]!
		const row = index + 1
		const get = (field: Field) => {
			const col = fieldColumn.get(field)
			return col === undefined ? '' : cellValue(cells[col])
		}
		if ([...used].every((col) => !cellValue(cells[col]))) continue

		const rowErrors: ImportIssue[] = []
		const fail = (column: string, message: string) => rowErrors.push({ row, column, message })

		const typeCell = get('type')
		const type = typeCell ? parseQuestionType(typeCell) : null
		if (!typeCell) fail('题型', '未填题型（单选题、多选题或判断题）')
		else if (!type) fail('题型', `无法识别的题型“${typeCell}”，应为 单选题、多选题 或 判断题`)

		const stem = get('stem')
		if (!stem) fail('题干', '未填题干')
		else if (normalizedStem(stem).length < 4) fail('题干', '题干太短')

		// Options: the filled cells A, B, C… with no gap.
		const options: string[] = []
		let gapAt = -1
		for (let i = 0; i <= lastOption; i++) {
			const col = optionColumns[i]
			const value = col === undefined ? '' : cellValue(cells[col])
			if (!value) {
				if (gapAt < 0) gapAt = i
				continue
			}
			if (gapAt >= 0) {
				fail(`选项${OPTION_LETTERS[gapAt]}`, `选项${OPTION_LETTERS[gapAt]}为空，但后面还有选项${OPTION_LETTERS[i]}`)
				gapAt = -2
				break
			}
			options.push(value)
		}

		const answerCell = get('answer')
		let answer: Answer | null = null
		if (!answerCell) fail('答案', '未填答案')
		else if (type === 'judge') {
			answer = judgeAnswer(answerCell, options)
			if (answer === null) fail('答案', `判断题的答案“${answerCell}”无法识别，应为 正确 或 错误（也可写 对/错、√/×、A/B、T/F、Y/N、是/否）`)
			if (options.length && !options.every((o) => parseJudgeAnswer(o) !== null)) {
				warnings.push({ row, column: '选项', message: '判断题不需要选项，已忽略' })
			}
		} else if (type) {
			if (gapAt !== -2 && options.length < 2) fail('选项', `选择题至少要有 2 个选项，这里只有 ${options.length} 个`)
			const duplicated = options.filter((o, i) => options.indexOf(o) !== i)
			if (duplicated.length) fail('选项', `选项重复：${[...new Set(duplicated)].join('、')}`)
			const letters = parseChoiceAnswer(answerCell)
			if (letters === null) fail('答案', `答案“${answerCell}”无法识别，应为选项字母，如 B 或 ACD`)
			else {
				const outside = [...letters].filter((l) => OPTION_LETTERS.indexOf(l) < 0 || OPTION_LETTERS.indexOf(l) >= options.length)
				if (outside.length && gapAt !== -2) {
					const range = options.length ? `本题只有 ${options.length} 个选项 A–${OPTION_LETTERS[options.length - 1]}` : '本题没有选项'
					fail('答案', `答案 ${outside.join('')} 不在选项中（${range}）`)
				} else if (type === 'single' && letters.length > 1) fail('答案', `单选题只能有一个答案，这里是 ${letters}`)
				else if (type === 'multiple' && letters.length < 2) fail('答案', `多选题至少要有两个答案，这里只有 ${letters}`)
				answer = letters
			}
		}

		const explanation = get('explanation')
		if (!explanation) fail('解析', '未填解析（平台要求每道题都有解析）')

		const difficultyCell = get('difficulty')
		let difficulty = 3
		if (!difficultyCell) defaulted.difficulty.push(row)
		else {
			const parsed = parseDifficulty(difficultyCell)
			if (parsed === null) fail('难度', `难度“${difficultyCell}”无法识别，应为 1–5，或 易、较易、中、较难、难`)
			else if (!Number.isInteger(parsed) || parsed < 1 || parsed > 5) fail('难度', `难度 ${difficultyCell} 超出范围，应为 1–5 的整数`)
			else difficulty = parsed
		}

		const partCell = get('part')
		let part: KnowledgePart = 'general'
		if (!partCell) defaulted.part.push(row)
		else {
			const parsed = parsePart(partCell)
			if (!parsed) fail('知识类别', `知识类别“${partCell}”无法识别，应为 通用知识 或 专业知识`)
			else part = parsed
		}

		const jobCell = get('jobTypes')
		let forAllJobTypes = true
		let jobTypes: string[] = []
		if (!jobCell) defaulted.jobTypes.push(row)
		else {
			const parsed = parseJobTypes(jobCell, catalogue)
			if (parsed.unknown.length) fail('适用工种', `未知的工种：${parsed.unknown.join('、')}（请填工种名称，用“、”分隔；适用于所有工种填“全部”）`)
			forAllJobTypes = parsed.forAll
			jobTypes = parsed.codes
		}

		const topics = splitTopics(get('topics'))

		if (stem) {
			const key = normalizedStem(stem)
			if (key) {
				const first = stemRows.get(key)
				if (first !== undefined) fail('题干', `与第 ${first} 行的题干重复`)
				else {
					stemRows.set(key, row)
					if (existingStems?.has(key)) fail('题干', '题库中已有相同题干的题目')
				}
			}
		}

		if (rowErrors.length || !type || answer === null) {
			errors.push(...rowErrors)
			continue
		}
		questions.push({
			row,
			input: {
				type,
				stem,
				options: type === 'judge' ? [] : options,
				answer,
				explanation,
				difficulty,
				part,
				forAllJobTypes,
				jobTypes,
				categories: null,
				topics,
			},
		})
	}

	for (const field of ['difficulty', 'part', 'jobTypes'] as const) {
		const defaultedRows = defaulted[field]
		if (!defaultedRows.length || !fieldColumn.has(field)) continue
		const shown = defaultedRows.slice(0, 10).join('、') + (defaultedRows.length > 10 ? ' 等' : '')
		warnings.push({
			row: defaultedRows[0]!,
			column: FIELD_LABELS[field],
			message: `${defaultedRows.length} 道题（第 ${shown} 行）未填${FIELD_LABELS[field]}，${DEFAULT_NOTES[field]}`,
		})
	}
	if (!questions.length && !errors.length) errors.push({ row: headerRow, column: '题干', message: '表头下面没有题目' })
	return { questions, errors, warnings, headerRow }
}

const DEFAULT_NOTES = {
	difficulty: '按难度 3（中）导入',
	part: '按“通用知识”导入',
	jobTypes: '按“全部工种”导入',
} as const

/** 判断题: letters go through the options when they are 正确/错误, else A = 正确, B = 错误. */
function judgeAnswer(cell: string, options: string[]): boolean | null {
	const letter = nfkc(cell).toUpperCase()
	if (/^[A-H]$/.test(letter) && options.length) {
		const text = options[OPTION_LETTERS.indexOf(letter)]
		const viaOption = text === undefined ? null : parseJudgeAnswer(text)
		if (viaOption !== null) return viaOption
	}
	return parseJudgeAnswer(cell)
}

// ---- writing -----------------------------------------------------------------------------------

/** One question as a row of the template (job types by name, 判断题 answers as 正确/错误). */
export function questionToRow(q: QuestionInput, catalogue: readonly JobTypeRef[]): string[] {
	const names = new Map(catalogue.map((j) => [j.code, j.name]))
	const options = [...OPTION_LETTERS].map((_, i) => q.options[i] ?? '')
	return [
		QUESTION_TYPES[q.type],
		q.stem,
		...options,
		q.type === 'judge' ? (q.answer === true ? '正确' : '错误') : String(q.answer),
		q.explanation,
		String(q.difficulty),
		q.forAllJobTypes ? '全部' : q.jobTypes.map((c) => names.get(c) ?? c).join('、'),
		PART_LABELS[q.part],
		q.topics.join('、'),
	]
}

/** What each column of the template takes, for the 说明 sheet. */
export const TEMPLATE_NOTES: [column: string, required: string, note: string][] = [
	['题型', '必填', '单选题、多选题 或 判断题（也可写 单选、单项选择题、多选、多项选择题、不定项选择题、判断）'],
	['题干', '必填', '题目内容。同一文件内、与题库已有题目题干相同的会被拒绝（比较时忽略空格和标点）'],
	['选项A～选项H', '选择题必填', '从选项A起依次填写，至少 2 个，中间不能空；判断题不填。表头也可写 A、B、C… 或 A选项'],
	['答案', '必填', '选择题填选项字母，如 B 或 ACD（也可写 A,B、A、B、A B、小写或全角字母）；判断题填 正确 或 错误（也可写 对/错、√/×、A/B、T/F、Y/N、是/否）'],
	['解析', '必填', '说明正确答案的依据，如法规条款、操作规程'],
	['难度', '选填', '1～5 的整数，1 最易、5 最难；也可写 易、较易、中、较难、难。不填按 3 导入'],
	['适用工种', '选填', '工种名称，多个用“、”分隔；适用于所有工种填“全部”。不填按“全部”导入。工种名称见平台“工种目录”'],
	['知识类别', '选填', '通用知识 或 专业知识（也可写 通用、专业）。不填按“通用知识”导入'],
	['知识点', '选填', '标签，多个用“、”“,”或“；”分隔'],
	['其他', '', '表头上方可以有标题行；列的顺序不限；不认识的列会被忽略。请不要使用公式和合并单元格。一次最多导入 5000 道题，文件不超过 5 MB'],
]
