import { describe, expect, test } from 'vitest'
import { drawSpotCheckSample, sampleSizeFor, type PopulationMember } from '#app/oversight/sampling.ts'

// 随机抽考: the draw is reproducible from (seed, frozen population), follows the size and
// per-enterprise rules, and is uniform across seeds. Every seed is fixed, so every run is the same.

/** `n` people sorted by id (zero-padded, so text order is numeric order), spread over enterprises. */
function population(n: number, enterpriseOf: (i: number) => string = () => 'e0'): PopulationMember[] {
	return Array.from({ length: n }, (_, i) => ({ personId: `p${String(i).padStart(6, '0')}`, orgId: enterpriseOf(i) }))
}

describe('sampleSizeFor', () => {
	test('a count, capped at the population', () => {
		expect(sampleSizeFor(100, { count: 10 })).toBe(10)
		expect(sampleSizeFor(7, { count: 10 })).toBe(7)
		expect(sampleSizeFor(0, { count: 10 })).toBe(0)
	})

	test('a percentage, rounded up and capped', () => {
		expect(sampleSizeFor(100_000, { percent: 5 })).toBe(5000)
		expect(sampleSizeFor(21, { percent: 10 })).toBe(3) // 2.1 → 3
		expect(sampleSizeFor(20, { percent: 10 })).toBe(2) // exactly 2, not 3
		expect(sampleSizeFor(1, { percent: 1 })).toBe(1)
		expect(sampleSizeFor(30, { percent: 100 })).toBe(30)
		expect(sampleSizeFor(30, { percent: 150 })).toBe(30)
	})
})

describe('drawSpotCheckSample', () => {
	const people = population(50, (i) => `e${i % 5}`)

	test('the same seed and population give the same sample', () => {
		for (const seed of [0, 1, -1, 123456789, -(2 ** 31), 2 ** 31 - 1]) {
			const first = drawSpotCheckSample(seed, people, { size: { count: 8 } })
			const again = drawSpotCheckSample(seed, [...people], { size: { count: 8 } })
			expect(again).toEqual(first)
			const withMinimum = drawSpotCheckSample(seed, people, { size: { count: 8 }, minPerEnterprise: 1 })
			expect(drawSpotCheckSample(seed, people, { size: { count: 8 }, minPerEnterprise: 1 })).toEqual(withMinimum)
		}
	})

	test('different seeds draw different samples', () => {
		const samples = new Set(Array.from({ length: 20 }, (_, seed) => drawSpotCheckSample(seed, people, { size: { count: 8 } }).personIds.join(',')))
		expect(samples.size).toBe(20)
	})

	test('returns distinct positions in order, matching the ids', () => {
		const { positions, personIds } = drawSpotCheckSample(42, people, { size: { count: 12 } })
		expect(positions).toHaveLength(12)
		expect(new Set(positions).size).toBe(12)
		expect([...positions].sort((a, b) => a - b)).toEqual(positions)
		expect(personIds).toEqual(positions.map((p) => people[p]!.personId))
	})

	test('size by count or percent, capped at the population; an empty population gives nothing', () => {
		expect(drawSpotCheckSample(1, people, { size: { percent: 10 } }).positions).toHaveLength(5)
		expect(drawSpotCheckSample(1, people, { size: { percent: 3 } }).positions).toHaveLength(2) // 1.5 → 2
		expect(drawSpotCheckSample(1, people, { size: { count: 500 } }).positions).toEqual([...Array(50).keys()])
		expect(drawSpotCheckSample(1, [], { size: { count: 5 } }).positions).toEqual([])
		expect(drawSpotCheckSample(1, people, { size: { count: 0 } }).positions).toEqual([])
	})

	test('a minimum per enterprise draws that many from each (all of a smaller one), then the rest from the remainder', () => {
		// e0: 40 people, e1: 6, e2: 1.
		const uneven = population(47, (i) => (i < 40 ? 'e0' : i < 46 ? 'e1' : 'e2'))
		for (let seed = 0; seed < 200; seed++) {
			const { positions } = drawSpotCheckSample(seed, uneven, { size: { count: 10 }, minPerEnterprise: 3 })
			const per = (org: string) => positions.filter((p) => uneven[p]!.orgId === org).length
			expect(positions).toHaveLength(10)
			expect(per('e1')).toBeGreaterThanOrEqual(3)
			expect(per('e2')).toBe(1)
			expect(per('e0')).toBeGreaterThanOrEqual(3)
		}
		// Minimums adding up to more than the size win over the size.
		const { positions } = drawSpotCheckSample(5, uneven, { size: { count: 4 }, minPerEnterprise: 3 })
		expect(positions).toHaveLength(7)
		// Without a minimum, the small enterprises are often missed entirely.
		const missed = Array.from({ length: 200 }, (_, seed) => drawSpotCheckSample(seed, uneven, { size: { count: 10 } }).positions.every((p) => uneven[p]!.orgId !== 'e2')).filter(Boolean).length
		expect(missed).toBeGreaterThan(100)
	})

	test('refuses a population not sorted by person id', () => {
		const shuffled = [people[1]!, people[0]!, ...people.slice(2)]
		expect(() => drawSpotCheckSample(1, shuffled, { size: { count: 3 } })).toThrow(/sorted/)
		expect(() => drawSpotCheckSample(1, [people[0]!, people[0]!], { size: { count: 1 } })).toThrow(/sorted/)
	})

	// Pearson's chi-square of the inclusion counts against their expectation. Each draw adds 10
	// inclusions; the critical value of chi-square with 99 degrees of freedom at p = 0.001 is
	// 148.2. (Inclusions within one draw are slightly negatively correlated, which only lowers
	// the statistic's spread, so the bound stays conservative.)
	const CRITICAL_99_DF = 148.2
	const chiSquare = (counts: number[]) => {
		const expected = counts.reduce((a, b) => a + b, 0) / counts.length
		return counts.reduce((chi, observed) => chi + (observed - expected) ** 2 / expected, 0)
	}
	const SEEDS = { consecutive: (i: number) => i, spread: (i: number) => Math.imul(i + 1, 2654435761) }

	test.each(Object.keys(SEEDS) as (keyof typeof SEEDS)[])('every person is equally likely to be drawn: 10 of 100 over 20,000 seeds (%s)', (kind) => {
		const hundred = population(100, (i) => `e${i % 7}`)
		const counts = new Array<number>(100).fill(0)
		for (let i = 0; i < 20_000; i++) for (const p of drawSpotCheckSample(SEEDS[kind](i), hundred, { size: { count: 10 } }).positions) counts[p]!++
		expect(counts.reduce((a, b) => a + b, 0)).toBe(200_000)
		expect(Math.min(...counts)).toBeGreaterThan(0)
		expect(chiSquare(counts)).toBeLessThan(CRITICAL_99_DF)
	})

	test('a draw that favoured some positions would fail the same check', () => {
		// Sanity check of the statistic: always drawing the first 9 plus one at random is far off.
		const counts = new Array<number>(100).fill(0)
		for (let i = 0; i < 20_000; i++) {
			for (let p = 0; p < 9; p++) counts[p]!++
			counts[9 + (drawSpotCheckSample(i, population(91), { size: { count: 1 } }).positions[0]! % 91)]!++
		}
		expect(chiSquare(counts)).toBeGreaterThan(CRITICAL_99_DF)
	})
})
