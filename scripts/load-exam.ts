// Load test of a whole exam (issue 4, Performance): N workers released together (all start within
// --release seconds), each starts an attempt of 100 questions (POST /exams/:id, the 开始考试 form),
// opens the exam page, then saves one answer every 5 s on average (2.5–7.5 s apart) through
// POST /attempts/:id/answers for --duration seconds. Then checks that no acknowledged answer is
// lost and, on PostgreSQL, measures the ceiling with pgbench (one-row upserts) at the app's pool size.
//
// Usage:
//   npx tsx scripts/load-exam.ts [--takers 1000] [--duration 60] [--release 10] [--pool 10] [--instances 1] [--skip-build]
//   npx tsx scripts/load-exam.ts --pglite --takers 100,200,400      (embedded database, one run each)
// PostgreSQL server: BENCH_DATABASE_URL, else DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres.
// A fresh database is created for each run and dropped afterwards. synchronous_commit is left as the server has it.
import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { PGlite } from '@electric-sql/pglite'
import postgres from 'postgres'
import { benchAnswer } from './exam-bench-setup.ts'
import {
	buildOnce,
	cpuSeconds,
	freePort,
	freshDatabase,
	machineTicks,
	pgbenchUpserts,
	request,
	setUpTakers,
	sleep,
	startServer,
	summary,
	type BenchDatabase,
	type RunningServer,
} from './exam-bench-server.ts'

const { values: args } = parseArgs({
	options: {
		takers: { type: 'string', default: '1000' },
		duration: { type: 'string', default: '60' },
		release: { type: 'string', default: '10' },
		pool: { type: 'string', default: '10' },
		instances: { type: 'string', default: '1' },
		pglite: { type: 'boolean', default: false },
		'skip-build': { type: 'boolean', default: false },
		'no-page': { type: 'boolean', default: false },
		'no-pgbench': { type: 'boolean', default: false },
		'keep-log': { type: 'boolean', default: false },
		'log-level': { type: 'string', default: 'info' },
	},
})
const durationS = Number(args.duration)
const releaseS = Number(args.release)
const poolMax = Number(args.pool)
// App processes on the one database, as behind a load balancer; each taker keeps to one of them.
const instances = Number(args.instances)
if (args.pglite && instances > 1) throw new Error('--instances needs PostgreSQL: one process owns an embedded database')
const serverUrl = args.pglite ? undefined : (process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres')

type Acked = { seq: number; answer: string }

async function loadRun(takers: number) {
	console.log(`\n== ${serverUrl ? 'PostgreSQL' : 'PGlite'}: ${takers} takers, released over ${releaseS} s, saving for ${durationS} s ==`)
	const database = await freshDatabase(serverUrl, poolMax, 'load_exam')
	try {
		const setup = setUpTakers(database, takers)
		const servers: RunningServer[] = []
		for (let i = 0; i < instances; i++) servers.push(await startServer(database, await freePort(), args['log-level']))
		const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity, timeout: 4000 })
		const starts: number[] = []
		const pages: number[] = []
		const saves: number[] = []
		const errors: Record<string, number> = {}
		const acked = new Map<string, Acked>() // `${attemptId} ${position}` → last acknowledged save
		const attemptOf = new Map<string, string>()
		const error = (what: string) => (errors[what] = (errors[what] ?? 0) + 1)
		let savesInWindow = 0

		const serversCpu = () => servers.reduce((sum, s) => sum + cpuSeconds(s.child.pid!), 0)
		const cpu0 = serversCpu()
		const ticks0 = machineTicks()
		const t0 = performance.now()
		const saveFrom = t0 + releaseS * 1000
		const endAt = saveFrom + durationS * 1000

		async function worker(token: string, i: number) {
			const server = servers[i % servers.length]!
			await sleep(Math.random() * releaseS * 1000)
			let attemptId: string | undefined
			for (let tries = 0; tries < 5 && !attemptId; tries++) {
				try {
					const res = await request(agent, server.origin, 'POST', `/exams/${setup.examId}`, token, {})
					starts.push(res.ms)
					const m = res.status === 302 ? /^\/attempts\/([0-9a-f-]{36})$/.exec(res.location ?? '') : null
					if (m) attemptId = m[1]
					else error(`start ${res.status}`)
				} catch (e) {
					error(`start ${(e as Error).message}`)
				}
				if (!attemptId) await sleep(1000)
			}
			if (!attemptId) return
			attemptOf.set(token, attemptId)
			if (!args['no-page']) {
				try {
					const res = await request(agent, server.origin, 'GET', `/attempts/${attemptId}`, token)
					pages.push(res.ms)
					if (res.status !== 200) error(`page ${res.status}`)
				} catch (e) {
					error(`page ${(e as Error).message}`)
				}
			}
			let seq = 0
			for (;;) {
				await sleep(2500 + Math.random() * 5000)
				if (performance.now() >= endAt) return
				const position = 1 + Math.floor(Math.random() * 100)
				seq++
				const answer = benchAnswer(position, seq)
				try {
					const res = await request(agent, server.origin, 'POST', `/attempts/${attemptId}/answers`, token, { position, answer, clientSeq: seq })
					saves.push(res.ms)
					const done = performance.now()
					if (done >= saveFrom && done < endAt) savesInWindow++
					const body = res.status === 200 ? (JSON.parse(res.body) as { ok: boolean; saved: boolean }) : null
					if (body?.ok && body.saved) acked.set(`${attemptId} ${position}`, { seq, answer })
					else error(`save ${res.status}${body ? ' saved:false' : ''}`)
				} catch (e) {
					error(`save ${(e as Error).message}`)
				}
			}
		}

		await Promise.all(setup.tokens.map((token, i) => worker(token, i)))
		const elapsed = (performance.now() - t0) / 1000
		const serverCpu = serversCpu() - cpu0
		const ticks1 = machineTicks()
		const machineBusy = (ticks1.busy - ticks0.busy) / (ticks1.total - ticks0.total)
		agent.destroy()
		for (const server of servers) await server.stop()

		// Zero lost answers: every acknowledged save is stored, and the stored one is the last acknowledged.
		const stored = await storedAnswers(database, [...attemptOf.values()])
		let lost = 0
		for (const [key, a] of acked) {
			const s = stored.get(key)
			if (!s || s.seq !== a.seq || String(s.answer) !== a.answer) lost++
		}

		if (args['keep-log']) servers.forEach((server, i) => fs.copyFileSync(server.log, `/tmp/load-exam-server-${takers}-${i + 1}.log`))
		const ceiling = database.kind === 'postgres' && !args['no-pgbench'] ? pgbenchUpserts(database, poolMax * instances, durationS) : null
		const saveRate = savesInWindow / durationS
		const result = {
			db: database.kind,
			takers,
			attempts: attemptOf.size,
			releaseS,
			durationS,
			pool: database.kind === 'postgres' ? poolMax : null,
			instances,
			start: summary(starts),
			page: args['no-page'] ? null : summary(pages),
			save: summary(saves),
			saveRate: Math.round(saveRate * 10) / 10,
			errors: Object.values(errors).reduce((a, b) => a + b, 0),
			errorKinds: errors,
			acknowledged: acked.size,
			lost,
			pgbenchTps: ceiling ? Math.round(ceiling) : null,
			ratio: ceiling ? Math.round((saveRate / ceiling) * 10000) / 10000 : null,
			serverCpuPct: Math.round((serverCpu / elapsed) * 100),
			machineBusyPct: Math.round(machineBusy * 100),
			targets: { startP95: percentileOk(starts, 1000), saveP95: percentileOk(saves, 100), zeroErrors: Object.keys(errors).length === 0, zeroLost: lost === 0 },
		}
		printTable(result)
		console.log(`JSON ${JSON.stringify(result)}`)
		return result
	} finally {
		await database.drop()
	}
}

function percentileOk(values: number[], limitMs: number) {
	return summary(values).p95 < limitMs
}

async function storedAnswers(database: BenchDatabase, attemptIds: string[]) {
	const rows: { attempt_id: string; position: number; client_seq: number; answer: unknown }[] = []
	if (database.kind === 'postgres') {
		const sql = postgres(database.url!, { max: 1, onnotice: () => {} })
		rows.push(...(await sql<typeof rows>`select attempt_id, position, client_seq, answer from attempt_answers where attempt_id = any(${attemptIds}::uuid[])`))
		await sql.end()
	} else {
		const pg = new PGlite(path.join(database.dataDir, 'pglite'))
		rows.push(...(await pg.query<(typeof rows)[number]>('select attempt_id, position, client_seq, answer from attempt_answers')).rows)
		await pg.close()
	}
	return new Map(rows.map((r) => [`${r.attempt_id} ${r.position}`, { seq: r.client_seq, answer: r.answer }]))
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function printTable(r: any) {
	const row = (label: string, s: { n: number; p50: number; p95: number; p99: number; max: number } | null) =>
		s ? `  ${label.padEnd(14)} ${String(s.n).padStart(7)} ${String(s.p50).padStart(9)} ${String(s.p95).padStart(9)} ${String(s.p99).padStart(9)} ${String(s.max).padStart(9)}` : ''
	console.log(`  ${'ms'.padEnd(14)} ${'count'.padStart(7)} ${'p50'.padStart(9)} ${'p95'.padStart(9)} ${'p99'.padStart(9)} ${'max'.padStart(9)}`)
	console.log(row('attempt start', r.start))
	if (r.page) console.log(row('exam page', r.page))
	console.log(row('answer save', r.save))
	console.log(`  sustained save rate: ${r.saveRate}/s; errors: ${r.errors} ${JSON.stringify(r.errorKinds)}; acknowledged answers: ${r.acknowledged}, lost: ${r.lost}`)
	if (r.pgbenchTps !== null) console.log(`  pgbench upsert ceiling (${r.pool * r.instances} connections): ${r.pgbenchTps} tps; our save rate / ceiling = ${r.ratio}`)
	console.log(`  server CPU ${r.serverCpuPct}% of one core (${r.instances} process${r.instances > 1 ? 'es' : ''}); machine busy ${r.machineBusyPct}% (2 cores, load generator and database included)`)
	console.log(
		`  targets: start p95 < 1 s ${r.targets.startP95 ? 'met' : 'MISSED'}; save p95 < 100 ms ${r.targets.saveP95 ? 'met' : 'MISSED'}; zero errors ${r.targets.zeroErrors ? 'met' : 'MISSED'}; zero lost ${r.targets.zeroLost ? 'met' : 'MISSED'}`,
	)
}

buildOnce(args['skip-build'])
const results = []
for (const takers of args.takers.split(',').map(Number)) results.push(await loadRun(takers))
if (results.length > 1) {
	console.log('\n  takers  start p95  save p95  errors  lost')
	for (const r of results) console.log(`  ${String(r.takers).padStart(6)} ${String(r.start.p95).padStart(9)} ${String(r.save.p95).padStart(9)} ${String(r.errors).padStart(7)} ${String(r.lost).padStart(5)}`)
}
