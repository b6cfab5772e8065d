import { databaseHealth, dbKind } from '#app/utils/db.server.ts'

// For the load balancer and the supervisor: 200 { ok: true, db } while the database answers,
// 503 { ok: false, db, fault } (timeout, unavailable, disk_full) while it does not.
export async function loader() {
	const health = await databaseHealth()
	const body = health.ok ? { ok: true, db: dbKind() } : { ok: false, db: dbKind(), fault: health.fault }
	return Response.json(body, { status: health.ok ? 200 : 503, headers: { 'Cache-Control': 'no-store' } })
}
