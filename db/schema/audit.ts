import { bigserial, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { people } from './people.ts'

// Written by every administrative action. `detail` never holds personal data in clear.
export const auditLog = pgTable(
	'audit_log',
	{
		id: bigserial({ mode: 'number' }).primaryKey(),
		at: timestamp({ withTimezone: true }).notNull().defaultNow(),
		actorId: uuid().references(() => people.id, { onDelete: 'set null' }),
		action: text().notNull(),
		targetType: text().notNull(),
		targetId: text(),
		// The organisation the target belongs to, so regulators can read the log of their subtree.
		orgId: uuid(),
		detail: jsonb().$type<Record<string, unknown>>().notNull().default({}),
	},
	(t) => [index('audit_log_at_idx').on(t.at), index('audit_log_org_idx').on(t.orgId)],
)
