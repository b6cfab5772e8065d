import { sql } from 'drizzle-orm'
import { index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'

export const jobStatus = pgEnum('job_status', ['queued', 'running', 'done', 'failed'])

// Background work on PostgreSQL: any app instance may claim a due job (FOR UPDATE SKIP LOCKED), and
// each runs once. `key` makes scheduling idempotent: a periodic job's key is its time slot, so however
// many instances schedule the slot, one job exists.
export const jobs = pgTable(
	'jobs',
	{
		id: uuid().primaryKey().defaultRandom(),
		kind: text().notNull(),
		key: text().notNull(),
		payload: jsonb().$type<Record<string, unknown>>().notNull().default({}),
		status: jobStatus().notNull().default('queued'),
		runAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
		attempts: integer().notNull().default(0),
		// A running job whose lease has passed (its instance died) is claimed again.
		lockedUntil: timestamp({ withTimezone: true }),
		lockedBy: text(),
		result: jsonb().$type<Record<string, unknown>>(),
		lastError: text(),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
		finishedAt: timestamp({ withTimezone: true }),
	},
	(t) => [
		uniqueIndex('jobs_kind_key').on(t.kind, t.key),
		index('jobs_due_idx').on(t.runAt).where(sql`${t.status} in ('queued', 'running')`),
	],
)
