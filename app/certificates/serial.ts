import { hmac } from '@oslojs/crypto/hmac'
import { SHA256 } from '@oslojs/crypto/sha2'

// Certificate serials (证书编号): AQ + year + a random part + a keyed signature, e.g.
// AQ2026-7K3M9QX2-H4TDW8. The signature lets the public verification page refuse a guessed or
// mistyped serial without a database look-up. Pure: the key is passed in.
//
// Letters are Crockford's base32 (no I, L, O, U), so a serial read aloud or typed from paper
// survives: O is read as 0 and I, L as 1.

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
const RANDOM_LENGTH = 8 // 40 bits: unique enough per year, checked by the unique index anyway
const SIGNATURE_LENGTH = 6 // 30 bits: one guess in about a billion passes
const PREFIX = 'AQ'
const SHAPE = /^AQ(\d{4})([0-9A-HJKMNP-TV-Z]{8})([0-9A-HJKMNP-TV-Z]{6})$/

function toBase32(bytes: Uint8Array, length: number) {
	let out = ''
	let buffer = 0
	let bits = 0
	for (const byte of bytes) {
		buffer = (buffer << 8) | byte
		bits += 8
		while (bits >= 5 && out.length < length) {
			out += ALPHABET[(buffer >>> (bits - 5)) & 31]
			bits -= 5
		}
		buffer &= (1 << bits) - 1
		if (out.length === length) break
	}
	return out
}

function signatureOf(key: string, body: string) {
	const mac = hmac(SHA256, new TextEncoder().encode(key), new TextEncoder().encode(`certificate-serial:${body}`))
	return toBase32(mac, SIGNATURE_LENGTH)
}

/** Compares two strings in time independent of where they differ. */
function sameText(a: string, b: string) {
	if (a.length !== b.length) return false
	let diff = 0
	for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i)
	return diff === 0
}

const format = (year: string, random: string, signature: string) => `${PREFIX}${year}-${random}-${signature}`

/**
 * A new signed serial for a certificate issued in `year`. `randomBytes` (at least 5 bytes) is
 * for tests; by default it comes from the platform's secure generator.
 */
export function newSerial(key: string, year: number, randomBytes: Uint8Array = crypto.getRandomValues(new Uint8Array(5))) {
	if (!Number.isInteger(year) || year < 1000 || year > 9999) throw new Error('year must have four digits')
	if (randomBytes.length < 5) throw new Error('at least 5 random bytes are needed')
	const body = `${PREFIX}${year}${toBase32(randomBytes, RANDOM_LENGTH)}`
	return format(String(year), body.slice(6), signatureOf(key, body))
}

/**
 * What a person typed, in the canonical form: upper case, without spaces or dashes, with O read
 * as 0 and I, L as 1, then dashed again. Null if it cannot be a serial at all.
 */
export function normalizeSerial(input: string) {
	const compact = input
		.trim()
		.toUpperCase()
		.replace(/[\s\-‐‑–—_]/g, '')
	if (!compact.startsWith(PREFIX)) return null
	const rest = compact.slice(PREFIX.length).replace(/O/g, '0').replace(/[IL]/g, '1')
	const match = SHAPE.exec(PREFIX + rest)
	if (!match) return null
	return format(match[1]!, match[2]!, match[3]!)
}

/**
 * The canonical serial if its signature is right under `key`, else null. No look-up happens
 * here: a null answer is final, a serial answer still has to be found in the database.
 */
export function verifySerial(input: string, key: string): string | null {
	const serial = normalizeSerial(input)
	if (!serial) return null
	const [head, random, signature] = serial.split('-') as [string, string, string]
	return sameText(signatureOf(key, head + random), signature) ? serial : null
}

/** The year a serial names (its issue year), or null for a malformed one. */
export function serialYear(serial: string) {
	const normalized = normalizeSerial(serial)
	return normalized ? Number(normalized.slice(2, 6)) : null
}
