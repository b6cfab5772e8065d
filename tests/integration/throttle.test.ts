import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, test } from 'vitest'
import { signInThrottle } from '#db/schema.ts'
import { signIn } from '#app/auth/sign-in.server.ts'
import { recordSignInFailure } from '#app/auth/throttle.server.ts'
import { DEMO_PASSWORD, seedDemo } from '#app/demo/seed.server.ts'
import { phoneLookupHash } from '#app/people/pii.server.ts'
import { db } from '#app/utils/db.server.ts'
import * as loginRoute from '#app/routes/login.tsx'
import { CLIENT_IP, submit } from '#tests/fixtures/requests.ts'

// Failed sign-ins lock an account after 5 failures and an IP address after 100 (both for
// 15 minutes). Times are passed as `now`, so nothing here waits.

const MINUTE = 60_000
const at = (start: Date, ms: number) => new Date(start.getTime() + ms)

beforeAll(async () => {
	await seedDemo(db)
})

describe('per account', () => {
	// 10:00 in Asia/Shanghai.
	const t0 = new Date('2026-03-02T02:00:00Z')
	const ip = '198.51.100.20'

	test('five wrong passwords lock it, even against the right password and from another address', async () => {
		for (let i = 0; i < 4; i++) {
			const result = await signIn('13900000010', `wrong-${i}`, ip, at(t0, i * 1000))
			expect(result).toEqual({ ok: false, error: '手机号或密码不正确' })
		}
		const fifth = await signIn('13900000010', 'wrong-4', ip, at(t0, 4000))
		expect(fifth.ok).toBe(false)
		expect(!fifth.ok && fifth.error).toMatch(/再试/)

		const right = await signIn('13900000010', DEMO_PASSWORD, ip, at(t0, MINUTE))
		expect(right.ok).toBe(false)
		if (right.ok) return
		expect(right.error).toMatch(/再试/)
		// Locked until 15 minutes after the fifth failure: 10:15 in Beijing time.
		expect(right.error).toContain('10:15')
		expect(right.error).toMatch(/约 15 分钟后/)

		// The same account typed with spaces is the same account; another address changes nothing.
		const elsewhere = await signIn('139 0000 0010', DEMO_PASSWORD, '198.51.100.21', at(t0, 2 * MINUTE))
		expect(elsewhere.ok).toBe(false)
		expect(!elsewhere.ok && elsewhere.error).toMatch(/再试/)
	})

	test('another account signs in from the same address meanwhile', async () => {
		const other = await signIn('13900000011', DEMO_PASSWORD, ip, at(t0, 2 * MINUTE))
		expect(other.ok).toBe(true)
	})

	test('after the lock window the right password works again, and the count starts over', async () => {
		const stillLocked = await signIn('13900000010', DEMO_PASSWORD, ip, at(t0, 15 * MINUTE))
		expect(stillLocked.ok).toBe(false)
		const later = await signIn('13900000010', DEMO_PASSWORD, ip, at(t0, 16 * MINUTE))
		expect(later.ok).toBe(true)
		const next = await signIn('13900000010', 'wrong-again', ip, at(t0, 17 * MINUTE))
		expect(next).toEqual({ ok: false, error: '手机号或密码不正确' })
	})

	test('failures spread beyond the 15-minute window do not add up', async () => {
		const start = new Date('2026-03-03T02:00:00Z')
		for (let i = 0; i < 8; i++) {
			// One failure every 4 minutes: never five within one window of 15 minutes.
			const result = await signIn('13900000004', 'wrong', ip, at(start, i * 4 * MINUTE))
			if (i % 4 === 3) continue
			expect(result, `failure ${i}`).toEqual({ ok: false, error: '手机号或密码不正确' })
		}
		expect((await signIn('13900000004', DEMO_PASSWORD, ip, at(start, 32 * MINUTE))).ok).toBe(true)
	})
})

describe('per IP address', () => {
	const t1 = new Date('2026-03-04T02:00:00Z')
	const ip = '198.51.100.30'
	// 25 unknown numbers × 4 tries: no single account reaches its own limit.
	const phoneFor = (i: number) => `1370000${String(Math.floor(i / 4)).padStart(4, '0')}`

	test('100 failures in 15 minutes lock the address for every account', async () => {
		// The first 90 failures are recorded the way signIn records them (skipping 90 argon2
		// verifications); the rest go through signIn itself.
		for (let i = 0; i < 90; i++) await recordSignInFailure(phoneLookupHash(phoneFor(i)), ip, at(t1, i * 1000))
		for (let i = 90; i < 99; i++) {
			const result = await signIn(phoneFor(i), 'guess', ip, at(t1, i * 1000))
			expect(result.ok).toBe(false)
			if (!result.ok) expect(result.error, `failure ${i + 1}`).toBe('手机号或密码不正确')
		}
		// 99 failures: not yet locked.
		expect((await signIn('13900000001', DEMO_PASSWORD, ip, at(t1, 100_000))).ok).toBe(true)
		const hundredth = await signIn(phoneFor(99), 'guess', ip, at(t1, 101_000))
		expect(!hundredth.ok && hundredth.error).toMatch(/再试/)

		for (const phone of ['13900000001', '13900000002', '13900000003']) {
			const result = await signIn(phone, DEMO_PASSWORD, ip, at(t1, 3 * MINUTE))
			expect(result.ok, phone).toBe(false)
			expect(!result.ok && result.error).toMatch(/再试/)
		}
		const [row] = await db.select().from(signInThrottle).where(eq(signInThrottle.key, `ip:${ip}`))
		expect(row!.failures).toBe(100)
		expect(row!.lockedUntil!.getTime()).toBe(at(t1, 101_000 + 15 * MINUTE).getTime())
	})

	test('other addresses are not affected', async () => {
		expect((await signIn('13900000002', DEMO_PASSWORD, '198.51.100.31', at(t1, 3 * MINUTE))).ok).toBe(true)
	})

	test('the address signs in again once the lock has passed', async () => {
		expect((await signIn('13900000002', DEMO_PASSWORD, ip, at(t1, 101_000 + 15 * MINUTE + 1000))).ok).toBe(true)
	})
})

describe('the login form', () => {
	test('tells a locked-out person in Chinese when to try again, and sets no cookie', async () => {
		const phone = '13900000003'
		for (let i = 0; i < 5; i++) {
			const failed = await submit(loginRoute, '/login', { phone, password: `wrong-${i}` })
			expect(failed.status).toBe(400)
		}
		const refused = await submit(loginRoute, '/login', { phone, password: DEMO_PASSWORD, redirectTo: '/ent' })
		expect(refused.status).toBe(400)
		expect(refused.thrown).toBe(false)
		expect(refused.headers.get('Set-Cookie')).toBeNull()
		expect(refused.data.errors.form).toMatch(/再试/)
		expect(refused.data.errors.form).toMatch(/\d{2}:\d{2}/)
		expect(refused.data.errors.form).toMatch(/分钟/)
		expect(refused.data.values).toEqual({ phone, redirectTo: '/ent' })

		// Another account from the same address (the context's clientIp) still signs in.
		const other = await submit(loginRoute, '/login', { phone: '13900000004', password: DEMO_PASSWORD })
		expect(other.status).toBe(302)
		expect(other.headers.get('Location')).toBe('/editor')
		expect(other.headers.get('Set-Cookie')).toMatch(/^session=[a-z2-7]{32};/)
		const [ipRow] = await db.select().from(signInThrottle).where(eq(signInThrottle.key, `ip:${CLIENT_IP}`))
		expect(ipRow!.failures).toBe(5)
	})
})
