import type { LoaderFunctionArgs } from '@remix-run/node'
import { sitemapXml } from '#app/outreach/indexing.ts'
import { publicPages } from '#app/outreach/indexing.server.ts'

// GET /sitemap.xml: absolute URLs of every public page, on the origin the crawler used.
export async function loader({ request }: LoaderFunctionArgs) {
	const xml = sitemapXml(new URL(request.url).origin, await publicPages())
	return new Response(xml, { headers: { 'Content-Type': 'application/xml; charset=utf-8', 'Cache-Control': 'public, max-age=3600' } })
}
