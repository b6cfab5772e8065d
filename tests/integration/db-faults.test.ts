import postgres from 'postgres'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { loadServerBuild, startApp } from './security/harness.ts'

// A slow database over HTTP (PostgreSQL only: PGlite ignores statement_timeout and has no second
// connection to hold a lock; vitest.config.ts runs this file when DATABASE_URL is set). With
// DATABASE_STATEMENT_TIMEOUT_MS at 1 s and the sessions table locked by another connection, every
// signed-in request waits on its session look-up: the page, its data request and an answer save
// must each come back as a plain 503 within about the timeout, not hang and not show a stack.

const TIMEOUT_MS = 1000
// Read when the database client connects (in tests/setup/database.ts's beforeAll, after this).
process.env.DATABASE_STATEMENT_TIMEOUT_MS = String(TIMEOUT_MS)

let app: Awaited<ReturnType<typeof startApp>>
let closeBuild: (() => Promise<void>) | undefined

beforeAll(async () => {
	const { build, close } = await loadServerBuild()
	closeBuild = close
	app = await startApp(build)
}, 120_000)

afterAll(async () => {
	await app?.close()
	await closeBuild?.()
	delete process.env.DATABASE_STATEMENT_TIMEOUT_MS
})

const signedIn = { Cookie: 'session=not-a-real-token-but-looked-up-all-the-same' }

async function timed(path: string, init: RequestInit = {}) {
	const started = performance.now()
	const res = await fetch(app.url + path, { redirect: 'manual', ...init, headers: { ...signedIn, ...init.headers } })
	const body = await res.text()
	return { status: res.status, body, ms: performance.now() - started, type: res.headers.get('content-type') ?? '' }
}

test('with a table locked, pages, data requests and answer saves answer 503 within the statement timeout', { timeout: 60_000 }, async () => {
	const locker = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} })
	try {
		let locked = false
		let release!: () => void
		const held = locker.begin(async (tx) => {
			await tx`lock table sessions in access exclusive mode`
			locked = true
			await new Promise<void>((resolve) => (release = resolve))
		})
		while (!locked) await new Promise((r) => setTimeout(r, 10))

		const [page, data, save, health] = await Promise.all([
			timed('/me'),
			timed('/me.data'),
			timed(`/attempts/${crypto.randomUUID()}/answers`, {
				method: 'POST',
				headers: { Origin: app.url, Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams({ position: '1', answer: 'A', clientSeq: '1' }),
			}),
			timed('/healthz'),
		])
		release()
		await held

		// The page: the error boundary's 503, in plain Chinese, nothing of the server's inside.
		expect(page.status).toBe(503)
		expect(page.ms).toBeLessThan(TIMEOUT_MS + 2000)
		expect(page.type).toContain('text/html')
		expect(page.body).toContain('系统繁忙，请稍后再试')
		expect(page.body).not.toMatch(/sessions|canceling statement|Failed query|\bat [\w.<>]+ \(/)
		// The client-side navigation's data request gets the same status.
		expect(data.status).toBe(503)
		expect(data.ms).toBeLessThan(TIMEOUT_MS + 2000)
		// The exam page's answer sync: a 503 it retries (it gives up only on 400, 404 and 409).
		expect(save.status).toBe(503)
		expect(save.ms).toBeLessThan(TIMEOUT_MS + 2000)
		expect(JSON.parse(save.body)).toEqual({ ok: false, error: '系统繁忙，请稍后再试。', fault: 'timeout' })
		// The database itself answers: the load balancer keeps the instance.
		expect(health.status).toBe(200)

		// Lock gone: the same page is an ordinary one again (a stale cookie: off to sign in).
		const after = await timed('/me')
		expect(after.status).toBe(302)
	} finally {
		await locker.end({ timeout: 5 })
	}
})
