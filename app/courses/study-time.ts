// 学时 rules. Study time is credited by the server from its own clock; the client only says
// "still here, page visible, person active" (a heartbeat), never how long it has been.

/** How often the lesson page sends a heartbeat while visible and active. */
export const HEARTBEAT_SECONDS = 15
/**
 * A heartbeat credits the time since the previous one only if that was at most this long ago;
 * after a longer silence (background tab, sleeping phone, idle person) counting restarts.
 */
export const MAX_HEARTBEAT_GAP_SECONDS = 40
/** No lesson earns more than this multiple of its minimum study time (no 挂机). */
export const CAP_MULTIPLE = 3
/** A person counts as active if they touched, scrolled or typed within this many seconds. */
export const ACTIVITY_WINDOW_SECONDS = 60

export type Progress = {
	studiedSeconds: number
	reachedEnd: boolean
	openedAt: Date | null
	lastCreditAt: Date | null
	completedAt: Date | null
}

export const capSeconds = (minMinutes: number) => minMinutes * 60 * CAP_MULTIPLE
export const requiredSeconds = (minMinutes: number) => minMinutes * 60

const seconds = (from: Date, to: Date) => Math.max(0, Math.floor((to.getTime() - from.getTime()) / 1000))

function withCredit(p: Progress, credit: number, minMinutes: number, now: Date): Progress {
	// The cap limits new credit; time already recorded never goes down (a lowered minimum, say).
	const studiedSeconds = Math.max(p.studiedSeconds, Math.min(capSeconds(minMinutes), p.studiedSeconds + credit))
	return { ...p, studiedSeconds, lastCreditAt: now }
}

/** The lesson page was opened: counting (for the page without JavaScript) starts now. */
export function afterOpen(p: Progress, now: Date): Progress {
	return { ...p, openedAt: now }
}

/** A heartbeat from a visible page with an active person. */
export function afterHeartbeat(p: Progress, now: Date, minMinutes: number, reachedEnd = false): Progress {
	const since = p.lastCreditAt && p.openedAt && p.lastCreditAt > p.openedAt ? p.lastCreditAt : p.openedAt
	const gap = since ? seconds(since, now) : Number.POSITIVE_INFINITY
	const credit = gap <= MAX_HEARTBEAT_GAP_SECONDS ? gap : 0
	return complete({ ...withCredit(p, credit, minMinutes, now), reachedEnd: p.reachedEnd || reachedEnd }, now, minMinutes)
}

/**
 * "我已学完" pressed at the end of the lesson. Without JavaScript (no heartbeats since the page
 * was opened) the time since opening counts, capped like any other study time.
 */
export function afterMarkDone(p: Progress, now: Date, minMinutes: number): Progress {
	const heartbeatsSinceOpen = p.lastCreditAt && p.openedAt && p.lastCreditAt > p.openedAt
	const next = heartbeatsSinceOpen
		? afterHeartbeat(p, now, minMinutes, true)
		: withCredit(p, p.openedAt ? seconds(p.openedAt, now) : 0, minMinutes, now)
	return complete({ ...next, reachedEnd: true }, now, minMinutes)
}

function complete(p: Progress, now: Date, minMinutes: number): Progress {
	if (p.completedAt || !p.reachedEnd || p.studiedSeconds < requiredSeconds(minMinutes)) return p
	return { ...p, completedAt: now }
}

export const isLessonDone = (p: Pick<Progress, 'completedAt'> | undefined | null) => Boolean(p?.completedAt)

/** "还需学习 3 分钟" — what is missing before a lesson can be done. */
export function remainingMessage(p: Pick<Progress, 'studiedSeconds'>, minMinutes: number) {
	const left = requiredSeconds(minMinutes) - p.studiedSeconds
	return left > 0 ? `还需学习约 ${Math.ceil(left / 60)} 分钟才能完成本课时` : null
}
