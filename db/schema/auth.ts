import { index, integer, pgEnum, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core'
import { organizations } from './orgs.ts'
import { people } from './people.ts'

export const roleName = pgEnum('role_name', [
	'system_admin', // 系统管理员: everything
	'regulator', // 安委办/监管人员: the subtree of their organisation
	'enterprise_admin', // 企业安全管理员: their enterprise
	'content_editor', // 内容编辑: platform content (org null) or their enterprise's
])

// Every person with a password is also a 从业人员 of their own record; only roles above that are stored.
export const roleAssignments = pgTable(
	'role_assignments',
	{
		id: uuid().primaryKey().defaultRandom(),
		personId: uuid()
			.notNull()
			.references(() => people.id, { onDelete: 'cascade' }),
		role: roleName().notNull(),
		// The root of the role's scope; null means platform-wide.
		orgId: uuid().references(() => organizations.id),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [unique('role_assignments_unique').on(t.personId, t.role, t.orgId).nullsNotDistinct()],
)

// Only the SHA-256 of the session token is stored: a database leak yields no usable cookie.
export const sessions = pgTable(
	'sessions',
	{
		id: text().primaryKey(),
		personId: uuid()
			.notNull()
			.references(() => people.id, { onDelete: 'cascade' }),
		expiresAt: timestamp({ withTimezone: true }).notNull(),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [index('sessions_person_idx').on(t.personId)],
)

// Failed sign-in counters, per account (keyed hash of the phone) and per client IP.
export const signInThrottle = pgTable('sign_in_throttle', {
	key: text().primaryKey(),
	failures: integer().notNull(),
	windowStartedAt: timestamp({ withTimezone: true }).notNull(),
	lockedUntil: timestamp({ withTimezone: true }),
})
