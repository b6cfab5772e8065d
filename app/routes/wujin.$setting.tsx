import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { notFound } from '#app/auth/auth.server.ts'
import { OUTREACH_SETTINGS } from '#app/outreach/labels.ts'
import { shippedOutreach } from '#app/outreach/read.server.ts'
import { renderMarkdown } from '#app/utils/markdown.server.ts'
import { glossaryTerms } from '#app/outreach/cases.server.ts'
import { linkGlossaryTerms } from '#app/outreach/glossary-links.ts'
import { publishedArticles } from '#app/outreach/articles.server.ts'
import { publicMeta } from '#app/utils/meta.ts'

export const meta: MetaFunction<typeof loader> = ({ data, ...args }) =>
	data ? publicMeta(args, { title: data.title, description: data.summary }) : [{ title: '找不到页面 · 安全生产培训考试与宣教平台' }]

// Public: one 五进 page from content/outreach, with the titles of its related case studies.
export async function loader({ params }: LoaderFunctionArgs) {
	const setting = params.setting ?? ''
	if (!Object.hasOwn(OUTREACH_SETTINGS, setting)) throw notFound()
	const { pages, cases } = await shippedOutreach()
	const page = pages.find((p) => p.slug === setting)
	if (!page) throw notFound()
	const titles = new Map(cases.map((c) => [c.slug, c.frontMatter.title]))
	// A slug without a case is a content error the content check reports; the page still shows.
	const relatedCases = page.frontMatter.cases.flatMap((slug) => {
		const title = titles.get(slug)
		return title ? [{ slug, title }] : []
	})
	return {
		setting,
		title: page.frontMatter.title,
		summary: page.frontMatter.summary,
		html: linkGlossaryTerms(renderMarkdown(page.body), await glossaryTerms()),
		relatedCases,
		selfTestTopics: page.frontMatter.selfTestTopics,
		articles: (await publishedArticles({ setting })).map((a) => ({ slug: a.slug, title: a.title })),
	}
}

export default function WujinPage() {
	const page = useLoaderData<typeof loader>()
	return (
		<article>
			<nav className="muted" aria-label="所在位置">
				<Link to="/wujin">安全宣传“五进”</Link> › 进{OUTREACH_SETTINGS[page.setting as keyof typeof OUTREACH_SETTINGS]}
			</nav>
			<h1>{page.title}</h1>
			<p className="lead">{page.summary}</p>
			<div className="lesson-body" dangerouslySetInnerHTML={{ __html: page.html }} />
			{page.relatedCases.length > 0 ? (
				<section aria-labelledby="related-cases">
					<h2 id="related-cases">警示案例</h2>
					<ul className="plain">
						{page.relatedCases.map((c) => (
							<li key={c.slug}>
								<Link to={`/cases/${c.slug}`}>{c.title}</Link>
							</li>
						))}
					</ul>
				</section>
			) : null}
			{page.articles.length > 0 ? (
				<section aria-labelledby="related-articles">
					<h2 id="related-articles">相关文章</h2>
					<ul className="plain">
						{page.articles.map((a) => (
							<li key={a.slug}>
								<Link to={`/articles/${a.slug}`}>{a.title}</Link>
							</li>
						))}
					</ul>
				</section>
			) : null}
			<section aria-labelledby="self-test">
				<h2 id="self-test">自测</h2>
				<p>读完了？做 5 道小题检验一下，不用登录，交卷后马上看到得分和解析。题目围绕：{page.selfTestTopics.join('、')}。</p>
				<p>
					<Link to={`/self-test?setting=${page.setting}`} className="button">
						做 5 道自测题
					</Link>
				</p>
			</section>
		</article>
	)
}
