import { eq, inArray } from 'drizzle-orm'
import { signInThrottle } from '#db/schema.ts'
import { db } from '#app/utils/db.server.ts'
import { ACCOUNT_POLICY, afterFailure, IP_POLICY, lockedUntil } from './throttle.ts'

// Counters live in PostgreSQL so every app instance sees the same ones.

const accountKey = (phoneHash: string) => `account:${phoneHash}`
const ipKey = (ip: string) => `ip:${ip}`

export async function signInLockedUntil(phoneHash: string, ip: string, now = new Date()) {
	const rows = await db
		.select()
		.from(signInThrottle)
		.where(inArray(signInThrottle.key, [accountKey(phoneHash), ipKey(ip)]))
	const until = rows.map((row) => lockedUntil(row, now)).filter((d): d is Date => d !== null)
	return until.sort((a, b) => b.getTime() - a.getTime())[0] ?? null
}

export async function recordSignInFailure(phoneHash: string, ip: string, now = new Date()) {
	await db.transaction(async (tx) => {
		for (const [key, policy] of [
			[accountKey(phoneHash), ACCOUNT_POLICY],
			[ipKey(ip), IP_POLICY],
		] as const) {
			// Create the row first so FOR UPDATE has something to lock: concurrent failures then queue up.
			await tx.insert(signInThrottle).values({ key, failures: 0, windowStartedAt: now }).onConflictDoNothing()
			const [row] = await tx.select().from(signInThrottle).where(eq(signInThrottle.key, key)).for('update')
			const next = afterFailure(row, now, policy)
			await tx
				.insert(signInThrottle)
				.values({ key, ...next })
				.onConflictDoUpdate({ target: signInThrottle.key, set: next })
		}
	})
}

export async function clearAccountFailures(phoneHash: string) {
	await db.delete(signInThrottle).where(eq(signInThrottle.key, accountKey(phoneHash)))
}
