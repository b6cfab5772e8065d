// Chaos test of answer saving (issue 4): clients save answers continuously against the production
// server; the server process is killed (SIGKILL) while saves are in flight, the database is checked
// with the server down, the server is restarted and the clients re-send what was not acknowledged.
// Shows that (1) every save a client saw acknowledged was in the database right after the kill and
// (2) after the re-sends, every answer a client intended is stored (the last one, by clientSeq).
//
// Each client works like the exam page (scripts/exam-save-client.ts, shared with scripts/faults.ts):
// the latest answer per question waits in a queue until the server acknowledges it (saved, or
// stale: a newer one is stored); a failed save (network error, 5xx) stays queued and is retried.
//
// Usage: npx tsx scripts/chaos-exam.ts [--pglite] [--clients 12] [--kills 2] [--skip-build]
// PostgreSQL server: BENCH_DATABASE_URL, else DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres.
import http from 'node:http'
import { parseArgs } from 'node:util'
import { buildOnce, freePort, freshDatabase, setUpTakers, sleep, startServer, type RunningServer } from './exam-bench-server.ts'
import { ackedSnapshot, flushClients, lostAcknowledged, notStoredAsLastGiven, runSaveClients, startAttempts, storedAnswers, sum, type SaveControl, type SendEvent } from './exam-save-client.ts'

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
		const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity, timeout: 4000 })
		const clients = await startAttempts(agent, server.origin, setup.examId, setup.tokens)
		log(`${database.kind}: ${clientCount} clients started their attempts on ${server.origin}`)

		// Each client gives a new answer every 5–25 ms and keeps two saves in flight.
		const control: SaveControl = { origin: server.origin, answering: true, paused: false, stopping: false }
		const events: SendEvent[] = []
		const loops = runSaveClients(clients, agent, control, events)
		let inFlightAtKills = 0
		let inFlightCommitted = 0
		let lostAcknowledgedTotal = 0
		let resent = 0
		for (let k = 1; k <= kills; k++) {
			await sleep(runMs * (0.5 + Math.random()))
			// SIGKILL with saves in flight; what the clients had seen acknowledged at that moment.
			const inFlight = clients.flatMap((c) => [...c.inFlight].map((s) => ({ c, s })))
			const ackedAtKill = ackedSnapshot(clients)
			server.child.kill('SIGKILL')
			await new Promise((r) => server!.child.once('exit', r))
			control.paused = true
			inFlightAtKills += inFlight.length
			const stored = await storedAnswers(database)
			const lostNow = lostAcknowledged(clients, ackedAtKill, stored)
			const committed = inFlight.filter(({ c, s }) => (stored.get(`${c.attemptId} ${s.position}`)?.seq ?? 0) >= s.seq).length
			inFlightCommitted += committed
			lostAcknowledgedTotal += lostNow
			const acknowledgedCount = ackedAtKill.reduce((n, m) => n + m.size, 0)
			const waiting = sum(clients, (c) => c.queue.size)
			resent += waiting
			log(`kill ${k}: SIGKILL with ${inFlight.length} saves in flight (${committed} of them committed); ${acknowledgedCount} acknowledged answers checked in the database: ${lostNow} missing; ${waiting} answers wait to be re-sent`)
			server = await startServer(database, port, 'warn')
			control.paused = false
			log(`kill ${k}: server restarted`)
		}
		await sleep(runMs / 2)
		await flushClients(clients, control, loops)
		agent.destroy()
		await server.stop()

		const stored = await storedAnswers(database)
		const missingAfterResend = notStoredAsLastGiven(clients, stored)
		const report: ChaosReport = {
			db: database.kind,
			clients: clientCount,
			kills,
			intended: sum(clients, (c) => c.seq),
			acknowledged: sum(clients, (c) => c.acked.size),
			inFlightAtKills,
			inFlightCommitted,
			failedSends: sum(clients, (c) => c.failed),
			lostAcknowledged: lostAcknowledgedTotal,
			missingAfterResend,
			resentAfterRestart: resent,
		}
		log(
			`${report.db}: ${report.intended} answers given by ${report.clients} clients (${sum(clients, (c) => c.sent)} sends, ${report.failedSends} failed and retried); ` +
				`${report.kills} SIGKILLs with ${report.inFlightAtKills} saves in flight; acknowledged answers lost: ${report.lostAcknowledged}; ` +
				`${report.resentAfterRestart} answers re-sent after restarts; final answers (${sum(clients, (c) => c.intended.size)} questions) not stored as last given: ${report.missingAfterResend}`,
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
