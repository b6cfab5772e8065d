import { auditLog } from '#db/schema.ts'
import type { DbOrTx } from './db.server.ts'

export type AuditEntry = {
	actorId: string | null
	action: string
	targetType: string
	targetId?: string | null
	orgId?: string | null
	/** Never personal data in clear: names of changed fields, counts, codes. */
	detail?: Record<string, unknown>
}

/** Written inside the same transaction as the change it records. */
export async function writeAudit(tx: DbOrTx, entry: AuditEntry) {
	await tx.insert(auditLog).values({ ...entry, detail: entry.detail ?? {} })
}
