import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import type { ColumnDef } from '@tanstack/react-table'
import { DataTable } from '#app/components/data-table.tsx'
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

type Row = Awaited<ReturnType<typeof loader>>['rows'][number]
const columnsFor = (year: string): ColumnDef<Row, any>[] => [
	{ id: 'name', header: '姓名', enableSorting: false, cell: ({ row }) => <Link to={`/people/${row.original.personId}`}>{row.original.name}</Link> },
	{ id: 'org', header: '单位', enableSorting: false, cell: ({ row }) => row.original.orgName },
	{ id: 'category', header: '人员类别', enableSorting: false, cell: ({ row }) => row.original.category },
	{ id: 'position', header: '职务', enableSorting: false, cell: ({ row }) => row.original.position || '—' },
	{ id: 'rotation', header: `${year} 年轮训学时`, enableSorting: false, cell: ({ row }) => row.original.rotationHours },
	{
		id: 'spotCheck',
		header: '最近抽考',
		enableSorting: false,
		cell: ({ row }) => {
			const check = row.original.spotCheck
			return check ? (check.inScope ? <Link to={`/spot-checks/${check.id}`}>{check.title}</Link> : check.title) : '—'
		},
	},
	{ id: 'result', header: '抽考结果', enableSorting: false, cell: ({ row }) => (row.original.spotCheck?.failed ? <span className="badge warn">{row.original.result}</span> : row.original.result) },
	{ id: 'day', header: '日期', enableSorting: false, cell: ({ row }) => row.original.spotCheck?.day ?? '—' },
]

export default function LeadersRegister() {
	const { filter, rows, total, page, year, orgs, exportHref } = useLoaderData<typeof loader>()
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
			<DataTable columns={columnsFor(year)} rows={rows} total={total} page={page} pageSize={PAGE_SIZE} caption="领导干部和关键岗位人员" />
		</>
	)
}
