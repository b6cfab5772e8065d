import type { LoaderFunctionArgs } from '@remix-run/node'
import { leadersRegister, leadersWorkbook, parseLeadersQuery } from '#app/oversight/leaders.server.ts'
import { requireSpotCheckScope } from '#app/oversight/spot-checks.server.ts'
import { attachment, XLSX_TYPE } from '#app/utils/spreadsheet.server.ts'
import { db } from '#app/utils/db.server.ts'

// GET /registers/leaders.xlsx plus the register's filters (category, orgId): everyone they match.

export async function loader({ request }: LoaderFunctionArgs) {
	const { scope } = await requireSpotCheckScope(request)
	const query = parseLeadersQuery(new URL(request.url).searchParams)
	const { rows, year } = await leadersRegister(db, scope, query, { pageSize: null })
	const date = new Date().toISOString().slice(0, 10).replaceAll('-', '')
	return new Response(await leadersWorkbook(rows, year), {
		headers: {
			'Content-Type': XLSX_TYPE,
			'Content-Disposition': attachment(`领导干部登记-${date}.xlsx`, `leaders-${date}.xlsx`),
			'Cache-Control': 'private, no-store',
		},
	})
}
