import { z } from 'zod'
import type { PaperRule } from '#db/schema/exams.ts'
import type { FormValues } from '#app/utils/forms.ts'
import { EXAM_PURPOSES, type ExamPurpose } from './labels.ts'

// The 试卷规则 form. Without JavaScript the page renders a fixed number of rule rows (empty rows are
// ignored); with it, rows can be added and removed. Each rule row's fields are named
// `rule<row>_<field>`, so an error lands next to the field it is about.

/** Rule rows a page shows at least (without JavaScript, the only rows there are). */
export const RULE_ROWS = 6
/** Rule rows the server reads at most. */
export const MAX_RULE_ROWS = 12

export const RULE_FIELDS = ['type', 'count', 'points', 'jobTypes', 'part', 'topics', 'minDifficulty', 'maxDifficulty'] as const
export type RuleField = (typeof RULE_FIELDS)[number]
export const ruleField = (row: number, field: RuleField) => `rule${row}_${field}`

/** The multi-value fields, for parseForm / formValues. */
export const TEMPLATE_ARRAY_FIELDS: readonly string[] = ['jobTypes', ...Array.from({ length: MAX_RULE_ROWS }, (_, i) => ruleField(i + 1, 'jobTypes'))]

export const MAX_QUESTIONS = 300

/** What a template is made of, as the domain handles it. */
export type TemplateInput = {
	title: string
	purpose: ExamPurpose
	jobTypes: string[]
	timeLimitMinutes: number
	passMark: number
	attemptsAllowed: number
	shuffleQuestions: boolean
	shuffleOptions: boolean
	partialCredit: boolean
	showReview: boolean
	switchLimit: number | null
	issuesCertificate: boolean
	certificateValidMonths: number | null
	rules: PaperRule[]
	/** The form row each rule came from (1-based), so messages name the row the person sees. */
	ruleRows: number[]
}

/** Full-width digits (typed with a Chinese input method) read as ASCII. */
const halfWidth = (s: string) => s.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))

const int = (label: string, min: number, max: number) =>
	z
		.string({ error: `请填写${label}` })
		.transform((s) => halfWidth(s.trim()))
		.pipe(z.string().regex(/^-?\d+$/, `${label}须为整数`))
		.transform(Number)
		.pipe(z.number().min(min, `${label}须在 ${min}–${max} 之间`).max(max, `${label}须在 ${min}–${max} 之间`))

const checkbox = z.literal('1').optional()

const topSchema = z.object({
	title: z.string({ error: '请填写试卷名称' }).trim().min(2, '试卷名称至少 2 个字').max(100, '试卷名称不能超过 100 字'),
	purpose: z.enum(Object.keys(EXAM_PURPOSES) as [ExamPurpose, ...ExamPurpose[]], { error: '请选择考试类型' }),
	jobTypes: z.array(z.string().max(40)).max(40).default([]),
	timeLimitMinutes: int('考试时长', 1, 600),
	passMark: int('及格分', 0, 10_000),
	attemptsAllowed: int('可考次数', 1, 20),
	shuffleQuestions: checkbox,
	shuffleOptions: checkbox,
	partialCredit: checkbox,
	showReview: checkbox,
	switchLimit: int('切屏次数上限', 1, 100).optional(),
	issuesCertificate: checkbox,
	certificateValidMonths: int('证书有效期', 1, 120).optional(),
})

const ruleSchema = z
	.object({
		type: z.enum(['single', 'multiple', 'judge'], { error: '请选择题型' }),
		count: int('题数', 1, 200),
		points: int('每题分值', 1, 100),
		jobTypes: z.array(z.string().max(40)).max(40).default([]),
		part: z.enum(['general', 'professional'], { error: '请选择知识类别' }).optional(),
		topics: z.string().trim().max(200, '知识点太长').optional(),
		minDifficulty: int('最低难度', 1, 5).optional(),
		maxDifficulty: int('最高难度', 1, 5).optional(),
	})
	.superRefine((r, ctx) => {
		if (r.minDifficulty && r.maxDifficulty && r.minDifficulty > r.maxDifficulty) ctx.addIssue({ code: 'custom', path: ['maxDifficulty'], message: '最高难度不能低于最低难度' })
	})

export const splitTopics = (text: string | undefined) => [...new Set((text ?? '').split(/[,，、;；\s]+/).filter(Boolean))]

/** A rule row nobody filled in (the page always offers a few spare ones). */
function isEmptyRow(raw: Record<string, unknown>, row: number) {
	return RULE_FIELDS.every((f) => {
		const v = raw[ruleField(row, f)]
		return v === undefined || v === '' || (Array.isArray(v) && v.length === 0)
	})
}

/**
 * Parses the posted form (as parseForm hands it: '' already turned into undefined). All problems
 * are reported at once: the template's fields and every rule row.
 */
export const templateFormSchema = z.record(z.string(), z.unknown()).transform((raw, ctx): TemplateInput => {
	const top = topSchema.safeParse(raw)
	if (!top.success) for (const issue of top.error.issues) ctx.addIssue({ code: 'custom', path: [String(issue.path[0] ?? 'form')], message: issue.message })

	const rules: PaperRule[] = []
	const ruleRows: number[] = []
	let rulesOk = true
	for (let row = 1; row <= MAX_RULE_ROWS; row++) {
		if (isEmptyRow(raw, row)) continue
		const input = Object.fromEntries(RULE_FIELDS.map((f) => [f, raw[ruleField(row, f)]]))
		const parsed = ruleSchema.safeParse(input)
		if (!parsed.success) {
			rulesOk = false
			for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', path: [ruleField(row, String(issue.path[0] ?? 'type') as RuleField)], message: issue.message })
			continue
		}
		const r = parsed.data
		const topics = splitTopics(r.topics)
		rules.push({
			type: r.type,
			count: r.count,
			points: r.points,
			...(r.jobTypes.length ? { jobTypes: [...new Set(r.jobTypes)] } : {}),
			...(r.part ? { part: r.part } : {}),
			...(topics.length ? { topics } : {}),
			...(r.minDifficulty ? { minDifficulty: r.minDifficulty } : {}),
			...(r.maxDifficulty ? { maxDifficulty: r.maxDifficulty } : {}),
		})
		ruleRows.push(row)
	}
	if (rulesOk && rules.length === 0) ctx.addIssue({ code: 'custom', path: ['rules'], message: '请至少填写一条抽题规则（题型、题数、每题分值）' })
	const questions = rules.reduce((n, r) => n + r.count, 0)
	if (questions > MAX_QUESTIONS) ctx.addIssue({ code: 'custom', path: ['rules'], message: `一份试卷最多 ${MAX_QUESTIONS} 道题，现在是 ${questions} 道` })

	if (!top.success) return z.NEVER
	const t = top.data
	const total = totalPoints(rules)
	if (rulesOk && rules.length && t.passMark > total) ctx.addIssue({ code: 'custom', path: ['passMark'], message: `及格分不能高于总分 ${total} 分` })
	if (t.issuesCertificate && !t.certificateValidMonths) ctx.addIssue({ code: 'custom', path: ['certificateValidMonths'], message: '发证的考试请填写证书有效期（月）' })
	return {
		title: t.title,
		purpose: t.purpose,
		jobTypes: [...new Set(t.jobTypes)],
		timeLimitMinutes: t.timeLimitMinutes,
		passMark: t.passMark,
		attemptsAllowed: t.attemptsAllowed,
		shuffleQuestions: Boolean(t.shuffleQuestions),
		shuffleOptions: Boolean(t.shuffleOptions),
		partialCredit: Boolean(t.partialCredit),
		showReview: Boolean(t.showReview),
		switchLimit: t.switchLimit ?? null,
		issuesCertificate: Boolean(t.issuesCertificate),
		certificateValidMonths: t.issuesCertificate ? (t.certificateValidMonths ?? null) : null,
		rules,
		ruleRows,
	}
})

export const totalPoints = (rules: Pick<PaperRule, 'count' | 'points'>[]) => rules.reduce((sum, r) => sum + r.count * r.points, 0)
export const totalQuestions = (rules: Pick<PaperRule, 'count'>[]) => rules.reduce((sum, r) => sum + r.count, 0)

/** The values a new template's form starts with. */
export const NEW_TEMPLATE_VALUES: FormValues = {
	timeLimitMinutes: '60',
	attemptsAllowed: '1',
	shuffleQuestions: '1',
	shuffleOptions: '1',
	showReview: '1',
	jobTypes: [],
}

/** A saved template as form values, for its edit page. */
export function templateToValues(t: Omit<TemplateInput, 'ruleRows'>): FormValues {
	const values: FormValues = {
		title: t.title,
		purpose: t.purpose,
		jobTypes: t.jobTypes,
		timeLimitMinutes: String(t.timeLimitMinutes),
		passMark: String(t.passMark),
		attemptsAllowed: String(t.attemptsAllowed),
		shuffleQuestions: t.shuffleQuestions ? '1' : '',
		shuffleOptions: t.shuffleOptions ? '1' : '',
		partialCredit: t.partialCredit ? '1' : '',
		showReview: t.showReview ? '1' : '',
		switchLimit: t.switchLimit === null ? '' : String(t.switchLimit),
		issuesCertificate: t.issuesCertificate ? '1' : '',
		certificateValidMonths: t.certificateValidMonths === null ? '' : String(t.certificateValidMonths),
	}
	t.rules.forEach((r, i) => {
		const row = i + 1
		values[ruleField(row, 'type')] = r.type
		values[ruleField(row, 'count')] = String(r.count)
		values[ruleField(row, 'points')] = String(r.points)
		values[ruleField(row, 'jobTypes')] = r.jobTypes ?? []
		values[ruleField(row, 'part')] = r.part ?? ''
		values[ruleField(row, 'topics')] = (r.topics ?? []).join('、')
		values[ruleField(row, 'minDifficulty')] = r.minDifficulty ? String(r.minDifficulty) : ''
		values[ruleField(row, 'maxDifficulty')] = r.maxDifficulty ? String(r.maxDifficulty) : ''
	})
	return values
}

/** How many rule rows to render for these values: at least RULE_ROWS, one spare after the last filled row. */
export function ruleRowsFor(values: FormValues) {
	let last = 0
	for (let row = 1; row <= MAX_RULE_ROWS; row++) if (!isEmptyRow(values, row)) last = row
	return Math.min(MAX_RULE_ROWS, Math.max(RULE_ROWS, last + 1))
}

/** A rule in words, e.g. “多选题，煤矿井下作业人员，专业知识，难度 2–4”. */
export function describeRule(rule: PaperRule, jobTypeNames: Record<string, string>) {
	const parts: string[] = [{ single: '单选题', multiple: '多选题', judge: '判断题' }[rule.type]]
	if (rule.jobTypes?.length) parts.push(rule.jobTypes.map((c) => jobTypeNames[c] ?? c).join('、'))
	if (rule.part) parts.push(rule.part === 'general' ? '通用知识' : '专业知识')
	if (rule.topics?.length) parts.push(`知识点：${rule.topics.join('、')}`)
	if (rule.minDifficulty || rule.maxDifficulty) parts.push(`难度 ${rule.minDifficulty ?? 1}–${rule.maxDifficulty ?? 5}`)
	return parts.join('，')
}
