import { describe, expect, test } from 'vitest'
import { examFormSchema, EXAM_ARRAY_FIELDS, formatChinaTime, parseChinaTime, toChinaInput } from '#app/exams/exam-form.ts'
import {
	describeRule,
	MAX_RULE_ROWS,
	RULE_ROWS,
	ruleRowsFor,
	TEMPLATE_ARRAY_FIELDS,
	templateFormSchema,
	templateToValues,
	totalPoints,
	type TemplateInput,
} from '#app/exams/template-form.ts'
import { formatDuration } from '#app/exams/labels.ts'
import { parseForm } from '#app/utils/forms.ts'

function form(fields: Record<string, string | string[]>) {
	const fd = new FormData()
	for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) fd.append(k, x)
	return fd
}

/** What the page posts: every rule row is there, most of them empty. */
function page(fields: Record<string, string | string[]>) {
	const blank: Record<string, string> = {}
	for (let row = 1; row <= RULE_ROWS; row++) {
		for (const f of ['type', 'count', 'points', 'part', 'topics', 'minDifficulty', 'maxDifficulty']) blank[`rule${row}_${f}`] = ''
	}
	return form({ ...blank, ...fields })
}

const parse = (fields: Record<string, string | string[]>) => parseForm(templateFormSchema, page(fields), { arrays: TEMPLATE_ARRAY_FIELDS })

const BASE = { title: '煤矿井下作业人员岗前安全培训考试', purpose: 'pre_job', timeLimitMinutes: '45', passMark: '80', attemptsAllowed: '2' }
const COAL_RULES = {
	rule1_type: 'single',
	rule1_count: '10',
	rule1_points: '4',
	rule1_jobTypes: 'coal_underground',
	rule2_type: 'multiple',
	rule2_count: '5',
	rule2_points: '6',
	rule2_jobTypes: 'coal_underground',
	rule3_type: 'judge',
	rule3_count: '10',
	rule3_points: '3',
}

function ok(result: ReturnType<typeof parse>): TemplateInput {
	if (!result.ok) throw new Error(`expected a valid form, got ${JSON.stringify(result.errors)}`)
	return result.data
}
function errorsOf(result: ReturnType<typeof parse>) {
	if (result.ok) throw new Error('expected errors')
	return result.errors
}

describe('the template form', () => {
	test('reads a whole template, ignoring the empty rule rows', () => {
		const t = ok(parse({ ...BASE, ...COAL_RULES, jobTypes: ['coal_underground'], shuffleQuestions: '1', showReview: '1' }))
		expect(t).toMatchObject({
			title: '煤矿井下作业人员岗前安全培训考试',
			purpose: 'pre_job',
			jobTypes: ['coal_underground'],
			timeLimitMinutes: 45,
			passMark: 80,
			attemptsAllowed: 2,
			shuffleQuestions: true,
			shuffleOptions: false,
			partialCredit: false,
			showReview: true,
			switchLimit: null,
			issuesCertificate: false,
			certificateValidMonths: null,
		})
		expect(t.rules).toEqual([
			{ type: 'single', count: 10, points: 4, jobTypes: ['coal_underground'] },
			{ type: 'multiple', count: 5, points: 6, jobTypes: ['coal_underground'] },
			{ type: 'judge', count: 10, points: 3 },
		])
		expect(t.ruleRows).toEqual([1, 2, 3])
		expect(totalPoints(t.rules)).toBe(100)
	})

	test('keeps the form row of each rule when rows in between are empty', () => {
		const t = ok(parse({ ...BASE, passMark: '10', rule2_type: 'single', rule2_count: '5', rule2_points: '2', rule5_type: 'judge', rule5_count: '5', rule5_points: '2' }))
		expect(t.rules.map((r) => r.type)).toEqual(['single', 'judge'])
		expect(t.ruleRows).toEqual([2, 5])
	})

	test('reads every filter of a rule', () => {
		const t = ok(
			parse({
				...BASE,
				passMark: '10',
				rule1_type: 'multiple',
				rule1_count: '5',
				rule1_points: '2',
				rule1_jobTypes: ['hazchem_operator', 'hazchem_process', 'hazchem_operator'],
				rule1_part: 'professional',
				rule1_topics: '动火作业、受限空间， 动火作业',
				rule1_minDifficulty: '2',
				rule1_maxDifficulty: '4',
			}),
		)
		expect(t.rules).toEqual([
			{ type: 'multiple', count: 5, points: 2, jobTypes: ['hazchem_operator', 'hazchem_process'], part: 'professional', topics: ['动火作业', '受限空间'], minDifficulty: 2, maxDifficulty: 4 },
		])
	})

	test('needs at least one rule', () => {
		expect(errorsOf(parse(BASE)).rules).toMatch(/至少填写一条抽题规则/)
	})

	test('a row with only a filter filled in asks for its type, count and points', () => {
		const errors = errorsOf(parse({ ...BASE, ...COAL_RULES, rule4_part: 'general' }))
		expect(errors).toMatchObject({ rule4_type: '请选择题型', rule4_count: '请填写题数', rule4_points: '请填写每题分值' })
		expect(errors.rules).toBeUndefined()
	})

	test('refuses bad numbers, next to the field', () => {
		const errors = errorsOf(
			parse({
				...BASE,
				timeLimitMinutes: '四十五',
				passMark: '-5',
				attemptsAllowed: '1.5',
				switchLimit: '0',
				rule1_type: 'single',
				rule1_count: 'abc',
				rule1_points: '4',
				rule2_type: 'judge',
				rule2_count: '0',
				rule2_points: '101',
				rule3_type: 'single',
				rule3_count: '5',
				rule3_points: '2',
				rule3_minDifficulty: '4',
				rule3_maxDifficulty: '2',
			}),
		)
		expect(errors).toMatchObject({
			timeLimitMinutes: '考试时长须为整数',
			passMark: '及格分须在 0–10000 之间',
			attemptsAllowed: '可考次数须为整数',
			switchLimit: '切屏次数上限须在 1–100 之间',
			rule1_count: '题数须为整数',
			rule2_count: '题数须在 1–200 之间',
			rule2_points: '每题分值须在 1–100 之间',
			rule3_maxDifficulty: '最高难度不能低于最低难度',
		})
	})

	test('reports the template fields and the rule rows at once', () => {
		const errors = errorsOf(parse({ title: '', rule1_type: 'single', rule1_count: 'x', rule1_points: '1' }))
		expect(Object.keys(errors).sort()).toEqual(['attemptsAllowed', 'passMark', 'purpose', 'rule1_count', 'timeLimitMinutes', 'title'])
	})

	test('accepts full-width digits typed with a Chinese input method', () => {
		const t = ok(parse({ ...BASE, timeLimitMinutes: '６０', ...COAL_RULES, rule1_count: '１０' }))
		expect(t.timeLimitMinutes).toBe(60)
		expect(t.rules[0]!.count).toBe(10)
	})

	test('the pass mark cannot exceed the total points', () => {
		expect(errorsOf(parse({ ...BASE, passMark: '101', ...COAL_RULES })).passMark).toBe('及格分不能高于总分 100 分')
		expect(ok(parse({ ...BASE, passMark: '100', ...COAL_RULES })).passMark).toBe(100)
	})

	test('a certificate needs its validity; without one the months are dropped', () => {
		expect(errorsOf(parse({ ...BASE, ...COAL_RULES, issuesCertificate: '1' })).certificateValidMonths).toMatch(/有效期/)
		expect(ok(parse({ ...BASE, ...COAL_RULES, issuesCertificate: '1', certificateValidMonths: '36' }))).toMatchObject({ issuesCertificate: true, certificateValidMonths: 36 })
		expect(ok(parse({ ...BASE, ...COAL_RULES, certificateValidMonths: '36' }))).toMatchObject({ issuesCertificate: false, certificateValidMonths: null })
	})

	test('refuses an unknown purpose and rule type', () => {
		const errors = errorsOf(parse({ ...BASE, purpose: 'party', ...COAL_RULES, rule1_type: 'essay' }))
		expect(errors.purpose).toBe('请选择考试类型')
		expect(errors.rule1_type).toBe('请选择题型')
	})

	test('reads rows beyond the ones shown without JavaScript, up to the maximum', () => {
		const rows: Record<string, string> = {}
		for (let row = 1; row <= MAX_RULE_ROWS + 1; row++) Object.assign(rows, { [`rule${row}_type`]: 'judge', [`rule${row}_count`]: '1', [`rule${row}_points`]: '1' })
		expect(ok(parse({ ...BASE, passMark: '1', ...rows })).rules).toHaveLength(MAX_RULE_ROWS)
	})

	test('a saved template comes back to the same values', () => {
		const t = ok(parse({ ...BASE, ...COAL_RULES, rule1_part: 'professional', rule1_topics: '瓦斯', rule1_minDifficulty: '2', switchLimit: '5', shuffleOptions: '1', partialCredit: '1' }))
		const again = ok(parseForm(templateFormSchema, form(templateToValues(t) as Record<string, string | string[]>), { arrays: TEMPLATE_ARRAY_FIELDS }))
		expect(again).toEqual(t)
	})

	test('renders at least the fixed rows, and one spare after the last filled one', () => {
		expect(ruleRowsFor({})).toBe(RULE_ROWS)
		expect(ruleRowsFor({ rule7_type: 'single' })).toBe(8)
		expect(ruleRowsFor({ [`rule${MAX_RULE_ROWS}_type`]: 'single' })).toBe(MAX_RULE_ROWS)
	})

	test('describes a rule in words', () => {
		expect(describeRule({ type: 'multiple', count: 10, points: 2, jobTypes: ['coal_underground'] }, { coal_underground: '煤矿井下作业人员' })).toBe('多选题，煤矿井下作业人员')
		expect(describeRule({ type: 'single', count: 1, points: 1, part: 'general', topics: ['消防'], minDifficulty: 2 }, {})).toBe('单选题，通用知识，知识点：消防，难度 2–5')
	})
})

describe('the new-exam form', () => {
	const TEMPLATE = '0b9f1c1e-4a52-4c1e-9a57-0d6f1f3c2b10'
	const parseExam = (fields: Record<string, string | string[]>) => parseForm(examFormSchema, form(fields), { arrays: EXAM_ARRAY_FIELDS })
	const base = { templateId: TEMPLATE, title: '十一月岗前考试', opensAt: '2026-11-23T08:00', closesAt: '2026-11-30T18:00' }

	test('reads China time and whom to assign', () => {
		const result = parseExam({ ...base, assignBy: 'jobType', jobTypes: ['coal_underground'], categories: ['general'] })
		expect(result.ok).toBe(true)
		if (!result.ok) return
		expect(result.data.opensAt.toISOString()).toBe('2026-11-23T00:00:00.000Z')
		expect(result.data.closesAt.toISOString()).toBe('2026-11-30T10:00:00.000Z')
		// Only the chosen way of assigning counts.
		expect(result.data).toMatchObject({ assignBy: 'jobType', jobTypes: ['coal_underground'], categories: [], personIds: [], orgId: null })
	})

	test('the window must close after it opens, and the chosen way needs a choice', () => {
		const result = parseExam({ ...base, closesAt: '2026-11-23T08:00', assignBy: 'category' })
		expect(result.ok).toBe(false)
		if (result.ok) return
		expect(result.errors).toMatchObject({ closesAt: '结束时间须晚于开始时间', categories: '请选择至少一个人员类别' })
	})

	test('refuses malformed times and ids', () => {
		const result = parseExam({ ...base, opensAt: '2026-02-31T08:00', closesAt: 'tomorrow', templateId: 'x', assignBy: 'people', personIds: ['1'] })
		expect(result.ok).toBe(false)
		if (result.ok) return
		expect(result.errors).toMatchObject({ opensAt: '开始时间格式不正确', closesAt: '结束时间格式不正确', templateId: '请选择试卷规则', personIds: '人员不正确' })
	})

	test('China time round-trips', () => {
		const d = parseChinaTime('2026-01-01T00:30')!
		expect(d.toISOString()).toBe('2025-12-31T16:30:00.000Z')
		expect(toChinaInput(d)).toBe('2026-01-01T00:30')
		expect(formatChinaTime(d)).toBe('2026-01-01 00:30')
		expect(formatDuration(725)).toBe('12 分 05 秒')
		expect(formatDuration(9)).toBe('9 秒')
	})
})
