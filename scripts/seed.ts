// Loads the demo county into the configured database, once: `npm run db:seed`.
// (The embedded database seeds itself on first start; a server never does so on its own.)
import { isDatabaseEmpty, seedDemo } from '#app/demo/seed.server.ts'
import { closeDatabase, db, dbKind } from '#app/utils/db.server.ts'
import { prepareApp } from '#app/utils/startup.server.ts'

await prepareApp({ seedIfEmpty: false })
if (await isDatabaseEmpty(db)) {
	await seedDemo(db)
	console.log(`已载入示范县演示数据（${dbKind()}）`)
} else {
	console.log('数据库中已有人员，未重复载入演示数据')
}
await closeDatabase()
