// Benchmark: drawing a 100-question paper (50 单选 + 30 多选 + 20 判断 for one job type) from a
// bank of 50,000 questions — the candidates queries and drawPaper, as startAttempt does them.
// Usage: npx tsx scripts/bench-draw.ts [questionCount] [runs]
// On the embedded database (PGlite) by default; with DATABASE_URL, on a fresh database created on
// that server for the run and dropped afterwards.
import os from 'node:os'
import { performance } from 'node:perf_hooks'
import { fillBank, percentiles, useBenchDatabase } from './bench-support.ts'

const count = Number(process.argv[2] ?? 50_000)
const runs = Number(process.argv[3] ?? 100)
const cleanUp = await useBenchDatabase('bench-draw')
const { dbKind } = await import('#app/utils/db.server.ts')
const { candidatesForRules } = await import('#app/exams/attempts.server.ts')
const { drawPaper } = await import('#app/exams/paper.ts')
const { newSeed } = await import('#app/utils/random.ts')

try {
	const db = await fillBank(count)
	const jobType = 'coal_underground'
	const template = {
		rules: [
			{ type: 'single' as const, count: 50, points: 1, jobTypes: [jobType] },
			{ type: 'multiple' as const, count: 30, points: 2, jobTypes: [jobType] },
			{ type: 'judge' as const, count: 20, points: 1, jobTypes: [jobType] },
		],
		shuffleQuestions: true,
		shuffleOptions: true,
	}

	const total: number[] = []
	const queries: number[] = []
	const draws: number[] = []
	let candidateCount = 0
	for (let i = 0; i < runs + 5; i++) {
		const t = performance.now()
		// As startAttempt does it: the rules' candidates (platform questions), then the draw.
		const candidates = await db.transaction((tx) => candidatesForRules(tx, template.rules, { ownerOrgId: null, category: 'general' }))
		const q = performance.now()
		const paper = drawPaper(template, candidates, newSeed())
		const d = performance.now()
		if (paper.length !== 100) throw new Error(`drew ${paper.length} questions`)
		if (i < 5) continue // warm-up
		candidateCount = candidates.reduce((n, c) => n + c.length, 0)
		total.push(d - t)
		queries.push(q - t)
		draws.push(d - q)
	}
	const results = { total: percentiles(total), candidates: percentiles(queries), drawPaper: percentiles(draws) }
	console.table(results)
	// The machine's load during the run: the figures mean little if other work shared the CPUs.
	console.log(JSON.stringify({ benchmark: 'draw-paper', database: dbKind(), questions: count, runs, paperQuestions: 100, candidates: candidateCount, results, loadAverage: +os.loadavg()[0]!.toFixed(1), cpus: os.cpus().length }))
} finally {
	await cleanUp()
}
