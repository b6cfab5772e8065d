import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { FilterSelect } from '#app/components/forms.tsx'
import { describeSpotCheckResult, LEADER_CATEGORIES } from '#app/oversight/leaders.ts'
import { leadersRegister, parseLeadersQuery } from '#app/oversight/leaders.server.ts'
import { orgsForSpotChecks, requireSpotCheckScope } from '#app/oversight/spot-checks.server.ts'
import { ORG_KINDS, PERSON_CATEGORIES } from '#app/people/labels.ts'
import { db } from '#app/utils/db.server.ts'
import { chinaDay } from '#app/utils/days.ts'

// 领导干部登记在册: 党政领导干部、主要负责人、安全管理人员 in scope, their 轮训 this year and their
// last 随机抽考, filterable by category and organisation, exportable.

export const meta: MetaFunction = () => [{ title: '领导干部登记 · 安全生产培训考试平台' }]

const PAGE_SIZE = 50

export async function loader({ request }: LoaderFunctionArgs) {
	const { scope } = await requireSpotCheckScope(request)
	const url = new URL(request.url)
	const query = parseLeadersQuery(url.searchParams)
	const [orgs, register] = await Promise.all([orgsForSpotChecks(db, scope), leadersRegister(db, scope, query, { page: query.page, pageSize: PAGE_SIZE })])
	const exportParams = new URLSearchParams()
	if (query.category) exportParams.set('category', query.category)
	if (query.orgId) exportParams.set('orgId', query.orgId)
	return {
		filter: { category: query.category ?? '', orgId: query.orgId ?? '' },
		page: query.page,
		pages: Math.max(1, Math.ceil(register.total / PAGE_SIZE)),
		total: register.total,
		year: register.year,
		exportHref: `/registers/leaders.xlsx${exportParams.size ? `?${exportParams}` : ''}`,
		orgs: orgs.filter((o) => o.kind !== 'village' && o.kind !== 'community').map((o) => [o.id, `${'　'.repeat(Math.max(0, o.path.split('/').length - 3))}${o.name}（${ORG_KINDS[o.kind]}）`] as [string, string]),
		rows: register.rows.map((r) => ({
			personId: r.personId,
			name: r.name,
			orgName: r.orgName,
			category: PERSON_CATEGORIES[r.category],
			position: r.position,
			rotationHours: r.rotationHours,
			spotCheck: r.lastSpotCheck ? { id: r.lastSpotCheck.spotCheckId, title: r.lastSpotCheck.title, inScope: r.lastSpotCheck.inScope, failed: r.lastSpotCheck.status === 'submitted' && !r.lastSpotCheck.passed, day: chinaDay(r.lastSpotCheck.at) } : null,
			result: describeSpotCheckResult(r.lastSpotCheck),
		})),
	}
}

export default function LeadersRegister() {
	const { filter, rows, total, page, pages, year, orgs, exportHref } = useLoaderData<typeof loader>()
	const pageHref = (n: number) => {
		const params = new URLSearchParams()
		if (filter.category) params.set('category', filter.category)
		if (filter.orgId) params.set('orgId', filter.orgId)
		params.set('page', String(n))
		return `?${params}`
	}
	return (
		<>
			<h1>领导干部和关键岗位人员登记</h1>
			<p className="muted">党政领导干部、企业主要负责人和安全管理人员的轮训学时（{year} 年，线下“轮训”记录）和最近一次随机抽考结果。</p>
			<Form method="get" className="filters actions">
				<FilterSelect name="category" label="人员类别" value={filter.category} options={LEADER_CATEGORIES.map((c) => [c, PERSON_CATEGORIES[c]])} />
				<FilterSelect name="orgId" label="单位" value={filter.orgId} options={orgs} anyLabel="全部单位" />
				<button type="submit" className="button secondary">
					筛选
				</button>
				<a className="button secondary" href={exportHref} download>
					导出 Excel
				</a>
			</Form>
			<div className="table-scroll">
				<table className="data">
					<caption className="muted tpl-caption">共 {total} 人</caption>
					<thead>
						<tr>
							<th scope="col">姓名</th>
							<th scope="col">单位</th>
							<th scope="col">人员类别</th>
							<th scope="col">职务</th>
							<th scope="col">{year} 年轮训学时</th>
							<th scope="col">最近抽考</th>
							<th scope="col">抽考结果</th>
							<th scope="col">日期</th>
						</tr>
					</thead>
					<tbody>
						{rows.map((r) => (
							<tr key={r.personId}>
								<td>
									<Link to={`/people/${r.personId}`}>{r.name}</Link>
								</td>
								<td>{r.orgName}</td>
								<td>{r.category}</td>
								<td>{r.position || '—'}</td>
								<td>{r.rotationHours}</td>
								<td>{r.spotCheck ? r.spotCheck.inScope ? <Link to={`/spot-checks/${r.spotCheck.id}`}>{r.spotCheck.title}</Link> : r.spotCheck.title : '—'}</td>
								<td>{r.spotCheck?.failed ? <span className="badge warn">{r.result}</span> : r.result}</td>
								<td>{r.spotCheck?.day ?? '—'}</td>
							</tr>
						))}
						{rows.length === 0 ? (
							<tr>
								<td colSpan={8} className="muted">
									没有符合条件的人员
								</td>
							</tr>
						) : null}
					</tbody>
				</table>
			</div>
			{pages > 1 ? (
				<nav className="actions" aria-label="翻页">
					{page > 1 ? <Link to={pageHref(page - 1)}>上一页</Link> : null}
					<span className="muted">
						第 {page} / {pages} 页
					</span>
					{page < pages ? <Link to={pageHref(page + 1)}>下一页</Link> : null}
				</nav>
			) : null}
		</>
	)
}
