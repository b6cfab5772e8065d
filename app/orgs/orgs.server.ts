import { randomUUID } from 'node:crypto'
import { asc, eq, like, or } from 'drizzle-orm'
import { organizations } from '#db/schema.ts'
import type { DbOrTx } from '#app/utils/db.server.ts'
import type { OrgNode } from '#app/content/catalogue.ts'
import type { OrgKind } from '#app/people/labels.ts'
import { hasRole, type SessionUser } from '#app/auth/scope.ts'

export type NewOrganization = {
	parentId: string | null
	kind: OrgKind
	name: string
	code?: string | null
	industryCode?: string | null
	creditCode?: string | null
}

export async function createOrganization(tx: DbOrTx, input: NewOrganization) {
	const id = randomUUID()
	let parentPath = '/'
	if (input.parentId) {
		const [parent] = await tx.select({ path: organizations.path }).from(organizations).where(eq(organizations.id, input.parentId))
		if (!parent) throw new Error(`parent organisation ${input.parentId} not found`)
		parentPath = parent.path
	}
	const [org] = await tx
		.insert(organizations)
		.values({ id, path: `${parentPath}${id}/`, ...input })
		.returning()
	return org!
}

/** Creates the shipped organisations that are missing (matched by code) and renames changed ones. */
export async function ensureOrganizationTree(tx: DbOrTx, node: OrgNode, parentId: string | null): Promise<void> {
	const [existing] = await tx.select().from(organizations).where(eq(organizations.code, node.code))
	let id: string
	if (existing) {
		id = existing.id
		if (existing.name !== node.name || existing.kind !== node.kind) {
			await tx.update(organizations).set({ name: node.name, kind: node.kind }).where(eq(organizations.id, id))
		}
	} else {
		id = (await createOrganization(tx, { parentId, kind: node.kind, name: node.name, code: node.code })).id
	}
	for (const child of node.children ?? []) await ensureOrganizationTree(tx, child, id)
}

export async function orgByCode(tx: DbOrTx, code: string) {
	const [org] = await tx.select().from(organizations).where(eq(organizations.code, code))
	if (!org) throw new Error(`organisation ${code} not found`)
	return org
}

export async function childOrganizations(tx: DbOrTx, parentId: string) {
	return tx.select().from(organizations).where(eq(organizations.parentId, parentId)).orderBy(asc(organizations.kind), asc(organizations.name))
}

/** Organisations whose people the user may create and edit (their enterprises; all for admins). */
export async function manageableOrgs(tx: DbOrTx, user: SessionUser) {
	if (hasRole(user, 'system_admin')) {
		return tx.select({ id: organizations.id, name: organizations.name, path: organizations.path }).from(organizations).orderBy(asc(organizations.path))
	}
	const roots = user.roles.filter((r) => r.role === 'enterprise_admin' && r.orgPath).map((r) => like(organizations.path, `${r.orgPath}%`))
	if (!roots.length) return []
	return tx
		.select({ id: organizations.id, name: organizations.name, path: organizations.path })
		.from(organizations)
		.where(or(...roots))
		.orderBy(asc(organizations.path))
}
