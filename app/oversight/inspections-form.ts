import { z } from 'zod'
import { isCalendarDay } from '#app/records/plans-form.ts'
import { QUIZ_MINUTES, QUIZ_QUESTIONS } from './onsite-quiz.ts'

// The forms of 执法检查: the inspection with its hazards (several blank rows), one more hazard,
// marking a hazard rectified, and the on-site quiz's size and time.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Blank hazard rows on the new-inspection form; more can be added on the inspection's page. */
export const HAZARD_ROWS = 3
export const HAZARD_FIELDS = ['hazardDescription', 'hazardRectifyBy'] as const

export type HazardInput = { description: string; rectifyBy: string }
export type InspectionInput = { orgId: string; inspectedOn: string; inspectors: string; findings: string; hazards: HazardInput[] }

const day = (label: string) => z.string({ error: `请填写${label}` }).refine(isCalendarDay, `${label}格式应为 2026-03-15`)

export const inspectionSchema = z.object({
	orgId: z.string({ error: '请选择被检查企业' }).regex(UUID, '请选择被检查企业'),
	inspectedOn: day('检查日期'),
	inspectors: z.string({ error: '请填写检查人员' }).trim().min(2, '检查人员至少 2 个字').max(200, '检查人员不能超过 200 字'),
	findings: z.string().trim().max(4000, '检查情况不能超过 4000 字').default(''),
	hazardDescription: z.array(z.string()).default([]),
	hazardRectifyBy: z.array(z.string()).default([]),
})

/**
 * The filled hazard rows: a row counts when it has a description; its 整改期限 is then required
 * and not before the inspection. Errors are keyed `hazard-<row>` (rows from 0).
 */
export function readHazardRows(descriptions: string[], dates: string[], inspectedOn: string): { ok: true; hazards: HazardInput[] } | { ok: false; errors: Record<string, string> } {
	const hazards: HazardInput[] = []
	const errors: Record<string, string> = {}
	const rows = Math.max(descriptions.length, dates.length)
	for (let i = 0; i < rows; i++) {
		const description = (descriptions[i] ?? '').trim()
		const rectifyBy = (dates[i] ?? '').trim()
		if (!description && !rectifyBy) continue
		const problem = hazardProblem(description, rectifyBy, inspectedOn)
		if (problem) errors[`hazard-${i}`] = problem
		else hazards.push({ description, rectifyBy })
	}
	return Object.keys(errors).length ? { ok: false, errors } : { ok: true, hazards }
}

export function hazardProblem(description: string, rectifyBy: string, inspectedOn: string) {
	if (!description) return '请填写隐患描述，或清空这一行的整改期限'
	if (description.length > 500) return '隐患描述不能超过 500 字'
	if (!rectifyBy) return '请填写整改期限'
	if (!isCalendarDay(rectifyBy)) return '整改期限格式应为 2026-03-15'
	if (rectifyBy < inspectedOn) return '整改期限不能早于检查日期'
	return null
}

export const rectifySchema = z.object({
	hazardId: z.string({ error: '请选择隐患' }).regex(UUID, '请选择隐患'),
	rectifiedOn: day('整改完成日期'),
})

export const quizSettingsSchema = z.object({
	questionCount: z.coerce
		.number({ error: '请选择题量' })
		.int('题量应为整数')
		.min(QUIZ_QUESTIONS.min, `题量应在 ${QUIZ_QUESTIONS.min}–${QUIZ_QUESTIONS.max} 题之间`)
		.max(QUIZ_QUESTIONS.max, `题量应在 ${QUIZ_QUESTIONS.min}–${QUIZ_QUESTIONS.max} 题之间`)
		.default(QUIZ_QUESTIONS.fallback),
	minutes: z.coerce
		.number({ error: '请选择时长' })
		.int('时长应为整数')
		.min(QUIZ_MINUTES.min, `时长应在 ${QUIZ_MINUTES.min}–${QUIZ_MINUTES.max} 分钟之间`)
		.max(QUIZ_MINUTES.max, `时长应在 ${QUIZ_MINUTES.min}–${QUIZ_MINUTES.max} 分钟之间`)
		.default(QUIZ_MINUTES.fallback),
})

export const joinCodeSchema = z.object({ code: z.string({ error: '请输入 6 位考试码' }).trim().regex(/^\d{6}$/, '考试码是 6 位数字') })

export const rosterMatchSchema = z.object({
	name: z.string({ error: '请填写姓名' }).trim().min(2, '请填写完整姓名').max(40, '姓名不能超过 40 字'),
	phone: z.string({ error: '请填写手机号' }).trim().regex(/^1\d{10}$/, '请填写 11 位手机号'),
})
