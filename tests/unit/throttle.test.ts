import { describe, expect, test } from 'vitest'
import { ACCOUNT_POLICY, afterFailure, IP_POLICY, lockedUntil, retryMessage, type ThrottlePolicy } from '#app/auth/throttle.ts'

const MINUTE = 60_000
const t0 = new Date('2026-03-02T02:00:00Z')
const at = (ms: number) => new Date(t0.getTime() + ms)
const policy: ThrottlePolicy = { maxFailures: 3, windowMs: 10 * MINUTE, lockMs: 5 * MINUTE }

describe('throttle policies', () => {
	test('accounts lock after 5 failures and addresses after 100, each within 15 minutes for 15 minutes', () => {
		expect(ACCOUNT_POLICY).toEqual({ maxFailures: 5, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE })
		expect(IP_POLICY).toEqual({ maxFailures: 100, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE })
	})
})

describe('afterFailure', () => {
	test('starts a window at the first failure', () => {
		expect(afterFailure(null, t0, policy)).toEqual({ failures: 1, windowStartedAt: t0, lockedUntil: null })
		expect(afterFailure(undefined, t0, policy)).toEqual({ failures: 1, windowStartedAt: t0, lockedUntil: null })
	})

	test('counts failures within the window and locks at the limit', () => {
		let state = afterFailure(null, t0, policy)
		state = afterFailure(state, at(MINUTE), policy)
		expect(state).toEqual({ failures: 2, windowStartedAt: t0, lockedUntil: null })
		state = afterFailure(state, at(2 * MINUTE), policy)
		expect(state).toEqual({ failures: 3, windowStartedAt: t0, lockedUntil: at(7 * MINUTE) })
	})

	test('a failure after the window starts a new one', () => {
		const state = { failures: 2, windowStartedAt: t0, lockedUntil: null }
		expect(afterFailure(state, at(10 * MINUTE), policy).failures).toBe(3)
		expect(afterFailure(state, at(10 * MINUTE + 1), policy)).toEqual({ failures: 1, windowStartedAt: at(10 * MINUTE + 1), lockedUntil: null })
	})

	test('five account failures in a row lock for 15 minutes from the last', () => {
		let state = null as ReturnType<typeof afterFailure> | null
		for (let i = 0; i < 5; i++) state = afterFailure(state, at(i * 1000), ACCOUNT_POLICY)
		expect(state!.failures).toBe(5)
		expect(state!.lockedUntil).toEqual(at(4000 + 15 * MINUTE))
	})
})

describe('lockedUntil', () => {
	test('is the lock end while it lies ahead, else null', () => {
		const state = { failures: 5, windowStartedAt: t0, lockedUntil: at(15 * MINUTE) }
		expect(lockedUntil(state, at(MINUTE))).toEqual(at(15 * MINUTE))
		expect(lockedUntil(state, at(15 * MINUTE))).toBeNull()
		expect(lockedUntil(state, at(16 * MINUTE))).toBeNull()
		expect(lockedUntil({ ...state, lockedUntil: null }, t0)).toBeNull()
		expect(lockedUntil(null, t0)).toBeNull()
	})
})

describe('retryMessage', () => {
	test('names the Beijing time and the minutes left, rounded up', () => {
		const message = retryMessage(at(15 * MINUTE), at(30_000))
		expect(message).toContain('10:15')
		expect(message).toContain('约 15 分钟后')
		expect(message).toContain('再试')
	})

	test('says at least one minute', () => {
		expect(retryMessage(at(10_000), t0)).toContain('约 1 分钟后')
		expect(retryMessage(at(10_000), t0)).toContain('10:00')
	})

	test('uses a 24-hour clock', () => {
		// 22:45 in Beijing.
		expect(retryMessage(new Date('2026-03-02T14:45:00Z'), new Date('2026-03-02T14:40:00Z'))).toContain('22:45')
	})
})
