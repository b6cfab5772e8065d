import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireRole } from '#app/auth/auth.server.ts'
import { manageableOrgs } from '#app/orgs/orgs.server.ts'
import { rosterTemplateWorkbook } from '#app/people/roster-import.server.ts'
import { db } from '#app/utils/db.server.ts'
import { attachment, XLSX_TYPE } from '#app/utils/spreadsheet.server.ts'

// GET /people/import-template: the roster template, with one example row (a made-up person).
export async function loader({ request }: LoaderFunctionArgs) {
	const user = await requireRole(request, 'system_admin', 'enterprise_admin')
	const orgs = await manageableOrgs(db, user)
	// The example's 所属单位 is the manager's own enterprise when they manage it.
	const own = orgs.find((o) => o.id === user.orgId)
	const body = await rosterTemplateWorkbook(own?.name ?? null)
	return new Response(body, {
		headers: {
			'Content-Type': XLSX_TYPE,
			'Content-Disposition': attachment('人员导入模板.xlsx', 'roster-template.xlsx'),
			'Content-Length': String(body.byteLength),
			'Cache-Control': 'private, no-store',
		},
	})
}
