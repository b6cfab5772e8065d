import { z } from 'zod'

export const courseFormSchema = z
	.object({
		title: z.string({ error: '请填写课程名称' }).trim().min(2, '课程名称至少 2 个字').max(60, '课程名称不能超过 60 字'),
		part: z.enum(['general', 'professional'], { error: '请选择知识类别' }),
		description: z.string().trim().max(500, '简介不能超过 500 字').default(''),
		forAllJobTypes: z.literal('1').optional(),
		jobTypes: z.array(z.string()).default([]),
		published: z.literal('1').optional(),
	})
	.superRefine((v, ctx) => {
		if (!v.forAllJobTypes && v.jobTypes.length === 0) ctx.addIssue({ code: 'custom', path: ['jobTypes'], message: '请选择适用工种，或勾选“全部工种”' })
	})

export const lessonFormSchema = z.object({
	title: z.string({ error: '请填写课时标题' }).trim().min(2, '标题至少 2 个字').max(60, '标题不能超过 60 字'),
	minMinutes: z.coerce.number({ error: '请填写最少学习分钟数' }).int('请填写整数').min(1, '至少 1 分钟').max(120, '最多 120 分钟'),
	body: z.string({ error: '请填写正文' }).trim().min(20, '正文至少 20 个字').max(50_000, '正文太长，请拆成几个课时'),
})
