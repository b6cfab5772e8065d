import type { Answer } from '#db/schema/bank.ts'
import type { PersonCategory } from '#app/people/labels.ts'
import type { QuestionType } from './question-file.ts'

export type KnowledgePart = 'general' | 'professional'
export const PART_LABELS: Record<KnowledgePart, string> = { general: '通用知识', professional: '专业知识' }

/** A question as the domain handles it (bank form, importer, content loader). */
export type QuestionInput = {
	type: QuestionType
	stem: string
	options: string[]
	answer: Answer
	explanation: string
	difficulty: number
	part: KnowledgePart
	forAllJobTypes: boolean
	jobTypes: string[]
	categories?: PersonCategory[] | null
	topics: string[]
}

/** The fields a paper freezes: a change to any of them makes a new version. */
export function sameGradedContent(a: Pick<QuestionInput, 'type' | 'stem' | 'options' | 'answer' | 'explanation' | 'difficulty'>, b: typeof a) {
	return (
		a.type === b.type &&
		a.stem === b.stem &&
		a.answer === b.answer &&
		a.explanation === b.explanation &&
		a.difficulty === b.difficulty &&
		a.options.length === b.options.length &&
		a.options.every((o, i) => o === b.options[i])
	)
}

export function answerLabel(type: QuestionType, answer: Answer) {
	if (type === 'judge') return answer === true ? '正确' : '错误'
	return String(answer)
}
