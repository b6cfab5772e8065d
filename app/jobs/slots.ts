// Pure rules of the job queue: the time slot that keys a periodic job, the wait before a retry, and
// the error text kept in jobs.last_error and the log.

/** The slot of length `everyMs` that holds `now`: its start and its key (`2026-11-23T10:05:30Z`). */
export function slotOf(now: Date, everyMs: number) {
	const start = new Date(Math.floor(now.getTime() / everyMs) * everyMs)
	return { start, key: start.toISOString().replace(/\.\d{3}Z$/, 'Z') }
}

/** The wait before running again after failed attempt n (1-based): 10 s, 20 s, 40 s … at most 10 minutes. */
export const retryDelayMs = (attempt: number) => Math.min(10_000 * 2 ** (attempt - 1), 600_000)

/**
 * An error as kept: name and message, at most 500 characters, with any long run of digits (a phone
 * number, a 身份证号) masked — a message may quote the value that failed.
 */
export function errorText(error: unknown) {
	const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
	return text.replace(/\d{17}[\dXx]|\d{11,}/g, '[已隐藏]').slice(0, 500)
}
