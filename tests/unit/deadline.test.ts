import { describe, expect, test } from 'vitest'
import { acceptsAnswers, deadlineFor, GRACE_SECONDS, mustClose, secondsLeft } from '#app/exams/deadline.ts'

// The attempt's clock: started_at + limit, capped by the exam's close; 30 s of grace for saves.

const at = (iso: string) => new Date(iso)
const plus = (d: Date, ms: number) => new Date(d.getTime() + ms)

describe('deadlineFor', () => {
	test('is the start plus the time limit while the exam stays open', () => {
		expect(deadlineFor(at('2026-05-01T08:00:00Z'), 90, at('2026-05-01T18:00:00Z'))).toEqual(at('2026-05-01T09:30:00Z'))
		expect(deadlineFor(at('2026-05-01T08:00:00Z'), 1, at('2026-05-01T08:01:00Z'))).toEqual(at('2026-05-01T08:01:00Z'))
	})

	test('is capped by the close of the exam', () => {
		expect(deadlineFor(at('2026-05-01T17:30:00Z'), 90, at('2026-05-01T18:00:00Z'))).toEqual(at('2026-05-01T18:00:00Z'))
		expect(deadlineFor(at('2026-05-01T17:59:59Z'), 60, at('2026-05-01T18:00:00Z'))).toEqual(at('2026-05-01T18:00:00Z'))
	})
})

describe('the grace period', () => {
	const deadline = at('2026-05-01T09:30:00Z')

	test('is 30 seconds', () => {
		expect(GRACE_SECONDS).toBe(30)
	})

	test('answers are accepted up to exactly 30 s after the deadline, and not a millisecond later', () => {
		expect(acceptsAnswers(plus(deadline, -60_000), deadline)).toBe(true)
		expect(acceptsAnswers(deadline, deadline)).toBe(true)
		expect(acceptsAnswers(plus(deadline, 29_000), deadline)).toBe(true)
		expect(acceptsAnswers(plus(deadline, 29_999), deadline)).toBe(true)
		expect(acceptsAnswers(plus(deadline, 30_000), deadline)).toBe(true)
		expect(acceptsAnswers(plus(deadline, 30_001), deadline)).toBe(false)
		expect(acceptsAnswers(plus(deadline, 31_000), deadline)).toBe(false)
	})

	test('an attempt must be closed exactly when it no longer accepts answers', () => {
		for (const ms of [-1000, 0, 29_999, 30_000, 30_001, 31_000, 3_600_000]) {
			expect(mustClose(plus(deadline, ms), deadline)).toBe(!acceptsAnswers(plus(deadline, ms), deadline))
		}
		expect(mustClose(plus(deadline, 30_000), deadline)).toBe(false)
		expect(mustClose(plus(deadline, 30_001), deadline)).toBe(true)
	})
})

describe('secondsLeft', () => {
	const deadline = at('2026-05-01T09:30:00Z')
	test('counts down to the deadline (not the grace), rounded up, never below zero', () => {
		expect(secondsLeft(at('2026-05-01T08:00:00Z'), deadline)).toBe(5400)
		expect(secondsLeft(plus(deadline, -1500), deadline)).toBe(2)
		expect(secondsLeft(plus(deadline, -1), deadline)).toBe(1)
		expect(secondsLeft(deadline, deadline)).toBe(0)
		expect(secondsLeft(plus(deadline, 20_000), deadline)).toBe(0)
	})
})
