import { expect, test } from '@playwright/test'
import { BASE_URL, DEMO_PASSWORD } from './support.ts'

// HTTP-level guarantees of the production server, without a browser.

const form = (phone: string, password: string) => ({ phone, password, redirectTo: '' })

test('GET /healthz reports the database in use', async ({ request }) => {
	const res = await request.get('/healthz')
	expect(res.status()).toBe(200)
	expect(res.headers()['content-type']).toContain('application/json')
	expect(await res.json()).toEqual({ ok: true, db: process.env.DATABASE_URL ? 'postgres' : 'pglite' })
})

test('POST /login from a foreign origin is refused', async ({ request }) => {
	const res = await request.post('/login', {
		form: form('13900000010', DEMO_PASSWORD),
		headers: { Origin: 'https://evil.example' },
		maxRedirects: 0,
	})
	expect(res.status()).toBe(403)
	expect(res.headers()['set-cookie']).toBeUndefined()
})

test('POST /login without an Origin header is refused', async ({ request }) => {
	const res = await request.post('/login', { form: form('13900000010', DEMO_PASSWORD), maxRedirects: 0 })
	expect(res.status()).toBe(403)
	expect(res.headers()['set-cookie']).toBeUndefined()
})

test('signing in sets a __Host- session cookie: HttpOnly, Secure, SameSite=Lax, Path=/', async ({ request }) => {
	const res = await request.post('/login', {
		form: form('13900000010', DEMO_PASSWORD),
		headers: { Origin: BASE_URL },
		maxRedirects: 0,
	})
	expect(res.status()).toBe(302)
	expect(res.headers()['location']).toBe('/me')
	const cookies = res.headersArray().filter((h) => h.name.toLowerCase() === 'set-cookie')
	expect(cookies).toHaveLength(1)
	const [pair, ...attributes] = cookies[0]!.value.split(';').map((s) => s.trim())
	const [name, value] = pair!.split('=')
	expect(name).toBe('__Host-session')
	expect(value).toMatch(/^[a-z2-7]{20,}$/)
	const attrs = attributes.map((a) => a.toLowerCase())
	expect(attrs).toContain('httponly')
	expect(attrs).toContain('secure')
	expect(attrs).toContain('samesite=lax')
	expect(attrs).toContain('path=/')
	expect(attrs.some((a) => a.startsWith('domain='))).toBe(false)
})

test('pages carry a strict Content-Security-Policy and the other security headers', async ({ request }) => {
	for (const path of ['/login', '/healthz']) {
		const res = await request.get(path)
		expect(res.status()).toBe(200)
		const headers = res.headers()
		const csp = headers['content-security-policy']
		expect(csp, `CSP on ${path}`).toBeTruthy()
		const directives = Object.fromEntries(
			csp!.split(';').map((d) => {
				const [key, ...values] = d.trim().split(/\s+/)
				return [key!, values]
			}),
		)
		expect(directives['script-src']).toEqual(expect.arrayContaining(["'self'"]))
		expect(directives['script-src']!.some((v) => /^'nonce-[A-Za-z0-9+/=]{16,}'$/.test(v))).toBe(true)
		expect(directives['script-src']).not.toContain("'unsafe-inline'")
		expect(directives['script-src']).not.toContain("'unsafe-eval'")
		expect(directives['frame-ancestors']).toEqual(["'none'"])
		expect(headers['x-content-type-options']).toBe('nosniff')
		expect(headers['referrer-policy']).toBeTruthy()
		expect(headers['x-powered-by']).toBeUndefined()
	}
})

test('the nonce in the CSP is fresh per response and matches the page scripts', async ({ request }) => {
	const nonceOf = (csp: string | undefined) => /'nonce-([^']+)'/.exec(csp ?? '')?.[1]
	const first = await request.get('/login')
	const second = await request.get('/login')
	const nonce = nonceOf(first.headers()['content-security-policy'])
	expect(nonce).toBeTruthy()
	expect(nonceOf(second.headers()['content-security-policy'])).not.toBe(nonce)
	const html = await first.text()
	const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0])
	expect(scripts.length).toBeGreaterThan(0)
	for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`)
})

test('Chinese pages are streamed without stray NUL bytes (React 18 chunk-boundary bug)', async ({ request }) => {
	for (const path of ['/job-types', '/login', '/']) {
		const body = await (await request.get(path)).body()
		expect(body.length, path).toBeGreaterThan(1000)
		expect(body.includes(0), `${path} contains a NUL byte`).toBe(false)
	}
})
