import { z } from 'zod'
import type { PaperRule } from '#db/schema/exams.ts'
import { parseChinaTime, toChinaInput } from '#app/exams/exam-form.ts'
import { splitTopics } from '#app/exams/template-form.ts'
import { isValidPhone, normalizePhone } from '#app/people/identity.ts'
import type { FormValues } from '#app/utils/forms.ts'

// The organiser's competition form and the public registration form. The paper is described by
// how many 单选/多选/判断 to draw and their points, 通用知识 or all, and optional 知识点.

export const QUESTION_KINDS = [
	['single', '单选题'],
	['multiple', '多选题'],
	['judge', '判断题'],
] as const

/** Paths under /competitions/ that are pages, not competitions. */
const RESERVED_SLUGS = new Set(['new', 'manage'])

const halfWidth = (s: string) => s.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))

const int = (label: string, min: number, max: number) =>
	z
		.string({ error: `请填写${label}` })
		.transform((s) => halfWidth(s.trim()))
		.pipe(z.string().regex(/^\d+$/, `${label}须为整数`))
		.transform(Number)
		.pipe(z.number().min(min, `${label}须在 ${min}–${max} 之间`).max(max, `${label}须在 ${min}–${max} 之间`))

const time = (label: string) =>
	z.string({ error: `请填写${label}` }).transform((s, ctx) => {
		const date = parseChinaTime(s)
		if (!date) {
			ctx.addIssue({ code: 'custom', message: `${label}格式不正确` })
			return z.NEVER
		}
		return date
	})

/** What may still change once a competition has opened. */
export const competitionDetailsSchema = z.object({
	title: z.string({ error: '请填写竞赛名称' }).trim().min(2, '竞赛名称至少 2 个字').max(100, '竞赛名称不能超过 100 字'),
	description: z.string().trim().max(5000, '竞赛说明不能超过 5000 字').default(''),
})

export type CompetitionInput = z.infer<typeof competitionDetailsSchema> & {
	slug: string
	opensAt: Date
	closesAt: Date
	timeLimitMinutes: number
	rules: PaperRule[]
	fixedPaper: boolean
}

export const competitionFormSchema = competitionDetailsSchema
	.extend({
		slug: z
			.string({ error: '请填写链接名' })
			.trim()
			.toLowerCase()
			.regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, '链接名只能用小写字母、数字和连字符（-），例如 anquan-2026')
			.min(3, '链接名至少 3 个字符')
			.max(60, '链接名不能超过 60 个字符')
			.refine((s) => !RESERVED_SLUGS.has(s), '这个链接名是保留字，请换一个'),
		opensAt: time('开始时间'),
		closesAt: time('结束时间'),
		timeLimitMinutes: int('答题时长', 1, 180),
		singleCount: int('单选题数', 0, 100).default(0),
		singlePoints: int('单选题分值', 1, 100).default(1),
		multipleCount: int('多选题数', 0, 100).default(0),
		multiplePoints: int('多选题分值', 1, 100).default(1),
		judgeCount: int('判断题数', 0, 100).default(0),
		judgePoints: int('判断题分值', 1, 100).default(1),
		part: z.enum(['general', 'all'], { error: '请选择出题范围' }),
		topics: z.string().trim().max(200, '知识点太长').optional(),
		fixedPaper: z.literal('1').optional(),
	})
	.superRefine((v, ctx) => {
		if (v.closesAt <= v.opensAt) ctx.addIssue({ code: 'custom', path: ['closesAt'], message: '结束时间须晚于开始时间' })
		const total = v.singleCount + v.multipleCount + v.judgeCount
		if (total === 0) ctx.addIssue({ code: 'custom', path: ['singleCount'], message: '请至少填写一种题型的题数' })
		if (total > 200) ctx.addIssue({ code: 'custom', path: ['singleCount'], message: `一份试卷最多 200 道题，现在是 ${total} 道` })
	})
	.transform((v): CompetitionInput => {
		const topics = splitTopics(v.topics)
		const rules: PaperRule[] = []
		for (const [type] of QUESTION_KINDS) {
			const count = v[`${type}Count`]
			if (count > 0) rules.push({ type, count, points: v[`${type}Points`], ...(v.part === 'general' ? { part: 'general' as const } : {}), ...(topics.length ? { topics } : {}) })
		}
		return { title: v.title, description: v.description, slug: v.slug, opensAt: v.opensAt, closesAt: v.closesAt, timeLimitMinutes: v.timeLimitMinutes, rules, fixedPaper: Boolean(v.fixedPaper) }
	})

/** A saved competition as form values, for its edit page. */
export function competitionToValues(c: { title: string; description: string; slug: string; opensAt: Date; closesAt: Date; timeLimitMinutes: number; rules: PaperRule[]; fixedPaper: unknown }): FormValues {
	const values: FormValues = {
		title: c.title,
		description: c.description,
		slug: c.slug,
		opensAt: toChinaInput(c.opensAt),
		closesAt: toChinaInput(c.closesAt),
		timeLimitMinutes: String(c.timeLimitMinutes),
		part: c.rules.every((r) => r.part === 'general') ? 'general' : 'all',
		topics: (c.rules[0]?.topics ?? []).join('、'),
		fixedPaper: c.fixedPaper ? '1' : '',
	}
	for (const [type] of QUESTION_KINDS) {
		const rule = c.rules.find((r) => r.type === type)
		values[`${type}Count`] = String(rule?.count ?? 0)
		values[`${type}Points`] = String(rule?.points ?? 5)
	}
	return values
}

export const totalOf = (rules: Pick<PaperRule, 'count' | 'points'>[]) => ({
	questions: rules.reduce((n, r) => n + r.count, 0),
	points: rules.reduce((n, r) => n + r.count * r.points, 0),
})

export const DUPLICATE_PHONE = '该手机号已报名本次竞赛，每人只有一次答题机会'

/** 报名: 姓名, 手机号 (checked by format only), 单位/组织. */
export const registrationSchema = z.object({
	name: z
		.string({ error: '请填写姓名' })
		.trim()
		.refine((s) => Array.from(s).length >= 2 && Array.from(s).length <= 20, '姓名须为 2–20 个字'),
	phone: z
		.string({ error: '请填写手机号' })
		.transform((s) => normalizePhone(halfWidth(s.trim())))
		.refine(isValidPhone, '请填写 11 位手机号（1 开头，第二位为 3–9）'),
	organization: z
		.string({ error: '请填写单位或组织' })
		.trim()
		.refine((s) => Array.from(s).length >= 2 && Array.from(s).length <= 50, '单位或组织须为 2–50 个字'),
})

export type Registration = z.infer<typeof registrationSchema>
