import { dbKind, pingDatabase } from '#app/utils/db.server.ts'

export async function loader() {
	const ok = await pingDatabase()
	return Response.json({ ok, db: dbKind() }, { status: ok ? 200 : 503, headers: { 'Cache-Control': 'no-store' } })
}
