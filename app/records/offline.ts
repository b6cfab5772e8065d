// 线下培训: training held off the platform and recorded by the manager. Labels and the checks on
// the sign-in sheet attachment; pure, so pages and tests use them without a database.

export const OFFLINE_KINDS = {
	classroom: '集中授课',
	pre_shift: '班前会',
	drill: '应急演练',
	first_lesson: '开工第一课',
	rotation: '轮训',
	retraining: '脱产培训',
} as const
export type OfflineKind = keyof typeof OFFLINE_KINDS

export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024

export const ATTACHMENT_TYPES = {
	'image/jpeg': 'jpg',
	'image/png': 'png',
	'application/pdf': 'pdf',
} as const
export type AttachmentType = keyof typeof ATTACHMENT_TYPES

const startsWith = (bytes: Uint8Array, signature: number[]) => bytes.length >= signature.length && signature.every((b, i) => bytes[i] === b)

/**
 * What a file really is, read from its first bytes (never from its name or the browser's word):
 * JPEG, PNG or PDF, else null.
 */
export function attachmentTypeOf(bytes: Uint8Array): AttachmentType | null {
	if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg'
	if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png'
	if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf' // %PDF-
	return null
}

/**
 * The name a file is kept under: the uploaded name without any path or control characters,
 * at most 80 characters, ending in the extension of its real type.
 */
export function attachmentName(uploaded: string, type: AttachmentType) {
	const ext = ATTACHMENT_TYPES[type]
	const base = (uploaded.split(/[/\\]/).pop() ?? '')
		.replace(/[\u0000-\u001f\u007f"]/g, '')
		.trim()
		.replace(/\.[A-Za-z0-9]{1,5}$/, '')
		.slice(0, 80)
	return `${base || '签到表'}.${ext}`
}

/** Content-Disposition for viewing in the browser or downloading, with a Chinese name (RFC 6266 / 5987). */
export function attachmentDisposition(name: string, type: AttachmentType, download: boolean) {
	return `${download ? 'attachment' : 'inline'}; filename="sign-in-sheet.${ATTACHMENT_TYPES[type]}"; filename*=UTF-8''${encodeURIComponent(name)}`
}

/** 学时 typed with at most one decimal, e.g. "2", "0.5", "24.0". */
export const HOURS_PATTERN = /^\d{1,3}(\.\d)?$/

/** A size for people: "1.2 MB", "350 KB". */
export function formatBytes(n: number) {
	return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`
}
