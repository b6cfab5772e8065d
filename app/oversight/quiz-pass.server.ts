import { and, eq } from 'drizzle-orm'
import { attempts, examAssignees, onsiteQuizzes } from '#db/schema.ts'
import { db } from '#app/utils/db.server.ts'
import { getEnv } from '#app/utils/env.server.ts'
import { isUuid } from '#app/utils/ids.ts'
import { QUIZ_PASS_COOKIE, readQuizPass, signQuizPass } from './quiz-pass.ts'

// The quiz-only pass (see quiz-pass.ts) on the server: its key (derived from SESSION_SECRET under
// its own label), its cookie, and the one guard the exam-taking routes consult.

const key = () => `quiz-pass/${getEnv().SESSION_SECRET}`
const isProduction = () => process.env.NODE_ENV === 'production'

/** The pass for one on-site exam, valid until `expiresAt` (the exam's close plus time to read the result). */
export function quizPassCookie(personId: string, examId: string, expiresAt: Date) {
	const parts = [`${QUIZ_PASS_COOKIE}=${signQuizPass(key(), personId, examId, expiresAt)}`, 'Path=/', 'HttpOnly', 'SameSite=Lax', `Expires=${expiresAt.toUTCString()}`]
	if (isProduction()) parts.push('Secure')
	return parts.join('; ')
}

function passFrom(request: Request, now: Date) {
	const header = request.headers.get('Cookie')
	if (!header) return null
	for (const part of header.split(';')) {
		const [name, ...rest] = part.trim().split('=')
		if (name === QUIZ_PASS_COOKIE) return readQuizPass(key(), rest.join('='), now)
	}
	return null
}

/** Who the taking pages treat the pass holder as: enough for them (an id, no password to change). */
export type QuizPassHolder = { id: string; mustChangePassword: false; quizPass: true }

/**
 * The pass holder, when the request carries a valid pass for exactly this exam (or an attempt of
 * theirs in it) and the exam is an on-site quiz they were added to; null otherwise, and the route
 * goes on with its normal sign-in check. The pass never opens any other exam or page.
 */
export async function quizPassHolder(request: Request, target: { examId: string | undefined } | { attemptId: string | undefined }, now = new Date()): Promise<QuizPassHolder | null> {
	const pass = passFrom(request, now)
	if (!pass) return null
	if ('examId' in target) {
		if (target.examId !== pass.examId) return null
	} else {
		if (!isUuid(target.attemptId)) return null
		const [attempt] = await db.select({ examId: attempts.examId, personId: attempts.personId }).from(attempts).where(eq(attempts.id, target.attemptId))
		if (!attempt || attempt.examId !== pass.examId || attempt.personId !== pass.personId) return null
	}
	const [listed] = await db
		.select({ examId: onsiteQuizzes.examId })
		.from(onsiteQuizzes)
		.innerJoin(examAssignees, and(eq(examAssignees.examId, onsiteQuizzes.examId), eq(examAssignees.personId, pass.personId)))
		.where(eq(onsiteQuizzes.examId, pass.examId))
	return listed ? { id: pass.personId, mustChangePassword: false, quizPass: true } : null
}
