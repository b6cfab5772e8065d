import { uniformInt } from 'pure-rand/distribution/uniformInt'
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus'

// Seeded, reproducible randomness: the same seed always gives the same draws, so a paper or a
// spot-check sample can be re-derived from what was stored.

export type SeededRandom = {
	/** A whole number from min to max, both included. */
	int(min: number, max: number): number
	/** A shuffled copy (Fisher–Yates). */
	shuffle<T>(items: readonly T[]): T[]
	/** k distinct items, in draw order. */
	sample<T>(items: readonly T[], k: number): T[]
}

/**
 * The generator's 128-bit state from a 32-bit seed, through splitmix32. pure-rand's own
 * xoroshiro128plus(seed) puts the seed in the state nearly as is, so its first outputs are a
 * simple function of the seed and close seeds (0, 1, 2…) gave strongly correlated draws.
 */
function stateFrom(seed: number) {
	let a = seed | 0
	const next = () => {
		a = (a + 0x9e3779b9) | 0
		let t = a ^ (a >>> 16)
		t = Math.imul(t, 0x21f0aaad)
		t ^= t >>> 15
		t = Math.imul(t, 0x735a2d97)
		return (t ^ (t >>> 15)) | 0
	}
	// Four outputs of a bijection of four distinct counters: never the all-zero state.
	return [next(), next(), next(), next()]
}

export function seededRandom(seed: number): SeededRandom {
	const rng = xoroshiro128plusFromState(stateFrom(seed))
	const int = (min: number, max: number) => uniformInt(rng, min, max)
	const shuffle = <T,>(items: readonly T[]) => {
		const out = [...items]
		for (let i = out.length - 1; i > 0; i--) {
			const j = int(0, i)
			;[out[i], out[j]] = [out[j]!, out[i]!]
		}
		return out
	}
	const sample = <T,>(items: readonly T[], k: number) => {
		// Partial Fisher–Yates: only the first k positions are settled.
		const pool = [...items]
		const n = Math.min(k, pool.length)
		for (let i = 0; i < n; i++) {
			const j = int(i, pool.length - 1)
			;[pool[i], pool[j]] = [pool[j]!, pool[i]!]
		}
		return pool.slice(0, n)
	}
	return { int, shuffle, sample }
}

/** A fresh 32-bit seed from the platform's cryptographic generator. */
export function newSeed() {
	return crypto.getRandomValues(new Int32Array(1))[0]!
}
