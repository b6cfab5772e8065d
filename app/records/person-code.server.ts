import QRCode from 'qrcode'
import { getEnv } from '#app/utils/env.server.ts'
import { readPersonCode, signPersonCode } from './person-code.ts'

// 一人一码 with the server's key (derived from SESSION_SECRET under its own label).

const key = () => `person-code/${getEnv().SESSION_SECRET}`

/** A fresh code for the person: the check URL and its QR code as inline SVG. */
export async function personCodeFor(personId: string, origin: string, now = new Date()) {
	const { token, expiresAt } = signPersonCode(key(), personId, now)
	const url = `${origin}/check/${token}`
	const svg = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 })
	return { url, svg, expiresAt }
}

export const checkPersonCode = (token: string, now = new Date()) => readPersonCode(key(), token, now)
