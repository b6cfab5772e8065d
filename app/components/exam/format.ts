// Small, dependency-free helpers for the exam pages (they run in the browser too: no zod here).

export type QuestionKind = 'single' | 'multiple' | 'judge'
export type ShownAnswer = string | boolean | null

export const KIND_LABELS: Record<QuestionKind, string> = { single: '单选题', multiple: '多选题', judge: '判断题' }
export const LETTERS = 'ABCDEFGH'

/** "05:07", or "1:05:07" from an hour on. */
export function formatClock(totalSeconds: number) {
	const s = Math.max(0, Math.floor(totalSeconds))
	const two = (n: number) => String(n).padStart(2, '0')
	const h = Math.floor(s / 3600)
	const m = Math.floor((s % 3600) / 60)
	return h ? `${h}:${two(m)}:${two(s % 60)}` : `${two(m)}:${two(s % 60)}`
}

/** "12 分 5 秒" */
export function formatDuration(totalSeconds: number) {
	const s = Math.max(0, Math.round(totalSeconds))
	const m = Math.floor(s / 60)
	return m ? `${m} 分 ${s % 60} 秒` : `${s} 秒`
}

// Formatters built once: making an Intl.DateTimeFormat costs far more than formatting with one
// (toLocaleString makes a new one on every call: a table of 50 dates paid for 50).
const CHINA_TIME = { timeZone: 'Asia/Shanghai', hour12: false } as const
const DATE_TIME = new Intl.DateTimeFormat('zh-CN', { ...CHINA_TIME, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })
const DATE_TIME_SECONDS = new Intl.DateTimeFormat('zh-CN', { ...CHINA_TIME, year: 'numeric', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' })
const DATE = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai' })

/** A date and time as read in China, e.g. "2026/11/23 08:30". */
export function formatDateTime(iso: string | Date) {
	return DATE_TIME.format(new Date(iso))
}

/** To the second, e.g. "2026/11/23 08:30:05" (the audit log, a check's time). */
export function formatDateTimeSeconds(iso: string | Date) {
	return DATE_TIME_SECONDS.format(new Date(iso))
}

/** A date as read in China, e.g. "2026/11/23". */
export function formatDate(iso: string | Date) {
	return DATE.format(new Date(iso))
}

/** An answer as the taker reads it: "AC", 正确/错误, 未作答. */
export function answerText(answer: ShownAnswer | undefined) {
	if (answer === null || answer === undefined || answer === '') return '未作答'
	if (typeof answer === 'boolean') return answer ? '正确' : '错误'
	return answer
}

export const isAnswered = (answer: ShownAnswer | undefined) => answer !== null && answer !== undefined && answer !== ''

export type MyExamStatus = 'not_started' | 'in_progress' | 'passed' | 'failed' | 'ended' | 'not_open'

/** 我的考试: where a worker stands with an exam. */
export const MY_EXAM_STATUS: Record<MyExamStatus, string> = {
	not_open: '未开放',
	not_started: '未开始',
	in_progress: '进行中',
	passed: '已通过',
	failed: '未通过',
	ended: '已结束',
}
