import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { notFound, requireOrgInScope, requireRole } from '#app/auth/auth.server.ts'
import { BarChart, ColumnChart } from '#app/components/charts.tsx'
import { formatRate, monthLabel, type Rates, type Tally } from '#app/oversight/dashboard.ts'
import { breadcrumbOf, dashboardOf, dashboardTopOf, type DashboardRow } from '#app/oversight/dashboard.server.ts'
import { ORG_KINDS } from '#app/people/labels.ts'
import { CLEARANCE_STATUS_NAMES } from '#app/records/clearance.ts'

export const meta: MetaFunction = () => [{ title: '数据看板 · 安全生产培训考试平台' }]

// 辖区数据看板: county → township → enterprise → person, never above the viewer's jurisdiction.
export async function loader({ request }: LoaderFunctionArgs) {
	const user = await requireRole(request, 'regulator', 'system_admin')
	const orgId = new URL(request.url).searchParams.get('orgId') || (await dashboardTopOf(user))
	if (!orgId) throw notFound()
	const { org, scope } = await requireOrgInScope(request, orgId)
	const [dashboard, breadcrumb] = await Promise.all([dashboardOf(org), breadcrumbOf(org, scope)])
	return { dashboard, breadcrumb }
}

const dashboardHref = (orgId: string) => `/gov/dashboard?orgId=${orgId}`

function Share({ share, part, whole }: { share: number | null; part: number; whole: number }) {
	return (
		<>
			{formatRate(share)}
			{whole > 0 ? (
				<span className="muted dash-fraction">
					{' '}
					{part}/{whole}
				</span>
			) : null}
		</>
	)
}

function FigureCells({ tally, rates }: { tally: Tally; rates: Rates }) {
	return (
		<>
			<td>{tally.people}</td>
			<td>
				<Share share={rates.trained} part={tally.trained} whole={tally.people} />
			</td>
			<td>
				<Share share={rates.passed} part={tally.passed} whole={tally.submitted} />
			</td>
			<td>
				<Share share={rates.cleared} part={tally.cleared} whole={tally.people} />
			</td>
			<td>
				<Share share={rates.spotTaken} part={tally.spotTaken} whole={tally.spotDrawn} />
			</td>
			<td>
				<Share share={rates.spotPassed} part={tally.spotPassed} whole={tally.spotTaken} />
			</td>
			<td>{tally.openOrders}</td>
			<td>{tally.violations}</td>
		</>
	)
}

const FIGURE_HEADERS = ['人数', '参训率', '合格率', '上岗率', '抽考完成率', '抽考合格率', '待完成脱产培训', '三违']

function RowName({ row }: { row: DashboardRow }) {
	if (row.kind === 'person') return <Link to={`/people/${row.id}`}>{row.name}</Link>
	if (row.kind === 'self') return <>{row.name}</>
	return (
		<>
			<Link to={dashboardHref(row.id)}>{row.name}</Link>
			{row.orgKind ? <span className="muted"> {ORG_KINDS[row.orgKind]}</span> : null}
		</>
	)
}

export default function Dashboard() {
	const { dashboard, breadcrumb } = useLoaderData<typeof loader>()
	const { org, total, rows, trend, period, asOf, byPerson } = dashboard
	// Bars compare the townships or enterprises; departments and 本级 staff stay in the table.
	const compared = rows.filter((r) => r.kind === 'org' && (r.orgKind === 'township' || r.orgKind === 'enterprise'))
	const bars = (key: keyof Rates) => compared.map((r) => ({ name: r.name, share: r.rates[key], text: formatRate(r.rates[key]) }))
	const range = trend.length ? `${monthLabel(trend[0]!.month, true)}—${monthLabel(trend[trend.length - 1]!.month, true)}` : ''
	const monthNumbers = trend.map((t) => String(Number(t.month.slice(5, 7))))
	return (
		<>
			<nav aria-label="层级" className="dash-breadcrumb">
				<ol>
					{breadcrumb.map((b, i) => (
						<li key={b.id}>
							{i < breadcrumb.length - 1 ? (
								<Link to={dashboardHref(b.id)}>{b.name}</Link>
							) : (
								<span aria-current="page">{b.name}</span>
							)}
						</li>
					))}
				</ol>
			</nav>
			<h1>数据看板：{org.name}</h1>
			<p className="muted">
				人员、参训、上岗资格截至 {asOf}；考试、抽考和三违统计 {period.label}；脱产培训为目前尚未完成的。
			</p>

			<ul className="stats" aria-label="辖区合计">
				<li>
					<span className="num">{total.tally.people}</span>在册人员
				</li>
				<li>
					<span className="num">{formatRate(total.rates.trained)}</span>参训率
				</li>
				<li>
					<span className="num">{formatRate(total.rates.passed)}</span>考试合格率（{total.tally.submitted} 人次）
				</li>
				<li>
					<span className="num">{formatRate(total.rates.cleared)}</span>可以上岗
				</li>
				<li>
					<span className="num">{formatRate(total.rates.spotTaken)}</span>抽考完成率（抽中 {total.tally.spotDrawn} 人）
				</li>
				<li>
					<span className="num">{total.tally.openOrders}</span>待完成脱产培训
				</li>
				<li>
					<span className="num">{total.tally.violations}</span>三违
				</li>
			</ul>

			{compared.length ? (
				<section aria-labelledby="dash-bars">
					<h2 id="dash-bars">{compared.some((r) => r.orgKind === 'township') ? '各乡镇对比' : '各企业对比'}</h2>
					<div className="dash-charts">
						<BarChart title="参训率" bars={bars('trained')} />
						<BarChart title="考试合格率" bars={bars('passed')} />
						<BarChart title="上岗率" bars={bars('cleared')} />
					</div>
				</section>
			) : null}

			<section aria-labelledby="dash-table">
				<h2 id="dash-table">{byPerson ? '人员明细' : '下级单位明细'}</h2>
				<div className="table-scroll">
					<table className="data dash-table">
						<thead>
							<tr>
								<th scope="col">{byPerson ? '姓名' : '单位'}</th>
								{byPerson ? <th scope="col">上岗资格</th> : null}
								{FIGURE_HEADERS.map((h) => (
									<th key={h} scope="col">
										{h}
									</th>
								))}
							</tr>
						</thead>
						<tbody>
							{rows.map((row) => (
								<tr key={`${row.kind}-${row.id}`}>
									<th scope="row">
										<RowName row={row} />
										{row.position ? <span className="muted"> {row.position}</span> : null}
									</th>
									{byPerson ? <td>{row.status ? <span className={`badge clearance-${row.status}`}>{CLEARANCE_STATUS_NAMES[row.status]}</span> : '—'}</td> : null}
									<FigureCells tally={row.tally} rates={row.rates} />
								</tr>
							))}
						</tbody>
						<tfoot>
							<tr>
								<th scope="row">合计</th>
								{byPerson ? <td /> : null}
								<FigureCells tally={total.tally} rates={total.rates} />
							</tr>
						</tfoot>
					</table>
				</div>
				{rows.length ? null : <p className="muted">这里还没有人员。</p>}
			</section>

			<section aria-labelledby="dash-trend">
				<h2 id="dash-trend">近 12 个月趋势</h2>
				<div className="dash-charts">
					<ColumnChart
						title="考试人次"
						range={range}
						labels={monthNumbers}
						series={[
							{ name: '交卷', values: trend.map((t) => t.submitted), color: '#9fb8d9' },
							{ name: '合格', values: trend.map((t) => t.passed), color: '#0b5cad' },
						]}
					/>
					<ColumnChart title="三违起数" range={range} labels={monthNumbers} series={[{ name: '三违', values: trend.map((t) => t.violations), color: '#b3261e' }]} />
				</div>
				<div className="table-scroll">
					<table className="data">
						<caption className="tpl-caption">每月考试与三违</caption>
						<thead>
							<tr>
								<th scope="col">月份</th>
								<th scope="col">交卷</th>
								<th scope="col">合格</th>
								<th scope="col">合格率</th>
								<th scope="col">三违</th>
							</tr>
						</thead>
						<tbody>
							{trend.map((t) => (
								<tr key={t.month}>
									<th scope="row">{monthLabel(t.month, true)}</th>
									<td>{t.submitted}</td>
									<td>{t.passed}</td>
									<td>{formatRate(t.submitted ? t.passed / t.submitted : null)}</td>
									<td>{t.violations}</td>
								</tr>
							))}
						</tbody>
					</table>
				</div>
			</section>
		</>
	)
}
