import type { PaperRule } from '#db/schema.ts'

// 逢查必考: the on-site quiz's paper, window and join code, as pure functions.

export const QUIZ_QUESTIONS = { min: 5, max: 10, fallback: 5 } as const
export const QUIZ_MINUTES = { min: 5, max: 10, fallback: 5 } as const
/** How long after the start people may still join (each joiner still gets the full time). */
export const JOIN_MINUTES = 30
export const POINTS_PER_QUESTION = 10
export const PASS_PERCENT = 60

/** 单选 about three in five, the rest 判断: quick to answer on a phone at the coal face. */
export function splitQuestions(count: number) {
	const single = Math.ceil(count * 0.6)
	return { single, judge: count - single }
}

/**
 * The paper's rules: with job types, questions for everyone (the general part) plus those of the
 * enterprise's job types; without (or as the fallback when those are too few), general questions.
 */
export function onsiteRules(count: number, jobTypes: string[]): PaperRule[] {
	const { single, judge } = splitQuestions(count)
	const filter: Pick<PaperRule, 'jobTypes' | 'part'> = jobTypes.length ? { jobTypes: [...jobTypes].sort() } : { part: 'general' }
	const rules: PaperRule[] = [{ type: 'single', count: single, points: POINTS_PER_QUESTION, ...filter }]
	if (judge) rules.push({ type: 'judge', count: judge, points: POINTS_PER_QUESTION, ...filter })
	return rules
}

export const passMarkFor = (count: number) => Math.ceil((count * POINTS_PER_QUESTION * PASS_PERCENT) / 100)

/** The exam's window: joining for JOIN_MINUTES, and the last joiner's full time after that. */
export function quizWindow(now: Date, minutes: number) {
	return { opensAt: now, closesAt: new Date(now.getTime() + (minutes + JOIN_MINUTES) * 60_000) }
}

/** Until when people may join: the exam's close less the time a paper takes. */
export const joinableUntil = (closesAt: Date, timeLimitMinutes: number) => new Date(closesAt.getTime() - timeLimitMinutes * 60_000)

/** A six-digit code from a number in [0, 1). */
export const joinCodeFrom = (random: number) => String(Math.floor(random * 1_000_000) % 1_000_000).padStart(6, '0')

export const isJoinCode = (text: string | undefined | null): text is string => typeof text === 'string' && /^\d{6}$/.test(text)

export const joinPath = (code: string) => `/quiz/${code}`

export const CLOSED_MESSAGE = '本场现场考试已结束，不能再加入'
export const OUTSIDE_MESSAGE = '您不是被检查企业的人员，不能参加本场现场考试'
