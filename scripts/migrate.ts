// Applies the committed migrations to the configured database (PGlite or DATABASE_URL).
import { closeDatabase, dbKind, migrateDatabase } from '#app/utils/db.server.ts'

await migrateDatabase()
console.log(`已迁移（${dbKind()}）`)
await closeDatabase()
