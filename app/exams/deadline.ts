// The attempt's clock lives on the server: started_at + time limit, capped by the exam's close.

/** Saves arriving this long after the deadline still count (in-flight requests on slow networks). */
export const GRACE_SECONDS = 30

export function deadlineFor(startedAt: Date, timeLimitMinutes: number, closesAt: Date) {
	return new Date(Math.min(startedAt.getTime() + timeLimitMinutes * 60_000, closesAt.getTime()))
}

/** Whether an answer arriving `now` may still be saved. */
export const acceptsAnswers = (now: Date, deadlineAt: Date) => now.getTime() <= deadlineAt.getTime() + GRACE_SECONDS * 1000

/** Whether an open attempt is over and must be closed with the answers the server has. */
export const mustClose = (now: Date, deadlineAt: Date) => !acceptsAnswers(now, deadlineAt)

export const secondsLeft = (now: Date, deadlineAt: Date) => Math.max(0, Math.ceil((deadlineAt.getTime() - now.getTime()) / 1000))
