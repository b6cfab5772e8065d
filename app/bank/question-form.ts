import { z } from 'zod'
import { OPTION_LETTERS, questionProblems } from './question-file.ts'
import type { QuestionInput } from './question.ts'

// The "add / edit one question" form. Options are eight text fields (blank ones dropped), the
// answer is typed as letters or 正确/错误 — the same notation as the Excel template.

export const OPTION_FIELDS = [...OPTION_LETTERS].map((l) => `option${l}`)

const TRUE_WORDS = ['正确', '对', '√', 'T', 'TRUE', '是']
const FALSE_WORDS = ['错误', '错', '×', 'F', 'FALSE', '否']

const baseSchema = z.object({
	type: z.enum(['single', 'multiple', 'judge'], { error: '请选择题型' }),
	stem: z.string({ error: '请填写题干' }).trim().min(4, '题干至少 4 个字').max(1000, '题干不能超过 1000 字'),
	answer: z.string({ error: '请填写答案' }).trim().min(1, '请填写答案'),
	explanation: z.string({ error: '请填写解析' }).trim().min(8, '解析至少 8 个字，请说明依据').max(2000, '解析不能超过 2000 字'),
	difficulty: z.coerce.number({ error: '请选择难度' }).int().min(1, '难度为 1–5').max(5, '难度为 1–5'),
	part: z.enum(['general', 'professional'], { error: '请选择知识类别' }),
	forAllJobTypes: z.literal('1').optional(),
	jobTypes: z.array(z.string()).default([]),
	topics: z.string().trim().max(200, '知识点太长').optional(),
	...Object.fromEntries(OPTION_FIELDS.map((f) => [f, z.string().trim().max(300, '选项不能超过 300 字').optional()])),
})

export const questionFormSchema = baseSchema.transform((v, ctx): QuestionInput => {
	const raw = v as unknown as Record<string, string | undefined>
	const options = OPTION_FIELDS.map((f) => raw[f] ?? '').filter((o) => o.length > 0)
	let answer: string | boolean = v.answer.toUpperCase().replace(/[\s,，、;；]/g, '')
	if (v.type === 'judge') {
		if (TRUE_WORDS.includes(answer)) answer = true
		else if (FALSE_WORDS.includes(answer)) answer = false
		else ctx.addIssue({ code: 'custom', path: ['answer'], message: '判断题的答案请填“正确”或“错误”' })
	} else {
		answer = [...new Set(answer)].sort().join('')
	}
	if (!v.forAllJobTypes && v.jobTypes.length === 0) ctx.addIssue({ code: 'custom', path: ['jobTypes'], message: '请选择适用工种，或勾选“全部工种”' })
	const input: QuestionInput = {
		type: v.type,
		stem: v.stem,
		options: v.type === 'judge' ? [] : options,
		answer,
		explanation: v.explanation,
		difficulty: v.difficulty,
		part: v.part,
		forAllJobTypes: Boolean(v.forAllJobTypes),
		jobTypes: v.forAllJobTypes ? [] : v.jobTypes,
		topics: (v.topics ?? '').split(/[,，、;；\s]+/).filter(Boolean),
	}
	if (typeof answer !== 'boolean' || v.type === 'judge') {
		for (const problem of questionProblems(input)) {
			const field = /选项/.test(problem) && !/答案/.test(problem) ? 'optionA' : 'answer'
			ctx.addIssue({ code: 'custom', path: [field], message: problem })
		}
	}
	return input
})
