import type { PaperRule } from '#db/schema/exams.ts'
import { seededRandom } from '#app/utils/random.ts'

// Drawing a paper from the bank by a template's rules. Pure: the candidates for each rule come
// from the database, the draw itself is a function of them and the seed.

export type Candidate = { questionId: string; versionId: string; optionCount: number }
export type PaperItem = { questionId: string; versionId: string; optionOrder: number[]; points: number }

export type Shortfall = { rule: number; needed: number; available: number }

/**
 * Rules that the bank cannot satisfy. A question counts for the first rule that draws it, and
 * rules draw at random, so an earlier rule may take any of the questions it shares with a later
 * one: `available` is what is left for a rule however the earlier rules draw (at worst each takes
 * as many of its shared questions as its count allows). No shortfall means every draw succeeds.
 */
export function ruleShortfalls(rules: PaperRule[], candidates: Candidate[][]): Shortfall[] {
	const pools = rules.map((_, i) => new Set((candidates[i] ?? []).map((c) => c.questionId)))
	const shortfalls: Shortfall[] = []
	rules.forEach((rule, i) => {
		const pool = pools[i]!
		const shared = new Set<string>()
		let taken = 0
		for (let j = 0; j < i; j++) {
			let overlap = 0
			for (const id of pools[j]!) {
				if (!pool.has(id)) continue
				overlap++
				shared.add(id)
			}
			taken += Math.min(rules[j]!.count, overlap)
		}
		const available = pool.size - Math.min(taken, shared.size)
		if (available < rule.count) shortfalls.push({ rule: i, needed: rule.count, available })
	})
	return shortfalls
}

export function drawPaper(
	template: { rules: PaperRule[]; shuffleQuestions: boolean; shuffleOptions: boolean },
	candidates: Candidate[][],
	seed: number,
): PaperItem[] {
	const random = seededRandom(seed)
	const used = new Set<string>()
	const items: PaperItem[] = []
	template.rules.forEach((rule, i) => {
		// Unique and sorted first, so the draw depends only on the candidate set and the seed, not on row order.
		const byId = new Map((candidates[i] ?? []).filter((c) => !used.has(c.questionId)).map((c) => [c.questionId, c]))
		const fresh = [...byId.values()].sort((a, b) => (a.questionId < b.questionId ? -1 : a.questionId > b.questionId ? 1 : 0))
		if (fresh.length < rule.count) throw new Error(`rule ${i + 1} needs ${rule.count} questions, the bank has ${fresh.length}`)
		for (const c of random.sample(fresh, rule.count)) {
			used.add(c.questionId)
			const identity = Array.from({ length: c.optionCount }, (_, k) => k)
			items.push({ questionId: c.questionId, versionId: c.versionId, optionOrder: template.shuffleOptions ? random.shuffle(identity) : identity, points: rule.points })
		}
	})
	return template.shuffleQuestions ? random.shuffle(items) : items
}
