import type { LoaderFunctionArgs } from '@remix-run/node'
import { notFound } from '#app/auth/auth.server.ts'
import { loadSpotCheck, requireSpotCheckScope, spotCheckWorkbook } from '#app/oversight/spot-checks.server.ts'
import { attachment, XLSX_TYPE } from '#app/utils/spreadsheet.server.ts'
import { db } from '#app/utils/db.server.ts'

// GET /spot-checks/:spotCheckId/export.xlsx: one row per drawn person, and the check's facts.

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { user, scope } = await requireSpotCheckScope(request)
	const found = await loadSpotCheck(db, scope, params.spotCheckId ?? '')
	if (!found) throw notFound()
	const body = await spotCheckWorkbook(db, user, found)
	const date = new Date().toISOString().slice(0, 10).replaceAll('-', '')
	return new Response(body, {
		headers: {
			'Content-Type': XLSX_TYPE,
			'Content-Disposition': attachment(`${found.check.title}-抽考结果-${date}.xlsx`, `spot-check-${date}.xlsx`),
			'Cache-Control': 'private, no-store',
		},
	})
}
