// Shared by the exam benchmarks (scripts/load-exam.ts, scripts/chaos-exam.ts): a fresh database
// (on a PostgreSQL server or an embedded PGlite folder), the set-up of takers and an exam
// (scripts/exam-bench-setup.ts), the production server as a child process, and a small HTTP client.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import postgres from 'postgres'

export const ROOT = path.resolve(import.meta.dirname, '..')

export const BENCH_SECRETS = {
	SESSION_SECRET: 'bench-session-secret-00000000000000000000000',
	PII_ENCRYPTION_KEY: 'bench-pii-encryption-key-000000000000000000',
	PII_LOOKUP_KEY: 'bench-pii-lookup-key-00000000000000000000000',
	CERTIFICATE_KEY: 'bench-certificate-key-0000000000000000000000',
}

export function run(what: string, command: string, args: string[], env: NodeJS.ProcessEnv) {
	const started = Date.now()
	const result = spawnSync(command, args, { cwd: ROOT, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
	if (result.status !== 0) {
		console.error(`${result.stdout}\n${result.stderr}`.split('\n').slice(-80).join('\n'))
		throw new Error(`${what} failed (exit ${result.status ?? result.signal})`)
	}
	console.log(`  ${what}: ${((Date.now() - started) / 1000).toFixed(1)} s`)
}

export function buildOnce(skip: boolean) {
	if (skip && fs.existsSync(path.join(ROOT, 'build/server/index.js'))) return
	const env = { ...process.env }
	delete env.DATABASE_URL
	run('npm run build', 'npm', ['run', 'build'], env)
}

export function freePort() {
	return new Promise<number>((resolve, reject) => {
		const probe = net.createServer()
		probe.once('error', reject)
		probe.listen(0, '127.0.0.1', () => {
			const { port } = probe.address() as net.AddressInfo
			probe.close(() => resolve(port))
		})
	})
}

export type BenchDatabase = {
	kind: 'postgres' | 'pglite'
	/** Environment for the server and the set-up (DATABASE_URL or DATA_DIR, secrets, production). */
	env: NodeJS.ProcessEnv
	dataDir: string
	name?: string
	url?: string
	drop: () => Promise<void>
}

/** A fresh database: on the PostgreSQL server at `serverUrl` (seeded by scripts/seed.ts), or a PGlite folder. */
export async function freshDatabase(serverUrl: string | undefined, poolMax: number, tag: string): Promise<BenchDatabase> {
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `anquan-${tag}-`))
	const env: NodeJS.ProcessEnv = { ...process.env, ...BENCH_SECRETS, NODE_ENV: 'production', DATA_DIR: dataDir, TRUST_PROXY: 'false', DATABASE_POOL_MAX: String(poolMax) }
	delete env.PGLITE_DATA_DIR
	delete env.NODE_OPTIONS
	if (!serverUrl) {
		delete env.DATABASE_URL
		return { kind: 'pglite', env, dataDir, drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }) }
	}
	const name = `${tag}_${Date.now()}_${randomBytes(3).toString('hex')}`
	const admin = postgres(serverUrl, { max: 1, onnotice: () => {} })
	await admin.unsafe(`create database ${name}`)
	const url = new URL(serverUrl)
	url.pathname = `/${name}`
	env.DATABASE_URL = url.toString()
	run('tsx scripts/seed.ts', process.execPath, ['--import', 'tsx', 'scripts/seed.ts'], env)
	return {
		kind: 'postgres',
		env,
		dataDir,
		name,
		url: url.toString(),
		drop: async () => {
			await admin.unsafe(`drop database if exists ${name} with (force)`)
			await admin.end({ timeout: 5 })
			fs.rmSync(dataDir, { recursive: true, force: true })
		},
	}
}

export type BenchSetup = { examId: string; tokens: string[]; personIds: string[] }

export function setUpTakers(database: BenchDatabase, takers: number): BenchSetup {
	const out = path.join(database.dataDir, 'bench-setup.json')
	run(`set-up of ${takers} takers`, process.execPath, ['--import', 'tsx', 'scripts/exam-bench-setup.ts', String(takers), out], { ...database.env, LOG_LEVEL: 'warn' })
	return JSON.parse(fs.readFileSync(out, 'utf8')) as BenchSetup
}

export type RunningServer = { child: ChildProcess; origin: string; port: number; log: string; stop: (signal?: NodeJS.Signals) => Promise<void> }

export async function startServer(database: BenchDatabase, port: number, logLevel = 'info'): Promise<RunningServer> {
	const log = path.join(database.dataDir, `server-${Date.now()}.log`)
	const fd = fs.openSync(log, 'a')
	// BENCH_SERVER_NODE_ARGS: extra Node flags for the server, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
	const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean)
	const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'scripts/server.ts'], {
		cwd: ROOT,
		env: { ...database.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: logLevel },
		stdio: ['ignore', fd, fd],
	})
	fs.closeSync(fd)
	const origin = `http://127.0.0.1:${port}`
	let exited = false
	child.once('exit', () => (exited = true))
	const deadline = Date.now() + 120_000
	for (;;) {
		if (exited) throw new Error(`the server stopped while starting; log:\n${fs.readFileSync(log, 'utf8').slice(-4000)}`)
		if (Date.now() > deadline) throw new Error('the server did not answer /healthz within 120 s')
		try {
			const res = await fetch(`${origin}/healthz`)
			if (res.ok) break
		} catch {
			// not listening yet
		}
		await sleep(200)
	}
	return { child, origin, port, log, stop: (signal?: NodeJS.Signals) => stopProcess(child, signal) }
}

/** Stops a child process (SIGTERM, or `signal`), killing it if it has not exited within 10 s. */
export function stopProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM') {
	return new Promise<void>((resolve) => {
		if (child.exitCode !== null || child.signalCode !== null) return resolve()
		const force = setTimeout(() => child.kill('SIGKILL'), 10_000)
		child.once('exit', () => {
			clearTimeout(force)
			resolve()
		})
		child.kill(signal)
	})
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

export type HttpResult = { status: number; location?: string; body: string; ms: number }

/** One request on a keep-alive agent; rejects on a network error (connection refused or reset). */
export function request(agent: http.Agent, origin: string, method: 'GET' | 'POST', pathname: string, token: string, form?: Record<string, string | number>, timeoutMs = 30_000) {
	const body = form ? new URLSearchParams(Object.entries(form).map(([k, v]) => [k, String(v)])).toString() : ''
	const url = new URL(pathname, origin)
	const started = performance.now()
	return new Promise<HttpResult>((resolve, reject) => {
		const req = http.request(
			{
				agent,
				method,
				host: url.hostname,
				port: url.port,
				path: url.pathname,
				headers: {
					Cookie: `__Host-session=${token}`,
					...(method === 'POST' ? { Origin: origin, 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body) } : {}),
				},
				timeout: timeoutMs,
			},
			(res) => {
				const chunks: Buffer[] = []
				res.on('data', (c: Buffer) => chunks.push(c))
				res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started }))
				res.on('error', reject)
			},
		)
		req.on('timeout', () => req.destroy(new Error('timeout')))
		req.on('error', reject)
		req.end(body)
	})
}

export function percentile(sorted: number[], p: number) {
	if (!sorted.length) return NaN
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
}

export function summary(values: number[]) {
	const sorted = [...values].sort((a, b) => a - b)
	const r = (n: number) => Math.round(n * 10) / 10
	return { n: sorted.length, p50: r(percentile(sorted, 50)), p95: r(percentile(sorted, 95)), p99: r(percentile(sorted, 99)), max: r(sorted.at(-1) ?? NaN) }
}

/** CPU seconds (user + system) used so far by a process, from /proc. */
export function cpuSeconds(pid: number) {
	try {
		const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
		return (Number(fields[11]) + Number(fields[12])) / 100
	} catch {
		return NaN
	}
}

/** Busy and total jiffies of the whole machine, from /proc/stat. */
export function machineTicks() {
	const [cpu] = fs.readFileSync('/proc/stat', 'utf8').split('\n')
	const v = cpu!.split(/\s+/).slice(1).map(Number)
	const idle = v[3]! + v[4]!
	const total = v.reduce((a, b) => a + b, 0)
	return { busy: total - idle, total }
}

/**
 * The database's ceiling for answer saves: pgbench doing one-row upserts (attempt, position) → answer,
 * seq, like saveAnswer's write, at `clients` connections for `seconds`, in its own table of the bench
 * database (PostgreSQL only). Returns transactions per second.
 */
export function pgbenchUpserts(database: BenchDatabase, clients: number, seconds: number) {
	const url = new URL(database.url!)
	const conn = ['-h', url.hostname, '-p', url.port || '5432', '-U', decodeURIComponent(url.username || 'postgres'), database.name!]
	const env = { ...process.env, ...(url.password ? { PGPASSWORD: decodeURIComponent(url.password) } : {}) }
	const setup = spawnSync('psql', [...conn, '-q', '-c', 'create table if not exists bench_upsert (attempt uuid, position int, answer jsonb not null, seq int not null, primary key (attempt, position))'], { env, encoding: 'utf8' })
	if (setup.status !== 0) throw new Error(`psql: ${setup.stderr}`)
	const script = path.join(database.dataDir, 'upsert.sql')
	fs.writeFileSync(
		script,
		[
			'\\set a random(1, 1000)',
			'\\set p random(1, 100)',
			'\\set s random(1, 2000000000)',
			`insert into bench_upsert (attempt, position, answer, seq) values (md5(:a::text)::uuid, :p, '"AB"'::jsonb, :s)`,
			'  on conflict (attempt, position) do update set answer = excluded.answer, seq = excluded.seq where bench_upsert.seq < excluded.seq;',
			'',
		].join('\n'),
	)
	const started = Date.now()
	// pgbench refuses more threads than clients.
	const threads = String(Math.min(2, clients))
	const bench = spawnSync('pgbench', [...conn, '-n', '-c', String(clients), '-j', threads, '-T', String(seconds), '-f', script], { env, encoding: 'utf8' })
	if (bench.status !== 0) throw new Error(`pgbench: ${bench.stderr}`)
	const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(bench.stdout)
	console.log(`  pgbench -c ${clients} -T ${seconds}: ${tps?.[1]} tps (${((Date.now() - started) / 1000).toFixed(0)} s)`)
	return Number(tps?.[1] ?? NaN)
}
