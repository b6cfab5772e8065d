import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireRole } from '#app/auth/auth.server.ts'
import { parseRosterQuery } from '#app/records/person-file.ts'
import { rosterDownload } from '#app/records/person-file.server.ts'
import { db } from '#app/utils/db.server.ts'

// GET /people/export.xlsx plus the roster page's filters (q, category, employmentType, jobType,
// orgId, status, sort, desc): everyone they match in the caller's scope, with 上岗资格 and its
// reasons, as a workbook.

export async function loader({ request }: LoaderFunctionArgs) {
	const user = await requireRole(request, 'system_admin', 'regulator', 'enterprise_admin')
	return rosterDownload(db, user, parseRosterQuery(new URL(request.url).searchParams))
}
