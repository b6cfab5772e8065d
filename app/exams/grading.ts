import type { Answer } from '#db/schema/bank.ts'
import { OPTION_LETTERS } from '#app/bank/question-file.ts'

// Grading, and the mapping between what the taker saw (shuffled options) and the bank's letters.

const letterIndex = (l: string) => OPTION_LETTERS.indexOf(l)

/** The taker's letters (in the order shown) as the bank's letters, sorted ("B" shown → "D" stored). */
export function toBankLetters(shown: string, optionOrder: number[]) {
	return [...shown]
		.map((l) => optionOrder[letterIndex(l)])
		.filter((i): i is number => i !== undefined)
		.map((i) => OPTION_LETTERS[i])
		.sort()
		.join('')
}

/** The bank's letters as the taker saw them, sorted (for the review). */
export function toShownLetters(bank: string, optionOrder: number[]) {
	return [...bank]
		.map((l) => optionOrder.indexOf(letterIndex(l)))
		.filter((i) => i >= 0)
		.map((i) => OPTION_LETTERS[i])
		.sort()
		.join('')
}

/** Whether a submitted answer has the right form for the question (letters within its options, or true/false). */
export function isWellFormedAnswer(type: 'single' | 'multiple' | 'judge', optionCount: number, answer: unknown): answer is Answer | null {
	if (answer === null) return true
	if (type === 'judge') return typeof answer === 'boolean'
	if (typeof answer !== 'string' || answer.length === 0) return false
	const letters = [...answer]
	if (new Set(letters).size !== letters.length) return false
	if (!letters.every((l) => letterIndex(l) >= 0 && letterIndex(l) < optionCount)) return false
	return type === 'multiple' || letters.length === 1
}

/**
 * Points for one answer. 多选 is all-or-nothing unless `partialCredit`: then a non-empty subset
 * of the right choices with no wrong one earns half the points (rounded down).
 */
export function scoreAnswer(
	question: { type: 'single' | 'multiple' | 'judge'; answer: Answer },
	shown: Answer | null | undefined,
	optionOrder: number[],
	points: number,
	{ partialCredit = false } = {},
) {
	if (shown === null || shown === undefined) return 0
	if (question.type === 'judge') return shown === question.answer ? points : 0
	if (typeof shown !== 'string' || typeof question.answer !== 'string') return 0
	const given = toBankLetters(shown, optionOrder)
	const right = [...question.answer].sort().join('')
	if (given === right) return points
	if (question.type === 'multiple' && partialCredit && given.length > 0 && [...given].every((l) => right.includes(l))) return Math.floor(points / 2)
	return 0
}
