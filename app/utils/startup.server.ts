import { syncShippedContent } from '#app/content/sync.server.ts'
import { isDatabaseEmpty, seedDemo } from '#app/demo/seed.server.ts'
import { db, dbKind, migrateDatabase } from './db.server.ts'
import { getEnv } from './env.server.ts'
import { logger } from './logger.server.ts'

/**
 * Everything the app needs before it serves: valid config, migrated schema, shipped content.
 * The embedded database is seeded with the demo county on its first start; a server given by
 * DATABASE_URL is seeded only by `npm run db:seed`.
 */
export async function prepareApp({ seedIfEmpty = true } = {}) {
	const env = getEnv()
	await migrateDatabase(() => syncShippedContent(db))
	if (seedIfEmpty && dbKind() === 'pglite' && env.NODE_ENV !== 'test' && (await isDatabaseEmpty(db))) {
		await seedDemo(db)
		logger.info({ event: 'demo.seeded' }, '已载入示范县演示数据')
	}
	logger.info({ event: 'app.ready', db: dbKind() }, '数据库已就绪')
}
