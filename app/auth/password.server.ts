import { hash, verify } from '@node-rs/argon2'

// argon2id at OWASP's minimum: 19 MiB, 2 iterations, 1 lane.
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1, outputLen: 32 } as const

export const hashPassword = (password: string) => hash(password, OPTIONS)

// Verified against when the phone is unknown, so both paths take the same time.
let dummyHash: Promise<string> | undefined

export async function verifyPassword(storedHash: string | null | undefined, password: string) {
	if (!storedHash) {
		dummyHash ??= hashPassword('no-such-account-0')
		await verify(await dummyHash, password).catch(() => false)
		return false
	}
	return verify(storedHash, password).catch(() => false)
}

/** An initial password an administrator hands over; the holder must change it at first sign-in. */
export function generateInitialPassword() {
	const letters = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ'
	const digits = '23456789'
	const bytes = new Uint8Array(10)
	crypto.getRandomValues(bytes)
	const chars = Array.from(bytes, (b, i) => (i % 3 === 2 ? digits[b % digits.length] : letters[b % letters.length]))
	return chars.join('')
}
