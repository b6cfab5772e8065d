import type { ActionFunctionArgs } from '@remix-run/node'
import { requireContentScope } from '#app/auth/auth.server.ts'
import { renderWithGlossary } from '#app/outreach/cases.server.ts'

// Live preview of lesson and article markdown: rendered, sanitised and glossary-linked by the same
// code as the lesson and article pages.
export async function action({ request }: ActionFunctionArgs) {
	await requireContentScope(request)
	const body = String((await request.formData()).get('body') ?? '').slice(0, 50_000)
	return { html: await renderWithGlossary(body) }
}
