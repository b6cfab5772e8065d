import type { Clearance } from '#app/records/clearance.ts'
import { addMonths, type Day } from '#app/utils/days.ts'

// Figures for a jurisdiction (辖区数据看板): the pure part — tallies per organisation or person,
// rates, the period and the monthly buckets. dashboard.server.ts gathers the counts.

/** What is counted for one group of people (an enterprise, a township, one person, everyone). */
export type Tally = {
	people: number
	// 参训: every required course complete.
	trained: number
	// 上岗资格: cleared, including those whose clearance runs out within 30 days.
	cleared: number
	// Exam attempts submitted in the period, and how many of them passed (合格率).
	submitted: number
	passed: number
	// 随机抽考 in the period: people drawn, of them who took the exam, who passed it.
	spotDrawn: number
	spotTaken: number
	spotPassed: number
	// 脱产培训 orders still open today.
	openOrders: number
	// 三违 recorded in the period.
	violations: number
}

export const emptyTally = (): Tally => ({ people: 0, trained: 0, cleared: 0, submitted: 0, passed: 0, spotDrawn: 0, spotTaken: 0, spotPassed: 0, openOrders: 0, violations: 0 })

export function addTallies(...tallies: Partial<Tally>[]): Tally {
	const sum = emptyTally()
	for (const t of tallies) for (const key of Object.keys(sum) as (keyof Tally)[]) sum[key] += t[key] ?? 0
	return sum
}

/** A person's part of 参训 and 上岗: trained when no required course is left unfinished. */
export function tallyOfClearance(clearance: Clearance | undefined): Pick<Tally, 'people' | 'trained' | 'cleared'> {
	if (!clearance) return { people: 1, trained: 0, cleared: 0 }
	return { people: 1, trained: clearance.reasons.some((r) => r.kind === 'course') ? 0 : 1, cleared: clearance.cleared ? 1 : 0 }
}

/** A share between 0 and 1, or null when there is nothing to divide by (shown as —). */
export const rate = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null)

/** 87.5% / 100% / — : one decimal only where it says something. */
export function formatRate(share: number | null): string {
	if (share === null) return '—'
	const percent = Math.round(share * 1000) / 10
	return `${Number.isInteger(percent) ? percent.toFixed(0) : percent.toFixed(1)}%`
}

export type Rates = {
	trained: number | null
	passed: number | null
	cleared: number | null
	spotTaken: number | null
	spotPassed: number | null
}

/** The rates shown for a tally: 参训率、合格率、上岗率、抽考完成率 and 抽考合格率 (of those who took it). */
export function ratesOf(t: Tally): Rates {
	return {
		trained: rate(t.trained, t.people),
		passed: rate(t.passed, t.submitted),
		cleared: rate(t.cleared, t.people),
		spotTaken: rate(t.spotTaken, t.spotDrawn),
		spotPassed: rate(t.spotPassed, t.spotTaken),
	}
}

/** The period the counts of exams and 三违 cover: this calendar year up to `asOf`. */
export function yearToDate(asOf: Day): { from: Day; to: Day; label: string } {
	const year = asOf.slice(0, 4)
	return { from: `${year}-01-01`, to: asOf, label: `${year} 年 1 月 1 日至今` }
}

export type Month = string // "YYYY-MM"

/** The `count` calendar months ending with the month of `asOf`, oldest first. */
export function lastMonths(asOf: Day, count = 12): Month[] {
	const first = `${asOf.slice(0, 7)}-01`
	return Array.from({ length: count }, (_, i) => addMonths(first, i - count + 1).slice(0, 7))
}

/** "2026-03" → "3月"; January also names its year, so a chart spanning two years reads right. */
export function monthLabel(month: Month, withYear = month.endsWith('-01')): string {
	const m = Number(month.slice(5, 7))
	return withYear ? `${month.slice(0, 4)}年${m}月` : `${m}月`
}

export type TrendPoint = { month: Month; submitted: number; passed: number; violations: number }

/** One point per month, zero where nothing happened; counts for months outside are ignored. */
export function monthlyTrend(
	months: Month[],
	exams: { month: Month; submitted: number; passed: number }[],
	violations: { month: Month; count: number }[],
): TrendPoint[] {
	const points = new Map(months.map((month) => [month, { month, submitted: 0, passed: 0, violations: 0 }]))
	for (const e of exams) {
		const point = points.get(e.month)
		if (point) Object.assign(point, { submitted: point.submitted + e.submitted, passed: point.passed + e.passed })
	}
	for (const v of violations) {
		const point = points.get(v.month)
		if (point) point.violations += v.count
	}
	return [...points.values()]
}

/** The top of a chart's value axis: 1, 2 or 5 times a power of ten, at least `max` (and 1). */
export function niceCeiling(max: number): number {
	if (!(max > 0)) return 1
	const power = 10 ** Math.floor(Math.log10(max))
	for (const step of [1, 2, 5, 10]) if (step * power >= max) return step * power
	return 10 * power
}
