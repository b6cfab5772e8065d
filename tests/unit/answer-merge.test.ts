import { describe, expect, test } from 'vitest'
import { encodeAnswer, mergeAnswers } from '#app/components/exam/use-answer-sync.ts'
import { parseAnswerField } from '#app/exams/taking.server.ts'

// The exam page's merge of the answers kept on the device with the server's, on every load.

describe('merging the device with the server on load', () => {
	test('the higher clientSeq wins; what only the device has stays 未同步', () => {
		const device = {
			seq: 9,
			answers: {
				'1': { a: 'A', s: 3, ok: true }, // the server has it
				'2': { a: 'B', s: 8, ok: false }, // answered offline
				'3': { a: true, s: 9, ok: true }, // acknowledged after this page's data was read (an offline copy)
				'4': { a: 'C', s: 2, ok: false }, // another device answered later
			},
		}
		const server = { '1': { given: 'A', clientSeq: 3 }, '2': { given: 'D', clientSeq: 5 }, '4': { given: 'AB', clientSeq: 12 }, '5': { given: false, clientSeq: 7 } }
		const merged = mergeAnswers(device, server)
		expect(merged.seq).toBe(12)
		expect(merged.answers).toEqual({
			'1': { a: 'A', s: 3, ok: true },
			'2': { a: 'B', s: 8, ok: false },
			'3': { a: true, s: 9, ok: true },
			'4': { a: 'AB', s: 12, ok: true },
			'5': { a: false, s: 7, ok: true },
		})
	})

	test('a fresh device starts after every number the server has seen', () => {
		expect(mergeAnswers({ seq: 0, answers: {} }, { '7': { given: 'C', clientSeq: 41 } }).seq).toBe(41)
	})
})

describe('answers on the wire', () => {
	test('what the script sends is what the server reads', () => {
		for (const a of ['B', 'ACD', true, false, null] as const) expect(parseAnswerField([encodeAnswer(a)])).toEqual(a)
	})

	test('checkbox fields are joined, sorted and de-duplicated', () => {
		expect(parseAnswerField(['C', 'A'])).toBe('AC')
		expect(parseAnswerField(['b', 'B', 'a'])).toBe('AB')
		expect(parseAnswerField([])).toBeNull()
		expect(parseAnswerField([''])).toBeNull()
	})
})
