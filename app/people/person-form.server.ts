import type { SessionUser } from '#app/auth/scope.ts'
import { manageableOrgs } from '#app/orgs/orgs.server.ts'
import { db } from '#app/utils/db.server.ts'
import { listJobTypes } from './people.server.ts'

/** The choices the person form offers this user. */
export async function personFormOptions(user: SessionUser) {
	const [orgs, jobs] = await Promise.all([
		manageableOrgs(db, user),
		listJobTypes(db),
	])
	return { orgs: orgs.map(({ id, name }) => ({ id, name })), jobTypes: jobs }
}
