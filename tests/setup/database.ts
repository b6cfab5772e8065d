import { randomBytes } from 'node:crypto'
import postgres from 'postgres'
import { afterAll, beforeAll } from 'vitest'
import { dropSingleton } from '#app/utils/singleton.server.ts'

// Every test file gets a database of its own: an in-memory PGlite by default, or a fresh
// database on the server named by DATABASE_URL (created here, dropped afterwards).

process.env.NODE_ENV = 'test'
process.env.SESSION_SECRET = 'test-session-secret-000000000000000000000'
process.env.PII_ENCRYPTION_KEY = 'test-pii-encryption-key-00000000000000000'
process.env.PII_LOOKUP_KEY = 'test-pii-lookup-key-000000000000000000000'
process.env.CERTIFICATE_KEY = 'test-certificate-key-00000000000000000000'
dropSingleton('env')
dropSingleton('db')

const serverUrl = process.env.TEST_DATABASE_SERVER_URL ?? process.env.DATABASE_URL
let dropDatabase: (() => Promise<void>) | undefined

if (serverUrl) {
	process.env.TEST_DATABASE_SERVER_URL = serverUrl
	const name = `test_${process.pid}_${randomBytes(4).toString('hex')}`
	const admin = postgres(serverUrl, { max: 1, onnotice: () => {} })
	await admin.unsafe(`create database ${name}`)
	const url = new URL(serverUrl)
	url.pathname = `/${name}`
	process.env.DATABASE_URL = url.toString()
	dropDatabase = async () => {
		await admin.unsafe(`drop database if exists ${name} with (force)`)
		await admin.end()
	}
} else {
	delete process.env.DATABASE_URL
	process.env.PGLITE_DATA_DIR = 'memory://'
}

beforeAll(async () => {
	const { migrateDatabase, db } = await import('#app/utils/db.server.ts')
	const { readCatalogue, syncCatalogue } = await import('#app/content/catalogue.server.ts')
	await migrateDatabase()
	await syncCatalogue(db, await readCatalogue())
})

afterAll(async () => {
	const { closeDatabase } = await import('#app/utils/db.server.ts')
	await closeDatabase()
	dropSingleton('env')
	await dropDatabase?.()
})
