import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { eq, sql } from 'drizzle-orm'
import postgres from 'postgres'
import { afterAll, expect, test } from 'vitest'
import { attempts, people } from '#db/schema.ts'
import { readCatalogue, syncCatalogue } from '#app/content/catalogue.server.ts'
import { syncShippedContent } from '#app/content/sync.server.ts'
import { seedDemo } from '#app/demo/seed.server.ts'
import { closeDatabase, db, dbKind, migrateDatabase, queryRows } from '#app/utils/db.server.ts'
import { completeCourses, newWorker, preJobTemplateOf, submittedAttempt } from '#tests/fixtures/records.ts'

// scripts/backup.ts and scripts/restore.ts, spawned as an operator would run them, in the mode
// this run is in: the embedded database (a PGlite data folder) by default, the PostgreSQL server
// when DATABASE_URL is set. Known records are written, backed up, wiped, restored, and every
// table's row count and checksum, and every sequence, must come back the same.

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'anquan-backup-'))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

/** Runs one of the scripts with this environment; its exit code and output. */
function script(name: 'backup' | 'restore', args: string[], env: NodeJS.ProcessEnv) {
	const result = spawnSync(process.execPath, ['--import', 'tsx', `scripts/${name}.ts`, ...args], { env, encoding: 'utf8', timeout: 120_000 })
	return { status: result.status, output: `${result.stdout}${result.stderr}` }
}

/** Per table (the app's and drizzle's migration log): row count and an md5 of all its rows; every sequence's position. */
async function fingerprint() {
	const tables = await queryRows<{ schema: string; name: string }>(
		sql`select table_schema as schema, table_name as name from information_schema.tables
			where table_schema in ('public', 'drizzle') and table_type = 'BASE TABLE' order by 1, 2`,
	)
	const result: Record<string, string> = {}
	for (const t of tables) {
		const table = sql.raw(`"${t.schema}"."${t.name}"`)
		const [row] = await queryRows<{ n: number; sum: string }>(sql`select count(*)::int as n, md5(coalesce(string_agg(t::text, E'\\n' order by t::text), '')) as sum from ${table} t`)
		result[`${t.schema}.${t.name}`] = `${row!.n} ${row!.sum}`
	}
	for (const s of await queryRows<{ name: string; last: string | null }>(sql`select schemaname || '.' || sequencename as name, last_value::text as last from pg_sequences order by 1`)) {
		result[`sequence ${s.name}`] = String(s.last)
	}
	return result
}

test('a backup, a wipe and a restore give back every row of every table', { timeout: 300_000 }, async () => {
	const server = dbKind() === 'postgres'
	const env: NodeJS.ProcessEnv = { ...process.env }
	const dataDir = path.join(dir, 'pglite')
	if (!server) {
		// The embedded database of this file lives in memory: move to a data folder, as the app's.
		await closeDatabase()
		process.env.PGLITE_DATA_DIR = env.PGLITE_DATA_DIR = dataDir
		await migrateDatabase()
		await syncCatalogue(db, await readCatalogue())
	}
	await syncShippedContent(db)
	await seedDemo(db)
	// Known records on top of the demo county: a person with study time and a submitted exam.
	const personId = await newWorker('demo-coal', ['coal_underground'])
	await completeCourses(personId, (await queryRows<{ id: string }>(sql`select id from courses order by id limit 2`)).map((c) => c.id), new Date())
	await submittedAttempt(personId, await preJobTemplateOf('coal_underground'), new Date(), true)
	const before = await fingerprint()
	expect(Number(before['public.people']!.split(' ')[0])).toBeGreaterThan(60)
	expect(Number(before['public.lesson_progress']!.split(' ')[0])).toBeGreaterThan(0)
	expect(before['drizzle.__drizzle_migrations']).toBeDefined()

	const file = path.join(dir, server ? 'backup.dump' : 'backup.tar.gz')
	if (server) {
		expect(script('backup', ['--out', file], env)).toMatchObject({ status: 0 })
		// Restoring over a database with data needs --yes.
		const refused = script('restore', [file], env)
		expect(refused.status).toBe(1)
		expect(refused.output).toContain('--yes')
		expect(await fingerprint()).toEqual(before)
		// Wipe: drop the database and create it empty.
		await closeDatabase()
		const name = new URL(env.DATABASE_URL!).pathname.slice(1)
		const admin = postgres(env.TEST_DATABASE_SERVER_URL!, { max: 1, onnotice: () => {} })
		await admin.unsafe(`drop database ${name} with (force)`)
		await admin.unsafe(`create database ${name}`)
		await admin.end()
	} else {
		// PGlite is single-process: while this process (the "app") has the folder open, both refuse.
		await db.select().from(people).limit(1)
		const busy = script('backup', ['--out', file], env)
		expect(busy.status).toBe(1)
		expect(busy.output).toContain(`正被进程 ${process.pid} 使用`)
		expect(fs.existsSync(file)).toBe(false)
		await closeDatabase()
		expect(script('backup', ['--out', file], env)).toMatchObject({ status: 0 })
		// Wipe: the folder is gone.
		fs.rmSync(dataDir, { recursive: true })
	}
	expect(fs.statSync(file).size).toBeGreaterThan(10_000)

	const restored = script('restore', [file], env)
	expect(restored, restored.output).toMatchObject({ status: 0 })
	expect(await fingerprint()).toEqual(before)
	const [person] = await db.select().from(people).where(eq(people.id, personId))
	expect(person?.name).toMatch(/^测试人员/)
	// The immutability triggers came back with the schema.
	await expect(db.delete(attempts).where(eq(attempts.personId, personId))).rejects.toThrow()

	if (!server) {
		// Restoring again keeps the folder it replaces beside it.
		await closeDatabase()
		expect(script('restore', [file], env)).toMatchObject({ status: 0 })
		expect(fs.readdirSync(dir).filter((f) => f.startsWith('pglite.before-restore-'))).toHaveLength(1)
		expect(await fingerprint()).toEqual(before)
	}
})

test('--help explains both modes and that secrets are not in the backup', () => {
	for (const name of ['backup', 'restore'] as const) {
		const help = script(name, ['--help'], process.env)
		expect(help.status).toBe(0)
		expect(help.output).toContain('PII_ENCRYPTION_KEY')
		expect(help.output).toMatch(/密钥不在备份中|备份中不含密钥/)
		expect(help.output).toContain('Secrets are')
	}
})
