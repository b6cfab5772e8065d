// Benchmark: 随机抽考 over a county of 100,000 people — a 5% sample drawn by createSpotCheck
// (population query, freezing the population, the draw, the exam and its 5,000 assignees, all in
// one transaction), the pure draw alone, and 复核抽取 (reading the frozen population back and
// drawing again).
// Usage: npx tsx scripts/bench-spot-check.ts [people] [runs]
// On the embedded database (PGlite) by default; with DATABASE_URL, on a fresh database created on
// that server for the run and dropped afterwards.
import { randomUUID } from 'node:crypto'
import os from 'node:os'
import { performance } from 'node:perf_hooks'
import { percentiles, useBenchDatabase } from './bench-support.ts'

const count = Number(process.argv[2] ?? 100_000)
const runs = Number(process.argv[3] ?? 5)
const cleanUp = await useBenchDatabase('bench-spot-check')
const { db, dbKind, migrateDatabase } = await import('#app/utils/db.server.ts')
const { sql } = await import('drizzle-orm')
const schema = await import('#db/schema.ts')
const { syncShippedContent } = await import('#app/content/sync.server.ts')
const { createOrganization, orgByCode } = await import('#app/orgs/orgs.server.ts')
const { encryptPii, phoneLookupHash } = await import('#app/people/pii.server.ts')
const { createSpotCheck, replaySpotCheck } = await import('#app/oversight/spot-checks.server.ts')
const { drawSpotCheckSample } = await import('#app/oversight/sampling.ts')

const ENTERPRISES = 200
const CATEGORIES = ['general', 'general', 'general', 'general', 'special_operator', 'special_operator', 'safety_manager', 'principal', 'general', 'general'] as const
const batches = <T>(rows: T[], size = 2000) => Array.from({ length: Math.ceil(rows.length / size) }, (_, i) => rows.slice(i * size, (i + 1) * size))

try {
	await migrateDatabase()
	await syncShippedContent(db)
	const county = await orgByCode(db, 'demo-county')
	const townships = await Promise.all(['chengguan', 'dongshan', 'xihe', 'nanling'].map((code) => orgByCode(db, code)))
	const industries = ['coal', 'hazchem', 'construction', 'gas', 'road_transport']
	const enterprises: string[] = []
	for (let i = 0; i < ENTERPRISES; i++) {
		const org = await createOrganization(db, { parentId: townships[i % townships.length]!.id, kind: 'enterprise', name: `压测企业${i}`, industryCode: industries[i % industries.length]! })
		enterprises.push(org.id)
	}
	console.log(`${dbKind()}: ${count} people in ${ENTERPRISES} enterprises…`)
	const t0 = performance.now()
	const phoneEnc = encryptPii('13800000000')
	const ids = Array.from({ length: count }, () => randomUUID())
	for (const batch of batches(ids.map((id, i) => ({ id, orgId: enterprises[i % ENTERPRISES]!, name: `压测${i}`, phoneEnc, phoneHash: phoneLookupHash(`135${String(i).padStart(8, '0')}`), category: CATEGORIES[i % CATEGORIES.length]!, employmentType: 'formal' as const })))) {
		await db.insert(schema.people).values(batch)
	}
	const regulatorId = randomUUID()
	await db.insert(schema.people).values({ id: regulatorId, orgId: county.id, name: '压测监管员', phoneEnc, phoneHash: phoneLookupHash('13599999999'), category: 'party_leader' })
	const templateId = randomUUID()
	await db.insert(schema.examTemplates).values({ id: templateId, title: '压测抽考', purpose: 'spot_check', timeLimitMinutes: 30, passMark: 80, rules: [{ type: 'judge', count: 10, points: 10, part: 'general' }] })
	await db.execute(sql`analyze`)
	console.log(`set up in ${((performance.now() - t0) / 1000).toFixed(1)} s`)

	const user = { id: regulatorId, name: '压测监管员', orgId: county.id, orgPath: county.path, orgName: county.name, mustChangePassword: false, roles: [{ role: 'regulator' as const, orgId: county.id, orgPath: county.path }] }
	const input = (minPerEnterprise: number) => ({
		title: '压测随机抽考',
		orgId: county.id,
		// Everyone but the regulator's own 党政领导干部 record: exactly `count` people.
		categories: ['general' as const, 'special_operator' as const, 'safety_manager' as const, 'principal' as const],
		industryCodes: [],
		jobTypes: [],
		employmentTypes: [],
		sampleSize: null,
		samplePercent: 5,
		minPerEnterprise,
		templateId,
		opensAt: new Date(),
		closesAt: new Date(Date.now() + 7 * 86_400_000),
	})

	const time = async <T>(fn: () => Promise<T> | T, times = runs, warmUps = 1) => {
		const samples: number[] = []
		let last: T | undefined
		for (let i = 0; i < times + warmUps; i++) {
			const t = performance.now()
			last = await fn()
			if (i >= warmUps) samples.push(performance.now() - t)
		}
		return { ...percentiles(samples), last: last! }
	}

	const created = await time(async () => {
		const result = await createSpotCheck(db, user, input(0))
		if (!result.ok) throw new Error(JSON.stringify(result.errors))
		return result
	})
	const withMinimum = await time(async () => {
		const result = await createSpotCheck(db, user, input(10))
		if (!result.ok) throw new Error(JSON.stringify(result.errors))
		return result
	})
	const [check] = await db.select().from(schema.spotChecks).where(sql`${schema.spotChecks.id} = ${created.last.spotCheckId}`)
	const replay = await time(() => replaySpotCheck(db, check!))
	const population = (await db.select({ personId: schema.people.id, orgId: schema.people.orgId }).from(schema.people).where(sql`${schema.people.id} <> ${regulatorId}`)).sort((a, b) => (a.personId < b.personId ? -1 : 1))
	let seed = 1
	const pureDraw = await time(() => drawSpotCheckSample(seed++, population, { size: { percent: 5 } }), 20, 3)
	const pureWithMinimum = await time(() => drawSpotCheckSample(seed++, population, { size: { percent: 5 }, minPerEnterprise: 10 }), 20, 3)

	console.log(`\n${dbKind()}, ${count} people, ${ENTERPRISES} enterprises, ${os.cpus().length} cores, Node ${process.version} (ms)`)
	console.log(`population ${created.last.populationSize}, drawn ${created.last.drawn} (5%); with 10 per enterprise: drawn ${withMinimum.last.drawn}; replay matches: ${replay.last.matches}`)
	const line = (label: string, r: { p50: number; p95: number }, n: number) => console.log(`${label.padEnd(58)} p50 ${String(r.p50).padStart(8)}  p95 ${String(r.p95).padStart(8)}  (${n} runs)`)
	line('createSpotCheck: query + freeze + draw + exam + assign', created, runs)
	line('createSpotCheck with 10 per enterprise', withMinimum, runs)
	line('replaySpotCheck (复核抽取)', replay, runs)
	line('drawSpotCheckSample alone, 5% of the population', pureDraw, 20)
	line('drawSpotCheckSample alone, 5% with 10 per enterprise', pureWithMinimum, 20)
} finally {
	await cleanUp()
}
