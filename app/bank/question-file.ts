import { z } from 'zod'

// The shape of shipped question files, content/questions/*.yaml, and the checks every shipped
// question must pass. Pure: the content check and the loader both use it.

export const QUESTION_TYPES = { single: '单选题', multiple: '多选题', judge: '判断题' } as const
export type QuestionType = keyof typeof QUESTION_TYPES
export const KNOWLEDGE_PARTS = ['通用', '专业'] as const
export const OPTION_LETTERS = 'ABCDEFGH'

const questionSchema = z.object({
	/** Stable key: edits to a shipped question keep its id. */
	id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'id 只能用小写字母、数字、下划线和连字符'),
	type: z.enum(['single', 'multiple', 'judge']),
	stem: z.string().trim().min(4, '题干太短'),
	// YAML reads an option like 119 as a number; options are text.
	options: z.array(z.union([z.string(), z.number()]).transform((o) => String(o).trim()).pipe(z.string().min(1))).max(8).optional(),
	/** Letters for choice questions ("B", "ACD"); true/false for 判断题. */
	answer: z.union([z.string().regex(/^[A-H]+$/, '答案须为选项字母，如 B 或 ACD'), z.boolean()]),
	explanation: z.string().trim().min(8, '每道题都要有解析'),
	difficulty: z.number().int().min(1).max(5),
	topics: z.array(z.string().min(1)).default([]),
	jobTypes: z.union([z.literal('all'), z.array(z.string())]).optional(),
	part: z.enum(KNOWLEDGE_PARTS).optional(),
})

export const questionFileSchema = z.object({
	/** Defaults for every question in the file. */
	jobTypes: z.union([z.literal('all'), z.array(z.string()).min(1)]),
	part: z.enum(KNOWLEDGE_PARTS),
	/** Personnel categories the questions are for, when by role (主要负责人、安全管理人员) rather than job. */
	categories: z.array(z.enum(['principal', 'safety_manager', 'special_operator', 'general', 'party_leader'])).optional(),
	questions: z.array(questionSchema).min(1),
})

export type QuestionFile = z.infer<typeof questionFileSchema>
export type ShippedQuestion = z.infer<typeof questionSchema>

/** Problems with one question that zod cannot see: answers among options, answer counts. */
export function questionProblems(q: Pick<ShippedQuestion, 'type' | 'options' | 'answer'>): string[] {
	const problems: string[] = []
	if (q.type === 'judge') {
		if (typeof q.answer !== 'boolean') problems.push('判断题的答案须为 true 或 false')
		if (q.options?.length) problems.push('判断题不需要选项')
		return problems
	}
	const options = q.options ?? []
	if (options.length < 2) problems.push('选择题至少 2 个选项')
	if (typeof q.answer !== 'string') return [...problems, '选择题的答案须为选项字母']
	const letters = [...q.answer]
	if (new Set(letters).size !== letters.length) problems.push('答案中有重复字母')
	const outside = letters.filter((l) => OPTION_LETTERS.indexOf(l) >= options.length)
	if (outside.length) problems.push(`答案 ${outside.join('')} 不在选项中`)
	if (q.type === 'single' && letters.length !== 1) problems.push('单选题须恰好一个答案')
	if (q.type === 'multiple' && letters.length < 2) problems.push('多选题至少两个答案')
	if (new Set(options).size !== options.length) problems.push('选项重复')
	return problems
}

/** Stems compared for duplicates: without spaces and punctuation. */
export const normalizedStem = (stem: string) => stem.replace(/[\s\p{P}（）()_＿]/gu, '')
