import IDValidator from 'id-validator'

// Normalising, validating and masking of phone numbers, 身份证号 and names. Pure functions.

const idValidator = new IDValidator()

export const normalizePhone = (phone: string) => phone.replace(/[\s-]/g, '')
export const normalizeIdNumber = (id: string) => id.replace(/\s/g, '').toUpperCase()

/** Mainland mobile numbers: 11 digits starting with 1[3-9]. */
export function isValidPhone(phone: string) {
	return /^1[3-9]\d{9}$/.test(normalizePhone(phone))
}

/** 18-digit resident ID (GB 11643-1999), checked for region, birth date and check digit. */
export function isValidIdNumber(id: string) {
	const value = normalizeIdNumber(id)
	return /^\d{17}[\dX]$/.test(value) && idValidator.isValid(value)
}

/**
 * Completes the first 17 digits of a 身份证号 with its check digit (GB 11643). For generated
 * numbers: demo data and tests.
 */
export function withCheckDigit(first17: string) {
	for (const check of '0123456789X') if (idValidator.isValid(first17 + check)) return first17 + check
	throw new Error('not the first 17 digits of an ID number')
}

/** 1427**********1234 */
export function maskIdNumber(id: string) {
	const v = normalizeIdNumber(id)
	if (v.length < 8) return '*'.repeat(v.length)
	return `${v.slice(0, 4)}${'*'.repeat(v.length - 8)}${v.slice(-4)}`
}

/** 139****0010 */
export function maskPhone(phone: string) {
	const v = normalizePhone(phone)
	if (v.length < 7) return '*'.repeat(v.length)
	return `${v.slice(0, 3)}${'*'.repeat(v.length - 7)}${v.slice(-4)}`
}

/** 张*三, 李*, 欧阳**锋 — first and last character kept (two-character names keep the first). */
export function maskName(name: string) {
	const chars = Array.from(name.trim())
	if (chars.length <= 1) return name
	if (chars.length === 2) return `${chars[0]}*`
	return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`
}
