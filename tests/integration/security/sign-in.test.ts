import { eq } from 'drizzle-orm'
import { afterEach, beforeAll, describe, expect, test } from 'vitest'
import { sessions } from '#db/schema.ts'
import { generateInitialPassword } from '#app/auth/password.server.ts'
import { passwordProblem } from '#app/auth/password-policy.ts'
import { createSession, sessionIdOf, validateSessionToken } from '#app/auth/session.server.ts'
import { DEMO_PASSWORD, seedDemo } from '#app/demo/seed.server.ts'
import { db } from '#app/utils/db.server.ts'
import * as loginRoute from '#app/routes/login.tsx'
import * as logoutRoute from '#app/routes/logout.tsx'
import { context, ORIGIN, personByPhone, run } from '#tests/fixtures/requests.ts'

// Signing in: no session fixation, the cookie's flags, no open redirect afterwards, and initial
// passwords that meet the policy. Covered elsewhere and not repeated: the login rate limit per
// account and per address (tests/integration/throttle.test.ts), the password policy and its form
// (tests/unit/password-policy.test.ts, tests/integration/forms.test.ts), session expiry, renewal,
// sign-out and password changes ending other sessions (tests/integration/sessions.test.ts), and
// the production cookie over HTTP (tests/e2e/http.spec.ts).

beforeAll(async () => {
	await seedDemo(db)
})

const nodeEnv = process.env.NODE_ENV
afterEach(() => {
	process.env.NODE_ENV = nodeEnv
})

/** POST /login as a browser sends it, with whatever session cookie it already holds. */
function signInWith(body: Record<string, string>, cookie?: string) {
	const request = new Request(new URL('/login', ORIGIN), {
		method: 'POST',
		headers: { Origin: ORIGIN, ...(cookie ? { Cookie: cookie } : {}) },
		body: new URLSearchParams(body),
	})
	return run(() => loginRoute.action({ request, params: {}, context }))
}

const tokenIn = (setCookie: string | null) => /^(?:__Host-)?session=([^;]*)/.exec(setCookie ?? '')?.[1] ?? null

describe('session fixation', () => {
	test('a session id planted before sign-in is never the one after it', async () => {
		const worker = await personByPhone('13900000010')
		// An attacker's own valid session, and a token they made up, planted in the victim's browser.
		const attacker = await personByPhone('13900000011')
		const planted = await createSession(attacker.id)
		for (const cookie of [`session=${planted.token}`, 'session=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa']) {
			const signedIn = await signInWith({ phone: '13900000010', password: DEMO_PASSWORD }, cookie)
			expect(signedIn.status).toBe(302)
			const token = tokenIn(signedIn.headers.get('Set-Cookie'))
			expect(token).toMatch(/^[a-z2-7]{32}$/)
			expect(`session=${token}`).not.toBe(cookie)
			expect((await validateSessionToken(token!))?.session.personId).toBe(worker.id)
		}
		// The planted session is still only the attacker's; the made-up one was never stored.
		expect((await validateSessionToken(planted.token))?.session.personId).toBe(attacker.id)
		expect(await validateSessionToken('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa')).toBeNull()
	})

	test('each sign-in makes a new session; signing out ends that one', async () => {
		const first = tokenIn((await signInWith({ phone: '13900000010', password: DEMO_PASSWORD })).headers.get('Set-Cookie'))!
		const second = tokenIn((await signInWith({ phone: '13900000010', password: DEMO_PASSWORD }, `session=${first}`)).headers.get('Set-Cookie'))!
		expect(second).not.toBe(first)
		const request = new Request(new URL('/logout', ORIGIN), { method: 'POST', headers: { Origin: ORIGIN, Cookie: `session=${second}` } })
		await run(() => logoutRoute.action({ request, params: {}, context }))
		expect(await db.select().from(sessions).where(eq(sessions.id, sessionIdOf(second)))).toEqual([])
		expect(await validateSessionToken(first)).not.toBeNull()
	})
})

describe('the session cookie', () => {
	test('in production: __Host- prefix, HttpOnly, Secure, SameSite=Lax, Path=/, no Domain; cleared the same way', async () => {
		process.env.NODE_ENV = 'production'
		const signedIn = await signInWith({ phone: '13900000003', password: DEMO_PASSWORD })
		const cookie = signedIn.headers.get('Set-Cookie')!
		expect(cookie).toMatch(/^__Host-session=[a-z2-7]{32};/)
		const attributes = cookie.split(';').slice(1).map((a) => a.trim().toLowerCase())
		for (const flag of ['httponly', 'secure', 'samesite=lax', 'path=/']) expect(attributes).toContain(flag)
		expect(attributes.some((a) => a.startsWith('domain='))).toBe(false)

		const request = new Request(new URL('/logout', ORIGIN), { method: 'POST', headers: { Origin: ORIGIN, Cookie: `__Host-session=${tokenIn(cookie)}` } })
		const out = await run(() => logoutRoute.action({ request, params: {}, context }))
		expect(out.headers.get('Set-Cookie')).toMatch(/^__Host-session=;.*Max-Age=0/)
		expect(out.headers.get('Set-Cookie')).toMatch(/Secure/)
		expect(await validateSessionToken(tokenIn(cookie)!)).toBeNull()
	})

	test('outside production (plain http on a laptop): the same but without Secure and the prefix', async () => {
		const cookie = (await signInWith({ phone: '13900000003', password: DEMO_PASSWORD })).headers.get('Set-Cookie')!
		expect(cookie).toMatch(/^session=[a-z2-7]{32}; Path=\/; HttpOnly; SameSite=Lax; Expires=/)
		expect(cookie).not.toMatch(/Secure/)
	})
})

describe('after signing in', () => {
	test('only a path on this site is followed: never another host, however it is disguised', async () => {
		const tricks = ['https://evil.example/', '//evil.example', '/\\evil.example', '\\\\evil.example', '/\t/evil.example', '/\n/evil.example', '/\r\n/evil.example', ' //evil.example', 'javascript:alert(1)']
		for (const redirectTo of tricks) {
			const signedIn = await signInWith({ phone: '13900000010', password: DEMO_PASSWORD, redirectTo })
			expect(signedIn.status, JSON.stringify(redirectTo)).toBe(302)
			const location = signedIn.headers.get('Location')!
			expect(location, JSON.stringify(redirectTo)).toBe('/me')
		}
		const followed = await signInWith({ phone: '13900000010', password: DEMO_PASSWORD, redirectTo: '/practice?set=bank&part=general' })
		expect(followed.headers.get('Location')).toBe('/practice?set=bank&part=general')
	})
})

describe('initial passwords', () => {
	test('the one-time passwords administrators hand out meet the password policy', () => {
		const seen = new Set<string>()
		for (let i = 0; i < 2000; i++) {
			const password = generateInitialPassword()
			expect(passwordProblem(password), password).toBeNull()
			seen.add(password)
		}
		expect(seen.size).toBe(2000)
	})
})
