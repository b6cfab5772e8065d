import type { ActionFunctionArgs } from '@remix-run/node'
import { requireContentScope } from '#app/auth/auth.server.ts'
import { renderMarkdown } from '#app/utils/markdown.server.ts'

// Live preview of lesson markdown: rendered and sanitised by the same code as the lesson page.
export async function action({ request }: ActionFunctionArgs) {
	await requireContentScope(request)
	const body = String((await request.formData()).get('body') ?? '').slice(0, 50_000)
	return { html: renderMarkdown(body) }
}
