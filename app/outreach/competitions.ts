import type { Answer } from '#db/schema/bank.ts'
import type { PublicPaperItem } from '#db/schema/outreach.ts'
import { acceptsAnswers } from '#app/exams/deadline.ts'
import { scoreAnswer } from '#app/exams/grading.ts'

// 知识竞赛: the pure rules — the window, how an entry ends (on time, late, expired), the
// leaderboard's order and ranks, and what the public sees of a participant. No I/O.

export { maskName } from '#app/people/identity.ts'

export type EntryStatus = 'registered' | 'started' | 'submitted' | 'late' | 'expired'

export const ENTRY_STATUS: Record<EntryStatus, string> = {
	registered: '已报名，未答题',
	started: '答题中',
	submitted: '已交卷',
	late: '超时交卷（不计排名）',
	expired: '超时未交卷（不计排名）',
}

export type CompetitionWindow = 'upcoming' | 'open' | 'closed'

export const WINDOW_LABELS: Record<CompetitionWindow, string> = { upcoming: '未开始', open: '进行中', closed: '已结束' }

export function windowOf(competition: { opensAt: Date; closesAt: Date }, now: Date): CompetitionWindow {
	if (now < competition.opensAt) return 'upcoming'
	return now < competition.closesAt ? 'open' : 'closed'
}

/**
 * How a 交卷 arriving `now` ends a started entry: within the deadline and its grace it is
 * 'submitted' (ranked); after, 'late': the posted answers are refused and it is not ranked.
 */
export const submissionStatus = (now: Date, deadlineAt: Date): 'submitted' | 'late' => (acceptsAnswers(now, deadlineAt) ? 'submitted' : 'late')

/** A started entry whose deadline and grace have passed without 交卷: it is closed as 'expired'. */
export const isOverdue = (entry: { status: EntryStatus; deadlineAt: Date | null }, now: Date) =>
	entry.status === 'started' && entry.deadlineAt !== null && !acceptsAnswers(now, entry.deadlineAt)

/** 用时, the leaderboard's tie-breaker: from start to 交卷, never more than the time limit. */
export const durationOf = (startedAt: Date, submittedAt: Date, timeLimitMinutes: number) =>
	Math.max(0, Math.min(submittedAt.getTime() - startedAt.getTime(), timeLimitMinutes * 60_000))

type Ranked = { score: number; durationMs: number }

/** Leaderboard order: higher score first, then less time. */
export const byBoardOrder = (a: Ranked, b: Ranked) => b.score - a.score || a.durationMs - b.durationMs

/**
 * Standard competition ranking (1, 1, 3): an entry's rank is one more than the number of entries
 * strictly ahead of it, so equal score AND equal time share a rank. The rows must be in board
 * order and include every entry ahead of the last one (a top-N prefix is fine).
 */
export function withRanks<T extends Ranked>(rows: readonly T[]): (T & { rank: number })[] {
	const out: (T & { rank: number })[] = []
	rows.forEach((row, i) => {
		const previous = out[i - 1]
		const tied = previous && previous.score === row.score && previous.durationMs === row.durationMs
		out.push({ ...row, rank: tied ? previous.rank : i + 1 })
	})
	return out
}

/** "05:07": time used on the leaderboard. */
export function formatUsed(durationMs: number | null) {
	if (durationMs === null) return '—'
	const s = Math.floor(durationMs / 1000)
	return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`
}

/** What grading needs of a frozen question version. */
export type AnswerKey = { type: 'single' | 'multiple' | 'judge'; answer: Answer }

/**
 * Grades a paper against the frozen versions' keys: answers by position ("1", "2", …) in the
 * letters shown; 多选 all-or-nothing.
 */
export function gradePaper(paper: readonly PublicPaperItem[], keys: ReadonlyMap<string, AnswerKey>, answers: Record<string, Answer | null>) {
	const awarded = paper.map((item, i) => {
		const key = keys.get(item.versionId)
		return key ? scoreAnswer(key, answers[String(i + 1)], item.optionOrder, item.points) : 0
	})
	return { awarded, score: awarded.reduce((a, b) => a + b, 0), maxScore: paper.reduce((n, item) => n + item.points, 0) }
}
