import { and, eq, max } from 'drizzle-orm'
import { attemptAnswers, attempts } from '#db/schema.ts'
import type { Answer } from '#db/schema/bank.ts'
import type { Db } from '#app/utils/db.server.ts'
import type { MyExamStatus } from '#app/components/exam/format.ts'
import { mustClose, secondsLeft } from './deadline.ts'
import { examForTaker, examsForPerson, paperForTaker, submitAttempt } from './attempts.server.ts'

// What the taking pages (intro, attempt, result, the worker's home) need, shaped for the client.
// Nothing here ever selects a question version's answer or explanation for an open attempt.

export { isUuid } from '#app/utils/ids.ts'

/**
 * An answer as posted: shown letters ("B", "AC", several `answer` fields from checkboxes),
 * "true"/"false" for 判断, nothing or "" for a cleared answer.
 */
export function parseAnswerField(values: FormDataEntryValue[]): Answer | null {
	const parts = values.filter((v): v is string => typeof v === 'string').map((v) => v.trim()).filter(Boolean)
	if (!parts.length) return null
	if (parts.length === 1 && (parts[0] === 'true' || parts[0] === 'false')) return parts[0] === 'true'
	return [...new Set(parts.join('').toUpperCase())].sort().join('')
}

/** The number posted in `name`, if it is a non-negative integer. */
export function intField(form: FormData, name: string) {
	const raw = form.get(name)
	if (typeof raw !== 'string' || !/^\d{1,9}$/.test(raw)) return null
	return Number(raw)
}

const paperSize = (rules: { count: number; points: number }[]) => ({
	questionCount: rules.reduce((n, r) => n + r.count, 0),
	totalPoints: rules.reduce((n, r) => n + r.count * r.points, 0),
})

/** The exam's intro for an assignee (null if they are not assigned). */
export async function examIntro(db: Db, examId: string, personId: string, now = new Date()) {
	const found = await examForTaker(db, examId, personId)
	if (!found) return null
	const { exam, template } = found
	const open = found.attempts.find((a) => a.status === 'open') ?? null
	const used = found.attempts.length
	const window = now < exam.opensAt ? 'not_open' : now >= exam.closesAt ? 'closed' : 'open'
	return {
		exam: { id: exam.id, title: exam.title, opensAt: exam.opensAt.toISOString(), closesAt: exam.closesAt.toISOString() },
		template: {
			purpose: template.purpose,
			timeLimitMinutes: template.timeLimitMinutes,
			passMark: template.passMark,
			attemptsAllowed: template.attemptsAllowed,
			showReview: template.showReview,
			switchLimit: template.switchLimit,
			...paperSize(template.rules),
		},
		attempts: found.attempts.map((a, i) => ({
			id: a.id,
			number: i + 1,
			status: a.status,
			startedAt: a.startedAt.toISOString(),
			submittedAt: a.submittedAt?.toISOString() ?? null,
			score: a.score,
			maxScore: a.maxScore,
			passed: a.passed,
		})),
		openAttemptId: open?.id ?? null,
		window,
		attemptsLeft: Math.max(0, template.attemptsAllowed - used),
		passed: found.attempts.some((a) => a.passed),
	}
}

/**
 * An open attempt as the taking page shows it: the questions (stems and options in the order
 * shown, no key), the saved answers with their sequence numbers, the server's deadline and clock.
 * `{ closed: true }` once the attempt is submitted (including just now, by its deadline).
 */
export async function attemptForTaking(db: Db, attemptId: string, personId: string, now = new Date()) {
	const paper = await paperForTaker(db, attemptId, personId, now)
	if (!paper) return null
	if (paper.attempt.status !== 'open') return { closed: true as const }
	// The taker's own answers as `given`: no field of this page is ever called `answer`.
	const answers: Record<string, { given: Answer | null; clientSeq: number }> = {}
	for (const [position, saved] of Object.entries(paper.answers)) answers[position] = { given: saved.answer, clientSeq: saved.clientSeq }
	return {
		closed: false as const,
		attempt: {
			id: paper.attempt.id,
			deadlineAt: paper.attempt.deadlineAt.toISOString(),
			switchCount: paper.attempt.switchCount,
			maxScore: paper.attempt.maxScore,
		},
		exam: paper.exam,
		// Only what the taker needs: the key and the explanations stay on the server.
		questions: paper.questions.map((q) => ({ position: q.position, type: q.type, stem: q.stem, points: q.points, options: q.type === 'judge' ? [] : q.options })),
		answers,
		now: now.toISOString(),
		secondsLeft: secondsLeft(now, paper.attempt.deadlineAt),
	}
}

/** The sequence number for a save made without JavaScript: after every number the attempt has seen. */
export async function nextServerSeq(db: Db, attemptId: string) {
	const [row] = await db.select({ top: max(attemptAnswers.clientSeq) }).from(attemptAnswers).where(eq(attemptAnswers.attemptId, attemptId))
	return (row?.top ?? 0) + 1
}

/** The saved answer of one position (to tell whether clearing it changes anything). */
export async function savedAnswer(db: Db, attemptId: string, position: number) {
	const [row] = await db
		.select({ answer: attemptAnswers.answer })
		.from(attemptAnswers)
		.where(and(eq(attemptAnswers.attemptId, attemptId), eq(attemptAnswers.position, position)))
	return row?.answer ?? null
}

/** The person's attempt (status, deadline, 切屏 count), or null if it is not theirs. */
export async function attemptOf(db: Db, attemptId: string, personId: string) {
	const [row] = await db
		.select({ id: attempts.id, status: attempts.status, deadlineAt: attempts.deadlineAt, switchCount: attempts.switchCount })
		.from(attempts)
		.where(and(eq(attempts.id, attemptId), eq(attempts.personId, personId)))
	return row ?? null
}

/** 我的考试: each assigned exam with its status and what the worker can do next. */
export async function myExams(db: Db, personId: string, now = new Date()) {
	let rows = await examsForPerson(db, personId)
	// An attempt left open past its deadline is closed (and graded) on its next access: this is one.
	const expired = rows.filter((r) => r.latest?.status === 'open' && mustClose(now, r.latest.deadlineAt))
	if (expired.length) {
		for (const r of expired) await submitAttempt(db, r.latest!.id, 'deadline', now)
		rows = await examsForPerson(db, personId)
	}
	return rows.map(({ exam, template, latest, attemptsUsed, passed }) => {
		const open = latest?.status === 'open' ? latest : null
		const inWindow = now >= exam.opensAt && now < exam.closesAt
		const canStart = inWindow && !passed && attemptsUsed < template.attemptsAllowed
		const status: MyExamStatus = open
			? 'in_progress'
			: passed
				? 'passed'
				: latest
					? 'failed'
					: now < exam.opensAt
						? 'not_open'
						: now >= exam.closesAt
							? 'ended'
							: 'not_started'
		return {
			id: exam.id,
			title: exam.title,
			purpose: template.purpose,
			opensAt: exam.opensAt.toISOString(),
			closesAt: exam.closesAt.toISOString(),
			status,
			score: latest?.score ?? null,
			maxScore: latest?.maxScore ?? null,
			attemptsUsed,
			attemptsAllowed: template.attemptsAllowed,
			openAttemptId: open?.id ?? null,
			latestResultId: latest && latest.status === 'submitted' ? latest.id : null,
			canStart,
		}
	})
}

/**
 * The attempt's status, 切屏 count and deadline with the server's clock, for the page's script.
 * An attempt past its deadline and grace is closed here (graded with the answers the server has).
 */
export async function attemptClock(db: Db, attemptId: string, personId: string, now = new Date()) {
	let attempt = await attemptOf(db, attemptId, personId)
	if (!attempt) return null
	if (attempt.status === 'open' && mustClose(now, attempt.deadlineAt)) {
		await submitAttempt(db, attemptId, 'deadline', now)
		attempt = (await attemptOf(db, attemptId, personId))!
	}
	return { status: attempt.status, switchCount: attempt.switchCount, now: now.toISOString(), deadlineAt: attempt.deadlineAt.toISOString() }
}
