import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireManagedCompetition, resultsWorkbook } from '#app/outreach/competitions.server.ts'
import { db } from '#app/utils/db.server.ts'
import { attachment, XLSX_TYPE } from '#app/utils/spreadsheet.server.ts'

// GET /competitions/:slug/results.xlsx — every entry in rank order, phones in full (audited).

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { scope, competition } = await requireManagedCompetition(request, params.slug)
	const body = await resultsWorkbook(db, scope, competition)
	const date = new Date().toISOString().slice(0, 10).replaceAll('-', '')
	return new Response(body, {
		headers: {
			'Content-Type': XLSX_TYPE,
			'Content-Disposition': attachment(`${competition.title}-成绩-${date}.xlsx`, `competition-${competition.slug}-${date}.xlsx`),
			'Cache-Control': 'private, no-store',
		},
	})
}
