import { addDays, chinaDay } from '#app/utils/days.ts'

// 自我评测: the 错题本 rule, the daily-practice streak and the choice of the next practice
// question. Pure: the database work is in practice.server.ts.

/** Right answers in a row that take a question out of the 错题本. */
export const CLEAR_AFTER = 2

/** A person's 错题本 entry for one question (a row of wrong_answers). */
export type NotebookEntry = { lastWrongAt: Date; rightStreak: number; clearedAt: Date | null }

/** Whether the question is (still) in the 错题本. */
export function inNotebook(entry: NotebookEntry | null | undefined): entry is NotebookEntry {
	return Boolean(entry) && entry!.clearedAt === null
}

/**
 * The 错题本 entry after one practice answer, or null when there is nothing to record (a right
 * answer to a question that was never wrong). A wrong answer puts the question (back) in with a
 * streak of 0; a right one counts toward the streak, and the second in a row clears it. A right
 * answer to a question already cleared leaves the entry as it is.
 */
export function notebookAfter(entry: NotebookEntry | null | undefined, correct: boolean, now: Date): NotebookEntry | null {
	if (!correct) return { lastWrongAt: now, rightStreak: 0, clearedAt: null }
	if (!entry) return null
	if (!inNotebook(entry)) return entry
	const rightStreak = entry.rightStreak + 1
	return { lastWrongAt: entry.lastWrongAt, rightStreak, clearedAt: rightStreak >= CLEAR_AFTER ? now : null }
}

/** For the worker's home: the daily-practice streak, today's answers and the 错题本's size. */
export type PracticeSummary = { streakDays: number; todayAnswered: number; wrongCount: number }

// ---- days and the streak -------------------------------------------------------------------

/**
 * Consecutive practice days up to today, or up to yesterday when nothing has been practised yet
 * today (the streak is not broken before the day is over). A day counts when at least one
 * practice question was answered on it.
 */
export function practiceStreak(days: Iterable<{ day: string; answered: number }>, now: Date): number {
	const practised = new Set<string>()
	for (const d of days) if (d.answered > 0) practised.add(d.day)
	const today = chinaDay(now)
	let day = practised.has(today) ? today : addDays(today, -1)
	let streak = 0
	while (practised.has(day)) {
		streak++
		day = addDays(day, -1)
	}
	return streak
}

// ---- the next question ---------------------------------------------------------------------

export type PracticeOrder = 'seq' | 'random'

/**
 * The short reference of a question in a session's list of answered ones (the URL carries it):
 * the first 8 hex digits of its uuid. Two questions of one person's practice sharing them is
 * vanishingly unlikely, and would only skip one question for one session.
 */
export function questionRef(id: string) {
	return id.replace(/-/g, '').slice(0, 8).toLowerCase()
}

const REF = /^[0-9a-f]{8}$/

/** The answered references from the URL's `done` value ("1a2b3c4d.5e6f7a8b"); anything else is dropped. */
export function parseDone(value: string | null | undefined): string[] {
	if (!value) return []
	return [...new Set(value.toLowerCase().split('.').filter((r) => REF.test(r)))]
}

export function formatDone(refs: readonly string[]) {
	return refs.join('.')
}

/** FNV-1a over the text, then a murmur3 finaliser: a well-mixed 32-bit number. */
function hash32(text: string, seed: number) {
	let h = (0x811c9dc5 ^ seed) >>> 0
	for (let i = 0; i < text.length; i++) {
		h ^= text.charCodeAt(i)
		h = Math.imul(h, 0x01000193) >>> 0
	}
	h ^= h >>> 16
	h = Math.imul(h, 0x85ebca6b) >>> 0
	h ^= h >>> 13
	h = Math.imul(h, 0xc2b2ae35) >>> 0
	h ^= h >>> 16
	return h >>> 0
}

/**
 * A session's order of the questions. 'seq' keeps the order given (the bank's); 'random' ranks
 * each question by a hash of the seed and its id, so the same seed always gives the same order
 * and a question added to or removed from the bank mid-session leaves the others' order alone.
 */
export function practiceSequence(ids: readonly string[], order: PracticeOrder, seed: number): string[] {
	if (order === 'seq') return [...ids]
	const ranked = ids.map((id) => ({ id, rank: hash32(id, seed | 0) }))
	ranked.sort((a, b) => a.rank - b.rank || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
	return ranked.map((r) => r.id)
}

/**
 * The next question of a session: the first of its sequence not answered yet in this session
 * (`answered` holds question refs or full ids), or null when every one has been answered.
 */
export function pickNext(ids: readonly string[], { order, seed, answered }: { order: PracticeOrder; seed: number; answered: Iterable<string> }): string | null {
	const done = new Set([...answered].map((a) => (REF.test(a) ? a : questionRef(a))))
	return practiceSequence(ids, order, seed).find((id) => !done.has(questionRef(id))) ?? null
}

// ---- the session's URL ---------------------------------------------------------------------

/** Everything a practice session needs lives in its URL: no server-side session state. */
export type PracticeParams = {
	set: 'bank' | 'wrong'
	part?: 'general' | 'professional'
	job?: string | null
	order: PracticeOrder
	seed?: number
	done?: readonly string[]
}

export const PRACTICE_SESSION_PATH = '/practice/session'

/** The session page's URL for these parameters (the `done` refs last, as they grow). */
export function practiceUrl(p: PracticeParams) {
	const q = new URLSearchParams()
	if (p.set === 'wrong') q.set('set', 'wrong')
	if (p.set === 'bank' && p.part) q.set('part', p.part)
	if (p.set === 'bank' && p.job) q.set('job', p.job)
	q.set('order', p.order)
	if (p.order === 'random' && p.seed !== undefined) q.set('seed', String(p.seed))
	if (p.done?.length) q.set('done', formatDone(p.done))
	return `${PRACTICE_SESSION_PATH}?${q.toString()}`
}
