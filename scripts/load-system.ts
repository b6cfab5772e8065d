// Whole-system load run (issue 8): an open-loop generator (Poisson arrivals at a set rate, so
// queueing shows in the latency) sends a mix of public page views, sign-ins, exam starts, answer
// saves and manager table views to the production server on PostgreSQL, in rising steps, until the
// first step whose p95 passes 200 ms. Then, in the same run, the ceilings of this machine: a bare
// node:http hello-world (closed loop) and pgbench one-row upserts, both at the concurrency the app
// reached at its last good step.
//
// Usage:
//   npx tsx scripts/load-system.ts [--steps 10,20,40,…] [--step-seconds 20] [--pool 10]
//     [--mix page=50,signin=5,start=5,save=30,manager=10] [--ceiling-seconds 15]
//     [--concurrency N] [--p95-limit 200] [--profile] [--skip-build] [--keep-log]
// --profile runs the server under Node's sampling profiler and splits its main thread's busy time
// per step into categories (rendering, route matching, database client, socket writes …); it costs
// a few per cent, so measured runs go without it.
// PostgreSQL server: BENCH_DATABASE_URL, else DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres.
// A fresh database is created for the run and dropped afterwards.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
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
	type HttpResult,
} from './exam-bench-server.ts'

const { values: args } = parseArgs({
	options: {
		steps: { type: 'string', default: '10,20,40,60,80,100,140,180,220,260,300' },
		'step-seconds': { type: 'string', default: '20' },
		pool: { type: 'string', default: '10' },
		mix: { type: 'string', default: 'page=50,signin=5,start=5,save=30,manager=10' },
		'ceiling-seconds': { type: 'string', default: '15' },
		concurrency: { type: 'string' },
		'p95-limit': { type: 'string', default: '200' },
		'skip-build': { type: 'boolean', default: false },
		'keep-log': { type: 'boolean', default: false },
		profile: { type: 'boolean', default: false },
	},
})
const steps = args.steps.split(',').map(Number)
const stepSeconds = Number(args['step-seconds'])
const poolMax = Number(args.pool)
const ceilingSeconds = Number(args['ceiling-seconds'])
const p95Limit = Number(args['p95-limit'])
const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const PASSWORD = 'Anquan@2026' // of every seeded account, and of the bench takers (they borrow a seeded hash)
const TIMEOUT_MS = 15_000
const WARM_ATTEMPTS = 40 // started before the first step, so saves have attempts from its first second
const CALIBRATION_REQUESTS = 40 // per kind, one at a time, to price each kind in CPU
const TAKERS = 1500 // at least this many bench workers, all assigned the bench exam (the default steps need 1,792 with a 20 % margin)

const KINDS = ['page', 'signin', 'start', 'save', 'manager'] as const
type Kind = (typeof KINDS)[number]
const KIND_LABELS: Record<Kind, string> = { page: 'public page', signin: 'sign-in', start: 'exam start', save: 'answer save', manager: 'manager table' }
const mix = parseMix(args.mix)

function parseMix(text: string): Record<Kind, number> {
	const weights = Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<Kind, number>
	for (const part of text.split(',')) {
		const [kind, weight] = part.split('=')
		if (!KINDS.includes(kind as Kind) || !(Number(weight) >= 0)) throw new Error(`--mix: bad part "${part}"`)
		weights[kind as Kind] = Number(weight)
	}
	const total = KINDS.reduce((a, k) => a + weights[k], 0)
	for (const k of KINDS) weights[k] /= total
	return weights
}

// The phone of bench taker i (scripts/exam-bench-setup.ts).
const benchPhone = (i: number) => `137${String(10_000_000 + i).slice(-8)}`

type ManagerTable = { who: string; token: string; path: string }
type Targets = {
	pages: string[][] // page templates, each a list of concrete paths one is drawn from
	manager: ManagerTable[]
}

/** POST /login; the session token from Set-Cookie, or an error naming the status. */
function signInForToken(origin: string, phone: string) {
	const body = new URLSearchParams({ phone, password: PASSWORD }).toString()
	return new Promise<string>((resolve, reject) => {
		const req = http.request(`${origin}/login`, { method: 'POST', headers: { Origin: origin, 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body) } }, (res) => {
			res.resume()
			const cookie = (res.headers['set-cookie'] ?? []).map((c) => /^__Host-session=([^;]+)/.exec(c)?.[1]).find(Boolean)
			if (res.statusCode === 302 && cookie) resolve(cookie)
			else reject(new Error(`sign-in of a demo account: status ${res.statusCode}`))
		})
		req.on('error', reject)
		req.end(body)
	})
}

/** A real page, not the error boundary or a redirect. */
const isPage = (res: HttpResult) => res.status === 200 && res.body.includes('</html>') && !res.body.includes('class="error-page"')

function linksIn(html: string, pattern: RegExp) {
	return [...new Set([...html.matchAll(pattern)].map((m) => m[0]))]
}

/** Real slugs, read from the public index pages as a visitor finds them; manager sessions by signing in. */
async function discover(agent: http.Agent, origin: string, examId: string): Promise<Targets> {
	const get = async (path: string) => {
		const res = await request(agent, origin, 'GET', path, '')
		if (!isPage(res)) throw new Error(`GET ${path}: status ${res.status}, not the page`)
		return res.body
	}
	const cases = linksIn(await get('/cases'), /\/cases\/[a-z0-9-]+(?=")/g)
	const wujin = linksIn(await get('/wujin'), /\/wujin\/[a-z]+(?=")/g)
	const articlesHtml = await get('/articles')
	const articles = linksIn(articlesHtml, /\/articles\/[a-z0-9-]+(?=")/g)
	const boards = linksIn(await get('/competitions'), /\/competitions\/[a-z0-9-]+(?=")/g).map((p) => `${p}/leaderboard`)
	if (!cases.length || !wujin.length || !boards.length) throw new Error(`no slugs found: ${cases.length} cases, ${wujin.length} 五进 pages, ${boards.length} competitions`)
	const pages = [['/'], ['/cases'], cases, ['/glossary'], ['/articles'], wujin, boards, ...(articles.length ? [articles] : [])]
	const enterprise = await signInForToken(origin, '13900000003') // 示范煤业 企业安全管理员
	const admin = await signInForToken(origin, '13900000000') // 系统管理员
	const manager = [
		{ who: 'enterprise admin', token: enterprise, path: '/people' },
		{ who: 'enterprise admin', token: enterprise, path: '/exams' },
		{ who: 'enterprise admin', token: enterprise, path: `/exams/${examId}/results` },
		{ who: 'system admin', token: admin, path: '/people' },
		{ who: 'system admin', token: admin, path: '/bank' },
		{ who: 'system admin', token: admin, path: '/orgs' },
	]
	return { pages, manager }
}

const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)]!

type Sample = { kind: Kind; ms: number; sendLagMs: number; error?: string; unexpected?: boolean }

/** Sum of CPU seconds of every process named postgres, per pid. */
function postgresCpu() {
	const out = new Map<number, number>()
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue
		try {
			if (fs.readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== 'postgres') continue
			out.set(Number(entry), cpuSeconds(Number(entry)))
		} catch {
			// exited meanwhile
		}
	}
	return out
}

function cpuDelta(before: Map<number, number>, after: Map<number, number>, only?: Set<number>) {
	let sum = 0
	for (const [pid, cpu] of after) if ((!only || only.has(pid)) && Number.isFinite(cpu)) sum += cpu - (before.get(pid) ?? 0)
	return sum
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits

async function main() {
	buildOnce(args['skip-build'])
	const startShare = mix.start
	const plannedStarts = Math.ceil(steps.reduce((a, r) => a + r, 0) * stepSeconds * startShare * 1.2)
	// One exam for all takers, so its results table (a manager view) has as many rows whatever the steps.
	const takers = Math.max(TAKERS, WARM_ATTEMPTS + CALIBRATION_REQUESTS + plannedStarts + 20)
	console.log(`\n== whole-system load on PostgreSQL: steps ${steps.join(', ')} req/s × ${stepSeconds} s, mix ${args.mix}, pool ${poolMax} ==`)
	const database = await freshDatabase(serverUrl, poolMax, 'load_system')
	const stats = postgres(database.url!, { max: 1, onnotice: () => {} })
	// Statements outside a transaction commit on their own, so this counts round trips of work too.
	const transactions = async () => Number((await stats<{ n: string }[]>`select xact_commit + xact_rollback as n from pg_stat_database where datname = current_database()`)[0]!.n)
	let unexpected = 0
	try {
		const setup = setUpTakers(database, takers)
		const profileDir = args.profile ? fs.mkdtempSync(path.join(os.tmpdir(), 'load-system-prof-')) : null
		// startServer passes BENCH_SERVER_NODE_ARGS to the server's node.
		if (profileDir) process.env.BENCH_SERVER_NODE_ARGS = `--cpu-prof --cpu-prof-dir=${profileDir}`
		const server = await startServer(database, await freePort(), 'info')
		const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity, timeout: 4000 })
		const origin = server.origin
		const targets = await discover(agent, origin, setup.examId)
		console.log(`  targets: ${targets.pages.flat().length} public pages in ${targets.pages.length} kinds, ${targets.manager.length} manager tables; an exam of ${takers} assignees`)

		const attempts: { id: string; token: string; seq: number }[] = []
		let nextTaker = 0
		let nextSignIn = 0

		// One request of a kind; resolves to its sample (never rejects).
		// `only` narrows a page view to one page kind, a manager view to one table (for the calibration).
		async function one(kind: Kind, only?: { paths?: string[]; table?: ManagerTable }): Promise<Omit<Sample, 'ms' | 'sendLagMs'>> {
			try {
				if (kind === 'page') {
					const res = await request(agent, origin, 'GET', pick(only?.paths ?? pick(targets.pages)), '', undefined, TIMEOUT_MS)
					return isPage(res) ? { kind } : { kind, error: `page ${res.status === 200 ? 'error page' : res.status}`, unexpected: true }
				}
				if (kind === 'manager') {
					const t = only?.table ?? pick(targets.manager)
					const res = await request(agent, origin, 'GET', t.path, t.token, undefined, TIMEOUT_MS)
					return isPage(res) ? { kind } : { kind, error: `manager ${res.status === 200 ? 'error page' : res.status}`, unexpected: true }
				}
				if (kind === 'signin') {
					const phone = benchPhone(nextSignIn++ % takers)
					const res = await request(agent, origin, 'POST', '/login', '', { phone, password: PASSWORD }, TIMEOUT_MS)
					const ok = res.status === 302 && res.location !== undefined && !/^\/(login|password)/.test(res.location)
					return ok ? { kind } : { kind, error: `signin ${res.status} ${res.location ?? ''}`.trim(), unexpected: true }
				}
				if (kind === 'start') {
					const token = setup.tokens[nextTaker++]
					if (!token) return { kind, error: 'start: no taker left', unexpected: true }
					const res = await request(agent, origin, 'POST', `/exams/${setup.examId}`, token, {}, TIMEOUT_MS)
					const m = res.status === 302 ? /^\/attempts\/([0-9a-f-]{36})$/.exec(res.location ?? '') : null
					if (!m) return { kind, error: `start ${res.status}`, unexpected: true }
					attempts.push({ id: m[1]!, token, seq: 0 })
					return { kind }
				}
				// An answer save by a taker who started: a random question, the taker's next sequence number.
				const a = pick(attempts)
				const position = 1 + Math.floor(Math.random() * 100)
				const seq = ++a.seq
				const res = await request(agent, origin, 'POST', `/attempts/${a.id}/answers`, a.token, { position, answer: benchAnswer(position, seq), clientSeq: seq }, TIMEOUT_MS)
				const body = res.status === 200 ? (JSON.parse(res.body) as { ok: boolean; saved: boolean; stale?: boolean }) : null
				// Stale: an earlier save of the same question overtook a later one in flight — answered correctly.
				return body?.ok && (body.saved || body.stale) ? { kind } : { kind, error: `save ${res.status}${body ? ' not saved' : ''}`, unexpected: true }
			} catch (e) {
				return { kind, error: `${kind} ${(e as Error).message}` }
			}
		}

		// Warm-up (not measured): every target once, a sign-in, and the first attempts.
		for (const path of targets.pages.flat()) {
			const res = await request(agent, origin, 'GET', path, '')
			if (!isPage(res)) throw new Error(`public page ${path}: status ${res.status}, not the page`)
		}
		for (const t of targets.manager) {
			const res = await request(agent, origin, 'GET', t.path, t.token)
			if (!isPage(res)) throw new Error(`manager table ${t.path}: status ${res.status}, not the page`)
		}
		const warmSignIn = await one('signin')
		if (warmSignIn.error) throw new Error(`warm-up sign-in failed: ${warmSignIn.error}`)
		for (let i = 0; i < WARM_ATTEMPTS; i += 4) {
			const started = await Promise.all([0, 1, 2, 3].map(() => one('start')))
			const failed = started.find((s) => s.error)
			if (failed) throw new Error(`warm-up exam start failed: ${failed.error}`)
		}
		console.log(`  warm-up: ${attempts.length} attempts started`)

		// The price of each kind, unloaded: requests one at a time, CPU of the app process and of its
		// PostgreSQL backends per request. /proc counts in 10 ms ticks, hence 20–40 of each. A kind's
		// figure is the mean of its pages or tables, each as likely as the generator draws them.
		const appBackendPids = async () => new Set((await stats<{ pid: number }[]>`select pid from pg_stat_activity where application_name = 'anquan-peixun' and datname = current_database()`).map((r) => r.pid))
		type Probe = { kind: Kind; label: string; only?: { paths?: string[]; table?: ManagerTable }; n: number }
		const probes: Probe[] = [
			...targets.pages.map((paths): Probe => ({ kind: 'page', label: `GET ${paths.length > 1 ? paths[0]!.replace(/[^/]+$/, ':slug') : paths[0]}`, only: { paths }, n: 20 })),
			{ kind: 'signin', label: 'POST /login', n: CALIBRATION_REQUESTS },
			{ kind: 'start', label: 'POST /exams/:id', n: CALIBRATION_REQUESTS },
			{ kind: 'save', label: 'POST /attempts/:id/answers', n: CALIBRATION_REQUESTS },
			...targets.manager.map((table): Probe => ({ kind: 'manager', label: `GET ${table.path.replace(setup.examId, ':id')} (${table.who})`, only: { table }, n: 20 })),
		]
		type Price = { latencyP50: number; appCpuMs: number; postgresCpuMs: number }
		const prices: (Probe & Price)[] = []
		console.log('  unloaded, one at a time, per request:                p50 ms  app CPU ms  postgres CPU ms')
		for (const probe of probes) {
			const app0 = cpuSeconds(server.child.pid!)
			const pg0 = postgresCpu()
			const ms: number[] = []
			for (let i = 0; i < probe.n; i++) {
				const t = performance.now()
				const s = await one(probe.kind, probe.only)
				if (s.error) throw new Error(`calibration ${probe.label}: ${s.error}`)
				ms.push(performance.now() - t)
			}
			const pgMs = (cpuDelta(pg0, postgresCpu(), await appBackendPids()) * 1000) / probe.n
			const price = { ...probe, latencyP50: summary(ms).p50, appCpuMs: round(((cpuSeconds(server.child.pid!) - app0) * 1000) / probe.n), postgresCpuMs: round(pgMs) }
			prices.push(price)
			console.log(`  ${probe.label.padEnd(50)} ${pad(price.latencyP50, 7)} ${pad(price.appCpuMs, 11)} ${pad(price.postgresCpuMs, 16)}`)
		}
		const mean = (values: number[]) => round(values.reduce((a, b) => a + b, 0) / values.length)
		const calibration = Object.fromEntries(
			KINDS.map((k) => {
				const of = prices.filter((p) => p.kind === k)
				return [k, { latencyP50: mean(of.map((p) => p.latencyP50)), appCpuMs: mean(of.map((p) => p.appCpuMs)), postgresCpuMs: mean(of.map((p) => p.postgresCpuMs)) }]
			}),
		) as Record<Kind, Price>
		const mixAppCpuMs = KINDS.reduce((a, k) => a + mix[k] * calibration[k].appCpuMs, 0)
		const mixPostgresCpuMs = KINDS.reduce((a, k) => a + mix[k] * calibration[k].postgresCpuMs, 0)
		console.log(`  per kind (app / postgres CPU ms): ${KINDS.map((k) => `${KIND_LABELS[k]} ${calibration[k].appCpuMs} / ${calibration[k].postgresCpuMs}`).join(', ')}`)
		console.log(`  the mix: ${round(mixAppCpuMs)} ms app CPU + ${round(mixPostgresCpuMs)} ms postgres CPU per request; one core of app CPU covers at most ~${Math.round(1000 / mixAppCpuMs)} req/s of it`)

		const cumulative = KINDS.map((k, i) => [k, KINDS.slice(0, i + 1).reduce((a, kk) => a + mix[kk], 0)] as const)
		const drawKind = () => {
			const u = Math.random()
			return (cumulative.find(([, c]) => u < c) ?? cumulative.at(-1)!)[0]
		}

		const results: StepResult[] = []
		let lastGood: StepResult | null = null
		for (const rate of steps) {
			const r = await runStep(rate)
			results.push(r)
			printStep(r)
			if (r.overall.p95 > p95Limit) break
			if (r.errors === 0) lastGood = r
		}

		async function runStep(rate: number): Promise<StepResult> {
			const samples: Sample[] = []
			const pending = new Set<Promise<void>>()
			let inFlight = 0
			let peakInFlight = 0
			const xact0 = await transactions()
			const appCpu0 = cpuSeconds(server.child.pid!)
			const pg0 = postgresCpu()
			const gen0 = process.cpuUsage()
			const ticks0 = machineTicks()
			const wallStart = Date.now()
			const hrStart = hrMicros()
			const t0 = performance.now()
			const end = t0 + stepSeconds * 1000
			const gap = () => -Math.log(1 - Math.random()) * (1000 / rate) // exponential: a Poisson process
			let due = t0 + gap()
			const fire = (intended: number) => {
				const kind = drawKind()
				const sendLagMs = performance.now() - intended
				inFlight++
				peakInFlight = Math.max(peakInFlight, inFlight)
				const p = one(kind).then((s) => {
					inFlight--
					// From the intended arrival, so a late send by a busy generator counts too.
					samples.push({ ...s, ms: performance.now() - intended, sendLagMs })
				})
				pending.add(p)
				void p.finally(() => pending.delete(p))
			}
			for (;;) {
				const now = performance.now()
				while (due <= now && due < end) {
					fire(due)
					due += gap()
				}
				if (due >= end) break
				await sleep(Math.min(due - performance.now(), 20))
			}
			await sleep(Math.max(0, end - performance.now()))
			const hrEnd = hrMicros()
			const appCpu = cpuSeconds(server.child.pid!) - appCpu0
			const pg1 = postgresCpu()
			const appBackends = await appBackendPids()
			const gen = process.cpuUsage(gen0)
			const ticks1 = machineTicks()
			const xact1 = await transactions()
			const answeredInWindow = samples.length
			await Promise.all([...pending])
			const wallEnd = Date.now()

			const byKind = Object.fromEntries(KINDS.map((k) => [k, summary(samples.filter((s) => s.kind === k && !s.error).map((s) => s.ms))])) as Record<Kind, ReturnType<typeof summary>>
			const errorKinds: Record<string, number> = {}
			for (const s of samples) if (s.error) errorKinds[s.error] = (errorKinds[s.error] ?? 0) + 1
			unexpected += samples.filter((s) => s.unexpected).length
			const okOf = (k: Kind) => samples.filter((s) => s.kind === k && !s.error).length / stepSeconds
			return {
				offered: rate,
				window: [hrStart, hrEnd],
				sent: samples.length,
				achieved: round(answeredInWindow / stepSeconds),
				ratePerKind: Object.fromEntries(KINDS.map((k) => [k, round(okOf(k))])) as Record<Kind, number>,
				// Errors count as answered at their latency: a timeout is a 15 s response for the percentile.
				overall: summary(samples.map((s) => s.ms)),
				byKind,
				serverSide: serverSideLatency(server.log, wallStart, wallEnd, setup.examId),
				sendLagP95: summary(samples.map((s) => s.sendLagMs)).p95,
				errors: Object.values(errorKinds).reduce((a, b) => a + b, 0),
				errorKinds,
				peakInFlight,
				meanInFlight: round(samples.reduce((a, s) => a + s.ms, 0) / (stepSeconds * 1000)),
				cpu: {
					app: round(appCpu / stepSeconds, 2),
					postgres: round(cpuDelta(pg0, pg1) / stepSeconds, 2),
					postgresApp: round(cpuDelta(pg0, pg1, appBackends) / stepSeconds, 2),
					generator: round((gen.user + gen.system) / 1e6 / stepSeconds, 2),
					machineBusyPct: Math.round(((ticks1.busy - ticks0.busy) / (ticks1.total - ticks0.total)) * 100),
				},
				appCpuMsPerRequest: round((appCpu * 1000) / Math.max(1, samples.length)),
				dbXactPerRequest: round((xact1 - xact0) / Math.max(1, samples.length)),
			}
		}

		agent.destroy()
		await server.stop()
		if (profileDir) {
			const main = fs.readdirSync(profileDir).find((f) => f.includes(`.${server.child.pid}.0.`))
			if (!main) throw new Error(`no profile of the server's main thread in ${profileDir}`)
			const profile = JSON.parse(fs.readFileSync(path.join(profileDir, main), 'utf8')) as CpuProfile
			console.log(`\n  the server's main thread, by category, % of its busy time (profile ${path.join(profileDir, main)}):`)
			for (const r of results) {
				r.profile = splitProfile(profile, r.window[0], r.window[1], r.sent)
				console.log(`  step ${pad(r.offered, 4)}/s: busy ${r.profile.busyMsPerRequest} ms/request; ${r.profile.categories.map((c) => `${c.name} ${c.pct}%`).join(', ')}`)
			}
		}
		if (args['keep-log']) fs.copyFileSync(server.log, '/tmp/load-system-server.log')

		// Ceilings at the concurrency the app reached at its last good step (or --concurrency).
		const concurrency = Number(args.concurrency ?? Math.max(1, lastGood?.peakInFlight ?? 10))
		console.log(`\n  ceilings at ${concurrency} in flight, ${ceilingSeconds} s each:`)
		const hello = await helloWorldCeiling(concurrency, ceilingSeconds)
		console.log(`  node:http hello-world: ${Math.round(hello.rate)} req/s (p50 ${hello.latency.p50} ms, p95 ${hello.latency.p95} ms; its CPU ${hello.serverCpu} s/s)`)
		const pgbenchTps = pgbenchUpserts(database, concurrency, ceilingSeconds)

		const sustained = lastGood
		const report = {
			db: 'postgres',
			steps,
			stepSeconds,
			pool: poolMax,
			mix,
			p95LimitMs: p95Limit,
			calibration,
			prices: prices.map(({ label, latencyP50, appCpuMs, postgresCpuMs }) => ({ label, latencyP50, appCpuMs, postgresCpuMs })),
			mixCpuMs: { app: round(mixAppCpuMs), postgres: round(mixPostgresCpuMs) },
			sustainedRate: sustained?.offered ?? null,
			sustainedAchieved: sustained?.achieved ?? null,
			concurrency,
			helloWorldRate: Math.round(hello.rate),
			pgbenchTps: Math.round(pgbenchTps),
			// What is divided by what: the app's page views/s (only the page-view share of the mix) at the
			// sustained step ÷ hello-world req/s; all the app's requests/s ÷ hello-world; saves/s ÷ pgbench tps.
			ratios: sustained
				? {
						pageViewsPerHelloWorld: round(sustained.ratePerKind.page / hello.rate, 4),
						allRequestsPerHelloWorld: round(sustained.achieved / hello.rate, 4),
						savesPerPgbench: round(sustained.ratePerKind.save / pgbenchTps, 4),
					}
				: null,
			results,
		}
		printSummary(report)
		console.log(`JSON ${JSON.stringify(report)}`)
		if (!sustained) {
			console.error(`no step held p95 ≤ ${p95Limit} ms without errors`)
			process.exitCode = 1
		}
		if (unexpected) {
			console.error(`${unexpected} responses were wrong (a status or page other than the expected one): see the errors per step`)
			process.exitCode = 1
		}
	} finally {
		await stats.end({ timeout: 5 })
		await database.drop()
	}
}

type StepResult = {
	offered: number
	window: [number, number] // monotonic µs, the clock of Node's CPU profiles
	profile?: ReturnType<typeof splitProfile>
	sent: number
	achieved: number
	ratePerKind: Record<Kind, number>
	overall: ReturnType<typeof summary>
	byKind: Record<Kind, ReturnType<typeof summary>>
	serverSide: Record<Kind, ReturnType<typeof summary>>
	sendLagP95: number
	errors: number
	errorKinds: Record<string, number>
	peakInFlight: number
	meanInFlight: number
	cpu: { app: number; postgres: number; postgresApp: number; generator: number; machineBusyPct: number }
	appCpuMsPerRequest: number
	dbXactPerRequest: number
}

/**
 * The server's own view (its request log: time from Express receiving the request to the response
 * finished) per kind, for requests finished in [from, to]. The difference to the generator's figure
 * is time spent before the server read the request: the event loop busy, the accept queue.
 */
function serverSideLatency(log: string, from: number, to: number, examId: string) {
	const ms = Object.fromEntries(KINDS.map((k) => [k, [] as number[]])) as Record<Kind, number[]>
	const managerPaths = new Set(['/people', '/exams', `/exams/${examId}/results`, '/bank', '/orgs'])
	for (const line of fs.readFileSync(log, 'utf8').split('\n')) {
		if (!line.includes('"msg":"request"')) continue
		const e = JSON.parse(line) as { time: string; method: string; path: string; ms: number }
		const at = Date.parse(e.time)
		if (at < from || at > to) continue
		const kind: Kind =
			e.method === 'POST'
				? e.path === '/login'
					? 'signin'
					: e.path.endsWith('/answers')
						? 'save'
						: 'start'
				: managerPaths.has(e.path)
					? 'manager'
					: 'page'
		ms[kind].push(e.ms)
	}
	return Object.fromEntries(KINDS.map((k) => [k, summary(ms[k])])) as Record<Kind, ReturnType<typeof summary>>
}

const hrMicros = () => Number(process.hrtime.bigint() / 1000n)

type CpuProfile = {
	nodes: { id: number; callFrame: { functionName: string; url: string }; children?: number[] }[]
	startTime: number
	samples: number[]
	timeDeltas: number[]
}

// The first rule that matches a frame, from the sampled frame up to the root, names the category.
const PROFILE_CATEGORIES: [string, (fn: string, url: string) => boolean][] = [
	['socket writes', (fn, url) => !url && /^(writeBuffer|writev|writeUtf8String|writeLatin1String|writeAsciiString)$/.test(fn)],
	['garbage collection', (fn) => fn === '(garbage collector)'],
	['request log', (_, url) => url.includes('node_modules/pino')],
	['database client', (_, url) => /node_modules\/(postgres|drizzle-orm)\//.test(url)],
	['route matching', (_, url) => /node_modules\/(@remix-run\/router|react-router)/.test(url)],
	['content files', (_, url) => /node_modules\/(yaml|gray-matter|marked|sanitize-html|htmlparser2)\//.test(url)],
	['app code', (_, url) => url.includes('/build/server/')],
	['React render', (_, url) => /node_modules\/(react-dom|react|@remix-run\/react)\//.test(url)],
	['Remix and Express', (_, url) => /node_modules\/(@remix-run\/(server-runtime|express|node)|express|compression|turbo-stream|cookie)/.test(url)],
]

/** The main thread's busy time between two moments of a CPU profile, split by category. */
function splitProfile(profile: CpuProfile, from: number, to: number, requests: number) {
	const byId = new Map(profile.nodes.map((n) => [n.id, n]))
	const parent = new Map<number, number>()
	for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
	const categoryOf = new Map<number, string>()
	const classify = (id: number) => {
		let category = categoryOf.get(id)
		if (category) return category
		let cur: number | undefined = id
		for (; cur !== undefined && !category; cur = parent.get(cur)) {
			const { functionName, url } = byId.get(cur)!.callFrame
			category = PROFILE_CATEGORIES.find(([, match]) => match(functionName, url))?.[0]
		}
		// A write system call: to PostgreSQL, to an HTTP client, or the request log's file.
		for (; category === 'socket writes' && cur !== undefined; cur = parent.get(cur)) {
			const { url } = byId.get(cur)!.callFrame
			if (url.includes('node_modules/pino')) category = 'request log'
			else if (url.includes('node_modules/postgres/')) category = 'socket writes to PostgreSQL'
		}
		if (category === 'socket writes') category = 'socket writes to HTTP clients'
		category ??= 'Node internals and other'
		categoryOf.set(id, category)
		return category
	}
	const micros = new Map<string, number>()
	let busy = 0
	let t = profile.startTime
	for (let i = 0; i < profile.samples.length; i++) {
		t += profile.timeDeltas[i]!
		if (t < from || t > to) continue
		const id = profile.samples[i]!
		if (byId.get(id)!.callFrame.functionName === '(idle)') continue
		const dt = profile.timeDeltas[i + 1] ?? 0 // a sample stands for the interval up to the next one
		busy += dt
		const category = classify(id)
		micros.set(category, (micros.get(category) ?? 0) + dt)
	}
	return {
		busyMsPerRequest: round(busy / 1000 / Math.max(1, requests)),
		categories: [...micros].sort((a, b) => b[1] - a[1]).map(([name, us]) => ({ name, pct: Math.round((us / Math.max(1, busy)) * 100) })),
	}
}

/** A bare node:http hello-world in a child process, driven by `concurrency` closed loops for `seconds`. */
async function helloWorldCeiling(concurrency: number, seconds: number) {
	const code = `const s = require('node:http').createServer((q, r) => r.end('hello')); s.listen(0, '127.0.0.1', () => console.log(s.address().port))`
	const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] })
	try {
		const port = await new Promise<number>((resolve, reject) => {
			child.stdout!.once('data', (d: Buffer) => resolve(Number(String(d).trim())))
			child.once('exit', (c) => reject(new Error(`hello-world server exited (${c})`)))
		})
		const origin = `http://127.0.0.1:${port}`
		const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity })
		// A short warm-up, then the measured window.
		const drive = async (ms: number, out: number[]) => {
			const until = performance.now() + ms
			await Promise.all(
				Array.from({ length: concurrency }, async () => {
					while (performance.now() < until) {
						const res = await request(agent, origin, 'GET', '/', '')
						if (res.body !== 'hello') throw new Error('hello-world: unexpected answer')
						out.push(res.ms)
					}
				}),
			)
		}
		await drive(1000, [])
		const latencies: number[] = []
		const cpu0 = cpuSeconds(child.pid!)
		const t0 = performance.now()
		await drive(seconds * 1000, latencies)
		const elapsed = (performance.now() - t0) / 1000
		const serverCpu = round((cpuSeconds(child.pid!) - cpu0) / elapsed, 2)
		agent.destroy()
		return { rate: latencies.length / elapsed, latency: summary(latencies), serverCpu }
	} finally {
		child.kill()
	}
}

const pad = (v: unknown, n: number) => String(v).padStart(n)

function printStep(r: StepResult) {
	const kinds = KINDS.map((k) => `${k} ${r.byKind[k].p95}`).join(', ')
	console.log(
		`  step ${pad(r.offered, 4)}/s: achieved ${pad(r.achieved, 6)}/s, p50/p95/p99 ${r.overall.p50}/${r.overall.p95}/${r.overall.p99} ms; p95 by kind: ${kinds}; errors ${r.errors} ${r.errors ? JSON.stringify(r.errorKinds) : ''}`,
	)
	console.log(
		`             CPU s/s: app ${r.cpu.app}, postgres ${r.cpu.postgres} (app's backends ${r.cpu.postgresApp}), generator ${r.cpu.generator}; machine busy ${r.cpu.machineBusyPct}%; in flight peak ${r.peakInFlight}, mean ${r.meanInFlight}; generator send lag p95 ${r.sendLagP95} ms; app CPU ${r.appCpuMsPerRequest} ms/request; ${r.dbXactPerRequest} DB transactions/request`,
	)
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function printSummary(report: any) {
	const results = report.results as StepResult[]
	console.log('\n  offered achieved   p50    p95    p99 | p95: page signin  start   save manager | server-side p95: page signin start save manager | errors | CPU s/s app   pg  gen | busy')
	for (const r of results) {
		const k = (s: Record<Kind, ReturnType<typeof summary>>, kind: Kind, n: number) => pad(s[kind].p95, n)
		console.log(
			`  ${pad(r.offered, 7)} ${pad(r.achieved, 8)} ${pad(r.overall.p50, 5)} ${pad(r.overall.p95, 6)} ${pad(r.overall.p99, 6)} | ${k(r.byKind, 'page', 9)} ${k(r.byKind, 'signin', 6)} ${k(r.byKind, 'start', 6)} ${k(r.byKind, 'save', 6)} ${k(r.byKind, 'manager', 7)} | ${k(r.serverSide, 'page', 20)} ${k(r.serverSide, 'signin', 6)} ${k(r.serverSide, 'start', 5)} ${k(r.serverSide, 'save', 4)} ${k(r.serverSide, 'manager', 7)} | ${pad(r.errors, 6)} | ${pad(r.cpu.app, 11)} ${pad(r.cpu.postgres, 4)} ${pad(r.cpu.generator, 4)} | ${pad(r.cpu.machineBusyPct, 3)}%`,
		)
	}
	const s = results.find((r) => r.offered === report.sustainedRate)
	console.log(`\n  sustained: ${report.sustainedRate ?? 'none'} req/s offered (p95 ≤ ${report.p95LimitMs} ms, no errors)${s ? `, ${s.achieved} answered/s: ${KINDS.map((k) => `${KIND_LABELS[k]} ${s.ratePerKind[k]}/s`).join(', ')}` : ''}`)
	console.log(`  ceilings at ${report.concurrency} in flight: node:http hello-world ${report.helloWorldRate} req/s; pgbench one-row upserts ${report.pgbenchTps} tps`)
	if (report.ratios)
		console.log(
			`  ratios: app page views/s ÷ hello-world req/s = ${report.ratios.pageViewsPerHelloWorld}; all app requests/s ÷ hello-world req/s = ${report.ratios.allRequestsPerHelloWorld}; app answer saves/s ÷ pgbench tps = ${report.ratios.savesPerPgbench}`,
		)
}

await main()
