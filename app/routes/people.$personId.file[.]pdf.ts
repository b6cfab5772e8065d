import type { LoaderFunctionArgs } from '@remix-run/node'
import { requirePersonInScope } from '#app/auth/auth.server.ts'
import { personFileDownload } from '#app/records/person-file.server.ts'
import { db } from '#app/utils/db.server.ts'

// GET /people/:personId/file.pdf: 一人一档 as a PDF, for managers and regulators whose scope
// includes the person and for the person themself (404 for anyone else).

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { user, person } = await requirePersonInScope(request, params.personId!)
	return personFileDownload(db, user, person, 'pdf')
}
