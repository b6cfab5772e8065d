import { z } from 'zod'
import { EMPLOYMENT_TYPES, keysOf, PERSON_CATEGORIES } from './labels.ts'
import { isValidIdNumber, isValidPhone, normalizeIdNumber, normalizePhone } from './identity.ts'

// The person form, shared by "新增人员" and "编辑人员". Messages are what the person reads.

export const personFormSchema = z.object({
	name: z
		.string({ error: '请填写姓名' })
		.trim()
		.min(2, '姓名至少 2 个字')
		.max(30, '姓名不能超过 30 个字')
		.regex(/^[\p{Script=Han}A-Za-z·•\s]+$/u, '姓名只能包含汉字、字母和间隔号'),
	phone: z
		.string({ error: '请填写手机号' })
		.transform(normalizePhone)
		.refine(isValidPhone, '请填写 11 位手机号，例如 13912345678'),
	idNumber: z
		.string()
		.optional()
		.transform((v) => (v ? normalizeIdNumber(v) : undefined))
		.refine((v) => v === undefined || isValidIdNumber(v), '身份证号不正确：应为 18 位，且出生日期和校验位有效'),
	category: z.enum(keysOf(PERSON_CATEGORIES), { error: '请选择人员类别' }),
	employmentType: z.enum(keysOf(EMPLOYMENT_TYPES), { error: '请选择用工形式' }),
	position: z.string().trim().max(40, '职务不能超过 40 个字').default(''),
	hiredOn: z
		.string()
		.optional()
		.refine((v) => !v || (/^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v))), '入职日期格式应为 2026-01-31'),
	jobTypes: z.array(z.string()).max(10, '最多选择 10 个工种').default([]),
	orgId: z.string({ error: '请选择所属单位' }).uuid('请选择所属单位'),
})

export type PersonFormInput = z.infer<typeof personFormSchema>
