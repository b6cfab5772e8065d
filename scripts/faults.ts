// Faults (issue 8): what exam takers see, and what is kept, when things break under the production
// server while answers are being saved (clients: scripts/exam-save-client.ts, as the exam page).
//
//   pg-restart  PostgreSQL restarted with saves in flight, `-m fast` then `-m immediate` (a crash),
//               on a private cluster: the server stays up, saves resume, no acknowledged answer
//               is lost; error counts seen by the clients and time to recover.
//   app-kill    the app SIGKILLed twice and restarted (scripts/chaos-exam.ts), on that cluster.
//   slow-db     DATABASE_STATEMENT_TIMEOUT_MS=2000 and an ACCESS EXCLUSIVE lock held on
//               attempt_answers for 8 s: the exam page and a save answer 503 with a plain message
//               within ~2 s, the answer stays queued and is stored once the lock is gone.
//   disk-full   PGlite on a 128 MB tmpfs filled up while saves run: clear 503s, /healthz unhealthy,
//               the filler removed, saves resume; every acknowledged answer is there and the
//               indexes pass amcheck.
//
// Usage: npx tsx scripts/faults.ts [--only pg-restart,app-kill,slow-db,disk-full] [--clients 8] [--skip-build]
// Needs root (runuser for the private PostgreSQL cluster, mount for the tmpfs) and PostgreSQL's
// server binaries under /usr/lib/postgresql/<version>/bin. Never touches the server at :5432.
// Prints what each step did, then one `JSON {…}` line; exits 1 if any check fails.
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { PGlite } from '@electric-sql/pglite'
import { amcheck } from '@electric-sql/pglite/contrib/amcheck'
import postgres from 'postgres'
import { databaseFaultOf } from '#app/utils/db-errors.server.ts'
import { guardPglite } from '#app/utils/pglite-guard.server.ts'
import { runChaos } from './chaos-exam.ts'
import { buildOnce, freePort, freshDatabase, request, setUpTakers, sleep, startServer, type BenchDatabase, type RunningServer } from './exam-bench-server.ts'
import {
	ackedSnapshot,
	flushClients,
	lostAcknowledged,
	notStoredAsLastGiven,
	runSaveClients,
	startAttempts,
	storedAnswers,
	sum,
	type SaveClient,
	type SaveControl,
	type SendEvent,
} from './exam-save-client.ts'

type Check = { name: string; ok: boolean; detail: string }
const checks: Check[] = []
function check(scenario: string, name: string, ok: boolean, detail: string | number = '') {
	checks.push({ name: `${scenario}: ${name}`, ok, detail: String(detail) })
	console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${name}${detail !== '' ? ` — ${detail}` : ''}`)
}
const log = (line: string) => console.log(line)

/** Nothing of the server's inside: no SQL, no stack trace, no driver message. */
const leaksInternals = (body: string) => /attempt_answers|Failed query|canceling statement|No space left|\bat [\w.<>]+ \(|node_modules|DrizzleQueryError|PostgresError/i.test(body)

// ---- child processes ---------------------------------------------------------------------

function runAsync(command: string, args: string[]) {
	return new Promise<{ code: number | null; output: string; ms: number }>((resolve) => {
		const started = Date.now()
		const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] })
		let output = ''
		child.stdout.on('data', (d: Buffer) => (output += d))
		child.stderr.on('data', (d: Buffer) => (output += d))
		child.on('exit', (code) => resolve({ code, output, ms: Date.now() - started }))
	})
}

// ---- a private PostgreSQL cluster (never the shared one at :5432) --------------------------

type Cluster = { url: string; port: number; dir: string; restart: (mode: 'fast' | 'immediate') => Promise<{ ms: number }>; remove: () => Promise<void> }

function postgresBin() {
	const root = '/usr/lib/postgresql'
	const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, 'bin/pg_ctl'))) : []
	versions.sort((a, b) => Number(b) - Number(a))
	if (!versions[0]) throw new Error(`no PostgreSQL server binaries under ${root}/<version>/bin`)
	return path.join(root, versions[0], 'bin')
}

async function startCluster(): Promise<Cluster> {
	const bin = postgresBin()
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'anquan-faults-pg-'))
	const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim())
	const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim())
	fs.chownSync(dir, uid, gid)
	const data = path.join(dir, 'data')
	const asPostgres = (tool: string, args: string[]) => runAsync('runuser', ['-u', 'postgres', '--', path.join(bin, tool), ...args])
	const init = await asPostgres('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync'])
	if (init.code !== 0) throw new Error(`initdb failed:\n${init.output}`)
	const port = await freePort()
	const pgCtl = (args: string[]) => asPostgres('pg_ctl', ['-D', data, '-l', path.join(dir, 'server.log'), '-w', '-t', '60', ...args])
	const started = await pgCtl(['-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, 'start'])
	if (started.code !== 0) throw new Error(`pg_ctl start failed:\n${started.output}`)
	log(`private PostgreSQL (${path.basename(path.dirname(bin))}) on 127.0.0.1:${port}, data in ${data}`)
	return {
		url: `postgres://postgres@127.0.0.1:${port}/postgres`,
		port,
		dir,
		async restart(mode) {
			const r = await pgCtl(['-m', mode, 'restart'])
			if (r.code !== 0) throw new Error(`pg_ctl restart -m ${mode} failed:\n${r.output}`)
			return { ms: r.ms }
		},
		async remove() {
			await pgCtl(['-m', 'immediate', 'stop'])
			fs.rmSync(dir, { recursive: true, force: true })
		},
	}
}

// ---- shared measurements --------------------------------------------------------------------

const agentOf = () => new http.Agent({ keepAlive: true, maxSockets: Infinity, timeout: 4000 })

/** Outcomes of the saves that ended in [from, to], by kind: { 'http 503': 12, network: 3 }. */
function outcomes(events: SendEvent[], from: number, to = Number.POSITIVE_INFINITY) {
	const counts: Record<string, number> = {}
	for (const e of events) if (e.at + e.ms >= from && e.at + e.ms <= to) counts[e.outcome] = (counts[e.outcome] ?? 0) + 1
	return counts
}

/** When the first save that started at or after `from` was acknowledged (waits up to `maxMs`). */
async function firstOkAfter(events: SendEvent[], from: number, maxMs = 30_000) {
	const by = Date.now() + maxMs
	for (;;) {
		const ok = events.find((e) => e.outcome === 'ok' && e.at >= from)
		if (ok) return ok.at + ok.ms
		if (Date.now() > by) return null
		await sleep(20)
	}
}

/** Sends a client's queued answers once each (for the probe client, which has no loops). */
async function sendQueue(agent: http.Agent, origin: string, c: SaveClient) {
	const results: { status: number; ms: number; body: string }[] = []
	for (const save of [...c.queue.values()]) {
		const res = await request(agent, origin, 'POST', `/attempts/${c.attemptId}/answers`, c.token, { position: save.position, answer: save.answer, clientSeq: save.seq }, 20_000).catch((error: Error) => ({ status: 0, ms: 0, body: error.message }))
		results.push({ status: res.status, ms: Math.round(res.ms), body: res.body })
		if (res.status !== 200) continue
		const reply = JSON.parse(res.body) as { saved: boolean; stale: boolean }
		if (reply.saved) c.acked.set(save.position, save)
		if ((reply.saved || reply.stale) && c.queue.get(save.position) === save) c.queue.delete(save.position)
	}
	return results
}

async function healthz(origin: string) {
	try {
		const res = await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(8000) })
		return { status: res.status, body: await res.text() }
	} catch (error) {
		return { status: 0, body: String(error) }
	}
}

/** amcheck over every B-tree index of the public schema: the number of indexes checked. */
async function checkIndexesPostgres(url: string) {
	const sql = postgres(url, { max: 1, onnotice: () => {} })
	try {
		await sql`create extension if not exists amcheck`
		const [row] = await sql<{ n: number }[]>`
			select count(bt_index_check(c.oid, true))::int as n from pg_index i join pg_class c on c.oid = i.indexrelid
			join pg_am am on am.oid = c.relam where am.amname = 'btree' and c.relnamespace = 'public'::regnamespace`
		return row!.n
	} finally {
		await sql.end()
	}
}

// ---- a. PostgreSQL restarted during an exam -------------------------------------------------

async function pgRestart(cluster: Cluster, clientCount: number) {
	const S = 'pg-restart'
	log(`\n== ${S}: PostgreSQL restarted (fast, then immediate) while ${clientCount} clients save answers`)
	const database = await freshDatabase(cluster.url, 10, 'faults_restart')
	let server: RunningServer | undefined
	const figures: Record<string, unknown>[] = []
	try {
		const setup = setUpTakers(database, clientCount)
		server = await startServer(database, await freePort(), 'warn')
		const agent = agentOf()
		const clients = await startAttempts(agent, server.origin, setup.examId, setup.tokens)
		const control: SaveControl = { origin: server.origin, answering: true, paused: false, stopping: false }
		const events: SendEvent[] = []
		const loops = runSaveClients(clients, agent, control, events)
		for (const mode of ['fast', 'immediate'] as const) {
			await sleep(2000)
			// Restart at a moment when saves are on their way.
			for (let i = 0; i < 1000 && !clients.some((c) => c.inFlight.size); i++) await sleep(1)
			const inFlight = sum(clients, (c) => c.inFlight.size)
			const snapshot = ackedSnapshot(clients)
			const from = Date.now()
			// /healthz polled through the outage: what a load balancer sees.
			const health: number[] = []
			let polling = true
			const poller = (async () => {
				while (polling) {
					health.push((await healthz(server!.origin)).status)
					await sleep(200)
				}
			})()
			const { ms: restartMs } = await cluster.restart(mode)
			const upAt = Date.now()
			const recoveredAt = await firstOkAfter(events, upAt)
			polling = false
			await poller
			const during = outcomes(events, from, recoveredAt ?? Date.now())
			// The slowest save that ended between the restart and a second after recovery.
			const settledAt = (recoveredAt ?? Date.now()) + 1000
			await sleep(Math.max(0, settledAt - Date.now()))
			const slowestMs = Math.max(0, ...events.filter((e) => e.at + e.ms >= from && e.at + e.ms <= settledAt).map((e) => e.ms))
			const first503 = events.find((e) => e.at + e.ms >= from && e.outcome === 'http 503')?.body ?? ''
			const stored = await storedAnswers(database)
			const acknowledged = snapshot.reduce((n, m) => n + m.size, 0)
			const lost = lostAcknowledged(clients, snapshot, stored)
			const alive = server.child.exitCode === null && server.child.signalCode === null
			const figure = { mode, inFlight, restartMs, recoverMs: recoveredAt === null ? null : recoveredAt - upAt, outageMs: recoveredAt === null ? null : recoveredAt - from, slowestMs, errors: during, healthz: countValues(health), acknowledged, lost }
			figures.push(figure)
			log(`restart -m ${mode}: ${inFlight} saves in flight; pg_ctl took ${restartMs} ms; first save acknowledged ${figure.recoverMs} ms after PostgreSQL was back (${figure.outageMs} ms after the restart began); saves meanwhile ${JSON.stringify(during)}, the slowest ${slowestMs} ms; /healthz ${JSON.stringify(figure.healthz)}`)
			check(S, `-m ${mode}: the app server is still running`, alive)
			check(S, `-m ${mode}: no save hung (each answered within 3 s)`, slowestMs < 3000, `slowest ${slowestMs} ms`)
			check(S, `-m ${mode}: saves resume`, recoveredAt !== null, recoveredAt === null ? 'no save acknowledged within 30 s' : `${figure.recoverMs} ms after PostgreSQL was back`)
			check(S, `-m ${mode}: failed saves were 503 or refused, never 500`, !Object.keys(during).some((k) => k !== 'ok' && k !== 'http 503' && k !== 'network'), JSON.stringify(during))
			if (first503) check(S, `-m ${mode}: the 503 says why in plain Chinese, nothing internal`, /数据库暂时无法连接|系统繁忙/.test(first503) && !leaksInternals(first503), first503)
			check(S, `-m ${mode}: every acknowledged answer is in the database`, lost === 0, `${acknowledged} checked, ${lost} missing`)
		}
		await sleep(1000)
		const left = await flushClients(clients, control, loops)
		agent.destroy()
		const after = await healthz(server.origin)
		check(S, '/healthz is healthy again', after.status === 200, after.body)
		await server.stop()
		const logged = serverLog(database)
		log(`server log (warn and above): ${JSON.stringify(logged.events)}`)
		check(S, 'the server log has no SQL, parameters or stack traces', !logged.leaks)
		const stored = await storedAnswers(database)
		const notStored = notStoredAsLastGiven(clients, stored)
		check(S, 'final answers stored as last given', notStored === 0 && left === 0, `${sum(clients, (c) => c.intended.size)} questions, ${notStored} not as last given, ${left} never acknowledged`)
		const indexes = await checkIndexesPostgres(database.url!)
		check(S, 'amcheck: every B-tree index of the schema is intact', indexes > 0, `${indexes} indexes`)
		return { answersGiven: sum(clients, (c) => c.seq), sends: sum(clients, (c) => c.sent), restarts: figures }
	} finally {
		await server?.stop()
		await database.drop()
	}
}

/**
 * What the server logged at warn and above (its log files: one per start), by event: every fault
 * one short line, and no SQL, query parameters or stack traces anywhere.
 */
function serverLog(database: BenchDatabase) {
	const files = fs.readdirSync(database.dataDir).filter((f) => /^server-\d+\.log$/.test(f))
	const text = files.map((f) => fs.readFileSync(path.join(database.dataDir, f), 'utf8')).join('\n')
	const events: Record<string, number> = {}
	for (const line of text.split('\n')) {
		if (!line.startsWith('{')) continue
		const entry = JSON.parse(line) as { level: number; event?: string; fault?: string; msg?: string }
		if (entry.level < 40) continue
		const key = `${entry.event ?? entry.msg ?? '?'}${entry.fault ? ` ${entry.fault}` : ''}`
		events[key] = (events[key] ?? 0) + 1
	}
	return { events, leaks: /Failed query|insert into|select .* from|\n\s+at /i.test(text), text }
}

const countValues = (values: number[]) => values.reduce<Record<string, number>>((acc, v) => ((acc[String(v)] = (acc[String(v)] ?? 0) + 1), acc), {})

// ---- b. the app killed and restarted ------------------------------------------------------

async function appKill(cluster: Cluster, clientCount: number) {
	const S = 'app-kill'
	log(`\n== ${S}: the app server SIGKILLed twice with saves in flight (scripts/chaos-exam.ts)`)
	const report = await runChaos({ serverUrl: cluster.url, clients: clientCount, kills: 2, runMs: 2500, log: (l) => log(`  ${l}`) })
	check(S, 'saves were in flight at the kills', report.inFlightAtKills > 0, report.inFlightAtKills)
	check(S, 'no acknowledged answer lost', report.lostAcknowledged === 0, `${report.acknowledged} acknowledged`)
	check(S, 'final answers stored as last given after the re-sends', report.missingAfterResend === 0, report.missingAfterResend)
	return report
}

// ---- c. a slow database ---------------------------------------------------------------------

/**
 * The end of a scenario with a probe: the clients flush what they hold (the probe's queue was
 * re-sent by the scenario), the server stops, and the checks that hold for every fault: a clean
 * log, every acknowledged answer stored, final answers as last given.
 */
async function endWithChecks(
	S: string,
	{ probe, clients, control, loops, agent, server, database }: { probe: SaveClient; clients: SaveClient[]; control: Parameters<typeof flushClients>[1]; loops: Parameters<typeof flushClients>[2]; agent: http.Agent; server: RunningServer; database: BenchDatabase },
) {
	const left = await flushClients(clients, control, loops)
	agent.destroy()
	await server.stop()
	const logged = serverLog(database)
	log(`server log (warn and above): ${JSON.stringify(logged.events)}`)
	check(S, 'the server log has no SQL, parameters or stack traces', !logged.leaks)
	const stored = await storedAnswers(database)
	const all = [probe, ...clients]
	const lost = lostAcknowledged(all, ackedSnapshot(all), stored)
	const notStored = notStoredAsLastGiven(all, stored)
	check(S, 'every acknowledged answer stored, final answers as last given', lost === 0 && notStored === 0 && left === 0, `${sum(all, (c) => c.acked.size)} acknowledged, ${lost} missing; ${notStored} not as last given`)
}

async function slowDatabase(cluster: Cluster, clientCount: number) {
	const S = 'slow-db'
	const timeoutMs = 2000
	const lockMs = 8000
	log(`\n== ${S}: DATABASE_STATEMENT_TIMEOUT_MS=${timeoutMs}, attempt_answers locked (ACCESS EXCLUSIVE) for ${lockMs / 1000} s`)
	const database = await freshDatabase(cluster.url, 10, 'faults_slow')
	let server: RunningServer | undefined
	const locker = postgres(database.url!, { max: 1, onnotice: () => {} })
	try {
		// One more taker than clients: the probe, whose page load and save are timed by hand.
		const setup = setUpTakers(database, clientCount + 1)
		server = await startServer({ ...database, env: { ...database.env, DATABASE_STATEMENT_TIMEOUT_MS: String(timeoutMs) } }, await freePort(), 'warn')
		const agent = agentOf()
		const [probe, ...clients] = await startAttempts(agent, server.origin, setup.examId, setup.tokens)
		const control: SaveControl = { origin: server.origin, answering: true, paused: false, stopping: false }
		const events: SendEvent[] = []
		// Fewer saves in flight than pool connections, so the probe's requests do not queue for one.
		const loops = runSaveClients(clients, agent, control, events, { answerEveryMs: [50, 150], senders: 1 })
		await sleep(1500)

		let lockedAt = 0
		const held = locker.begin(async (tx) => {
			await tx`lock table attempt_answers in access exclusive mode`
			lockedAt = Date.now()
			await sleep(lockMs)
		})
		const lockBy = Date.now() + 10_000
		while (!lockedAt) {
			if (Date.now() > lockBy) throw new Error('could not lock attempt_answers within 10 s')
			await sleep(10)
		}

		const page = await request(agent, server.origin, 'GET', `/attempts/${probe!.attemptId}`, probe!.token, undefined, 20_000)
		probe!.answer()
		const [save] = await sendQueue(agent, server.origin, probe!)
		const health = await healthz(server.origin)
		log(`while locked: exam page ${page.status} in ${Math.round(page.ms)} ms; answer save ${save!.status} in ${save!.ms} ms: ${save!.body}; /healthz ${health.status}`)
		check(S, 'exam page: 503 within ~2 s', page.status === 503 && page.ms < timeoutMs + 1000, `${page.status} in ${Math.round(page.ms)} ms`)
		check(S, 'exam page says 系统繁忙, shows nothing internal', page.body.includes('系统繁忙') && !leaksInternals(page.body))
		check(S, 'answer save: 503 JSON within ~2 s', save!.status === 503 && save!.ms < timeoutMs + 1000, `${save!.status} in ${save!.ms} ms`)
		let saveReply: { ok?: boolean; error?: string; fault?: string } = {}
		try {
			saveReply = JSON.parse(save!.body) as typeof saveReply
		} catch {
			// not JSON: the check below fails
		}
		check(S, 'answer save says 系统繁忙 (fault timeout), nothing internal', saveReply.ok === false && saveReply.fault === 'timeout' && String(saveReply.error).includes('系统繁忙') && !leaksInternals(save!.body), save!.body)
		check(S, 'the unsaved answer stays queued on the client', probe!.queue.size === 1 && probe!.acked.size === 0)
		check(S, '/healthz stays healthy (the database answers; one table is locked)', health.status === 200, health.body)

		await held
		const releasedAt = Date.now()
		const recoveredAt = await firstOkAfter(events, releasedAt)
		const resend = await sendQueue(agent, server.origin, probe!)
		const during = outcomes(events, lockedAt, releasedAt)
		const slowest = Math.max(0, ...events.filter((e) => e.at >= lockedAt && e.at + e.ms <= releasedAt).map((e) => e.ms))
		log(`lock released: clients' saves during the lock ${JSON.stringify(during)} (slowest ${slowest} ms); first save acknowledged ${recoveredAt === null ? 'never' : `${recoveredAt - releasedAt} ms`} after; the probe's answer re-sent: ${resend[0]?.status}`)
		check(S, 'no save waited much longer than the timeout', slowest < timeoutMs * 2 + 500, `slowest ${slowest} ms`)
		check(S, 'saves resume after the lock', recoveredAt !== null)
		check(S, "the probe's answer is acknowledged when re-sent", resend[0]?.status === 200 && probe!.queue.size === 0)

		await endWithChecks(S, { probe: probe!, clients, control, loops, agent, server, database })
		return { timeoutMs, lockMs, pageStatus: page.status, pageMs: Math.round(page.ms), saveStatus: save!.status, saveMs: save!.ms, clientSavesDuringLock: during, slowestSaveMs: slowest, recoverMs: recoveredAt === null ? null : recoveredAt - releasedAt }
	} finally {
		await locker.end({ timeout: 5 })
		await server?.stop()
		await database.drop()
	}
}

// ---- d. disk full under the embedded database ---------------------------------------------

async function fill(file: string) {
	const handle = await fs.promises.open(file, 'w')
	const chunk = Buffer.alloc(4 * 1024 * 1024, 1)
	let bytes = 0
	try {
		for (;;) {
			const { bytesWritten } = await handle.write(chunk)
			bytes += bytesWritten
			if (bytesWritten < chunk.length) break
		}
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error
	} finally {
		await handle.close()
	}
	return bytes
}

const freeMb = (dir: string) => {
	const s = fs.statfsSync(dir)
	return Math.round((s.bavail * s.bsize) / 1048576)
}

async function diskFull(clientCount: number) {
	const S = 'disk-full'
	const size = '128m'
	log(`\n== ${S}: PGlite on a ${size} tmpfs, filled while ${clientCount} clients save answers`)
	const database = await freshDatabase(undefined, 10, 'faults_disk')
	const mountPoint = path.join(database.dataDir, 'pglite')
	fs.mkdirSync(mountPoint, { recursive: true })
	const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', mountPoint], { encoding: 'utf8' })
	if (mounted.status !== 0) throw new Error(`mount failed (root needed): ${mounted.stderr}`)
	let server: RunningServer | undefined
	const filler = path.join(mountPoint, 'filler')
	try {
		const setup = setUpTakers(database, clientCount + 1)
		log(`database set up: ${freeMb(mountPoint)} MB free of ${size}`)
		const port = await freePort()
		server = await startServer(database, port, 'warn')
		const firstServer = server
		const agent = agentOf()
		const [probe, ...clients] = await startAttempts(agent, server.origin, setup.examId, setup.tokens)
		const control: SaveControl = { origin: server.origin, answering: true, paused: false, stopping: false }
		const events: SendEvent[] = []
		const loops = runSaveClients(clients, agent, control, events, { answerEveryMs: [10, 40] })
		await sleep(2000)

		const filledFrom = Date.now()
		const filled = await fill(filler)
		log(`filler: ${Math.round(filled / 1048576)} MB written, ${freeMb(mountPoint)} MB free`)
		await sleep(1000)
		const health = await healthz(server.origin)
		const page = await request(agent, server.origin, 'GET', `/attempts/${probe!.attemptId}`, probe!.token, undefined, 20_000).catch((e: Error) => ({ status: 0, body: e.message, ms: 0 }))
		probe!.answer()
		const [save] = await sendQueue(agent, server.origin, probe!)
		await sleep(3000)
		const during = outcomes(events, filledFrom)
		log(`disk full: /healthz ${health.status} ${health.body}; exam page ${page.status}; answer save ${save!.status}: ${save!.body}; clients' saves ${JSON.stringify(during)}`)
		check(S, '/healthz says unhealthy: disk_full', health.status === 503 && health.body.includes('disk_full'), health.body)
		check(S, 'exam page: 503 saying 存储空间不足, nothing internal', page.status === 503 && page.body.includes('存储空间不足') && !leaksInternals(page.body), `${page.status}`)
		check(S, 'answer save: 503 JSON saying 存储空间不足', save!.status === 503 && save!.body.includes('存储空间不足') && save!.body.includes('disk_full') && !leaksInternals(save!.body), save!.body)
		check(S, "clients' failed saves were 503 or refused, never 500", !Object.keys(during).some((k) => k !== 'ok' && k !== 'http 503' && k !== 'network'), JSON.stringify(during))

		fs.rmSync(filler)
		const freedAt = Date.now()
		// The design: the instance never hit a WAL write failure, so it carries on. Should it have
		// written itself off (exit 1), restart it as a supervisor would.
		let restarts = 0
		if (server.child.exitCode !== null || server.child.signalCode !== null) {
			log(`the server exited (${server.child.exitCode ?? server.child.signalCode}); restarting it as a supervisor would`)
			server = await startServer(database, port, 'warn')
			restarts++
		}
		const recoveredAt = await firstOkAfter(events, freedAt)
		const resend = await sendQueue(agent, server.origin, probe!)
		const healthAfter = await healthz(server.origin)
		log(`filler removed: first save acknowledged ${recoveredAt === null ? 'never' : `${recoveredAt - freedAt} ms`} after; server restarts: ${restarts}; /healthz ${healthAfter.status}`)
		check(S, 'saves resume once space is freed', recoveredAt !== null && resend[0]?.status === 200)
		check(S, 'the server carried on without a restart', restarts === 0 && server === firstServer)
		check(S, '/healthz healthy again', healthAfter.status === 200, healthAfter.body)

		await endWithChecks(S, { probe: probe!, clients, control, loops, agent, server, database })
		// The folder opens in a new process and its indexes pass amcheck.
		const pg = new PGlite(mountPoint, { extensions: { amcheck } })
		let indexes = 0
		try {
			await pg.exec('create extension if not exists amcheck')
			const { rows } = await pg.query<{ n: number }>(`
				select count(bt_index_check(c.oid, true))::int as n from pg_index i join pg_class c on c.oid = i.indexrelid
				join pg_am am on am.oid = c.relam where am.amname = 'btree' and c.relnamespace = 'public'::regnamespace`)
			indexes = rows[0]!.n
		} finally {
			await pg.close()
		}
		check(S, 'the folder reopens and every B-tree index passes amcheck', indexes > 0, `${indexes} indexes`)
		return { tmpfs: size, fillerMb: Math.round(filled / 1048576), healthz: health.status, pageStatus: page.status, saveStatus: save!.status, clientSavesWhileFull: during, recoverMs: recoveredAt === null ? null : recoveredAt - freedAt, restarts }
	} finally {
		fs.rmSync(filler, { force: true })
		await server?.stop()
		spawnSync('umount', [mountPoint])
		await database.drop()
	}
}

// ---- d'. the same, past the free-space guard: a WAL write failing ----------------------------

async function diskFullWal() {
	const S = 'disk-full-wal'
	log(`\n== ${S}: PGlite on a full 64 MB tmpfs with the free-space check off, until a WAL write fails (the second guard)`)
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'anquan-faults-wal-'))
	const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64m', 'tmpfs', dir], { encoding: 'utf8' })
	if (mounted.status !== 0) throw new Error(`mount failed (root needed): ${mounted.stderr}`)
	const dataDir = path.join(dir, 'pg')
	const filler = path.join(dir, 'filler')
	try {
		// In this process, as the app opens it (guardPglite), but told to record its death instead of exiting.
		let deaths = 0
		fs.mkdirSync(dataDir)
		const pg = new PGlite(dataDir)
		guardPglite(pg, dataDir, { minFreeBytes: 0, onDead: () => deaths++ })
		// Rows made beforehand: updates of them need no new page, only WAL (a new table could not grow at all).
		await pg.exec(`create table answers (id int primary key, v text) with (fillfactor = 50);
			insert into answers select g, 'v0' from generate_series(0, 49) g`)
		const committed = new Map(Array.from({ length: 50 }, (_, id) => [id, 'v0']))
		await fill(filler)
		const faults: Record<string, number> = {}
		let saves = 0
		// Saves go on; a 1 MB WAL message with each brings the next WAL segment (16 MB) on quickly.
		for (let i = 1; i <= 300 && !deaths; i++) {
			try {
				await pg.transaction(async (tx) => {
					await tx.query('insert into answers values ($1, $2) on conflict (id) do update set v = excluded.v', [i % 50, `v${i}`])
					await tx.query(`select pg_logical_emit_message(true, 'faults', repeat('x', 1000000))`)
				})
				committed.set(i % 50, `v${i}`)
				saves++
			} catch (error) {
				const kind = databaseFaultOf(error) ?? 'other'
				faults[kind] = (faults[kind] ?? 0) + 1
			}
		}
		const started = Date.now()
		let next: unknown = null
		try {
			await pg.query('select 1')
		} catch (error) {
			next = error
		}
		const refusedMs = Date.now() - started
		log(`${saves} saves committed on the full disk, then ${JSON.stringify(faults)}; instance written off: ${deaths}; the next statement refused in ${refusedMs} ms (${databaseFaultOf(next)})`)
		check(S, 'a WAL write failed and the instance was written off once', deaths === 1, `${deaths}`)
		check(S, 'the next statement is refused at once (no hang), as disk_full', databaseFaultOf(next) === 'disk_full' && refusedMs < 100, `${refusedMs} ms`)
		fs.rmSync(filler)
		// What a restart does: open the folder afresh (the dead instance is left alone).
		const reopened = new PGlite(dataDir, { extensions: { amcheck } })
		try {
			const { rows } = await reopened.query<{ id: number; v: string }>('select id, v from answers')
			const stored = new Map(rows.map((r) => [r.id, r.v]))
			const missing = [...committed].filter(([id, v]) => stored.get(id) !== v).length
			check(S, 'reopened: every committed save is there', missing === 0, `${committed.size} rows, ${missing} missing or older`)
			await reopened.exec(`create extension if not exists amcheck; insert into answers values (1000, 'after') on conflict do nothing`)
			const { rows: checked } = await reopened.query<{ n: number }>(`select count(bt_index_check(c.oid, true))::int as n from pg_index i join pg_class c on c.oid = i.indexrelid where c.relnamespace = 'public'::regnamespace`)
			check(S, 'reopened: writes work and the index passes amcheck', checked[0]!.n > 0)
		} finally {
			await reopened.close()
		}
		return { savesOnFullDisk: saves, faults, deaths, refusedMs }
	} finally {
		fs.rmSync(filler, { force: true })
		// Lazy: the written-off instance still holds its files open.
		spawnSync('umount', ['-l', dir])
		fs.rmSync(dir, { recursive: true, force: true })
	}
}

// ---- main -----------------------------------------------------------------------------------

const SCENARIOS = ['pg-restart', 'app-kill', 'slow-db', 'disk-full', 'disk-full-wal'] as const
const { values } = parseArgs({
	options: {
		only: { type: 'string', default: SCENARIOS.join(',') },
		clients: { type: 'string', default: '8' },
		'skip-build': { type: 'boolean', default: false },
	},
})
const only = new Set(values.only.split(',').map((s) => s.trim()))
for (const name of only) if (!(SCENARIOS as readonly string[]).includes(name)) throw new Error(`unknown scenario ${name}; known: ${SCENARIOS.join(', ')}`)
const clientCount = Number(values.clients)
buildOnce(values['skip-build'])

const summary: Record<string, unknown> = {}
let cluster: Cluster | undefined
try {
	if (only.has('pg-restart') || only.has('app-kill') || only.has('slow-db')) cluster = await startCluster()
	if (only.has('pg-restart')) summary.pgRestart = await pgRestart(cluster!, clientCount)
	if (only.has('app-kill')) summary.appKill = await appKill(cluster!, clientCount)
	if (only.has('slow-db')) summary.slowDb = await slowDatabase(cluster!, Math.min(clientCount, 4))
	if (only.has('disk-full')) summary.diskFull = await diskFull(clientCount)
	if (only.has('disk-full-wal')) summary.diskFullWal = await diskFullWal()
} catch (error) {
	checks.push({ name: 'run', ok: false, detail: String((error as Error).stack ?? error) })
	console.error(error)
} finally {
	await cluster?.remove()
}
const failed = checks.filter((c) => !c.ok)
console.log(`\n${checks.length - failed.length} of ${checks.length} checks passed${failed.length ? `; failed: ${failed.map((c) => c.name).join('; ')}` : ''}`)
console.log(`JSON ${JSON.stringify({ ...summary, checks: checks.length, failed: failed.map((c) => c.name) })}`)
process.exit(failed.length ? 1 : 0)
