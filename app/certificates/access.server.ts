import { notFound, requirePersonInScope, requireUser } from '#app/auth/auth.server.ts'
import { isUuid } from '#app/utils/ids.ts'
import { db } from '#app/utils/db.server.ts'
import { certificateById } from './certificates.server.ts'

/**
 * A certificate the caller may see: their own, or one whose holder is within their scope (404
 * otherwise, so ids reveal nothing). With `manage`, the caller must also manage the holder's
 * enterprise (its enterprise_admin, or a system admin): 403 for anyone else who can see it.
 */
export async function requireCertificate(request: Request, certificateId: string | undefined, { manage = false } = {}) {
	await requireUser(request)
	if (!isUuid(certificateId)) throw notFound()
	const found = await certificateById(db, certificateId)
	if (!found) throw notFound()
	const { user, person } = await requirePersonInScope(request, found.certificate.personId, { manage })
	return { user, person, ...found }
}
