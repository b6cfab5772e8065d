import type { LoaderFunctionArgs } from '@remix-run/node'
import { notFound } from '#app/auth/auth.server.ts'
import { attachmentDisposition } from '#app/records/offline.ts'
import { offlineAttachment } from '#app/records/offline.server.ts'
import { requireTrainingManager } from '#app/records/plans-scope.server.ts'
import { db } from '#app/utils/db.server.ts'

// The sign-in sheet of a training, for the managers of its enterprise only. Served with the type
// read from its own bytes and nosniff, so a file can never be taken for a page or a script.

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { scope } = await requireTrainingManager(request)
	const file = await offlineAttachment(db, scope, params.trainingId!)
	if (!file) throw notFound()
	const download = new URL(request.url).searchParams.get('download') === '1'
	return new Response(new Uint8Array(file.bytes), {
		headers: {
			'Content-Type': file.type,
			'Content-Length': String(file.bytes.byteLength),
			'Content-Disposition': attachmentDisposition(file.name, file.type, download),
			'X-Content-Type-Options': 'nosniff',
			'Cache-Control': 'private, no-store',
		},
	})
}
