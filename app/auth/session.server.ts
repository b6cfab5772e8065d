import { sha256 } from '@oslojs/crypto/sha2'
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding'
import { eq } from 'drizzle-orm'
import { sessions } from '#db/schema.ts'
import { db } from '#app/utils/db.server.ts'

// Sessions after Lucia's guide: the cookie holds a random token, the table holds its SHA-256.
// 30 days, extended whenever fewer than 15 remain.

export const SESSION_TTL_MS = 30 * 24 * 60 * 60_000
const RENEW_WITHIN_MS = 15 * 24 * 60 * 60_000

export function generateSessionToken() {
	const bytes = new Uint8Array(20)
	crypto.getRandomValues(bytes)
	return encodeBase32LowerCaseNoPadding(bytes)
}

export const sessionIdOf = (token: string) => encodeHexLowerCase(sha256(new TextEncoder().encode(token)))

export async function createSession(personId: string, now = new Date()) {
	const token = generateSessionToken()
	const expiresAt = new Date(now.getTime() + SESSION_TTL_MS)
	await db.insert(sessions).values({ id: sessionIdOf(token), personId, expiresAt, createdAt: now })
	return { token, expiresAt }
}

/** The session behind a token, or null when unknown or expired; renews it when half spent. */
export async function validateSessionToken(token: string, now = new Date()) {
	const id = sessionIdOf(token)
	const [session] = await db.select().from(sessions).where(eq(sessions.id, id)).limit(1)
	if (!session) return null
	const alive = await keepSessionAlive(id, session.expiresAt, now)
	return alive && { session: { ...session, expiresAt: alive.expiresAt }, renewed: alive.renewed }
}

/**
 * A found session's expiry: null (and the session deleted) when it has passed; extended, and
 * `renewed`, when fewer than 15 days remain.
 */
export async function keepSessionAlive(id: string, expiresAt: Date, now = new Date()) {
	if (expiresAt <= now) {
		await db.delete(sessions).where(eq(sessions.id, id))
		return null
	}
	if (expiresAt.getTime() - now.getTime() >= RENEW_WITHIN_MS) return { expiresAt, renewed: false }
	const renewedAt = new Date(now.getTime() + SESSION_TTL_MS)
	await db.update(sessions).set({ expiresAt: renewedAt }).where(eq(sessions.id, id))
	return { expiresAt: renewedAt, renewed: true }
}

export async function invalidateSession(sessionId: string) {
	await db.delete(sessions).where(eq(sessions.id, sessionId))
}

export async function invalidateAllSessions(personId: string) {
	await db.delete(sessions).where(eq(sessions.personId, personId))
}

// In production the cookie carries the __Host- prefix: Secure, Path=/, no Domain.
const isProduction = () => process.env.NODE_ENV === 'production'
export const sessionCookieName = () => (isProduction() ? '__Host-session' : 'session')

export function sessionCookie(token: string, expiresAt: Date) {
	const parts = [`${sessionCookieName()}=${token}`, 'Path=/', 'HttpOnly', 'SameSite=Lax', `Expires=${expiresAt.toUTCString()}`]
	if (isProduction()) parts.push('Secure')
	return parts.join('; ')
}

export function clearedSessionCookie() {
	const parts = [`${sessionCookieName()}=`, 'Path=/', 'HttpOnly', 'SameSite=Lax', 'Max-Age=0']
	if (isProduction()) parts.push('Secure')
	return parts.join('; ')
}

export function sessionTokenFrom(request: Request): string | null {
	const header = request.headers.get('Cookie')
	if (!header) return null
	const name = sessionCookieName()
	for (const part of header.split(';')) {
		const [key, ...rest] = part.trim().split('=')
		if (key === name) return rest.join('=') || null
	}
	return null
}
