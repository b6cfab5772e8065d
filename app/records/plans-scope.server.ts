import { and, asc, count, countDistinct, eq, inArray, isNull, like, or, type SQL } from 'drizzle-orm'
import { jobTypes, organizations, people, personJobTypes } from '#db/schema.ts'
import { forbidden, notFound, requireUser } from '#app/auth/auth.server.ts'
import { hasRole, type SessionUser } from '#app/auth/scope.ts'
import type { DbOrTx } from '#app/utils/db.server.ts'
import { isUuid } from '#app/utils/ids.ts'

// Who keeps an enterprise's training records (培训计划, 线下培训): its 企业安全管理员, and system
// admins for every enterprise. The same rule as managing people (canManagePeopleOf).

export type ManagerScope = { all: true } | { all: false; roots: string[] }

export function managerScopeOf(user: SessionUser): ManagerScope | null {
	if (hasRole(user, 'system_admin')) return { all: true }
	const roots = user.roles.filter((r) => r.role === 'enterprise_admin' && r.orgPath).map((r) => r.orgPath!)
	return roots.length ? { all: false, roots } : null
}

/** For loaders and actions: a training manager (403 otherwise) and their scope. */
export async function requireTrainingManager(request: Request) {
	const user = await requireUser(request)
	const scope = managerScopeOf(user)
	if (!scope) throw forbidden()
	return { user, scope }
}

/** Filter on `organizations` (joined to what is queried) keeping the scope's subtrees. */
export function managedOrgs(scope: ManagerScope): SQL | undefined {
	if (scope.all) return undefined
	return or(...scope.roots.map((root) => like(organizations.path, `${root}%`)))
}

export const scopeHasPath = (scope: ManagerScope, path: string) => scope.all || scope.roots.some((root) => path.startsWith(root))

export type ManagedEnterprise = { id: string; name: string; path: string }

/** The enterprises whose records this manager keeps. */
export async function managedEnterprises(tx: DbOrTx, scope: ManagerScope): Promise<ManagedEnterprise[]> {
	return tx
		.select({ id: organizations.id, name: organizations.name, path: organizations.path })
		.from(organizations)
		.where(and(eq(organizations.kind, 'enterprise'), managedOrgs(scope)))
		.orderBy(asc(organizations.name), asc(organizations.id))
}

/** One enterprise of the manager's, or null (also for malformed ids). */
export async function managedEnterprise(tx: DbOrTx, scope: ManagerScope, orgId: string | null | undefined) {
	if (!isUuid(orgId)) return null
	const [org] = await tx
		.select({ id: organizations.id, name: organizations.name, path: organizations.path })
		.from(organizations)
		.where(and(eq(organizations.id, orgId), eq(organizations.kind, 'enterprise'), managedOrgs(scope)))
	return org && scopeHasPath(scope, org.path) ? org : null
}

/**
 * The enterprise a form page works on: the one named in the query (404 if it is not the
 * manager's), else the only one they have, else none yet (the page asks to choose).
 */
export async function enterpriseForForm(tx: DbOrTx, scope: ManagerScope, orgId: string | null) {
	const enterprises = await managedEnterprises(tx, scope)
	if (orgId) {
		const chosen = enterprises.find((e) => e.id === orgId)
		if (!chosen) throw notFound()
		return { enterprises, enterprise: chosen }
	}
	return { enterprises, enterprise: enterprises.length === 1 ? enterprises[0]! : null }
}

/** The people of an enterprise for a form's checklist (optionally of one job type), with their job types. */
export async function enterprisePeople(tx: DbOrTx, enterprise: ManagedEnterprise, { jobType, limit = 2000 }: { jobType?: string; limit?: number } = {}) {
	const rows = await tx
		.select({ id: people.id, name: people.name, position: people.position, category: people.category })
		.from(people)
		.innerJoin(organizations, eq(organizations.id, people.orgId))
		.where(
			and(
				like(organizations.path, `${enterprise.path}%`),
				isNull(people.anonymisedAt),
				jobType ? inArray(people.id, tx.select({ id: personJobTypes.personId }).from(personJobTypes).where(eq(personJobTypes.jobTypeCode, jobType))) : undefined,
			),
		)
		.orderBy(asc(people.name), asc(people.id))
		.limit(limit)
	const jobs = rows.length
		? await tx
				.select({ personId: personJobTypes.personId, name: jobTypes.name })
				.from(personJobTypes)
				.innerJoin(jobTypes, eq(jobTypes.code, personJobTypes.jobTypeCode))
				.where(inArray(personJobTypes.personId, rows.map((r) => r.id)))
				.orderBy(asc(jobTypes.sortOrder))
		: []
	return rows.map((r) => ({ ...r, jobTypeNames: jobs.filter((j) => j.personId === r.id).map((j) => j.name) }))
}

/** Head counts of an enterprise by job type (only job types somebody holds) and by category. */
export async function enterpriseHeadcounts(tx: DbOrTx, enterprise: ManagedEnterprise) {
	const inEnterprise = and(like(organizations.path, `${enterprise.path}%`), isNull(people.anonymisedAt))
	const byJob = await tx
		.select({ code: jobTypes.code, name: jobTypes.name, n: countDistinct(people.id) })
		.from(personJobTypes)
		.innerJoin(jobTypes, eq(jobTypes.code, personJobTypes.jobTypeCode))
		.innerJoin(people, eq(people.id, personJobTypes.personId))
		.innerJoin(organizations, eq(organizations.id, people.orgId))
		.where(inEnterprise)
		.groupBy(jobTypes.code, jobTypes.name, jobTypes.sortOrder)
		.orderBy(asc(jobTypes.sortOrder))
	const byCategory = await tx
		.select({ category: people.category, n: count() })
		.from(people)
		.innerJoin(organizations, eq(organizations.id, people.orgId))
		.where(inEnterprise)
		.groupBy(people.category)
	return { jobTypes: byJob, categories: Object.fromEntries(byCategory.map((c) => [c.category, c.n])) as Record<string, number> }
}
