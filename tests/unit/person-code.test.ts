import { describe, expect, test } from 'vitest'
import { readPersonCode, signPersonCode } from '#app/records/person-code.ts'

const KEY = 'k'.repeat(32)
const ID = '0b9c7e52-3f1a-4c1e-9a7d-2b6f0e4d8c11'
const now = new Date('2026-11-23T08:00:00Z')

describe('一人一码 tokens', () => {
	test('a fresh code names its person until it expires', () => {
		const { token, expiresAt } = signPersonCode(KEY, ID, now)
		expect(expiresAt.toISOString()).toBe('2026-11-23T08:10:00.000Z')
		expect(readPersonCode(KEY, token, new Date('2026-11-23T08:09:59Z'))).toEqual({ ok: true, personId: ID, expiresAt })
		expect(readPersonCode(KEY, token, expiresAt)).toEqual({ ok: false, problem: 'expired' })
		// A screenshot kept until the next day is refused.
		expect(readPersonCode(KEY, token, new Date('2026-11-24T08:00:00Z'))).toEqual({ ok: false, problem: 'expired' })
	})

	test('a changed person, expiry or signature, another key, or garbage is invalid', () => {
		const { token } = signPersonCode(KEY, ID, now)
		const [person, expires, sig] = token.split('.') as [string, string, string]
		const otherPerson = `${person.slice(0, -1)}${person.endsWith('1') ? '2' : '1'}.${expires}.${sig}`
		const later = `${person}.${Number(expires) + 86_400}.${sig}`
		const flipped = `${person}.${expires}.${sig.startsWith('A') ? 'B' : 'A'}${sig.slice(1)}`
		for (const t of [otherPerson, later, flipped, 'abc', '', `${token}x`]) expect(readPersonCode(KEY, t, now)).toEqual({ ok: false, problem: 'invalid' })
		expect(readPersonCode('x'.repeat(32), token, now)).toEqual({ ok: false, problem: 'invalid' })
	})
})
