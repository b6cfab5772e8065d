import { z } from 'zod'

// The bank table's URL query (filters, sort, page), shared by the table and the export.

export const bankQuerySchema = z.object({
	q: z.string().trim().max(100).optional().catch(undefined),
	type: z.enum(['single', 'multiple', 'judge']).optional().catch(undefined),
	jobType: z.string().max(40).optional().catch(undefined),
	part: z.enum(['general', 'professional']).optional().catch(undefined),
	topic: z.string().trim().max(40).optional().catch(undefined),
	minDifficulty: z.coerce.number().int().min(1).max(5).optional().catch(undefined),
	maxDifficulty: z.coerce.number().int().min(1).max(5).optional().catch(undefined),
	sort: z.enum(['updatedAt', 'type', 'difficulty', 'stem']).catch('updatedAt'),
	desc: z.enum(['1', '0']).catch('1'),
	page: z.coerce.number().int().min(1).max(100_000).catch(1),
})

export type BankQuery = z.infer<typeof bankQuerySchema>

export function parseBankQuery(url: URL): BankQuery {
	return bankQuerySchema.parse(Object.fromEntries([...url.searchParams].filter(([, v]) => v !== '')))
}
