import { seededRandom } from '#app/utils/random.ts'

// 随机抽考: the sample is a pure function of the seed and the population frozen at draw time, so
// anyone can re-run the draw from what was stored and get the same people.

/** One person of the population, with the enterprise (organisation) they belong to. */
export type PopulationMember = { personId: string; orgId: string }

/** How many to draw: a number of people, or a percentage of the population (rounded up). */
export type SampleSize = { count: number } | { percent: number }

export type SampleOptions = {
	size: SampleSize
	/** Draw at least this many from every enterprise first (all of them if it has fewer). */
	minPerEnterprise?: number
}

export type DrawnSample = {
	/** Positions in the population, ascending. */
	positions: number[]
	/** The drawn people, in position order. */
	personIds: string[]
}

/** The number of people a size asks for in a population of `populationSize`, capped at the population. */
export function sampleSizeFor(populationSize: number, size: SampleSize) {
	const wanted = 'count' in size ? Math.floor(size.count) : Math.ceil((populationSize * size.percent) / 100)
	return Math.max(0, Math.min(populationSize, wanted))
}

/**
 * Draws the sample. The population must be sorted by personId (the stable order it is frozen
 * in); anything else is refused, because the same people in another order would draw others.
 *
 * With a minimum per enterprise, that many are drawn from each enterprise first (enterprises in
 * the order their first person appears), then the rest of the size uniformly from everybody not
 * yet drawn. When the minimums add up to more than the size, the minimums win.
 */
export function drawSpotCheckSample(seed: number, population: readonly PopulationMember[], { size, minPerEnterprise = 0 }: SampleOptions): DrawnSample {
	for (let i = 1; i < population.length; i++) {
		if (!(population[i - 1]!.personId < population[i]!.personId)) throw new Error('the population must be sorted by personId, without duplicates')
	}
	const random = seededRandom(seed)
	const wanted = sampleSizeFor(population.length, size)
	const drawn = new Set<number>()

	const perEnterprise = Math.max(0, Math.floor(minPerEnterprise))
	if (perEnterprise > 0) {
		const byEnterprise = new Map<string, number[]>()
		for (const [position, member] of population.entries()) {
			const list = byEnterprise.get(member.orgId)
			if (list) list.push(position)
			else byEnterprise.set(member.orgId, [position])
		}
		for (const positions of byEnterprise.values()) for (const position of random.sample(positions, perEnterprise)) drawn.add(position)
	}

	const rest = wanted - drawn.size
	if (rest > 0) {
		const remainder: number[] = []
		for (let position = 0; position < population.length; position++) if (!drawn.has(position)) remainder.push(position)
		for (const position of random.sample(remainder, rest)) drawn.add(position)
	}

	const positions = [...drawn].sort((a, b) => a - b)
	return { positions, personIds: positions.map((p) => population[p]!.personId) }
}
