import { z } from 'zod'
import { isUuid } from '#app/utils/ids.ts'

// The 三违 form: what happened, and what the retraining order asks of the person.

export const VIOLATION_KINDS = {
	command: '违章指挥',
	operation: '违章作业',
	discipline: '违反劳动纪律',
} as const
export type ViolationKind = keyof typeof VIOLATION_KINDS

const day = (label: string) => z.string({ error: `请填写${label}` }).regex(/^\d{4}-\d{2}-\d{2}$/, `请按 2026-11-02 的格式填写${label}`)

export const violationSchema = z.object({
	kind: z.enum(Object.keys(VIOLATION_KINDS) as [ViolationKind, ...ViolationKind[]], { error: '请选择三违类别' }),
	occurredOn: day('发生日期'),
	place: z.string({ error: '请填写地点' }).trim().min(1, '请填写地点').max(100, '地点不超过 100 字'),
	description: z.string({ error: '请描述违章情况' }).trim().min(4, '请描述违章情况（至少 4 个字）').max(1000, '描述不超过 1000 字'),
	courseId: z
		.string()
		.optional()
		.transform((v) => v || '')
		.refine((v) => v === '' || isUuid(v), '请选择培训课程'),
	templateId: z.string({ error: '请选择补考所用的试卷规则' }).refine(isUuid, '请选择补考所用的试卷规则'),
	dueDays: z.coerce.number({ error: '请填写完成期限' }).int('期限为整数天').min(1, '期限至少 1 天').max(180, '期限不超过 180 天'),
})

export type ViolationForm = z.infer<typeof violationSchema>
export type ViolationInput = Omit<ViolationForm, 'dueDays'> & { dueAt: Date }

export function violationInput(form: ViolationForm, now: Date): ViolationInput {
	const { dueDays, ...rest } = form
	return { ...rest, dueAt: new Date(now.getTime() + dueDays * 86_400_000) }
}
