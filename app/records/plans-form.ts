import { z } from 'zod'
import { keysOf, PERSON_CATEGORIES, type PersonCategory } from '#app/people/labels.ts'
import { PLAN_WHO, type PlanWho } from './plans.ts'

// The "新建培训计划" form. Whether the courses, exam and people belong to the enterprise is
// checked on the server against the database; this checks the shape of what was typed.

export const PLAN_ARRAY_FIELDS = ['courseIds', 'jobTypes', 'categories', 'personIds'] as const

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** A calendar day typed as YYYY-MM-DD that exists (no 2026-02-30). */
export const isCalendarDay = (text: string) => /^\d{4}-\d{2}-\d{2}$/.test(text) && new Date(`${text}T00:00:00Z`).toISOString().slice(0, 10) === text

export type PlanInput = {
	orgId: string
	title: string
	dueOn: string
	courseIds: string[]
	examId: string | null
	who: PlanWho
	jobTypes: string[]
	categories: PersonCategory[]
	personIds: string[]
}

export const planFormSchema = z
	.object({
		orgId: z.string({ error: '请选择单位' }).regex(UUID, '请选择单位'),
		title: z.string({ error: '请填写计划名称' }).trim().min(2, '计划名称至少 2 个字').max(100, '计划名称不能超过 100 字'),
		dueOn: z.string({ error: '请填写完成期限' }).refine(isCalendarDay, '完成期限格式应为 2026-12-31'),
		courseIds: z.array(z.string().regex(UUID, '课程不正确')).max(50, '一个计划最多 50 门课程').default([]),
		examId: z.string().regex(UUID, '考试不正确').optional(),
		who: z.enum(keysOf(PLAN_WHO), { error: '请选择培训对象' }),
		jobTypes: z.array(z.string().max(40)).max(40, '最多选择 40 个工种').default([]),
		categories: z.array(z.enum(keysOf(PERSON_CATEGORIES), { error: '人员类别不正确' })).default([]),
		personIds: z.array(z.string().regex(UUID, '人员不正确')).max(5000, '一次最多 5000 人').default([]),
	})
	.superRefine((v, ctx) => {
		if (!v.courseIds.length && !v.examId) ctx.addIssue({ code: 'custom', path: ['courseIds'], message: '请至少选择一门课程或一场考试' })
		if (v.who === 'match' && !v.jobTypes.length && !v.categories.length) ctx.addIssue({ code: 'custom', path: ['jobTypes'], message: '请至少选择一个工种或人员类别' })
		if (v.who === 'people' && !v.personIds.length) ctx.addIssue({ code: 'custom', path: ['personIds'], message: '请勾选参加培训的人员' })
	})
	.transform(
		(v): PlanInput => ({
			orgId: v.orgId,
			title: v.title,
			dueOn: v.dueOn,
			courseIds: [...new Set(v.courseIds)],
			examId: v.examId ?? null,
			who: v.who,
			// A list plan keeps no criteria, so new people never join it.
			jobTypes: v.who === 'match' ? [...new Set(v.jobTypes)] : [],
			categories: v.who === 'match' ? [...new Set(v.categories)] : [],
			personIds: v.who === 'people' ? [...new Set(v.personIds)] : [],
		}),
	)
