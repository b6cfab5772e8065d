import { z } from 'zod'
import { PERSON_CATEGORIES, type PersonCategory } from '#app/people/labels.ts'
import { isUuid } from '#app/utils/ids.ts'

// What clearing a job type takes (上岗规则), and 轮训 rules: the forms and their checks.

const ids = (message: string) => z.array(z.string()).default([]).refine((v) => v.every(isUuid), message)

export const jobRuleSchema = z.object({
	// 'default': the job type's courses / 岗前 and 年度 exams; 'chosen': the ones ticked.
	courseMode: z.enum(['default', 'chosen'], { error: '请选择课程要求' }),
	courseIds: ids('请从列表中选择课程'),
	templateMode: z.enum(['default', 'chosen'], { error: '请选择考试要求' }),
	templateIds: ids('请从列表中选择试卷规则'),
	passValidMonths: z.coerce.number({ error: '请填写考试合格有效期' }).int('请填写整数月').min(1, '至少 1 个月').max(120, '最多 120 个月'),
})
	.refine((r) => r.templateMode === 'default' || r.templateIds.length > 0, { path: ['templateIds'], message: '请至少选择一份试卷规则，或改用默认' })

export type JobRuleInput = z.infer<typeof jobRuleSchema>

export const rotationRuleSchema = z.object({
	title: z.string({ error: '请填写名称' }).trim().min(2, '请填写名称').max(60, '名称不超过 60 字'),
	categories: z
		.array(z.enum(Object.keys(PERSON_CATEGORIES) as [PersonCategory, ...PersonCategory[]]))
		.default([])
		.refine((v) => v.length > 0, '请至少选择一类人员'),
	industryCodes: z.array(z.string().max(40)).default([]),
	minHours: z.coerce.number({ error: '请填写学时' }).int('请填写整数学时').min(1, '至少 1 学时').max(500, '最多 500 学时'),
	periodMonths: z.coerce.number({ error: '请填写周期' }).int('请填写整数月').min(1, '至少 1 个月').max(60, '最多 60 个月'),
})

export type RotationRuleInput = z.infer<typeof rotationRuleSchema>
