import { describe, expect, test } from 'vitest'
import { isWellFormedAnswer, scoreAnswer, toBankLetters, toShownLetters } from '#app/exams/grading.ts'

// Grading and the mapping between the letters a taker saw (options shuffled) and the bank's.

const IDENTITY = [0, 1, 2, 3]
// Shown A is the bank's C, shown B the bank's A, shown C the bank's D, shown D the bank's B.
const ORDER = [2, 0, 3, 1]

function permutations(items: number[]): number[][] {
	if (items.length <= 1) return [items]
	return items.flatMap((x, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [x, ...rest]))
}
const subsets = (letters: string) => Array.from({ length: 2 ** letters.length }, (_, mask) => [...letters].filter((_, i) => mask & (1 << i)).join(''))

describe('shown letters and bank letters', () => {
	test('map through the option order, sorted', () => {
		expect(toBankLetters('A', ORDER)).toBe('C')
		expect(toBankLetters('B', ORDER)).toBe('A')
		expect(toBankLetters('CA', ORDER)).toBe('CD')
		expect(toBankLetters('ABCD', ORDER)).toBe('ABCD')
		expect(toShownLetters('C', ORDER)).toBe('A')
		expect(toShownLetters('A', ORDER)).toBe('B')
		expect(toShownLetters('BD', ORDER)).toBe('CD')
		expect(toShownLetters('AC', ORDER)).toBe('AB')
		expect(toBankLetters('BD', IDENTITY)).toBe('BD')
		expect(toShownLetters('DB', IDENTITY)).toBe('BD')
	})

	test('round-trip for every answer under every order of 4 options and some of 6', () => {
		const orders = [...permutations([0, 1, 2, 3]), [5, 3, 1, 0, 4, 2], [1, 2, 3, 4, 5, 0]]
		for (const order of orders) {
			const letters = 'ABCDEF'.slice(0, order.length)
			for (const s of subsets(letters)) {
				expect(toShownLetters(toBankLetters(s, order), order)).toBe(s)
				expect(toBankLetters(toShownLetters(s, order), order)).toBe(s)
			}
		}
	})

	test('letters outside the options map to nothing', () => {
		expect(toBankLetters('AE', ORDER)).toBe('C')
		expect(toShownLetters('E', ORDER)).toBe('')
	})
})

describe('scoreAnswer', () => {
	const single = { type: 'single' as const, answer: 'C' }
	const judge = { type: 'judge' as const, answer: false }
	const multiple = { type: 'multiple' as const, answer: 'ABD' }

	test('单选 and 判断 are all or nothing', () => {
		expect(scoreAnswer(single, 'C', IDENTITY, 2)).toBe(2)
		expect(scoreAnswer(single, 'B', IDENTITY, 2)).toBe(0)
		expect(scoreAnswer(single, 'C', IDENTITY, 2, { partialCredit: true })).toBe(2)
		expect(scoreAnswer(single, 'A', IDENTITY, 2, { partialCredit: true })).toBe(0)
		expect(scoreAnswer(judge, false, [], 1)).toBe(1)
		expect(scoreAnswer(judge, true, [], 1)).toBe(0)
		expect(scoreAnswer(judge, 'false', [], 1)).toBe(0)
		expect(scoreAnswer({ type: 'judge', answer: true }, true, [], 3)).toBe(3)
	})

	test('no answer scores nothing', () => {
		for (const q of [single, judge, multiple]) {
			expect(scoreAnswer(q, null, IDENTITY, 2)).toBe(0)
			expect(scoreAnswer(q, undefined, IDENTITY, 2, { partialCredit: true })).toBe(0)
		}
		expect(scoreAnswer(multiple, '', IDENTITY, 4, { partialCredit: true })).toBe(0)
	})

	test('多选 is all or nothing by default', () => {
		expect(scoreAnswer(multiple, 'ABD', IDENTITY, 4)).toBe(4)
		expect(scoreAnswer(multiple, 'DBA', IDENTITY, 4)).toBe(4)
		expect(scoreAnswer(multiple, 'AB', IDENTITY, 4)).toBe(0)
		expect(scoreAnswer(multiple, 'A', IDENTITY, 4)).toBe(0)
		expect(scoreAnswer(multiple, 'ABCD', IDENTITY, 4)).toBe(0)
		expect(scoreAnswer(multiple, 'C', IDENTITY, 4)).toBe(0)
	})

	test('多选 with partial credit: a subset without a wrong choice earns half, any wrong choice nothing', () => {
		const partial = { partialCredit: true }
		expect(scoreAnswer(multiple, 'ABD', IDENTITY, 4, partial)).toBe(4)
		expect(scoreAnswer(multiple, 'AB', IDENTITY, 4, partial)).toBe(2)
		expect(scoreAnswer(multiple, 'D', IDENTITY, 4, partial)).toBe(2)
		expect(scoreAnswer(multiple, 'AC', IDENTITY, 4, partial)).toBe(0)
		expect(scoreAnswer(multiple, 'ABCD', IDENTITY, 4, partial)).toBe(0)
		expect(scoreAnswer(multiple, 'C', IDENTITY, 4, partial)).toBe(0)
		// Half, rounded down.
		expect(scoreAnswer(multiple, 'A', IDENTITY, 3, partial)).toBe(1)
		expect(scoreAnswer(multiple, 'A', IDENTITY, 1, partial)).toBe(0)
	})

	test('grades what the taker saw: shuffled options map back to the bank’s answer', () => {
		// Bank answer C (index 2) is shown first under ORDER.
		expect(scoreAnswer(single, 'A', ORDER, 2)).toBe(2)
		expect(scoreAnswer(single, 'C', ORDER, 2)).toBe(0)
		// Bank answer ABD is shown as B, D, C.
		expect(toShownLetters('ABD', ORDER)).toBe('BCD')
		expect(scoreAnswer(multiple, 'BCD', ORDER, 4)).toBe(4)
		expect(scoreAnswer(multiple, 'ABD', ORDER, 4)).toBe(0)
		expect(scoreAnswer(multiple, 'BD', ORDER, 4, { partialCredit: true })).toBe(2)
		expect(scoreAnswer(multiple, 'AB', ORDER, 4, { partialCredit: true })).toBe(0) // shown A is the bank's C: wrong
		// Whatever the order, the shown right answer earns full points.
		for (const order of permutations([0, 1, 2, 3])) {
			expect(scoreAnswer(multiple, toShownLetters('ABD', order), order, 4)).toBe(4)
			expect(scoreAnswer(single, toShownLetters('C', order), order, 2)).toBe(2)
		}
	})
})

describe('isWellFormedAnswer', () => {
	test('accepts letters within the options, true/false for 判断, and null (cleared)', () => {
		expect(isWellFormedAnswer('single', 4, 'A')).toBe(true)
		expect(isWellFormedAnswer('single', 4, 'D')).toBe(true)
		expect(isWellFormedAnswer('multiple', 4, 'AC')).toBe(true)
		expect(isWellFormedAnswer('multiple', 4, 'DCBA')).toBe(true)
		expect(isWellFormedAnswer('multiple', 5, 'E')).toBe(true)
		expect(isWellFormedAnswer('judge', 0, true)).toBe(true)
		expect(isWellFormedAnswer('judge', 0, false)).toBe(true)
		for (const type of ['single', 'multiple', 'judge'] as const) expect(isWellFormedAnswer(type, 4, null)).toBe(true)
	})

	test('refuses letters beyond the options, duplicates, several letters for 单选, non-booleans for 判断', () => {
		expect(isWellFormedAnswer('single', 4, 'E')).toBe(false)
		expect(isWellFormedAnswer('multiple', 4, 'AE')).toBe(false)
		expect(isWellFormedAnswer('multiple', 3, 'D')).toBe(false)
		expect(isWellFormedAnswer('multiple', 4, 'AA')).toBe(false)
		expect(isWellFormedAnswer('multiple', 4, 'ABA')).toBe(false)
		expect(isWellFormedAnswer('single', 4, 'AB')).toBe(false)
		expect(isWellFormedAnswer('single', 4, 'AA')).toBe(false)
		expect(isWellFormedAnswer('judge', 0, 'true')).toBe(false)
		expect(isWellFormedAnswer('judge', 0, 'A')).toBe(false)
		expect(isWellFormedAnswer('judge', 0, 1)).toBe(false)
		expect(isWellFormedAnswer('judge', 0, undefined)).toBe(false)
	})

	test('refuses anything else: empty, lower case, other characters, wrong kinds', () => {
		for (const type of ['single', 'multiple'] as const) {
			for (const bad of ['', 'a', 'A ', ' A', 'A,B', '1', '甲', true, false, 0, ['A'], { A: true }, undefined]) expect(isWellFormedAnswer(type, 4, bad)).toBe(false)
		}
	})
})
