import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, test } from 'vitest'
import { people, sessions } from '#db/schema.ts'
import { createSession, SESSION_TTL_MS, sessionIdOf, validateSessionToken } from '#app/auth/session.server.ts'
import { signIn } from '#app/auth/sign-in.server.ts'
import { DEMO_PASSWORD, seedDemo } from '#app/demo/seed.server.ts'
import { db } from '#app/utils/db.server.ts'
import * as rootRoute from '#app/root.tsx'
import * as logoutRoute from '#app/routes/logout.tsx'
import * as meHome from '#app/routes/me._index.tsx'
import * as passwordPage from '#app/routes/password.tsx'
import * as personPasswordRoute from '#app/routes/people.$personId.password.tsx'
import { expectSignInRedirect, load, personByPhone, signedIn, submit } from '#tests/fixtures/requests.ts'

const DAY = 24 * 60 * 60_000

beforeAll(async () => {
	await seedDemo(db)
})

const sessionRow = async (token: string) =>
	(await db.select().from(sessions).where(eq(sessions.id, sessionIdOf(token))).limit(1))[0] ?? null
const sessionsOf = async (personId: string) => db.select().from(sessions).where(eq(sessions.personId, personId))
/** The token in a Set-Cookie header for the `session` cookie. */
const tokenFromSetCookie = (header: string | null) => header?.match(/^session=([^;]*)/)?.[1] ?? null

describe('session tokens', () => {
	test('only the SHA-256 of the token is stored', async () => {
		const person = await personByPhone('13900000010')
		const { token } = await createSession(person.id)
		expect(token).toMatch(/^[a-z2-7]{32}$/)
		const [byToken] = await db.select().from(sessions).where(eq(sessions.id, token))
		expect(byToken).toBeUndefined()
		const row = await sessionRow(token)
		expect(row).not.toBeNull()
		expect(row!.id).not.toBe(token)
		expect(row!.id).toBe(sessionIdOf(token))
		expect(row!.id).toMatch(/^[0-9a-f]{64}$/)
		const all = await db.select({ id: sessions.id }).from(sessions)
		expect(all.some((s) => s.id.includes(token))).toBe(false)
	})

	test('an expired session is rejected and deleted', async () => {
		const person = await personByPhone('13900000010')
		const now = new Date()
		const { token } = await createSession(person.id, new Date(now.getTime() - 31 * DAY))
		expect(await sessionRow(token)).not.toBeNull()
		expect(await validateSessionToken(token, now)).toBeNull()
		expect(await sessionRow(token)).toBeNull()
	})

	test('a session expiring exactly now is rejected', async () => {
		const person = await personByPhone('13900000010')
		const now = new Date()
		const { token } = await createSession(person.id, new Date(now.getTime() - SESSION_TTL_MS))
		expect(await validateSessionToken(token, now)).toBeNull()
		expect(await sessionRow(token)).toBeNull()
	})

	test('a session with fewer than 15 days left is extended to 30 days', async () => {
		const person = await personByPhone('13900000010')
		const now = new Date()
		const { token, expiresAt } = await createSession(person.id, new Date(now.getTime() - 20 * DAY))
		expect(expiresAt.getTime() - now.getTime()).toBe(10 * DAY)
		const result = await validateSessionToken(token, now)
		expect(result?.renewed).toBe(true)
		expect(result!.session.expiresAt.getTime()).toBe(now.getTime() + 30 * DAY)
		expect((await sessionRow(token))!.expiresAt.getTime()).toBe(now.getTime() + 30 * DAY)
	})

	test('a session with more than 15 days left is left alone', async () => {
		const person = await personByPhone('13900000010')
		const now = new Date()
		const { token, expiresAt } = await createSession(person.id, new Date(now.getTime() - 10 * DAY))
		const result = await validateSessionToken(token, now)
		expect(result?.renewed).toBe(false)
		expect(result!.session.expiresAt.getTime()).toBe(expiresAt.getTime())
		expect((await sessionRow(token))!.expiresAt.getTime()).toBe(expiresAt.getTime())
	})

	test('a renewed session gets its cookie sent again with the new expiry', async () => {
		const person = await personByPhone('13900000010')
		const { token } = await createSession(person.id, new Date(Date.now() - 20 * DAY))
		const before = Date.now()
		const renewed = await load(rootRoute, '/', { token })
		expect(renewed.data.viewer.name).toBe('李大山')
		const cookie = renewed.headers.get('Set-Cookie')
		expect(tokenFromSetCookie(cookie)).toBe(token)
		expect(cookie).toMatch(/HttpOnly/)
		expect(cookie).toMatch(/SameSite=Lax/)
		const expires = new Date(cookie!.match(/Expires=([^;]+)/)![1]!).getTime()
		// Cookie dates have a resolution of one second.
		expect(expires).toBeGreaterThanOrEqual(before + 30 * DAY - 1000)
		expect(expires).toBe(Math.floor((await sessionRow(token))!.expiresAt.getTime() / 1000) * 1000)

		const fresh = await signedIn('13900000010')
		const untouched = await load(rootRoute, '/', fresh)
		expect(untouched.data.viewer.name).toBe('李大山')
		expect(untouched.headers.get('Set-Cookie')).toBeNull()
	})

	test('an unknown token is rejected', async () => {
		expect(await validateSessionToken('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa')).toBeNull()
	})
})

describe('sign-out', () => {
	test('deletes the session, so the same cookie then goes to /login', async () => {
		const me = await signedIn('13900000010')
		const other = await signedIn('13900000010')
		expect((await load(meHome, '/me', me)).status).toBe(200)
		const out = await submit(logoutRoute, '/logout', {}, me)
		expect(out.status).toBe(302)
		expect(out.headers.get('Location')).toBe('/')
		expect(out.headers.get('Set-Cookie')).toMatch(/^session=;.*Max-Age=0/)
		expect(await sessionRow(me.token)).toBeNull()
		expectSignInRedirect(await load(meHome, '/me', me), '/me')
		// Only that session ends: the person's other device stays signed in.
		expect(await sessionRow(other.token)).not.toBeNull()
		expect((await load(meHome, '/me', other)).status).toBe(200)
	})
})

describe('changing one’s own password', () => {
	test('ends every other session and returns a new cookie that works', async () => {
		const phone = '13900000011'
		const person = await personByPhone(phone)
		const here = await signedIn(phone)
		const elsewhere = await signedIn(phone)
		const newPassword = 'Huanmima2026'
		const changed = await submit(passwordPage, '/password', { currentPassword: DEMO_PASSWORD, newPassword, confirmPassword: newPassword }, here)
		expect(changed.status).toBe(302)
		expect(changed.headers.get('Location')).toBe('/me?notice=password-changed')
		const token = tokenFromSetCookie(changed.headers.get('Set-Cookie'))
		expect(token).toBeTruthy()
		expect(token).not.toBe(here.token)

		expectSignInRedirect(await load(meHome, '/me', elsewhere), '/me')
		expectSignInRedirect(await load(meHome, '/me', here), '/me')
		const remaining = await sessionsOf(person.id)
		expect(remaining.map((s) => s.id)).toEqual([sessionIdOf(token!)])
		const me = await load(meHome, '/me', { token: token! })
		expect(me.status).toBe(200)
		expect(me.data.person.id).toBe(person.id)

		expect((await signIn(phone, DEMO_PASSWORD, '198.51.100.7')).ok).toBe(false)
		expect((await signIn(phone, newPassword, '198.51.100.7')).ok).toBe(true)
	})
})

describe('a password set by an administrator', () => {
	test('ends the person’s sessions and sends them to /password until they change it', async () => {
		const admin = await signedIn('13900000003')
		const worker = await signedIn('13900000010')
		const otherDevice = await signedIn('13900000010')
		expect((await load(meHome, '/me', worker)).status).toBe(200)

		const reset = await submit(personPasswordRoute, `/people/${worker.personId}/password`, {}, admin, { personId: worker.personId })
		expect(reset.status).toBe(200)
		const initialPassword: string = reset.data.initialPassword
		expect(initialPassword).toMatch(/^[A-Za-z2-9]{10}$/)
		expect(await sessionsOf(worker.personId)).toEqual([])
		expectSignInRedirect(await load(meHome, '/me', worker), '/me')
		expectSignInRedirect(await load(meHome, '/me', otherDevice), '/me')
		// The administrator's own session is untouched.
		expect(await sessionRow(admin.token)).not.toBeNull()

		const [row] = await db.select().from(people).where(eq(people.id, worker.personId))
		expect(row!.mustChangePassword).toBe(true)

		expect((await signIn('13900000010', DEMO_PASSWORD, '198.51.100.8')).ok).toBe(false)
		const signed = await signIn('13900000010', initialPassword, '198.51.100.8')
		expect(signed.ok && signed.mustChangePassword).toBe(true)
		const token = signed.ok ? signed.token : ''
		const blocked = await load(meHome, '/me', { token })
		expect(blocked.status).toBe(302)
		expect(blocked.headers.get('Location')).toBe('/password')
		const form = await load(passwordPage, '/password', { token })
		expect(form.status).toBe(200)
		expect(form.data.mustChange).toBe(true)

		const newPassword = 'Zijide2026mima'
		const changed = await submit(passwordPage, '/password', { currentPassword: initialPassword, newPassword, confirmPassword: newPassword }, { token })
		expect(changed.status).toBe(302)
		const fresh = tokenFromSetCookie(changed.headers.get('Set-Cookie'))!
		const me = await load(meHome, '/me', { token: fresh })
		expect(me.status).toBe(200)
		const [after] = await db.select().from(people).where(eq(people.id, worker.personId))
		expect(after!.mustChangePassword).toBe(false)
	})
})
