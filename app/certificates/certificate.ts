import { addMonths, chinaDay } from '#app/utils/days.ts'

// Certificates (合格证): dates in China time, expiry, status, labels. Pure functions, also used by
// the pages.

/** "2026-11-23" → "2026年11月23日", as printed on the certificate. */
export function formatChineseDate(day: string) {
	const [y, m, d] = day.split('-')
	return `${y}年${Number(m)}月${Number(d)}日`
}

/** The last day a certificate is valid: issue day + the template's months; null never expires. */
export function expiryFor(issuedAt: Date, validMonths: number | null) {
	return validMonths ? addMonths(chinaDay(issuedAt), validMonths) : null
}

export type CertificateStatus = 'valid' | 'expired' | 'revoked'

export const CERTIFICATE_STATUS = {
	valid: '有效',
	expired: '已过期',
	revoked: '已撤销',
} as const

/** Revoked wins over expired; a certificate is valid through its expiry day (China time). */
export function certificateStatus(certificate: { expiresOn: string | null; revokedAt: Date | string | null }, now: Date): CertificateStatus {
	if (certificate.revokedAt) return 'revoked'
	if (certificate.expiresOn && chinaDay(now) > certificate.expiresOn) return 'expired'
	return 'valid'
}

/**
 * The job types a certificate names: those of the exam that the holder works in; if none match,
 * the exam's own; for an exam of no job type, the holder's.
 */
export function certificateJobTypes(examJobTypes: string[], holderJobTypes: string[]) {
	const both = examJobTypes.filter((code) => holderJobTypes.includes(code))
	if (both.length) return both
	return examJobTypes.length ? examJobTypes : holderJobTypes
}

/** The certificate's title, from the exam's purpose. */
export function certificateTitle(purpose: string) {
	if (purpose === 'pre_job') return '岗前安全培训合格证'
	if (purpose === 'annual') return '年度安全复训合格证'
	return '安全培训考试合格证'
}
