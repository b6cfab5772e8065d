import type { LoaderFunctionArgs } from '@remix-run/node'
import { asc } from 'drizzle-orm'
import { questions } from '#db/schema.ts'
import { requireContentScope } from '#app/auth/auth.server.ts'
import { parseBankQuery } from '#app/bank/bank-query.ts'
import { bankWhere } from '#app/bank/bank.server.ts'
import { jobTypeCatalogue } from '#app/bank/import.server.ts'
import type { QuestionInput } from '#app/bank/question.ts'
import { attachment, CSV_TYPE, questionCsvStream, questionWorkbookStream, XLSX_TYPE } from '#app/bank/spreadsheet.server.ts'
import { db } from '#app/utils/db.server.ts'

// GET /bank/export?format=xlsx|csv plus the bank table's filters: the selection in the import
// template's columns (so an export re-imports as is), written batch by batch.

export const MAX_EXPORT_ROWS = 50_000
const BATCH = 1000

export async function loader({ request }: LoaderFunctionArgs) {
	const scope = await requireContentScope(request)
	const url = new URL(request.url)
	const format = url.searchParams.get('format') === 'csv' ? 'csv' : 'xlsx'
	const where = bankWhere(scope, parseBankQuery(url))
	const catalogue = await jobTypeCatalogue()

	async function* batches(): AsyncGenerator<QuestionInput[]> {
		for (let offset = 0; offset < MAX_EXPORT_ROWS; offset += BATCH) {
			const rows = await db
				.select({
					type: questions.type,
					stem: questions.stem,
					options: questions.options,
					answer: questions.answer,
					explanation: questions.explanation,
					difficulty: questions.difficulty,
					part: questions.part,
					forAllJobTypes: questions.forAllJobTypes,
					jobTypes: questions.jobTypes,
					topics: questions.topics,
				})
				.from(questions)
				.where(where)
				.orderBy(asc(questions.createdAt), asc(questions.id))
				.limit(Math.min(BATCH, MAX_EXPORT_ROWS - offset))
				.offset(offset)
			if (rows.length) yield rows
			if (rows.length < BATCH) return
		}
	}

	const date = new Date().toISOString().slice(0, 10).replaceAll('-', '')
	const headers = { 'Content-Disposition': '', 'Content-Type': '', 'Cache-Control': 'private, no-store' }
	if (format === 'csv') {
		headers['Content-Type'] = CSV_TYPE
		headers['Content-Disposition'] = attachment(`题库导出-${date}.csv`, `questions-${date}.csv`)
		return new Response(questionCsvStream(batches(), catalogue), { headers })
	}
	headers['Content-Type'] = XLSX_TYPE
	headers['Content-Disposition'] = attachment(`题库导出-${date}.xlsx`, `questions-${date}.xlsx`)
	return new Response(questionWorkbookStream(batches(), catalogue), { headers })
}
