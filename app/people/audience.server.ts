import { and, arrayContains, inArray, isNull, or, type SQL } from 'drizzle-orm'
import type { AnyPgColumn } from 'drizzle-orm/pg-core'
import type { PersonCategory } from './labels.ts'

// Who content (courses, questions) is for: one rule, used wherever a person studies or practises.

export type Audience = { orgPath: string; category: PersonCategory }

/** The ids of an organisation and all its ancestors, from its materialised path. */
export const selfAndAncestorIds = (orgPath: string) => orgPath.split('/').filter(Boolean)

/**
 * Content meant for this person: owned by the platform or by their organisation (or one above
 * it), and, where the content names personnel categories, for theirs.
 */
export function forAudience(content: { ownerOrgId: AnyPgColumn; categories: AnyPgColumn }, person: Audience): SQL {
	const owners = selfAndAncestorIds(person.orgPath)
	return and(
		or(isNull(content.ownerOrgId), owners.length ? inArray(content.ownerOrgId, owners) : undefined),
		or(isNull(content.categories), arrayContains(content.categories, [person.category])),
	)!
}
