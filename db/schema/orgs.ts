import { sql } from 'drizzle-orm'
import { index, integer, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'

// 县 → 乡镇/街道 → 企业、村/社区; 政府部门 hang under the county or a township.
export const orgKind = pgEnum('org_kind', [
	'county',
	'township',
	'enterprise',
	'village',
	'community',
	'department',
])

export const industries = pgTable('industries', {
	code: text().primaryKey(),
	name: text().notNull(),
	sortOrder: integer().notNull().default(0),
})

export const organizations = pgTable(
	'organizations',
	{
		id: uuid().primaryKey(),
		parentId: uuid().references((): any => organizations.id),
		// Materialised ancestry "/<root id>/…/<own id>/": a subtree is one prefix match.
		path: text().notNull(),
		kind: orgKind().notNull(),
		name: text().notNull(),
		// Stable key for organisations shipped in content/ (null for ones created in the app).
		code: text().unique(),
		industryCode: text().references(() => industries.code),
		// 统一社会信用代码, enterprises only.
		creditCode: text(),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [
		index('organizations_path_idx').using('btree', sql`${t.path} text_pattern_ops`),
		index('organizations_parent_idx').on(t.parentId),
	],
)
