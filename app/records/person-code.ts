import { createHmac, timingSafeEqual } from 'node:crypto'

// 一人一码: a worker's personal QR code carries a short-lived signed token, so a screenshot is
// useless once it expires. Pure: the key and the clock are passed in.

export const PERSON_CODE_MINUTES = 10

const signature = (key: string, body: string) => createHmac('sha256', key).update(`person-code:${body}`).digest('base64url').slice(0, 22)

/** "<person id without dashes>.<expiry, unix seconds>.<signature>" */
export function signPersonCode(key: string, personId: string, now: Date, minutes = PERSON_CODE_MINUTES) {
	const expires = Math.floor(now.getTime() / 1000) + minutes * 60
	const body = `${personId.replace(/-/g, '')}.${expires}`
	return { token: `${body}.${signature(key, body)}`, expiresAt: new Date(expires * 1000) }
}

export type PersonCodeCheck = { ok: true; personId: string; expiresAt: Date } | { ok: false; problem: 'invalid' | 'expired' }

export function readPersonCode(key: string, token: string, now: Date): PersonCodeCheck {
	const match = /^([0-9a-f]{32})\.(\d{1,12})\.([A-Za-z0-9_-]{22})$/.exec(token)
	if (!match) return { ok: false, problem: 'invalid' }
	const [, hex, expires, sig] = match as unknown as [string, string, string, string]
	const expected = Buffer.from(signature(key, `${hex}.${expires}`))
	if (!timingSafeEqual(expected, Buffer.from(sig))) return { ok: false, problem: 'invalid' }
	const expiresAt = new Date(Number(expires) * 1000)
	if (expiresAt <= now) return { ok: false, problem: 'expired' }
	const personId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
	return { ok: true, personId, expiresAt }
}
