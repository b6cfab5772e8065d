// What search engines may index: the sitemap of the public pages and robots.txt. Pure; the
// pages themselves come from app/outreach/indexing.server.ts.

/**
 * Areas behind sign-in (and pages only for one visitor: a shared self-test result, a competition
 * paper). Prefixes as robots.txt reads them; `*` stands for a slug. Certificate pages under /verify/
 * stay crawlable so that their noindex is seen.
 */
export const PRIVATE_PATHS = [
	'/admin',
	'/ent',
	'/gov',
	'/people',
	'/orgs',
	'/editor',
	'/bank',
	'/exams',
	'/exam-templates',
	'/attempts',
	'/me',
	'/learn',
	'/practice',
	'/plans',
	'/trainings',
	'/certificates',
	'/spot-checks',
	'/registers',
	'/inspections',
	'/check',
	'/quiz',
	'/rules',
	'/audit',
	'/password',
	'/login',
	'/logout',
	'/healthz',
	'/self-test/r/',
	'/competitions/new',
	'/competitions/manage',
	'/competitions/*/paper',
	'/competitions/*/manage',
	'/competitions/*/edit',
	'/competitions/*/results.xlsx',
] as const

export function robotsTxt(origin: string) {
	return ['User-agent: *', 'Allow: /', ...PRIVATE_PATHS.map((p) => `Disallow: ${p}`), '', `Sitemap: ${origin}/sitemap.xml`, ''].join('\n')
}

export type SitemapEntry = { path: string; lastModified?: Date }

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

export function sitemapXml(origin: string, entries: SitemapEntry[]) {
	const urls = entries.map(({ path, lastModified }) => {
		const lastmod = lastModified ? `<lastmod>${lastModified.toISOString()}</lastmod>` : ''
		return `<url><loc>${escapeXml(`${origin}${path}`)}</loc>${lastmod}</url>`
	})
	return ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">', ...urls, '</urlset>', ''].join('\n')
}
