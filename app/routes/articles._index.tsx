import type { MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { settingLabel } from '#app/outreach/articles.ts'
import { publishedArticles } from '#app/outreach/articles.server.ts'
import { chinaDay } from '#app/utils/days.ts'
import { publicMeta } from '#app/utils/meta.ts'

// GET /articles — public, no sign-in: the 宣传文章 editors have published, newest first.

const DESCRIPTION = '安全生产宣传文章：通知、活动和面向企业、农村、社区、学校、家庭的安全知识，由平台内容编辑发布。'

export const meta: MetaFunction = (args) => publicMeta(args, { title: '宣传文章', description: DESCRIPTION })

export async function loader() {
	const articles = await publishedArticles()
	return {
		articles: articles.map((a) => ({ slug: a.slug, title: a.title, summary: a.summary, setting: settingLabel(a.setting), publishedOn: chinaDay(a.publishedAt) })),
	}
}

export default function Articles() {
	const { articles } = useLoaderData<typeof loader>()
	return (
		<article>
			<h1>宣传文章</h1>
			{articles.length ? (
				<ul className="case-list">
					{articles.map((a) => (
						<li key={a.slug} className="card">
							<h2 className="case-list-title">
								<Link to={`/articles/${a.slug}`}>{a.title}</Link>
							</h2>
							<p className="case-meta muted">
								<time dateTime={a.publishedOn}>{a.publishedOn}</time>
								{a.setting ? ` · ${a.setting}` : null}
							</p>
							<p className="case-summary">{a.summary}</p>
						</li>
					))}
				</ul>
			) : (
				<p className="card">还没有发布的文章。可以先看看 <Link to="/wujin">安全宣传“五进”</Link> 和 <Link to="/cases">警示案例</Link>。</p>
			)}
		</article>
	)
}
