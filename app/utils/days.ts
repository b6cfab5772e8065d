// Calendar days as "YYYY-MM-DD" strings, in China time (UTC+8, no daylight saving): the one
// place for day arithmetic. Strings of this shape compare correctly as text.

export type Day = string

const CHINA_OFFSET_MS = 8 * 3600_000
const DAY = /^\d{4}-\d{2}-\d{2}$/

/** The calendar day of an instant in China. */
export function chinaDay(at: Date): Day {
	return new Date(at.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10)
}

/** The day `n` days after (or before, when negative) a day. */
export function addDays(day: Day, n: number): Day {
	if (!DAY.test(day)) throw new Error(`not a day: ${day}`)
	const t = new Date(`${day}T00:00:00Z`)
	t.setUTCDate(t.getUTCDate() + n)
	return t.toISOString().slice(0, 10)
}

/** The day `months` later, clamped to the month's end (2026-01-31 + 1 month → 2026-02-28). */
export function addMonths(day: Day, months: number): Day {
	if (!DAY.test(day)) throw new Error(`not a day: ${day}`)
	const [y, m, d] = day.split('-').map(Number) as [number, number, number]
	const target = new Date(Date.UTC(y, m - 1 + months, 1))
	const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate()
	target.setUTCDate(Math.min(d, lastDay))
	return target.toISOString().slice(0, 10)
}
