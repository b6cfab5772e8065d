// Benchmark: one filtered, sorted page of the question-bank table at 50,000 questions on the
// embedded database (PGlite). Usage: npx tsx scripts/bench-bank.ts [questionCount]
import { performance } from 'node:perf_hooks'
import { fillBank, percentiles, useBenchDatabase } from './bench-support.ts'

const count = Number(process.argv[2] ?? 50_000)
delete process.env.DATABASE_URL
const cleanUp = await useBenchDatabase('bench-bank')
const { listQuestions } = await import('#app/bank/bank.server.ts')

try {
	const db = await fillBank(count)
	const scope = { user: {} as never, ownerOrgId: null, platform: true, ownOrgIds: [] }
	const cases = [
		{ name: 'no filter, newest first, page 1', filter: {}, sort: 'updatedAt' as const },
		{ name: 'job type + type, by difficulty', filter: { jobType: 'coal_underground', type: 'single' as const }, sort: 'difficulty' as const },
		{ name: 'text search "瓦斯", page 3', filter: { q: '瓦斯' }, sort: 'updatedAt' as const, page: 3 },
		{ name: 'topic + difficulty 2–4, by stem', filter: { topic: '消防', minDifficulty: 2, maxDifficulty: 4 }, sort: 'stem' as const },
	]
	const results: Record<string, { p50: number; p95: number; total: number }> = {}
	for (const c of cases) {
		const times: number[] = []
		let total = 0
		for (let i = 0; i < 25; i++) {
			const t = performance.now()
			const r = await listQuestions(db, scope, c.filter, { page: c.page ?? 1, pageSize: 20, sort: c.sort, descending: true })
			times.push(performance.now() - t)
			total = r.total
		}
		const { p50, p95 } = percentiles(times)
		results[c.name] = { p50, p95, total }
	}
	console.table(results)
	console.log(JSON.stringify({ benchmark: 'bank-table', questions: count, results }))
} finally {
	await cleanUp()
}
