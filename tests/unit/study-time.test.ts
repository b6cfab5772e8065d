import { describe, expect, test } from 'vitest'
import { afterHeartbeat, afterMarkDone, afterOpen, capSeconds, remainingMessage, type Progress } from '#app/courses/study-time.ts'

const start = new Date('2026-11-23T08:00:00Z')
const at = (seconds: number) => new Date(start.getTime() + seconds * 1000)
const fresh: Progress = { studiedSeconds: 0, reachedEnd: false, openedAt: null, lastCreditAt: null, completedAt: null }

/** Opens the lesson at 0 s and sends heartbeats at the given seconds. */
function beats(seconds: number[], minMinutes = 5, p = afterOpen(fresh, start)) {
	return seconds.reduce((acc, s) => afterHeartbeat(acc, at(s), minMinutes), p)
}

describe('学时 from heartbeats', () => {
	test('continuous heartbeats credit the time between them', () => {
		const p = beats([15, 30, 45, 60])
		expect(p.studiedSeconds).toBe(60)
	})

	test('a silence longer than the allowed gap (background tab, idle) earns nothing', () => {
		const p = beats([15, 30, 600, 615])
		// 15 + 15, then a restart at 600, then 15.
		expect(p.studiedSeconds).toBe(45)
	})

	test('a heartbeat with no opened page earns nothing', () => {
		expect(afterHeartbeat(fresh, at(10), 5).studiedSeconds).toBe(0)
	})

	test('study time is capped at three times the minimum (no 挂机)', () => {
		const times = Array.from({ length: 200 }, (_, i) => (i + 1) * 15)
		const p = beats(times, 2)
		expect(p.studiedSeconds).toBe(capSeconds(2))
		expect(p.studiedSeconds).toBe(360)
	})

	test('a lesson is done only after its minimum time and reaching its end', () => {
		const enough = beats(Array.from({ length: 20 }, (_, i) => (i + 1) * 15), 5)
		expect(enough.studiedSeconds).toBe(300)
		expect(enough.completedAt).toBeNull()
		const ended = afterHeartbeat(enough, at(315), 5, true)
		expect(ended.completedAt).toEqual(at(315))
		const early = afterHeartbeat(beats([15], 5), at(30), 5, true)
		expect(early.reachedEnd).toBe(true)
		expect(early.completedAt).toBeNull()
	})

	test('once done, a lesson stays done and its time never goes down', () => {
		const done = afterMarkDone(afterOpen(fresh, start), at(400), 5)
		expect(done.completedAt).toEqual(at(400))
		const later = afterHeartbeat(afterOpen(done, at(1000)), at(1015), 5)
		expect(later.completedAt).toEqual(at(400))
		expect(later.studiedSeconds).toBeGreaterThanOrEqual(done.studiedSeconds)
	})
})

describe('学时 without JavaScript', () => {
	test('time between opening and marking done counts', () => {
		const p = afterMarkDone(afterOpen(fresh, start), at(6 * 60), 5)
		expect(p.studiedSeconds).toBe(360)
		expect(p.completedAt).toEqual(at(360))
	})

	test('marking done too early credits the time but does not complete, and says how long is left', () => {
		const p = afterMarkDone(afterOpen(fresh, start), at(120), 5)
		expect(p.studiedSeconds).toBe(120)
		expect(p.completedAt).toBeNull()
		expect(remainingMessage(p, 5)).toBe('还需学习约 3 分钟才能完成本课时')
	})

	test('the same cap applies', () => {
		const p = afterMarkDone(afterOpen(fresh, start), at(10 * 3600), 5)
		expect(p.studiedSeconds).toBe(capSeconds(5))
	})

	test('with heartbeats running, marking done does not also credit the whole visit', () => {
		const p = afterMarkDone(beats([15, 30]), at(45), 5)
		expect(p.studiedSeconds).toBe(45)
	})
})
