import { z } from 'zod'
import { keysOf } from '#app/people/labels.ts'
import { HOURS_PATTERN, OFFLINE_KINDS, type OfflineKind } from './offline.ts'
import { isCalendarDay } from './plans-form.ts'

// The "记录线下培训" form. The attachment and the attendees' enterprise are checked on the server.

export const OFFLINE_ARRAY_FIELDS = ['personIds'] as const

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export const MAX_HOURS = 200

export type OfflineTrainingInput = {
	orgId: string
	kind: OfflineKind
	topic: string
	heldOn: string
	hours: number
	trainer: string
	personIds: string[]
}

export const offlineTrainingSchema = z
	.object({
		orgId: z.string({ error: '请选择单位' }).regex(UUID, '请选择单位'),
		kind: z.enum(keysOf(OFFLINE_KINDS), { error: '请选择培训形式' }),
		topic: z.string({ error: '请填写培训主题' }).trim().min(2, '培训主题至少 2 个字').max(100, '培训主题不能超过 100 字'),
		heldOn: z.string({ error: '请填写培训日期' }).refine(isCalendarDay, '培训日期格式应为 2026-03-15'),
		hours: z
			.string({ error: '请填写学时' })
			.trim()
			.regex(HOURS_PATTERN, '学时请填写数字，最多一位小数，例如 2 或 0.5')
			.transform(Number)
			.refine((n) => n >= 0.1 && n <= MAX_HOURS, `学时应在 0.1 到 ${MAX_HOURS} 之间`),
		trainer: z.string().trim().max(40, '授课人不能超过 40 字').default(''),
		personIds: z.array(z.string().regex(UUID, '人员不正确')).min(1, '请勾选参加培训的人员').max(5000, '一次最多 5000 人'),
	})
	.transform((v): OfflineTrainingInput => ({ ...v, personIds: [...new Set(v.personIds)] }))
