import { and, count, eq, isNull, like, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import { organizations, people } from '#db/schema.ts'
import type { DbOrTx } from '#app/utils/db.server.ts'
import type { EmploymentType, PersonCategory } from './labels.ts'

/** Head counts under one organisation's subtree, by category and by employment type (deleted people not counted). */
export async function headcount(tx: DbOrTx, orgPath: string) {
	const inSubtree = like(organizations.path, `${orgPath}%`)
	const rows = await tx
		.select({ category: people.category, employmentType: people.employmentType, n: count() })
		.from(people)
		.innerJoin(organizations, eq(organizations.id, people.orgId))
		.where(and(inSubtree, isNull(people.anonymisedAt)))
		.groupBy(people.category, people.employmentType)
	const byCategory: Partial<Record<PersonCategory, number>> = {}
	const byEmployment: Partial<Record<EmploymentType, number>> = {}
	let total = 0
	for (const r of rows) {
		byCategory[r.category] = (byCategory[r.category] ?? 0) + r.n
		byEmployment[r.employmentType] = (byEmployment[r.employmentType] ?? 0) + r.n
		total += r.n
	}
	return { total, byCategory, byEmployment }
}

/** The direct children of an organisation with the number of people and enterprises under each. */
export async function childrenWithCounts(tx: DbOrTx, parentId: string) {
	const children = await tx.select().from(organizations).where(eq(organizations.parentId, parentId)).orderBy(organizations.kind, organizations.name)
	if (!children.length) return []
	// One grouped query for all children: every organisation under a child's path counts for it.
	const under = alias(organizations, 'under')
	const counts = await tx
		.select({
			childId: organizations.id,
			people: sql<number>`count(${people.id})::int`,
			enterprises: sql<number>`count(distinct ${under.id}) filter (where ${under.kind} = 'enterprise')::int`,
		})
		.from(organizations)
		.innerJoin(under, like(under.path, sql`${organizations.path} || '%'`))
		.leftJoin(people, and(eq(people.orgId, under.id), isNull(people.anonymisedAt)))
		.where(eq(organizations.parentId, parentId))
		.groupBy(organizations.id)
	const byChild = new Map(counts.map((c) => [c.childId, c]))
	return children.map((child) => ({ ...child, people: byChild.get(child.id)?.people ?? 0, enterprises: byChild.get(child.id)?.enterprises ?? 0 }))
}
