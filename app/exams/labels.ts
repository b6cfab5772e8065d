// Chinese labels for the exam enums; one place, shared by forms, tables and results.

export const EXAM_PURPOSES = {
	pre_job: '岗前培训考试',
	annual: '年度复训',
	spot_check: '抽考',
	onsite: '现场考试',
	competition: '知识竞赛',
	self_test: '自测',
} as const
export type ExamPurpose = keyof typeof EXAM_PURPOSES

/** Who closed an attempt (attempts.submitted_by). */
export const SUBMITTED_BY = {
	person: '本人交卷',
	deadline: '到时自动交卷',
	switch_limit: '切屏超限自动交卷',
} as const

/** Whom an exam is given to. */
export const ASSIGN_BY = {
	jobType: '按工种',
	category: '按人员类别',
	people: '按名单',
} as const
export type AssignBy = keyof typeof ASSIGN_BY

export const DIFFICULTY_LABELS = ['易', '较易', '中', '较难', '难'] as const

export const RESULT_STATUS = { not_started: '未参加', in_progress: '答题中', submitted: '已交卷' } as const
export type ResultStatus = keyof typeof RESULT_STATUS

/** 用时 for people: "12 分 05 秒". */
export function formatDuration(seconds: number | null) {
	if (seconds === null) return '—'
	const m = Math.floor(seconds / 60)
	const s = seconds % 60
	return m ? `${m} 分 ${String(s).padStart(2, '0')} 秒` : `${s} 秒`
}
