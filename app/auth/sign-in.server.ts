import { eq } from 'drizzle-orm'
import { people } from '#db/schema.ts'
import { decryptPii, phoneLookupHash } from '#app/people/pii.server.ts'
import { db } from '#app/utils/db.server.ts'
import { writeAudit } from '#app/utils/audit.server.ts'
import { hashPassword, verifyPassword } from './password.server.ts'
import { passwordProblem } from './password-policy.ts'
import { createSession, invalidateAllSessions } from './session.server.ts'
import { clearAccountFailures, recordSignInFailure, signInLockedUntil } from './throttle.server.ts'
import { retryMessage } from './throttle.ts'

export type SignInResult =
	| { ok: true; personId: string; token: string; expiresAt: Date; mustChangePassword: boolean }
	| { ok: false; error: string }

/** Phone + password sign-in with per-account and per-IP throttling. */
export async function signIn(phone: string, password: string, ip: string, now = new Date()): Promise<SignInResult> {
	const phoneHash = phoneLookupHash(phone)
	const locked = await signInLockedUntil(phoneHash, ip, now)
	if (locked) return { ok: false, error: retryMessage(locked, now) }

	const [person] = await db
		.select({ id: people.id, passwordHash: people.passwordHash, mustChangePassword: people.mustChangePassword })
		.from(people)
		.where(eq(people.phoneHash, phoneHash))
		.limit(1)
	const valid = await verifyPassword(person?.passwordHash, password)
	if (!person || !valid) {
		await recordSignInFailure(phoneHash, ip, now)
		const lockedNow = await signInLockedUntil(phoneHash, ip, now)
		return { ok: false, error: lockedNow ? retryMessage(lockedNow, now) : '手机号或密码不正确' }
	}
	await clearAccountFailures(phoneHash)
	const session = await createSession(person.id, now)
	return { ok: true, personId: person.id, ...session, mustChangePassword: person.mustChangePassword }
}

export type PasswordChangeResult = { ok: true; token: string; expiresAt: Date } | { ok: false; errors: Record<string, string> }

/** Changes one's own password; every other session of the person ends. */
export async function changeOwnPassword(personId: string, current: string, next: string): Promise<PasswordChangeResult> {
	const [person] = await db.select().from(people).where(eq(people.id, personId)).limit(1)
	if (!person) return { ok: false, errors: { currentPassword: '账号不存在' } }
	if (!(await verifyPassword(person.passwordHash, current))) return { ok: false, errors: { currentPassword: '当前密码不正确' } }
	if (current === next) return { ok: false, errors: { newPassword: '新密码不能与当前密码相同' } }
	const problem = passwordProblem(next, { phone: decryptPii(person.phoneEnc) })
	if (problem) return { ok: false, errors: { newPassword: problem } }
	const passwordHash = await hashPassword(next)
	await db.transaction(async (tx) => {
		await tx
			.update(people)
			.set({ passwordHash, mustChangePassword: false, passwordChangedAt: new Date(), updatedAt: new Date() })
			.where(eq(people.id, personId))
		await writeAudit(tx, { actorId: personId, action: 'password.change', targetType: 'person', targetId: personId, orgId: person.orgId })
	})
	await invalidateAllSessions(personId)
	const session = await createSession(personId)
	return { ok: true, ...session }
}

/** An administrator sets a one-time password; the holder must change it at first sign-in. */
export async function setInitialPassword(actorId: string, person: { id: string; orgId: string }, initialPassword: string) {
	const passwordHash = await hashPassword(initialPassword)
	await db.transaction(async (tx) => {
		await tx
			.update(people)
			.set({ passwordHash, mustChangePassword: true, passwordChangedAt: new Date(), updatedAt: new Date() })
			.where(eq(people.id, person.id))
		await writeAudit(tx, { actorId, action: 'password.reset', targetType: 'person', targetId: person.id, orgId: person.orgId })
	})
	await invalidateAllSessions(person.id)
}
