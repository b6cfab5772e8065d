import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto'
import { getEnv } from '#app/utils/env.server.ts'
import { normalizeIdNumber, normalizePhone } from './identity.ts'

// 身份证号 and phone numbers at rest: AES-256-GCM for the value, HMAC-SHA256 for look-ups.
// Both keys come from the environment; neither value is ever stored or logged in clear.

const VERSION = 'v1'

function encryptionKey() {
	return createHash('sha256').update(getEnv().PII_ENCRYPTION_KEY).digest()
}

export function encryptPii(plain: string): string {
	const iv = randomBytes(12)
	const cipher = createCipheriv('aes-256-gcm', encryptionKey(), iv)
	const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
	return [VERSION, iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.')
}

export function decryptPii(stored: string): string {
	const [version, iv, body, tag] = stored.split('.')
	// An empty value (a deleted person's phone) has an empty body.
	if (version !== VERSION || !iv || body === undefined || !tag) throw new Error('unreadable encrypted value')
	const decipher = createDecipheriv('aes-256-gcm', encryptionKey(), Buffer.from(iv, 'base64url'))
	decipher.setAuthTag(Buffer.from(tag, 'base64url'))
	return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8')
}

function lookupHash(kind: string, value: string) {
	return createHmac('sha256', getEnv().PII_LOOKUP_KEY).update(`${kind}:${value}`).digest('base64url')
}

export const phoneLookupHash = (phone: string) => lookupHash('phone', normalizePhone(phone))
export const idNumberLookupHash = (idNumber: string) => lookupHash('id', normalizeIdNumber(idNumber))
