import type { MetaArgs, MetaDescriptor } from '@remix-run/node'

export const SITE_NAME = '安全生产培训考试与宣教平台'

/** The image link previews show (WeChat, QQ, Weibo): 1200×630, in public/. */
export const SHARE_IMAGE = '/og-image.png'

type PublicPage = {
	title: string
	description: string
	type?: 'website' | 'article'
	/** Pages that should not be indexed (a shared self-test result): still previewed, never listed. */
	noindex?: boolean
}

/** The site's origin as the root loader saw the request (links in previews must be absolute). */
function siteOrigin(matches: MetaArgs['matches']) {
	const root = matches.find((m) => m.id === 'root')?.data as { origin?: string } | undefined
	return root?.origin ?? ''
}

/**
 * The <title>, description, canonical link and Open Graph tags of a public page, so a link shared in
 * WeChat shows a title, a sentence and the site's image.
 */
export function publicMeta({ matches, location }: Pick<MetaArgs, 'matches' | 'location'>, page: PublicPage): MetaDescriptor[] {
	const origin = siteOrigin(matches)
	const url = `${origin}${location.pathname}`
	return [
		{ title: page.title === SITE_NAME ? SITE_NAME : `${page.title} · ${SITE_NAME}` },
		{ name: 'description', content: page.description },
		...(page.noindex ? [{ name: 'robots', content: 'noindex' }] : []),
		{ tagName: 'link', rel: 'canonical', href: url },
		{ property: 'og:site_name', content: SITE_NAME },
		{ property: 'og:type', content: page.type ?? 'website' },
		{ property: 'og:locale', content: 'zh_CN' },
		{ property: 'og:title', content: page.title },
		{ property: 'og:description', content: page.description },
		{ property: 'og:url', content: url },
		{ property: 'og:image', content: `${origin}${SHARE_IMAGE}` },
		{ property: 'og:image:width', content: '1200' },
		{ property: 'og:image:height', content: '630' },
		{ name: 'twitter:card', content: 'summary_large_image' },
	]
}
