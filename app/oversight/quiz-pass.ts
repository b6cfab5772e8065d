import { createHmac, timingSafeEqual } from 'node:crypto'

// 逢查必考 for people without an account: after a roster match (name + phone), a signed cookie
// lets them take that ONE on-site exam, and nothing else — no session, no other page. Pure: the
// key and the clock are passed in.

export const QUIZ_PASS_COOKIE = 'quiz'

const signature = (key: string, body: string) => createHmac('sha256', key).update(`quiz-pass:${body}`).digest('base64url').slice(0, 27)

const compact = (uuid: string) => uuid.replace(/-/g, '').toLowerCase()
const expand = (hex: string) => `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`

/** "<person id>.<exam id>.<expiry, unix seconds>.<signature>" (ids without dashes). */
export function signQuizPass(key: string, personId: string, examId: string, expiresAt: Date) {
	const body = `${compact(personId)}.${compact(examId)}.${Math.floor(expiresAt.getTime() / 1000)}`
	return `${body}.${signature(key, body)}`
}

export type QuizPass = { personId: string; examId: string; expiresAt: Date }

export function readQuizPass(key: string, token: string, now: Date): QuizPass | null {
	const match = /^([0-9a-f]{32})\.([0-9a-f]{32})\.(\d{1,12})\.([A-Za-z0-9_-]{27})$/.exec(token)
	if (!match) return null
	const [, person, exam, expires, sig] = match as unknown as [string, string, string, string, string]
	const expected = Buffer.from(signature(key, `${person}.${exam}.${expires}`))
	if (!timingSafeEqual(expected, Buffer.from(sig))) return null
	const expiresAt = new Date(Number(expires) * 1000)
	if (expiresAt <= now) return null
	return { personId: expand(person), examId: expand(exam), expiresAt }
}
