import { z } from 'zod'
import { parseChinaTime } from '#app/exams/exam-form.ts'
import { EMPLOYMENT_TYPES, keysOf, PERSON_CATEGORIES, type EmploymentType, type PersonCategory } from '#app/people/labels.ts'

// The "new spot check" form: who may be drawn (the population filters), how many, which
// template and the window. Times are China time, as in the exam form.

export const SPOT_CHECK_ARRAY_FIELDS = ['categories', 'industryCodes', 'jobTypes', 'employmentTypes'] as const

export const SIZE_UNITS = { people: '按人数', percent: '按比例（%）' } as const
export type SizeUnit = keyof typeof SIZE_UNITS

/** The categories a 随机抽考 is usually about: leaders and key personnel. */
export const KEY_CATEGORIES: PersonCategory[] = ['principal', 'safety_manager', 'party_leader']

export type SpotCheckInput = {
	title: string
	/** The subtree to draw from (null: the caller's whole scope). */
	orgId: string | null
	categories: PersonCategory[]
	industryCodes: string[]
	jobTypes: string[]
	employmentTypes: EmploymentType[]
	sampleSize: number | null
	samplePercent: number | null
	minPerEnterprise: number
	templateId: string
	opensAt: Date
	closesAt: Date
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

const time = (label: string) =>
	z.string({ error: `请填写${label}` }).transform((s, ctx) => {
		const date = parseChinaTime(s)
		if (!date) {
			ctx.addIssue({ code: 'custom', message: `${label}格式不正确` })
			return z.NEVER
		}
		return date
	})

const wholeNumber = (message: string) => z.string({ error: message }).trim().regex(/^\d{1,7}$/, message).transform(Number)

export const spotCheckFormSchema = z
	.object({
		title: z.string({ error: '请填写抽考名称' }).trim().min(2, '抽考名称至少 2 个字').max(100, '抽考名称不能超过 100 字'),
		orgId: z.string().regex(UUID, '请选择单位').optional(),
		categories: z.array(z.enum(keysOf(PERSON_CATEGORIES), { error: '人员类别不正确' })).default([]),
		industryCodes: z.array(z.string().max(40)).max(40).default([]),
		jobTypes: z.array(z.string().max(40)).max(60).default([]),
		employmentTypes: z.array(z.enum(keysOf(EMPLOYMENT_TYPES), { error: '用工形式不正确' })).default([]),
		sizeUnit: z.enum(keysOf(SIZE_UNITS), { error: '请选择按人数或按比例抽取' }),
		size: wholeNumber('请填写抽取数量（整数）'),
		minPerEnterprise: wholeNumber('每家企业至少抽取的人数须为整数').optional(),
		templateId: z.string({ error: '请选择试卷规则' }).regex(UUID, '请选择试卷规则'),
		opensAt: time('开始时间'),
		closesAt: time('结束时间'),
	})
	.superRefine((v, ctx) => {
		if (v.size < 1) ctx.addIssue({ code: 'custom', path: ['size'], message: v.sizeUnit === 'percent' ? '抽取比例须至少为 1%' : '抽取人数须至少为 1 人' })
		if (v.sizeUnit === 'percent' && v.size > 100) ctx.addIssue({ code: 'custom', path: ['size'], message: '抽取比例不能超过 100%' })
		if ((v.minPerEnterprise ?? 0) > 100) ctx.addIssue({ code: 'custom', path: ['minPerEnterprise'], message: '每家企业至少抽取的人数不能超过 100' })
		if (v.closesAt <= v.opensAt) ctx.addIssue({ code: 'custom', path: ['closesAt'], message: '结束时间须晚于开始时间' })
	})
	.transform(
		(v): SpotCheckInput => ({
			title: v.title,
			orgId: v.orgId ?? null,
			categories: [...new Set(v.categories)],
			industryCodes: [...new Set(v.industryCodes)],
			jobTypes: [...new Set(v.jobTypes)],
			employmentTypes: [...new Set(v.employmentTypes)],
			sampleSize: v.sizeUnit === 'people' ? v.size : null,
			samplePercent: v.sizeUnit === 'percent' ? v.size : null,
			minPerEnterprise: v.minPerEnterprise ?? 0,
			templateId: v.templateId,
			opensAt: v.opensAt,
			closesAt: v.closesAt,
		}),
	)

/** How the size reads for people: "6 人" or "5%（向上取整）". */
export function describeSampleSize(check: { sampleSize: number | null; samplePercent: number | null; minPerEnterprise: number }) {
	const size = check.samplePercent !== null ? `总体的 ${check.samplePercent}%（向上取整）` : `${check.sampleSize ?? 0} 人`
	return check.minPerEnterprise > 0 ? `${size}，每家单位至少 ${check.minPerEnterprise} 人` : size
}

/** 合格率 / 参考率 as a percentage with one decimal, or null when there is nothing to divide by. */
export function rate(part: number, whole: number) {
	return whole > 0 ? Math.round((part / whole) * 1000) / 10 : null
}
