import fs from 'node:fs'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { sql, type SQL } from 'drizzle-orm'
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator'
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js'
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator'
import postgres from 'postgres'
import * as schema from '#db/schema.ts'
import { claimDataDir } from './data-dir-lock.server.ts'
import { databaseFaultOf, type DatabaseFault } from './db-errors.server.ts'
import { getEnv } from './env.server.ts'
import { assertRoomToStart, guardPglite } from './pglite-guard.server.ts'
import { singleton, dropSingleton } from './singleton.server.ts'

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0]
/** Either the database or an open transaction: domain functions accept both. */
export type DbOrTx = Db | Tx

type Connection =
	| { kind: 'pglite'; db: Db; client: PGlite; close: () => Promise<void> }
	| { kind: 'postgres'; db: Db; client: postgres.Sql; close: () => Promise<void> }

const MIGRATIONS_FOLDER = path.resolve('db/migrations')
// Any constant: serialises migrations when several app instances start at once.
const MIGRATION_LOCK_ID = 727_2026

function connect(): Connection {
	const env = getEnv()
	if (env.DATABASE_URL) {
		const client = postgres(env.DATABASE_URL, {
			max: env.DATABASE_POOL_MAX,
			prepare: env.DATABASE_PREPARE,
			onnotice: () => {},
			// An unreachable server (no answer at all) fails a request after 10 s, not postgres.js's 30.
			connect_timeout: 10,
			// postgres.js waits before reopening a connection that closed on an error, and its default
			// wait grows with every such close across the pool (3^n / 100 s, up to 20 s): after a
			// server restart, requests sat seconds (up to 20 s) on connections waiting to reopen
			// (scripts/faults.ts). Capped at 1 s, saves resume within a second of the server being back.
			backoff: (retries: number) => Math.min(0.1 * retries, 1),
			connection: {
				application_name: 'anquan-peixun',
				// Sent with every new connection, so a reconnect after a server restart has it too.
				...(env.DATABASE_STATEMENT_TIMEOUT_MS ? { statement_timeout: env.DATABASE_STATEMENT_TIMEOUT_MS } : {}),
			},
		})
		const db = drizzlePostgres({ client, schema, casing: 'snake_case' }) as unknown as Db
		return { kind: 'postgres', db, client, close: () => client.end({ timeout: 5 }) }
	}
	const dataDir = pgliteDataDir(env.DATA_DIR)
	let release = () => {}
	const onDisk = !dataDir.startsWith('memory://')
	if (onDisk) {
		fs.mkdirSync(dataDir, { recursive: true })
		assertRoomToStart(dataDir)
		release = claimDataDir(dataDir)
	}
	// statement_timeout is not applied here: PGlite accepts it but never cancels (one WASM thread).
	const client = new PGlite(dataDir)
	if (onDisk) guardPglite(client, dataDir)
	const db = drizzlePglite({ client, schema, casing: 'snake_case' }) as unknown as Db
	return { kind: 'pglite', db, client, close: () => client.close().finally(release) }
}

/** The embedded database's folder (or memory://): PGLITE_DATA_DIR, else <DATA_DIR>/pglite. */
export function pgliteDataDir(dataDir: string) {
	return process.env.PGLITE_DATA_DIR ?? path.join(dataDir, 'pglite')
}

function connection(): Connection {
	return singleton('db', connect)
}

/**
 * The one database client of this process (PGlite when DATABASE_URL is unset). It connects
 * on first use, so importing this module never opens a database or reads the config.
 */
export const db: Db = new Proxy({} as Db, {
	get(_target, prop) {
		const real = connection().db as unknown as Record<PropertyKey, unknown>
		const value = real[prop]
		return typeof value === 'function' ? (value as Function).bind(real) : value
	},
})

export function dbKind(): 'pglite' | 'postgres' {
	return connection().kind
}

/**
 * Migrates the schema, then runs `andThen` (the start-up's content sync) under the same lock, so
 * instances starting at once on an empty database take turns instead of inserting the same rows.
 * The lock is held by an open transaction (pg_advisory_xact_lock), which PgBouncer in transaction
 * mode keeps on one server connection; a session-level lock could be left behind there.
 */
export async function migrateDatabase(andThen?: () => Promise<void>) {
	const conn = connection()
	if (conn.kind === 'pglite') {
		await migratePglite(conn.db as never, { migrationsFolder: MIGRATIONS_FOLDER })
		await andThen?.()
		return
	}
	await conn.client.begin(async (lock) => {
		// Waiting for another instance's migration, or a long one, is not a stuck request.
		await lock`set local statement_timeout = 0`
		await lock`select pg_advisory_xact_lock(${MIGRATION_LOCK_ID})`
		await migratePostgres(conn.db as never, { migrationsFolder: MIGRATIONS_FOLDER })
		await andThen?.()
	})
}

/** For /healthz: does the database answer `select 1` within 5 s, and if not, which fault. */
export async function databaseHealth(): Promise<{ ok: true } | { ok: false; fault: DatabaseFault }> {
	let timer: NodeJS.Timeout | undefined
	try {
		const timeout = new Promise<never>((_, reject) => {
			timer = setTimeout(() => reject(Object.assign(new Error('select 1 took over 5 s'), { code: '57014' })), 5_000)
		})
		await Promise.race([db.execute(sql`select 1`), timeout])
		return { ok: true }
	} catch (error) {
		return { ok: false, fault: databaseFaultOf(error) ?? 'unavailable' }
	} finally {
		clearTimeout(timer)
	}
}

export async function closeDatabase() {
	const store = globalThis as unknown as { __singletons?: Map<string, unknown> }
	const conn = store.__singletons?.get('db') as Connection | undefined
	if (!conn) return
	dropSingleton('db')
	await conn.close()
}

/** Rows of a raw SQL query, whichever driver ran it (postgres.js returns an array, PGlite an object). */
export async function queryRows<T extends Record<string, unknown>>(query: SQL, tx: DbOrTx = db): Promise<T[]> {
	const result = (await tx.execute(query)) as unknown
	return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[]
}
