import { describe, expect, test } from 'vitest'
import type { PaperRule } from '#db/schema/exams.ts'
import { drawPaper, ruleShortfalls, type Candidate, type PaperItem } from '#app/exams/paper.ts'
import { seededRandom } from '#app/utils/random.ts'

// Drawing a paper: a pure function of the template, the candidates of each rule and the seed.

const candidates = (prefix: string, n: number, optionCount = 4): Candidate[] =>
	Array.from({ length: n }, (_, i) => ({ questionId: `${prefix}-${String(i).padStart(3, '0')}`, versionId: `${prefix}-v${i}`, optionCount }))
const range = (from: number, to: number, prefix = 'q', optionCount = 4) => candidates(prefix, to + 1).slice(from).map((c) => ({ ...c, optionCount }))

const rule = (type: PaperRule['type'], count: number, points: number): PaperRule => ({ type, count, points })
const template = (rules: PaperRule[], shuffleQuestions = true, shuffleOptions = true) => ({ rules, shuffleQuestions, shuffleOptions })

const RULES = [rule('single', 5, 2), rule('multiple', 3, 4), rule('judge', 4, 1)]
const POOLS = [candidates('s', 20), candidates('m', 12, 5), candidates('j', 15, 0)]
const SEEDS = Array.from({ length: 200 }, (_, i) => i * 7919 - 300)

const isPermutation = (order: number[], n: number) => order.length === n && [...order].sort((a, b) => a - b).every((v, i) => v === i)

describe('drawPaper', () => {
	test('the same seed and the same candidates, in any row order, give the same paper', () => {
		for (const seed of SEEDS.slice(0, 50)) {
			const paper = drawPaper(template(RULES), POOLS, seed)
			const reordered = POOLS.map((pool, i) => seededRandom(seed + i).shuffle(pool))
			expect(drawPaper(template(RULES), reordered, seed)).toEqual(paper)
			expect(drawPaper(template(RULES), POOLS.map((p) => [...p].reverse()), seed)).toEqual(paper)
		}
	})

	test('different seeds give different papers', () => {
		const papers = new Set(SEEDS.slice(0, 50).map((seed) => JSON.stringify(drawPaper(template(RULES), POOLS, seed))))
		expect(papers.size).toBe(50)
	})

	test("each rule gives its count of its own questions, at its points", () => {
		for (const seed of SEEDS) {
			const paper = drawPaper(template(RULES), POOLS, seed)
			expect(paper).toHaveLength(12)
			RULES.forEach((r, i) => {
				const ids = new Set(POOLS[i]!.map((c) => c.questionId))
				const mine = paper.filter((item) => ids.has(item.questionId))
				expect(mine).toHaveLength(r.count)
				for (const item of mine) {
					expect(item.points).toBe(r.points)
					expect(item.versionId).toBe(POOLS[i]!.find((c) => c.questionId === item.questionId)!.versionId)
				}
			})
			expect(paper.reduce((sum, item) => sum + item.points, 0)).toBe(5 * 2 + 3 * 4 + 4 * 1)
		}
	})

	test('no question appears twice, even when rules share candidates', () => {
		// Rule 2's pool overlaps rule 1's; rule 3's is the same as rule 1's.
		const rules = [rule('single', 6, 1), rule('single', 5, 2), rule('single', 4, 3)]
		const pools = [range(0, 19), range(10, 29), range(0, 19)]
		for (const seed of SEEDS) {
			const paper = drawPaper(template(rules), pools, seed)
			expect(paper).toHaveLength(15)
			expect(new Set(paper.map((i) => i.questionId)).size).toBe(15)
		}
		// An exact fit: two rules over the same ten questions take all ten, each once.
		for (const seed of SEEDS.slice(0, 50)) {
			const paper = drawPaper(template([rule('judge', 5, 1), rule('judge', 5, 1)]), [range(0, 9, 'q', 0), range(0, 9, 'q', 0)], seed)
			expect(paper.map((i) => i.questionId).sort()).toEqual(range(0, 9).map((c) => c.questionId))
		}
	})

	test('a question listed twice in one rule is still drawn once', () => {
		const pool = [...range(0, 4), ...range(0, 4)]
		for (const seed of SEEDS.slice(0, 50)) {
			expect(() => drawPaper(template([rule('single', 6, 1)]), [pool], seed)).toThrow()
			const paper = drawPaper(template([rule('single', 5, 1)]), [pool], seed)
			expect(new Set(paper.map((i) => i.questionId)).size).toBe(5)
		}
	})

	test('options are shuffled as a permutation of each question’s options, uniformly', () => {
		const firstShown = new Map<number, number>()
		let moved = 0
		for (const seed of SEEDS) {
			for (const item of drawPaper(template(RULES), POOLS, seed)) {
				const n = POOLS.flat().find((c) => c.questionId === item.questionId)!.optionCount
				expect(isPermutation(item.optionOrder, n)).toBe(true)
				if (n === 5) firstShown.set(item.optionOrder[0]!, (firstShown.get(item.optionOrder[0]!) ?? 0) + 1)
				if (item.optionOrder.some((v, i) => v !== i)) moved++
			}
		}
		expect(moved).toBeGreaterThan(SEEDS.length * 7) // 8 of the 12 questions have options to shuffle
		// Each of the five options is shown first about 1/5 of the time (600 draws).
		expect([...firstShown.keys()].sort()).toEqual([0, 1, 2, 3, 4])
		for (const n of firstShown.values()) expect(n).toBeGreaterThan(80)
	})

	test('shuffling switches off: options in bank order, questions in rule order', () => {
		for (const seed of SEEDS.slice(0, 50)) {
			const paper = drawPaper(template(RULES, false, false), POOLS, seed)
			for (const item of paper) expect(item.optionOrder).toEqual([...Array(item.optionOrder.length).keys()])
			expect(paper.map((i) => i.questionId[0]).join('')).toBe('sssssmmmjjjj')
			// Questions still drawn at random from each pool.
			const again = drawPaper(template(RULES, true, false), POOLS, seed)
			for (const item of again) expect(item.optionOrder).toEqual([...Array(item.optionOrder.length).keys()])
		}
		const inRuleOrder = (paper: PaperItem[]) => paper.map((i) => i.questionId[0]).join('') === 'sssssmmmjjjj'
		const shuffled = SEEDS.slice(0, 50).filter((seed) => !inRuleOrder(drawPaper(template(RULES, true, true), POOLS, seed)))
		expect(shuffled.length).toBeGreaterThan(45)
		const drawnSets = new Set(SEEDS.slice(0, 50).map((seed) => JSON.stringify(drawPaper(template(RULES, false, false), POOLS, seed).map((i) => i.questionId))))
		expect(drawnSets.size).toBe(50)
	})

	test('every candidate of a rule is about equally likely to be drawn', () => {
		const counts = new Map<string, number>()
		for (let seed = 0; seed < 2000; seed++) for (const item of drawPaper(template([rule('single', 5, 1)]), [range(0, 19)], seed)) counts.set(item.questionId, (counts.get(item.questionId) ?? 0) + 1)
		expect(counts.size).toBe(20)
		// 2000 × 5 / 20 = 500 expected each.
		for (const n of counts.values()) expect(n).toBeGreaterThan(400)
		for (const n of counts.values()) expect(n).toBeLessThan(600)
	})

	test('throws when a rule cannot be filled', () => {
		expect(() => drawPaper(template([rule('single', 21, 1)]), [candidates('s', 20)], 1)).toThrow(/rule 1 needs 21/)
		expect(() => drawPaper(template([rule('single', 1, 1), rule('judge', 1, 1)]), [candidates('s', 20)], 1)).toThrow(/rule 2 needs 1 questions, the bank has 0/)
		// Short because the first rule took the questions the second could have had.
		expect(() => drawPaper(template([rule('single', 5, 1), rule('single', 3, 1)]), [range(0, 4), range(0, 5)], 1)).toThrow(/rule 2 needs 3 questions, the bank has 1/)
	})
})

describe('ruleShortfalls', () => {
	test('nothing when the bank has enough for every rule', () => {
		expect(ruleShortfalls(RULES, POOLS)).toEqual([])
		expect(ruleShortfalls(RULES, [candidates('s', 5), candidates('m', 3), candidates('j', 4)])).toEqual([])
	})

	test('names each rule that falls short and by how much', () => {
		expect(ruleShortfalls(RULES, [candidates('s', 4), candidates('m', 12), candidates('j', 1)])).toEqual([
			{ rule: 0, needed: 5, available: 4 },
			{ rule: 2, needed: 4, available: 1 },
		])
		expect(ruleShortfalls(RULES, [candidates('s', 20)])).toEqual([
			{ rule: 1, needed: 3, available: 0 },
			{ rule: 2, needed: 4, available: 0 },
		])
	})

	test('counts rule by rule: questions taken by an earlier rule are not available to a later one', () => {
		const rules = [rule('single', 6, 1), rule('single', 6, 1)]
		expect(ruleShortfalls(rules, [range(0, 9), range(0, 9)])).toEqual([{ rule: 1, needed: 6, available: 4 }])
		expect(ruleShortfalls(rules, [range(0, 11), range(0, 11)])).toEqual([])
		expect(ruleShortfalls(rules, [range(0, 9), range(10, 15)])).toEqual([])
	})

	test('does not depend on the order of the rows', () => {
		// Rule 1 draws 10 of 20 singles at random; rule 2 needs 5 of the 6 among them on 瓦斯.
		const rules = [rule('single', 10, 1), rule('single', 5, 1)]
		const all = range(0, 19)
		const gas = range(0, 5)
		const orders = [all, [...all].reverse(), seededRandom(1).shuffle(all), seededRandom(2).shuffle(all)]
		const answers = orders.map((order) => JSON.stringify(ruleShortfalls(rules, [order, gas])))
		expect(new Set(answers).size).toBe(1)
	})

	test('when it finds no shortfall, every draw succeeds', () => {
		// Overlapping rules of several shapes, each checked over many seeds and row orders.
		const cases: [PaperRule[], Candidate[][]][] = [
			[[rule('single', 10, 1), rule('single', 5, 1)], [range(0, 19), range(0, 5)]],
			[[rule('single', 5, 1), rule('single', 10, 1)], [range(0, 5), range(0, 19)]],
			[[rule('single', 3, 1), rule('single', 3, 1), rule('single', 3, 1)], [range(0, 5), range(3, 8), range(0, 8)]],
			[[rule('single', 4, 1), rule('single', 4, 1)], [range(0, 7), range(4, 9)]],
			[[rule('single', 2, 1), rule('single', 6, 1)], [range(0, 9), range(0, 7)]],
		]
		for (const [rules, pools] of cases) {
			if (ruleShortfalls(rules, pools).length) continue
			for (let seed = 0; seed < 300; seed++) {
				const rows = pools.map((p, i) => seededRandom(seed * 10 + i).shuffle(p))
				expect(ruleShortfalls(rules, rows)).toEqual([])
				expect(() => drawPaper(template(rules), rows, seed)).not.toThrow()
			}
		}
		// And the ones it does flag can fail for some seed.
		const [rules, pools] = cases[0]!
		expect(ruleShortfalls(rules, pools)).toEqual([{ rule: 1, needed: 5, available: 0 }])
		expect(SEEDS.some((seed) => { try { drawPaper(template(rules), pools, seed); return false } catch { return true } })).toBe(true)
		expect(ruleShortfalls(cases[1]![0], cases[1]![1])).toEqual([])
	})
})
