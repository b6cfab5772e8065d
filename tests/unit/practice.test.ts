import { describe, expect, test } from 'vitest'
import { CLEAR_AFTER, inNotebook, notebookAfter, parseDone, pickNext, practiceSequence, practiceStreak, practiceUrl, questionRef, type NotebookEntry } from '#app/exams/practice.ts'
import { addDays, chinaDay } from '#app/utils/days.ts'

const t = (iso: string) => new Date(iso)

describe('the 错题本 rule', () => {
	const wrongAt = t('2026-03-01T02:00:00Z')

	test('a wrong answer puts a question in with a streak of 0', () => {
		const entry = notebookAfter(null, false, wrongAt)
		expect(entry).toEqual({ lastWrongAt: wrongAt, rightStreak: 0, clearedAt: null })
		expect(inNotebook(entry)).toBe(true)
	})

	test('a right answer to a question never got wrong records nothing', () => {
		expect(notebookAfter(null, true, wrongAt)).toBeNull()
		expect(inNotebook(null)).toBe(false)
	})

	test('two right answers in a row take it out; one is not enough', () => {
		expect(CLEAR_AFTER).toBe(2)
		const first = notebookAfter({ lastWrongAt: wrongAt, rightStreak: 0, clearedAt: null }, true, t('2026-03-02T02:00:00Z'))!
		expect(first).toEqual({ lastWrongAt: wrongAt, rightStreak: 1, clearedAt: null })
		expect(inNotebook(first)).toBe(true)
		const clearedAt = t('2026-03-03T02:00:00Z')
		const second = notebookAfter(first, true, clearedAt)!
		expect(second).toEqual({ lastWrongAt: wrongAt, rightStreak: 2, clearedAt })
		expect(inNotebook(second)).toBe(false)
	})

	test('a wrong answer between two right ones starts the count again', () => {
		let entry: NotebookEntry | null = notebookAfter(null, false, wrongAt)
		entry = notebookAfter(entry, true, t('2026-03-02T00:00:00Z'))
		const again = t('2026-03-02T00:01:00Z')
		entry = notebookAfter(entry, false, again)
		expect(entry).toEqual({ lastWrongAt: again, rightStreak: 0, clearedAt: null })
		entry = notebookAfter(entry, true, t('2026-03-02T00:02:00Z'))
		expect(inNotebook(entry)).toBe(true)
		entry = notebookAfter(entry, true, t('2026-03-02T00:03:00Z'))
		expect(inNotebook(entry)).toBe(false)
	})

	test('a cleared question comes back, streak 0, when answered wrong again; right answers leave it cleared', () => {
		const cleared: NotebookEntry = { lastWrongAt: wrongAt, rightStreak: 2, clearedAt: t('2026-03-03T00:00:00Z') }
		expect(notebookAfter(cleared, true, t('2026-03-04T00:00:00Z'))).toEqual(cleared)
		const back = notebookAfter(cleared, false, t('2026-03-05T00:00:00Z'))
		expect(back).toEqual({ lastWrongAt: t('2026-03-05T00:00:00Z'), rightStreak: 0, clearedAt: null })
	})
})

describe('practice days in Asia/Shanghai', () => {
	test('a day runs from 00:00 to 24:00 Beijing time (UTC+8), whatever the server zone', () => {
		expect(chinaDay(t('2026-03-01T15:59:59Z'))).toBe('2026-03-01') // 23:59:59 in Beijing
		expect(chinaDay(t('2026-03-01T16:00:00Z'))).toBe('2026-03-02') // midnight in Beijing
		expect(chinaDay(t('2026-03-02T08:00:00+08:00'))).toBe('2026-03-02')
		expect(chinaDay(t('2026-03-01T20:00:00-05:00'))).toBe('2026-03-02') // New York evening, Beijing morning
	})

	test('days are added across months, leap days and years', () => {
		expect(addDays('2024-02-28', 1)).toBe('2024-02-29')
		expect(addDays('2024-03-01', -1)).toBe('2024-02-29')
		expect(addDays('2026-01-01', -1)).toBe('2025-12-31')
		expect(() => addDays('2026-1-1', 1)).toThrow()
	})
})

describe('the daily-practice streak', () => {
	const days = (...list: string[]) => list.map((day) => ({ day, answered: 3 }))
	const noonBeijing = t('2026-03-10T04:00:00Z') // 2026-03-10 12:00 in Beijing

	test('counts consecutive days up to today', () => {
		expect(practiceStreak(days('2026-03-10', '2026-03-09', '2026-03-08'), noonBeijing)).toBe(3)
	})

	test('up to yesterday while today has no practice yet', () => {
		expect(practiceStreak(days('2026-03-09', '2026-03-08'), noonBeijing)).toBe(2)
	})

	test('is 0 when the last practice was the day before yesterday, or never', () => {
		expect(practiceStreak(days('2026-03-08', '2026-03-07'), noonBeijing)).toBe(0)
		expect(practiceStreak([], noonBeijing)).toBe(0)
	})

	test('stops at the first missing day, and a day with no answers does not count', () => {
		expect(practiceStreak(days('2026-03-10', '2026-03-09', '2026-03-07', '2026-03-06'), noonBeijing)).toBe(2)
		expect(practiceStreak([...days('2026-03-10', '2026-03-08'), { day: '2026-03-09', answered: 0 }], noonBeijing)).toBe(1)
	})

	test('the order of the rows does not matter, and it runs across a month end', () => {
		expect(practiceStreak(days('2026-02-27', '2026-03-01', '2026-02-28'), t('2026-03-01T10:00:00Z'))).toBe(3)
	})

	test('"today" is the Beijing day: 00:30 in Beijing is already the next day', () => {
		const practised = days('2026-03-09')
		// 2026-03-09 23:30 in Beijing: practised today.
		expect(practiceStreak(practised, t('2026-03-09T15:30:00Z'))).toBe(1)
		// 2026-03-10 00:30 in Beijing (still the 9th in UTC): the 9th is yesterday, the streak holds.
		expect(practiceStreak(practised, t('2026-03-09T16:30:00Z'))).toBe(1)
		// 2026-03-11 00:30 in Beijing: a whole day without practice has passed.
		expect(practiceStreak(practised, t('2026-03-10T16:30:00Z'))).toBe(0)
	})
})

describe('picking the next practice question', () => {
	const ids = Array.from({ length: 40 }, (_, i) => `${(i + 1).toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`)

	test('in order: the bank order, skipping the ones answered this session', () => {
		expect(pickNext(ids, { order: 'seq', seed: 0, answered: [] })).toBe(ids[0])
		expect(pickNext(ids, { order: 'seq', seed: 0, answered: [questionRef(ids[0]!), questionRef(ids[1]!)] })).toBe(ids[2])
		// Answered out of order (e.g. the list changed): still the first not answered.
		expect(pickNext(ids, { order: 'seq', seed: 0, answered: [ids[1]!] })).toBe(ids[0])
	})

	test('returns null once every question has been answered', () => {
		expect(pickNext(ids, { order: 'seq', seed: 0, answered: ids })).toBeNull()
		expect(pickNext(ids, { order: 'random', seed: 7, answered: ids.map(questionRef) })).toBeNull()
		expect(pickNext([], { order: 'random', seed: 7, answered: [] })).toBeNull()
	})

	test('at random: the same seed gives the same order, another seed another one', () => {
		const a = practiceSequence(ids, 'random', 12345)
		expect(practiceSequence(ids, 'random', 12345)).toEqual(a)
		expect([...a].sort()).toEqual([...ids].sort())
		expect(a).not.toEqual(ids)
		expect(practiceSequence(ids, 'random', 54321)).not.toEqual(a)
	})

	test('at random: walking a session visits every question exactly once', () => {
		const answered: string[] = []
		for (;;) {
			const next = pickNext(ids, { order: 'random', seed: 99, answered })
			if (!next) break
			answered.push(questionRef(next))
		}
		expect(answered).toHaveLength(ids.length)
		expect(new Set(answered).size).toBe(ids.length)
		expect(answered).toEqual(practiceSequence(ids, 'random', 99).map(questionRef))
	})

	test('at random: a question leaving the list (cleared from the 错题本) does not reshuffle the others', () => {
		const full = practiceSequence(ids, 'random', 5)
		const without = practiceSequence(ids.filter((id) => id !== full[3]), 'random', 5)
		expect(without).toEqual(full.filter((id) => id !== full[3]))
	})

	test('the answered list in the URL keeps only well-formed refs, once each', () => {
		expect(parseDone('0000000a.0000000B.bad.0000000a..')).toEqual(['0000000a', '0000000b'])
		expect(parseDone(null)).toEqual([])
		expect(questionRef('1A2B3C4D-0000-4000-8000-000000000000')).toBe('1a2b3c4d')
	})

	test('a session URL carries its part, job, order, seed and answered refs', () => {
		expect(practiceUrl({ set: 'bank', part: 'professional', job: 'coal_underground', order: 'random', seed: 42, done: ['0000000a', '0000000b'] })).toBe(
			'/practice/session?part=professional&job=coal_underground&order=random&seed=42&done=0000000a.0000000b',
		)
		expect(practiceUrl({ set: 'wrong', order: 'seq' })).toBe('/practice/session?set=wrong&order=seq')
	})
})
