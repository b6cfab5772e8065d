import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, test } from 'vitest'
import { BarChart, ColumnChart } from '#app/components/charts.tsx'
import {
	addTallies,
	emptyTally,
	formatRate,
	lastMonths,
	monthLabel,
	monthlyTrend,
	niceCeiling,
	rate,
	ratesOf,
	tallyOfClearance,
	yearToDate,
} from '#app/oversight/dashboard.ts'
import type { Clearance } from '#app/records/clearance.ts'

const clearance = (over: Partial<Clearance> = {}): Clearance => ({ cleared: true, reasons: [], lapsesOn: null, expiringSoon: false, ...over })

describe('rates', () => {
	test('a share is null without a denominator, and shows as — ', () => {
		expect(rate(3, 4)).toBe(0.75)
		expect(rate(0, 0)).toBeNull()
		expect(formatRate(null)).toBe('—')
	})

	test('percentages keep one decimal only where it matters', () => {
		expect(formatRate(1)).toBe('100%')
		expect(formatRate(0)).toBe('0%')
		expect(formatRate(7 / 8)).toBe('87.5%')
		expect(formatRate(2 / 3)).toBe('66.7%')
		expect(formatRate(0.5)).toBe('50%')
	})

	test('each rate divides by its own base: 合格率 by attempts, 抽考合格率 by those who took it', () => {
		const t = { ...emptyTally(), people: 10, trained: 8, cleared: 5, submitted: 20, passed: 15, spotDrawn: 4, spotTaken: 2, spotPassed: 1 }
		expect(ratesOf(t)).toEqual({ trained: 0.8, passed: 0.75, cleared: 0.5, spotTaken: 0.5, spotPassed: 0.5 })
		expect(ratesOf(emptyTally())).toEqual({ trained: null, passed: null, cleared: null, spotTaken: null, spotPassed: null })
	})

	test('tallies add field by field', () => {
		const sum = addTallies({ people: 2, violations: 1 }, { people: 3, openOrders: 4 }, emptyTally())
		expect(sum).toEqual({ ...emptyTally(), people: 5, violations: 1, openOrders: 4 })
	})
})

describe('a person’s part in 参训 and 上岗', () => {
	test('trained unless a course reason remains; other reasons only withhold clearance', () => {
		expect(tallyOfClearance(clearance())).toEqual({ people: 1, trained: 1, cleared: 1 })
		expect(tallyOfClearance(clearance({ cleared: false, reasons: [{ kind: 'exam', text: '尚未参加考试' }] }))).toEqual({ people: 1, trained: 1, cleared: 0 })
		expect(tallyOfClearance(clearance({ cleared: false, reasons: [{ kind: 'course', text: '未完成', courseId: 'c' }] }))).toEqual({ people: 1, trained: 0, cleared: 0 })
	})

	test('expiring soon still counts as cleared', () => {
		expect(tallyOfClearance(clearance({ expiringSoon: true, lapsesOn: '2026-06-01' })).cleared).toBe(1)
	})

	test('someone without a computed clearance counts as a head, neither trained nor cleared', () => {
		expect(tallyOfClearance(undefined)).toEqual({ people: 1, trained: 0, cleared: 0 })
	})
})

describe('periods and months', () => {
	test('the year so far', () => {
		expect(yearToDate('2026-05-20')).toMatchObject({ from: '2026-01-01', to: '2026-05-20' })
	})

	test('twelve months ending with this one, across the new year', () => {
		expect(lastMonths('2026-03-31')).toEqual(['2025-04', '2025-05', '2025-06', '2025-07', '2025-08', '2025-09', '2025-10', '2025-11', '2025-12', '2026-01', '2026-02', '2026-03'])
		expect(lastMonths('2026-12-01', 3)).toEqual(['2026-10', '2026-11', '2026-12'])
	})

	test('month labels name the year in January', () => {
		expect(monthLabel('2026-03')).toBe('3月')
		expect(monthLabel('2026-01')).toBe('2026年1月')
		expect(monthLabel('2025-11', true)).toBe('2025年11月')
	})

	test('the trend fills empty months with zeros and ignores months outside', () => {
		const months = ['2026-01', '2026-02', '2026-03']
		const trend = monthlyTrend(months, [{ month: '2026-02', submitted: 5, passed: 4 }, { month: '2025-12', submitted: 9, passed: 9 }], [{ month: '2026-03', count: 2 }])
		expect(trend).toEqual([
			{ month: '2026-01', submitted: 0, passed: 0, violations: 0 },
			{ month: '2026-02', submitted: 5, passed: 4, violations: 0 },
			{ month: '2026-03', submitted: 0, passed: 0, violations: 2 },
		])
	})

	test('a value axis ends on 1, 2 or 5 times a power of ten', () => {
		expect(niceCeiling(0)).toBe(1)
		expect(niceCeiling(1)).toBe(1)
		expect(niceCeiling(7)).toBe(10)
		expect(niceCeiling(13)).toBe(20)
		expect(niceCeiling(41)).toBe(50)
		expect(niceCeiling(500)).toBe(500)
		expect(niceCeiling(501)).toBe(1000)
	})
})

describe('charts', () => {
	test('bars say what they show in their label, with a bar as wide as the share', () => {
		const html = renderToStaticMarkup(
			createElement(BarChart, {
				title: '参训率',
				bars: [
					{ name: '东山乡', share: 0.5, text: '50%' },
					{ name: '西河镇', share: null, text: '—' },
				],
			}),
		)
		expect(html).toContain('role="img"')
		expect(html).toContain('aria-label="参训率：东山乡 50%，西河镇 —"')
		expect(html).toContain('width="160"')
		// No bar at all where there is nothing to show.
		expect(html.match(/data-share/g)).toHaveLength(1)
	})

	test('columns scale to the largest value and the label lists every month', () => {
		const html = renderToStaticMarkup(
			createElement(ColumnChart, {
				title: '考试人次',
				range: '2026年1月—3月',
				labels: ['1', '2', '3'],
				series: [{ name: '交卷', values: [0, 20, 10], color: '#000' }],
			}),
		)
		expect(html).toContain('aria-label="考试人次（2026年1月—3月）：1 交卷 0；2 交卷 20；3 交卷 10"')
		// Axis 0–20 over 152 px of plot: the 20 column is full height, the 10 column half.
		expect(html).toContain('height="152"')
		expect(html).toContain('height="76"')
	})
})
