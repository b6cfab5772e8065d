import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { FilterSelect } from '#app/components/forms.tsx'
import { listCases } from '#app/outreach/cases.server.ts'
import { publicMeta } from '#app/utils/meta.ts'

// GET /cases — public, no sign-in: the 警示教育 case library, filtered by industry and cause with a
// plain GET form so that it works without JavaScript and a filtered list can be shared as a link.

const DESCRIPTION = '根据公开的事故调查报告改写的警示教育案例：事故经过、原因分析、责任追究、防范措施和教训，每个案例附自测题。'

export const meta: MetaFunction = (args) => publicMeta(args, { title: '警示教育案例库', description: DESCRIPTION })

export async function loader({ request }: LoaderFunctionArgs) {
	const url = new URL(request.url)
	const industry = (url.searchParams.get('industry') ?? '').slice(0, 64)
	const cause = (url.searchParams.get('cause') ?? '').slice(0, 64)
	const library = await listCases({ industry, cause })
	return { ...library, filter: { industry, cause } }
}

export default function CaseLibrary() {
	const { cases, total, industries, causes, filter } = useLoaderData<typeof loader>()
	const filtered = Boolean(filter.industry || filter.cause)
	return (
		<article className="case-library">
			<h1>警示教育案例库</h1>
			<p className="muted">{DESCRIPTION}单位、人物和地名均已隐去。</p>
			<Form method="get" className="filters case-filters" role="search" aria-label="筛选案例">
				<FilterSelect name="industry" label="行业" value={filter.industry} options={industries} />
				<FilterSelect name="cause" label="事故原因" value={filter.cause} options={causes.map((c) => [c, c])} />
				<div className="actions">
					<button type="submit">筛选</button>
					{filtered ? <Link to="/cases">清除筛选</Link> : null}
				</div>
			</Form>
			<p role="status" data-testid="case-count">
				{filtered ? `符合条件的案例 ${cases.length} 个（共 ${total} 个）` : `共 ${total} 个案例`}
			</p>
			{cases.length ? (
				<ul className="case-list">
					{cases.map((c) => (
						<li key={c.slug} className="card">
							<h2 className="case-list-title">
								<Link to={`/cases/${c.slug}`}>{c.title}</Link>
							</h2>
							<p className="case-meta muted">
								{c.industryName} · {c.year} 年
							</p>
							<p className="case-summary">{c.summary}</p>
							<ul className="case-causes" aria-label="事故原因">
								{c.causes.map((cause) => (
									<li key={cause}>
										<Link className="badge" to={`/cases?cause=${encodeURIComponent(cause)}`}>
											{cause}
										</Link>
									</li>
								))}
							</ul>
						</li>
					))}
				</ul>
			) : (
				<p className="card">没有符合条件的案例，请换一个行业或原因再试。</p>
			)}
		</article>
	)
}
