import { describe, expect, test } from 'vitest'
import { newSeed, seededRandom } from '#app/utils/random.ts'

// Seeded randomness: reproducible per seed, and uniform across seeds. Every check uses fixed
// seeds, so the figures are the same on every run (no flakiness); the bounds are generous.

/** Pearson's chi-square of observed counts against equal expected counts over `cells` cells. */
function chiSquare(counts: Map<string, number>, cells: number) {
	const n = [...counts.values()].reduce((a, b) => a + b, 0)
	const expected = n / cells
	let chi = (cells - counts.size) * expected // cells never hit
	for (const observed of counts.values()) chi += (observed - expected) ** 2 / expected
	return chi
}
const tally = (counts: Map<string, number>, key: string) => counts.set(key, (counts.get(key) ?? 0) + 1)

// Seeds as a caller might pick them: small consecutive numbers, negative ones, and spread ones.
const SEED_SETS: Record<string, (i: number) => number> = {
	consecutive: (i) => i,
	negative: (i) => -i - 1,
	spread: (i) => Math.imul(i + 1, 2654435761),
}
// The 0.1 % critical values of chi-square, doubled: a sound generator stays far below them,
// a badly seeded one (first draws a simple function of the seed) lands far above.
const BOUND = { df23: 2 * 49.7, df89: 2 * 134.6, df35: 2 * 66.6, df19: 2 * 43.8 }
const N = 12_000

describe('seededRandom', () => {
	test('the same seed gives the same draws; other seeds other draws', () => {
		const draw = (seed: number) => {
			const r = seededRandom(seed)
			return { ints: Array.from({ length: 20 }, () => r.int(0, 1000)), shuffled: r.shuffle([...'ABCDEFGHIJ']), sample: r.sample([...Array(50).keys()], 10) }
		}
		for (const seed of [0, 1, -1, 42, 2 ** 31 - 1, -(2 ** 31)]) expect(draw(seed)).toEqual(draw(seed))
		const distinct = new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((s) => JSON.stringify(draw(s))))
		expect(distinct.size).toBe(10)
	})

	test('int stays within its bounds, both included', () => {
		const r = seededRandom(7)
		const seen = new Set<number>()
		for (let i = 0; i < 2000; i++) {
			const v = r.int(-3, 3)
			expect(Number.isInteger(v) && v >= -3 && v <= 3).toBe(true)
			seen.add(v)
		}
		expect([...seen].sort((a, b) => a - b)).toEqual([-3, -2, -1, 0, 1, 2, 3])
		expect(seededRandom(1).int(5, 5)).toBe(5)
	})

	test('shuffle returns a permutation and leaves its input alone', () => {
		const items = Object.freeze([...'ABCDEFGHIJKLMNOP'])
		for (let seed = 0; seed < 200; seed++) {
			const out = seededRandom(seed).shuffle(items)
			expect(out).toHaveLength(items.length)
			expect([...out].sort()).toEqual([...items])
		}
		expect(items.join('')).toBe('ABCDEFGHIJKLMNOP')
		expect(seededRandom(3).shuffle([])).toEqual([])
		expect(seededRandom(3).shuffle(['x'])).toEqual(['x'])
	})

	test('sample draws k distinct items of the input, never a duplicate', () => {
		const items = Object.freeze(Array.from({ length: 30 }, (_, i) => `q${i}`))
		for (let seed = 0; seed < 500; seed++) {
			const k = seed % 31
			const out = seededRandom(seed).sample(items, k)
			expect(out).toHaveLength(k)
			expect(new Set(out).size).toBe(k)
			for (const x of out) expect(items).toContain(x)
		}
		expect(seededRandom(1).sample(items, 100)).toHaveLength(30) // asking for more gives all
		expect(seededRandom(1).sample(items, 0)).toEqual([])
		expect(items[0]).toBe('q0')
	})

	test.each(Object.keys(SEED_SETS))('shuffles are uniform over the 24 orders of 4 options (%s seeds)', (name) => {
		const counts = new Map<string, number>()
		for (let i = 0; i < N; i++) tally(counts, seededRandom(SEED_SETS[name]!(i)).shuffle([0, 1, 2, 3]).join(''))
		expect(counts.size).toBe(24)
		expect(chiSquare(counts, 24)).toBeLessThan(BOUND.df23)
	})

	test.each(Object.keys(SEED_SETS))('samples are uniform: every ordered pair of 2 out of 10 (%s seeds)', (name) => {
		const counts = new Map<string, number>()
		for (let i = 0; i < N; i++) tally(counts, seededRandom(SEED_SETS[name]!(i)).sample([...Array(10).keys()], 2).join(','))
		expect(counts.size).toBe(90)
		expect(chiSquare(counts, 90)).toBeLessThan(BOUND.df89)
	})

	test.each(Object.keys(SEED_SETS))('every item is equally likely to be in a sample of 5 out of 20 (%s seeds)', (name) => {
		const counts = new Map<string, number>()
		for (let i = 0; i < N; i++) for (const x of seededRandom(SEED_SETS[name]!(i)).sample([...Array(20).keys()], 5)) tally(counts, String(x))
		expect(chiSquare(counts, 20)).toBeLessThan(BOUND.df19)
	})

	test.each(Object.keys(SEED_SETS))('successive draws are independent of each other (%s seeds)', (name) => {
		const counts = new Map<string, number>()
		for (let i = 0; i < N; i++) {
			const r = seededRandom(SEED_SETS[name]!(i))
			tally(counts, `${r.int(0, 5)},${r.int(0, 5)}`)
		}
		expect(chiSquare(counts, 36)).toBeLessThan(BOUND.df35)
	})

	test('newSeed gives 32-bit integers', () => {
		const seeds = Array.from({ length: 50 }, () => newSeed())
		for (const s of seeds) expect(Number.isInteger(s) && s >= -(2 ** 31) && s < 2 ** 31).toBe(true)
		expect(new Set(seeds).size).toBeGreaterThan(45)
	})
})
