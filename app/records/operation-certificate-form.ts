import { z } from 'zod'
import { isValidIdNumber, normalizeIdNumber } from '#app/people/identity.ts'

// 特种作业操作证: the official number is "T" followed by the holder's 身份证号.

const day = (label: string) => z.string({ error: `请填写${label}` }).regex(/^\d{4}-\d{2}-\d{2}$/, `请按 2026-11-02 的格式填写${label}`)

export const normalizeCertificateNumber = (n: string) => normalizeIdNumber(n)

export const operationCertificateSchema = z
	.object({
		jobTypeCode: z.string({ error: '请选择作业类别' }).min(1, '请选择作业类别'),
		number: z
			.string({ error: '请填写证书编号' })
			.transform(normalizeCertificateNumber)
			.refine((n) => /^T\d{17}[\dX]$/.test(n) && isValidIdNumber(n.slice(1)), '证书编号为 T 加 18 位身份证号，请核对'),
		issuer: z.string().trim().max(60, '发证机关不超过 60 字').optional().transform((v) => v ?? ''),
		issuedOn: day('发证日期'),
		validUntil: day('有效期至'),
	})
	.refine((c) => c.validUntil > c.issuedOn, { path: ['validUntil'], message: '有效期应晚于发证日期' })

export type OperationCertificateInput = z.infer<typeof operationCertificateSchema>
