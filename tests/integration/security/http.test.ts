import http from 'node:http'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import { recordSignInFailure } from '#app/auth/throttle.server.ts'
import { DEMO_PASSWORD } from '#app/demo/seed.server.ts'
import { phoneLookupHash } from '#app/people/pii.server.ts'
import { db } from '#app/utils/db.server.ts'
import { cookieFor } from '#tests/fixtures/requests.ts'
import { setUpDemo, type Demo, type Persona } from './demo.ts'
import { loadServerBuild, startApp } from './harness.ts'
import { activeContent, XSS_CORPUS } from './xss.ts'

// The app over HTTP as production serves it (the middleware of scripts/server.ts, Remix in
// production mode): security headers on every kind of response, error pages that give nothing
// away, URLs with NUL bytes refused, question stems shown inert on the exam and practice pages, and
// a login rate limit that a forged X-Forwarded-For does not get round.
//
// The production server itself (a real build, the __Host- cookie, the CSP nonce on /login) is
// checked by tests/e2e/http.spec.ts; the Origin check on every action by security/routes.test.ts.

let demo: Demo
let app: Awaited<ReturnType<typeof startApp>>
let closeBuild: (() => Promise<void>) | undefined

beforeAll(async () => {
	const { build, close } = await loadServerBuild()
	closeBuild = close
	demo = await setUpDemo()
	app = await startApp(build)
}, 240_000)

afterAll(async () => {
	await app?.close()
	await closeBuild?.()
})

function request(path: string, { who, method = 'GET', body, headers = {} }: { who?: Persona; method?: string; body?: Record<string, string>; headers?: Record<string, string> } = {}) {
	return fetch(app.url + path, {
		method,
		redirect: 'manual',
		headers: { ...(method === 'POST' ? { Origin: app.url } : {}), ...(who ? { Cookie: cookieFor(who.token) } : {}), ...headers },
		body: body ? new URLSearchParams(body) : undefined,
	})
}

/** The directives of a Content-Security-Policy header. */
function directives(csp: string | null) {
	return Object.fromEntries(
		(csp ?? '')
			.split(';')
			.map((d) => d.trim().split(/\s+/))
			.filter((d) => d[0])
			.map(([name, ...values]) => [name!, values]),
	)
}

const nonceOf = (res: Response) => /'nonce-([^']+)'/.exec(res.headers.get('Content-Security-Policy') ?? '')?.[1]

/**
 * A stack frame, SQL, a file of ours or a driver name: what an error page must not show. (This
 * build's script URLs name /node_modules/… and /app/…, as Vite serves them; a real build's do not.)
 */
const LEAKS = [/\bat [\w.<>]+ \(/, /\.[jt]sx?:\d+/, /\/work\//, /\bselect\b.*\bfrom\b/i, /\brelation "/, /job_types|sign_in_throttle/, /PGlite|postgres|drizzle/i, /Failed query/]

describe('headers', () => {
	test('every kind of response carries the security headers, and a CSP without unsafe-inline scripts', async () => {
		const responses: [string, Response][] = [
			['home page', await request('/')],
			['sign-in page', await request('/login')],
			['public list', await request('/cases')],
			['signed-in page', await request('/people', { who: demo.as.enterprise_admin })],
			['sign-in redirect', await request('/people')],
			['404 page', await request(`/people/${crypto.randomUUID()}`, { who: demo.as.system_admin })],
			['403 page', await request('/audit', { who: demo.as.worker })],
			['JSON', await request('/healthz')],
			['text file', await request('/robots.txt')],
			['spreadsheet', await request('/bank/template', { who: demo.as.content_editor })],
			['data request', await request('/job-types.data')],
			['a form post', await request('/login', { method: 'POST', body: { phone: '13900000010', password: 'wrong-1' } })],
			['cross-site post', await request('/login', { method: 'POST', body: {}, headers: { Origin: 'https://evil.example' } })],
			['NUL in the URL', await request('/people?q=%00')],
		]
		const statuses = responses.map(([, r]) => r.status)
		for (const status of [200, 302, 400, 403, 404]) expect(statuses).toContain(status)
		for (const [what, res] of responses) {
			expect(res.headers.get('X-Content-Type-Options'), what).toBe('nosniff')
			expect(res.headers.get('Referrer-Policy'), what).toBe('strict-origin-when-cross-origin')
			expect(res.headers.get('X-Frame-Options'), what).toBe('DENY')
			expect(res.headers.get('X-Powered-By'), what).toBeNull()
			const csp = directives(res.headers.get('Content-Security-Policy'))
			expect(csp['script-src'], what).toContain("'self'")
			expect(csp['script-src'], what).not.toContain("'unsafe-inline'")
			expect(csp['script-src'], what).not.toContain("'unsafe-eval'")
			expect(csp['script-src']!.some((v: string) => /^'nonce-[A-Za-z0-9+/=]{16,}'$/.test(v)), what).toBe(true)
			expect(csp['frame-ancestors'], what).toEqual(["'none'"])
			expect(csp['object-src'], what).toEqual(["'none'"])
			expect(csp['base-uri'], what).toEqual(["'self'"])
			expect(csp['form-action'], what).toEqual(["'self'"])
			expect(csp['default-src'], what).toEqual(["'self'"])
		}
	})

	test('every script of every page, error pages included, carries that response’s nonce', async () => {
		for (const [path, who] of [
			['/', undefined],
			['/login', undefined],
			['/me', demo.as.worker],
			[`/people/${crypto.randomUUID()}`, demo.as.system_admin],
			['/audit', demo.as.worker],
		] as const) {
			const res = await request(path, { who })
			const html = await res.text()
			const nonce = nonceOf(res)
			expect(nonce, path).toBeTruthy()
			const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0])
			expect(scripts.length, path).toBeGreaterThan(0)
			for (const tag of scripts) expect(tag, path).toContain(`nonce="${nonce}"`)
		}
	})
})

describe('error pages', () => {
	/** Runs `during` with a table renamed away, so queries on it fail; console errors are kept. */
	async function withTableGone<T>(table: string, during: () => Promise<T>) {
		const logged: string[] = []
		const spy = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
			logged.push(args.map((a) => (a instanceof Error ? `${a.message}\n${a.stack}` : String(a))).join(' '))
		})
		await db.execute(sql.raw(`alter table ${table} rename to ${table}_gone`))
		try {
			return { result: await during(), logged }
		} finally {
			await db.execute(sql.raw(`alter table ${table}_gone rename to ${table}`))
			spy.mockRestore()
		}
	}

	function expectNothingGivenAway(body: string, what: string) {
		for (const leak of LEAKS) expect(body, `${what} matches ${leak}`).not.toMatch(leak)
	}

	test('a failing query in a loader: a plain Chinese page, no SQL, stack or file names (page and data request)', async () => {
		const { result } = await withTableGone('job_types', async () => {
			const page = await request('/job-types')
			const data = await request('/job-types.data')
			return { page: { status: page.status, body: await page.text() }, data: { status: data.status, body: await data.text() } }
		})
		expect(result.page.status).toBe(500)
		expect(result.page.body).toContain('系统出了点问题')
		expectNothingGivenAway(result.page.body, 'page')
		expectNothingGivenAway(result.data.body, 'data request')
		// The table is back: the page works again.
		expect((await request('/job-types')).status).toBe(200)
	})

	test('a failing query in an action (signing in): the same, and the phone number typed is in neither the page nor the log', async () => {
		const { result, logged } = await withTableGone('sign_in_throttle', async () => {
			const res = await request('/login', { method: 'POST', body: { phone: '13900000010', password: DEMO_PASSWORD } })
			return { status: res.status, cookie: res.headers.get('Set-Cookie'), body: await res.text() }
		})
		expect(result.status).toBe(500)
		expect(result.cookie).toBeNull()
		expect(result.body).toContain('系统出了点问题')
		expectNothingGivenAway(result.body, 'page')
		expect(logged.length, 'the error is logged for the operators').toBeGreaterThan(0)
		for (const text of [result.body, ...logged]) {
			expect(text).not.toContain('13900000010')
			expect(text).not.toContain(DEMO_PASSWORD)
		}
	})

	test('a body over 20 MB is refused with 413 before any route reads it', async () => {
		// Only the headers go: the answer must come before any of the body is read. (On its own
		// connection: one the server closes mid-upload is no use to fetch's pool.)
		const huge = await new Promise<{ status: number; body: string }>((resolve, reject) => {
			const url = new URL('/bank/import', app.url)
			const req = http.request({
				host: url.hostname,
				port: url.port,
				path: url.pathname,
				method: 'POST',
				agent: false,
				headers: { Origin: app.url, Cookie: cookieFor(demo.as.system_admin.token), 'Content-Type': 'application/octet-stream', 'Content-Length': 21 * 1024 * 1024 },
			})
			req.on('response', (res) => {
				const chunks: Buffer[] = []
				res.on('data', (c: Buffer) => chunks.push(c))
				res.on('end', () => {
					resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') })
					req.destroy()
				})
			})
			req.on('error', reject)
			req.flushHeaders()
		})
		expect(huge.status).toBe(413)
		expect(huge.body).toBe('上传的内容太大（超过 20 MB），请缩小后重试。')
	})

	test('a URL with a NUL byte (which PostgreSQL cannot take) is refused with 400 before any route reads it', async () => {
		for (const path of ['/people?q=%00', '/certificates?q=%00', '/bank?q=%00', '/bank/export?q=%00&format=csv', '/people/%00', '/verify/%00abc', '/rules/%00', `/competitions/x%00/manage`]) {
			const res = await request(path, { who: demo.as.system_admin })
			expect(res.status, path).toBe(400)
			expect(await res.text(), path).toBe('请求地址中有无效的字符。')
		}
		// A percent sign is still a percent sign.
		expect((await request('/people?q=%2500', { who: demo.as.system_admin })).status).toBe(200)
	})
})

describe('question stems as the exam and practice pages show them', () => {
	test(`${XSS_CORPUS.length} XSS payloads as stems and options are shown as text, and none breaks out of the page’s data script`, async () => {
		const stem = XSS_CORPUS.join('\n')
		const options = JSON.stringify(XSS_CORPUS.slice(0, 4))
		// As an editor might have typed them (the bank keeps stems as plain text).
		await db.execute(sql`update question_versions set stem = ${stem}, options = case when jsonb_array_length(options) > 0 then ${options}::jsonb else options end`)
		await db.execute(sql`update questions set stem = ${stem}, options = case when jsonb_array_length(options) > 0 then ${options}::jsonb else options end`)
		const pages = [
			[`/attempts/${demo.ids.attempt}?q=1`, demo.as.worker],
			[`/attempts/${demo.ids.attempt}?q=2`, demo.as.worker],
			['/practice/session?set=bank&part=general&order=seq', demo.as.worker],
			['/practice/session?set=bank&part=professional&job=coal_underground&order=seq', demo.as.worker],
			['/bank', demo.as.content_editor],
			[`/bank/${demo.ids.question}`, demo.as.content_editor],
		] as const
		for (const [path, who] of pages) {
			const res = await request(path, { who })
			expect(res.status, path).toBe(200)
			const html = await res.text()
			// Rendered, escaped: the payloads are there as text.
			expect(html, path).toContain('XSS02')
			expect(html, path).toMatch(/&lt;script&gt;alert\(&#x27;XSS01&#x27;\)|\\u003cscript>alert\('XSS01'\)|\\u003cscript\\u003ealert/)
			expect(activeContent(html, { page: true, nonce: nonceOf(res) }), path).toEqual([])
		}
	})
})

describe('the login rate limit over HTTP', () => {
	test('an X-Forwarded-For header does not move a locked-out address elsewhere (no proxy is trusted unless TRUST_PROXY is set)', async () => {
		// 99 failures from this client's address, recorded as signIn records them; the 100th over HTTP.
		for (let i = 0; i < 99; i++) await recordSignInFailure(phoneLookupHash(`1370001${String(i).padStart(4, '0')}`), '127.0.0.1')
		const spoofed = (n: number) => ({ 'X-Forwarded-For': `198.51.100.${n}`, 'X-Real-IP': `198.51.100.${n}` })
		const hundredth = await request('/login', { method: 'POST', body: { phone: '13700019999', password: 'guess-1' }, headers: spoofed(1) })
		expect(hundredth.status).toBe(400)
		// The right password of another account, "from" yet another address: still this address, locked.
		const refused = await request('/login', { method: 'POST', body: { phone: '13900000004', password: DEMO_PASSWORD }, headers: spoofed(2) })
		expect(refused.status).toBe(400)
		expect(refused.headers.get('Set-Cookie')).toBeNull()
		expect(await refused.text()).toContain('再试')
	})
})
