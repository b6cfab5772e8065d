import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import postgres from 'postgres'
import { stopProcess } from '../../scripts/exam-bench-server.ts'
import { BASE_URL, E2E_PORT, SERVER_ERR_LOG, SERVER_LOG } from './support.ts'

// Builds the site, gives it a database of its own and starts the production server for the
// browser tests. Returns the teardown (stop the server, drop the database, remove its folder).
//
// - No DATABASE_URL: the embedded PGlite lives in a fresh folder under the OS temp dir and seeds
//   the demo county itself on first start.
// - DATABASE_URL set: a fresh database e2e_<timestamp> is created on that server, seeded with
//   `tsx scripts/seed.ts`, and dropped afterwards.
// E2E_SKIP_BUILD=1 reuses an existing ./build (quick local reruns).

const ROOT = path.resolve(import.meta.dirname, '../..')

const TEST_SECRETS = {
	SESSION_SECRET: 'e2e-session-secret-0000000000000000000000',
	PII_ENCRYPTION_KEY: 'e2e-pii-encryption-key-00000000000000000000',
	PII_LOOKUP_KEY: 'e2e-pii-lookup-key-0000000000000000000000000',
	CERTIFICATE_KEY: 'e2e-certificate-key-000000000000000000000000',
}

function portIsFree(port: number) {
	return new Promise<boolean>((resolve) => {
		const probe = net.createServer()
		probe.once('error', () => resolve(false))
		probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)))
	})
}

function runOrThrow(what: string, command: string, args: string[], env: NodeJS.ProcessEnv) {
	const started = Date.now()
	const result = spawnSync(command, args, { cwd: ROOT, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
	if (result.status !== 0) {
		// Vite lists every module of the graph in some errors: leave those lines out.
		const output = `${result.stdout}\n${result.stderr}`
			.split('\n')
			.filter((line) => !/^\s+'\/[^']*',?$/.test(line))
			.slice(-150)
			.join('\n')
		console.error(output)
		throw new Error(`e2e set-up: ${what} failed (exit ${result.status ?? result.signal}); its output is above`)
	}
	console.log(`[e2e] ${what}: ${((Date.now() - started) / 1000).toFixed(1)} s`)
}

async function waitForServer(child: ChildProcess, timeoutMs: number) {
	const deadline = Date.now() + timeoutMs
	let exited: string | null = null
	child.once('exit', (code, signal) => (exited = `exit ${code ?? signal}`))
	while (Date.now() < deadline) {
		if (exited) break
		try {
			const res = await fetch(`${BASE_URL}/healthz`)
			if (res.ok) return
		} catch {
			// not listening yet
		}
		await new Promise((r) => setTimeout(r, 250))
	}
	const stderr = fs.existsSync(SERVER_ERR_LOG) ? fs.readFileSync(SERVER_ERR_LOG, 'utf8') : ''
	const stdout = fs.existsSync(SERVER_LOG) ? fs.readFileSync(SERVER_LOG, 'utf8') : ''
	throw new Error(
		`e2e set-up: the server did not answer ${BASE_URL}/healthz ${exited ? `(it stopped: ${exited})` : `within ${timeoutMs / 1000} s`}\n--- stdout\n${stdout}\n--- stderr\n${stderr}`,
	)
}

export default async function globalSetup() {
	if (!(await portIsFree(E2E_PORT))) {
		throw new Error(`e2e set-up: port ${E2E_PORT} is in use. Stop whatever listens there or set E2E_PORT to a free port.`)
	}

	const baseEnv: NodeJS.ProcessEnv = { ...process.env }
	delete baseEnv.PGLITE_DATA_DIR
	delete baseEnv.NODE_OPTIONS

	if (process.env.E2E_SKIP_BUILD === '1' && fs.existsSync(path.join(ROOT, 'build/server/index.js'))) {
		console.log('[e2e] E2E_SKIP_BUILD=1: using the existing build')
	} else {
		runOrThrow('npm run build', 'npm', ['run', 'build'], baseEnv)
	}

	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'anquan-e2e-'))
	const env: NodeJS.ProcessEnv = {
		...baseEnv,
		...TEST_SECRETS,
		NODE_ENV: 'production',
		PORT: String(E2E_PORT),
		HOST: '127.0.0.1',
		DATA_DIR: dataDir,
		LOG_LEVEL: 'info',
		TRUST_PROXY: 'false',
	}

	let dropDatabase: (() => Promise<void>) | undefined
	const serverUrl = process.env.DATABASE_URL
	if (serverUrl) {
		const name = `e2e_${Date.now()}_${process.pid}`
		const maintenance = new URL(serverUrl)
		maintenance.pathname = '/postgres'
		const admin = postgres(maintenance.toString(), { max: 1, onnotice: () => {} })
		await admin.unsafe(`create database ${name}`)
		const url = new URL(serverUrl)
		url.pathname = `/${name}`
		env.DATABASE_URL = url.toString()
		dropDatabase = async () => {
			await admin.unsafe(`drop database if exists ${name} with (force)`)
			await admin.end({ timeout: 5 })
		}
		console.log(`[e2e] database ${name} created on ${maintenance.host}`)
	} else {
		delete env.DATABASE_URL
	}
	// The demo county and the tests' own fixtures, before the server starts (on PGlite the
	// server then finds the database filled and seeds nothing).
	try {
		runOrThrow('tsx scripts/seed.ts', process.execPath, ['--import', 'tsx', 'scripts/seed.ts'], env)
		runOrThrow('tsx tests/e2e/fixtures.ts', process.execPath, ['--import', 'tsx', 'tests/e2e/fixtures.ts'], env)
	} catch (error) {
		await dropDatabase?.()
		fs.rmSync(dataDir, { recursive: true, force: true })
		throw error
	}

	fs.mkdirSync(path.dirname(SERVER_LOG), { recursive: true })
	const out = fs.openSync(SERVER_LOG, 'w')
	const err = fs.openSync(SERVER_ERR_LOG, 'w')
	const started = Date.now()
	const server = spawn(process.execPath, ['--import', 'tsx', 'scripts/server.ts'], {
		cwd: ROOT,
		env,
		stdio: ['ignore', out, err],
	})
	fs.closeSync(out)
	fs.closeSync(err)

	const teardown = async () => {
		await stopProcess(server)
		await dropDatabase?.()
		fs.rmSync(dataDir, { recursive: true, force: true })
	}
	try {
		await waitForServer(server, 120_000)
	} catch (error) {
		await teardown()
		throw error
	}
	console.log(`[e2e] server ready on ${BASE_URL} (${serverUrl ? 'postgres' : 'pglite'}) in ${((Date.now() - started) / 1000).toFixed(1)} s; log: ${path.relative(ROOT, SERVER_LOG)}`)
	return teardown
}
