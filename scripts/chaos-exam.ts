// Chaos test of answer saving (issue 4): clients save answers continuously against the production
// server; the server process is killed (SIGKILL) while saves are in flight, the database is checked
// with the server down, the server is restarted and the clients re-send what was not acknowledged.
// Shows that (1) every save a client saw acknowledged was in the database right after the kill and
// (2) after the re-sends, every answer a client intended is stored (the last one, by clientSeq).
//
// Each client works like the exam page: the latest answer per question waits in a queue until the
// server acknowledges it (saved, or stale: a newer one is stored); a failed save (network error,
// 5xx) stays queued and is retried after a short pause.
//
// Usage: npx tsx scripts/chaos-exam.ts [--pglite] [--clients 12] [--kills 2] [--skip-build]
// PostgreSQL server: BENCH_DATABASE_URL, else DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres.
import http from 'node:http'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { PGlite } from '@electric-sql/pglite'
import postgres from 'postgres'
import { benchAnswer } from './exam-bench-setup.ts'
import { buildOnce, freePort, freshDatabase, request, setUpTakers, sleep, startServer, type BenchDatabase, type RunningServer } from './exam-bench-server.ts'

export type ChaosOptions = { serverUrl?: string; clients?: number; kills?: number; runMs?: number; skipBuild?: boolean; log?: (line: string) => void }

export type ChaosReport = {
	db: 'postgres' | 'pglite'
	clients: number
	kills: number
	intended: number
	acknowledged: number
	inFlightAtKills: number
	/** In-flight saves (never acknowledged) that the database had committed anyway. */
	inFlightCommitted: number
	failedSends: number
	/** Acknowledged before a kill but missing (or older) in the database right after it. */
	lostAcknowledged: number
	/** Intended answers whose last version is not what the database holds after the re-sends. */
	missingAfterResend: number
	resentAfterRestart: number
}

type Save = { position: number; seq: number; answer: string }

class Client {
	seq = 0
	attemptId = ''
	/** position → the latest intended answer not yet acknowledged */
	queue = new Map<number, Save>()
	/** position → the latest intended answer */
	intended = new Map<number, Save>()
	/** position → the highest acknowledged (saved) sequence number */
	acked = new Map<number, Save>()
	inFlight = new Set<Save>()
	failed = 0
	sent = 0
	constructor(readonly token: string) {}

	answer() {
		const position = 1 + Math.floor(Math.random() * 100)
		const save = { position, seq: ++this.seq, answer: benchAnswer(position, this.seq) }
		this.intended.set(position, save)
		this.queue.set(position, save)
	}
}

type Stored = Map<string, { seq: number; answer: unknown }>

async function storedAnswers(database: BenchDatabase): Promise<Stored> {
	let rows: { attempt_id: string; position: number; client_seq: number; answer: unknown }[]
	if (database.kind === 'postgres') {
		const sql = postgres(database.url!, { max: 1, onnotice: () => {} })
		rows = await sql`select attempt_id, position, client_seq, answer from attempt_answers`
		await sql.end()
	} else {
		const pg = new PGlite(path.join(database.dataDir, 'pglite'))
		rows = (await pg.query<(typeof rows)[number]>('select attempt_id, position, client_seq, answer from attempt_answers')).rows
		await pg.close()
	}
	return new Map(rows.map((r) => [`${r.attempt_id} ${r.position}`, { seq: r.client_seq, answer: r.answer }]))
}

export async function runChaos(options: ChaosOptions = {}): Promise<ChaosReport> {
	const log = options.log ?? ((line: string) => console.log(line))
	const clientCount = options.clients ?? 12
	const kills = options.kills ?? 2
	const runMs = options.runMs ?? 3000
	buildOnce(options.skipBuild ?? true)
	const database = await freshDatabase(options.serverUrl, 10, 'chaos_exam')
	let server: RunningServer | undefined
	try {
		const setup = setUpTakers(database, clientCount)
		const port = await freePort()
		server = await startServer(database, port, 'warn')
		const origin = server.origin
		const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity, timeout: 4000 })
		const clients = setup.tokens.map((t) => new Client(t))
		for (const c of clients) {
			const res = await request(agent, origin, 'POST', `/exams/${setup.examId}`, c.token, {})
			const m = res.status === 302 ? /^\/attempts\/([0-9a-f-]{36})$/.exec(res.location ?? '') : null
			if (!m) throw new Error(`开始考试 failed: ${res.status} ${res.body.slice(0, 200)}`)
			c.attemptId = m[1]!
		}
		log(`${database.kind}: ${clientCount} clients started their attempts on ${origin}`)

		let answering = true
		let paused = false
		let stopping = false

		// Each client: gives a new answer every 5–25 ms and keeps two saves in flight.
		async function answerLoop(c: Client) {
			while (answering) {
				c.answer()
				await sleep(5 + Math.random() * 20)
			}
		}
		async function sendLoop(c: Client) {
			for (;;) {
				if (paused) {
					await sleep(20)
					continue
				}
				const next = [...c.queue.values()].find((s) => ![...c.inFlight].some((f) => f.position === s.position))
				if (!next) {
					if (stopping) return
					await sleep(5)
					continue
				}
				c.inFlight.add(next)
				c.sent++
				try {
					const res = await request(agent, origin, 'POST', `/attempts/${c.attemptId}/answers`, c.token, { position: next.position, answer: next.answer, clientSeq: next.seq }, 5000)
					if (res.status !== 200) throw new Error(`HTTP ${res.status}`)
					const body = JSON.parse(res.body) as { ok: boolean; saved: boolean; stale: boolean }
					if (body.saved) {
						const prev = c.acked.get(next.position)
						if (!prev || prev.seq < next.seq) c.acked.set(next.position, next)
					}
					if (body.saved || body.stale) {
						if (c.queue.get(next.position) === next) c.queue.delete(next.position)
					} else throw new Error(`not saved: ${res.body}`)
				} catch {
					c.failed++
					await sleep(100)
				} finally {
					c.inFlight.delete(next)
				}
			}
		}

		const loops = clients.flatMap((c) => [answerLoop(c), sendLoop(c), sendLoop(c)])
		let inFlightAtKills = 0
		let inFlightCommitted = 0
		let lostAcknowledged = 0
		let resent = 0
		for (let k = 1; k <= kills; k++) {
			await sleep(runMs * (0.5 + Math.random()))
			// SIGKILL with saves in flight; what the clients had seen acknowledged at that moment.
			const inFlight = clients.flatMap((c) => [...c.inFlight].map((s) => ({ c, s })))
			const ackedAtKill = clients.map((c) => new Map(c.acked))
			server.child.kill('SIGKILL')
			await new Promise((r) => server!.child.once('exit', r))
			paused = true
			inFlightAtKills += inFlight.length
			const stored = await storedAnswers(database)
			let lostNow = 0
			clients.forEach((c, i) => {
				for (const a of ackedAtKill[i]!.values()) {
					const s = stored.get(`${c.attemptId} ${a.position}`)
					if (!s || s.seq < a.seq || (s.seq === a.seq && String(s.answer) !== a.answer)) lostNow++
				}
			})
			const committed = inFlight.filter(({ c, s }) => (stored.get(`${c.attemptId} ${s.position}`)?.seq ?? 0) >= s.seq).length
			inFlightCommitted += committed
			lostAcknowledged += lostNow
			const acknowledgedCount = ackedAtKill.reduce((n, m) => n + m.size, 0)
			const waiting = clients.reduce((n, c) => n + c.queue.size, 0)
			resent += waiting
			log(`kill ${k}: SIGKILL with ${inFlight.length} saves in flight (${committed} of them committed); ${acknowledgedCount} acknowledged answers checked in the database: ${lostNow} missing; ${waiting} answers wait to be re-sent`)
			server = await startServer(database, port, 'warn')
			paused = false
			log(`kill ${k}: server restarted`)
		}
		await sleep(runMs / 2)
		answering = false
		stopping = true
		const flushBy = Date.now() + 30_000
		while (clients.some((c) => c.queue.size) && Date.now() < flushBy) await sleep(50)
		await Promise.race([Promise.all(loops), sleep(10_000)])
		agent.destroy()
		await server.stop()

		const stored = await storedAnswers(database)
		let missingAfterResend = 0
		for (const c of clients) {
			for (const s of c.intended.values()) {
				const got = stored.get(`${c.attemptId} ${s.position}`)
				if (!got || got.seq !== s.seq || String(got.answer) !== s.answer) missingAfterResend++
			}
		}
		const report: ChaosReport = {
			db: database.kind,
			clients: clientCount,
			kills,
			intended: clients.reduce((n, c) => n + c.seq, 0),
			acknowledged: clients.reduce((n, c) => n + c.acked.size, 0),
			inFlightAtKills,
			inFlightCommitted,
			failedSends: clients.reduce((n, c) => n + c.failed, 0),
			lostAcknowledged,
			missingAfterResend,
			resentAfterRestart: resent,
		}
		log(
			`${report.db}: ${report.intended} answers given by ${report.clients} clients (${clients.reduce((n, c) => n + c.sent, 0)} sends, ${report.failedSends} failed and retried); ` +
				`${report.kills} SIGKILLs with ${report.inFlightAtKills} saves in flight; acknowledged answers lost: ${report.lostAcknowledged}; ` +
				`${report.resentAfterRestart} answers re-sent after restarts; final answers (${clients.reduce((n, c) => n + c.intended.size, 0)} questions) not stored as last given: ${report.missingAfterResend}`,
		)
		return report
	} finally {
		await server?.stop()
		await database.drop()
	}
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const { values } = parseArgs({
		options: {
			pglite: { type: 'boolean', default: false },
			clients: { type: 'string', default: '12' },
			kills: { type: 'string', default: '2' },
			'skip-build': { type: 'boolean', default: false },
		},
	})
	const serverUrl = values.pglite ? undefined : (process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres')
	buildOnce(values['skip-build'])
	const report = await runChaos({ serverUrl, clients: Number(values.clients), kills: Number(values.kills), skipBuild: true })
	console.log(`JSON ${JSON.stringify(report)}`)
	const ok = report.lostAcknowledged === 0 && report.missingAfterResend === 0 && report.inFlightAtKills > 0
	console.log(ok ? 'PASS: no acknowledged answer lost; every answer given is stored after the re-sends' : 'FAIL')
	process.exit(ok ? 0 : 1)
}
