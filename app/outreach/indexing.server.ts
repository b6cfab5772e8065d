import { asc } from 'drizzle-orm'
import { competitions } from '#db/schema.ts'
import { db } from '#app/utils/db.server.ts'
import { publishedArticles } from './articles.server.ts'
import { OUTREACH_SETTINGS } from './content-files.ts'
import type { SitemapEntry } from './indexing.ts'
import { shippedOutreach } from './read.server.ts'

/** Every public page, for /sitemap.xml: the shipped content, published articles and competitions. */
export async function publicPages(): Promise<SitemapEntry[]> {
	const [{ cases }, articles, contests] = await Promise.all([
		shippedOutreach(),
		publishedArticles(),
		db.select({ slug: competitions.slug, updatedAt: competitions.updatedAt }).from(competitions).orderBy(asc(competitions.opensAt)),
	])
	return [
		{ path: '/' },
		{ path: '/cases' },
		...cases.map((c) => ({ path: `/cases/${c.slug}` })),
		{ path: '/glossary' },
		{ path: '/wujin' },
		...Object.keys(OUTREACH_SETTINGS).map((setting) => ({ path: `/wujin/${setting}` })),
		{ path: '/campaigns' },
		{ path: '/articles' },
		...articles.map((a) => ({ path: `/articles/${a.slug}`, lastModified: a.updatedAt })),
		{ path: '/self-test' },
		{ path: '/competitions' },
		...contests.map((c) => ({ path: `/competitions/${c.slug}`, lastModified: c.updatedAt })),
		{ path: '/verify' },
	]
}
