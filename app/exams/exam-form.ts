import { z } from 'zod'
import { PERSON_CATEGORIES, type PersonCategory } from '#app/people/labels.ts'
import { ASSIGN_BY, type AssignBy } from './labels.ts'

// The "give an exam" form: a template, a title, the open/close window, and whom to give it to.
// Times are typed in China time (datetime-local has no zone); the server stores instants.

export const EXAM_ARRAY_FIELDS = ['jobTypes', 'categories', 'personIds'] as const

const CHINA_OFFSET_MS = 8 * 3600_000

/** "2026-11-23T08:30" (China time) → the instant; null if malformed. */
export function parseChinaTime(text: string): Date | null {
	const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text.trim())
	if (!m) return null
	const [y, mo, d, h, mi, s] = m.slice(1).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number]
	const utc = Date.UTC(y, mo - 1, d, h, mi, s) - CHINA_OFFSET_MS
	const date = new Date(utc)
	// Reject 2026-02-31 and the like (Date would roll them over).
	if (Number.isNaN(utc) || toChinaInput(date).slice(0, 10) !== `${m[1]}-${m[2]}-${m[3]}`) return null
	return date
}

/** An instant as a datetime-local value in China time, e.g. "2026-11-23T08:30". */
export function toChinaInput(date: Date) {
	return new Date(date.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 16)
}

/** An instant for people: "2026-11-23 08:30". */
export function formatChinaTime(date: Date | string) {
	return toChinaInput(new Date(date)).replace('T', ' ')
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export type ExamInput = {
	templateId: string
	title: string
	opensAt: Date
	closesAt: Date
	/** Limit the people to this organisation's subtree (within the caller's scope). */
	orgId: string | null
	assignBy: AssignBy
	jobTypes: string[]
	categories: PersonCategory[]
	personIds: string[]
}

const time = (label: string) =>
	z
		.string({ error: `请填写${label}` })
		.transform((s, ctx) => {
			const date = parseChinaTime(s)
			if (!date) {
				ctx.addIssue({ code: 'custom', message: `${label}格式不正确` })
				return z.NEVER
			}
			return date
		})

export const examFormSchema = z
	.object({
		templateId: z.string({ error: '请选择试卷规则' }).regex(UUID, '请选择试卷规则'),
		title: z.string({ error: '请填写考试名称' }).trim().min(2, '考试名称至少 2 个字').max(100, '考试名称不能超过 100 字'),
		opensAt: time('开始时间'),
		closesAt: time('结束时间'),
		orgId: z.string().regex(UUID, '请选择单位').optional(),
		assignBy: z.enum(Object.keys(ASSIGN_BY) as [AssignBy, ...AssignBy[]], { error: '请选择考试对象' }),
		jobTypes: z.array(z.string().max(40)).max(40).default([]),
		categories: z.array(z.enum(Object.keys(PERSON_CATEGORIES) as [PersonCategory, ...PersonCategory[]], { error: '人员类别不正确' })).default([]),
		personIds: z.array(z.string().regex(UUID, '人员不正确')).max(5000, '一次最多 5000 人').default([]),
	})
	.superRefine((v, ctx) => {
		if (v.closesAt <= v.opensAt) ctx.addIssue({ code: 'custom', path: ['closesAt'], message: '结束时间须晚于开始时间' })
		if (v.assignBy === 'jobType' && !v.jobTypes.length) ctx.addIssue({ code: 'custom', path: ['jobTypes'], message: '请选择至少一个工种' })
		if (v.assignBy === 'category' && !v.categories.length) ctx.addIssue({ code: 'custom', path: ['categories'], message: '请选择至少一个人员类别' })
		if (v.assignBy === 'people' && !v.personIds.length) ctx.addIssue({ code: 'custom', path: ['personIds'], message: '请勾选考试人员' })
	})
	.transform(
		(v): ExamInput => ({
			templateId: v.templateId,
			title: v.title,
			opensAt: v.opensAt,
			closesAt: v.closesAt,
			orgId: v.orgId ?? null,
			assignBy: v.assignBy,
			jobTypes: v.assignBy === 'jobType' ? [...new Set(v.jobTypes)] : [],
			categories: v.assignBy === 'category' ? [...new Set(v.categories)] : [],
			personIds: v.assignBy === 'people' ? [...new Set(v.personIds)] : [],
		}),
	)
