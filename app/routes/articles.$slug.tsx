import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { notFound } from '#app/auth/auth.server.ts'
import { settingLabel } from '#app/outreach/articles.ts'
import { publishedArticle } from '#app/outreach/articles.server.ts'
import { chinaDay } from '#app/utils/days.ts'
import { publicMeta } from '#app/utils/meta.ts'

// GET /articles/:slug — public, no sign-in: one published 宣传文章, glossary-linked like the 五进
// pages. Drafts answer 404 here; editors preview them at /editor/articles/<id>.

export const meta: MetaFunction<typeof loader> = ({ data, ...args }) =>
	data ? publicMeta(args, { title: data.title, description: data.summary, type: 'article' }) : [{ title: '没有这篇文章 · 安全生产培训考试与宣教平台' }]

export async function loader({ params }: LoaderFunctionArgs) {
	const article = await publishedArticle(params.slug ?? '')
	if (!article) throw notFound('没有这篇文章')
	return { ...article, settingLabel: settingLabel(article.setting), publishedOn: chinaDay(article.publishedAt) }
}

export default function ArticlePage() {
	const a = useLoaderData<typeof loader>()
	return (
		<article>
			<nav className="muted" aria-label="所在位置">
				<Link to="/articles">宣传文章</Link>
				{a.settingLabel ? (
					<>
						{' · '}
						<Link to={`/wujin/${a.setting}`}>{a.settingLabel}</Link>
					</>
				) : null}
			</nav>
			<h1>{a.title}</h1>
			<p className="muted">
				<time dateTime={a.publishedOn}>{a.publishedOn}</time> 发布
			</p>
			<p className="lead">{a.summary}</p>
			<div className="lesson-body" dangerouslySetInnerHTML={{ __html: a.html }} />
		</article>
	)
}
