import { sql } from 'drizzle-orm'
import { expect, test } from 'vitest'
import { dbKind, migrateDatabase, queryRows } from '#app/utils/db.server.ts'

test('migrations apply on the configured database and are idempotent', async () => {
	await migrateDatabase()
	const tables = await queryRows<{ table_name: string }>(
		sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
	)
	expect(tables.map((r) => r.table_name)).toEqual(
		expect.arrayContaining(['organizations', 'people', 'sessions', 'role_assignments', 'audit_log', 'job_types', 'sign_in_throttle']),
	)
	expect(dbKind()).toBe(process.env.TEST_DATABASE_SERVER_URL ? 'postgres' : 'pglite')
})
