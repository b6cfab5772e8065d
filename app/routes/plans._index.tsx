import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import type { ColumnDef } from '@tanstack/react-table'
import { z } from 'zod'
import { DataTable } from '#app/components/data-table.tsx'
import { listPlans } from '#app/records/plans.server.ts'
import { requireTrainingManager } from '#app/records/plans-scope.server.ts'
import { db } from '#app/utils/db.server.ts'

export const meta: MetaFunction = () => [{ title: '培训计划 · 安全生产培训考试平台' }]

const PAGE_SIZE = 20
const querySchema = z.object({
	sort: z.enum(['dueOn', 'createdAt', 'title']).catch('createdAt'),
	desc: z.enum(['1', '0']).catch('1'),
	page: z.coerce.number().int().min(1).max(100_000).catch(1),
})

export async function loader({ request }: LoaderFunctionArgs) {
	const { scope } = await requireTrainingManager(request)
	const url = new URL(request.url)
	const query = querySchema.parse(Object.fromEntries(url.searchParams))
	// DataTable links toggle desc=1 on and off; a missing desc means ascending, except by default.
	const descending = url.searchParams.has('sort') ? query.desc === '1' : true
	const { rows, total } = await listPlans(db, scope, { page: query.page, pageSize: PAGE_SIZE, sort: query.sort, descending })
	return {
		query,
		total,
		rows: rows.map((p) => ({
			id: p.id,
			title: p.title,
			orgName: p.orgName,
			dueOn: p.dueOn,
			who: p.jobTypes.length || p.categories.length ? '按工种/类别' : '按名单',
			courses: p.courseIds.length,
			examTitle: p.examTitle,
			members: p.members,
			coursesComplete: p.coursesComplete,
			examPassed: p.examPassed,
			complete: p.complete,
			overdue: p.overdue,
		})),
	}
}

type Row = Awaited<ReturnType<typeof loader>>['rows'][number]
const columns: ColumnDef<Row, any>[] = [
	{ id: 'title', header: '计划名称', cell: ({ row }) => <Link to={`/plans/${row.original.id}`} className="stem-cell">{row.original.title}</Link> },
	{ id: 'orgName', header: '单位', enableSorting: false, cell: ({ row }) => row.original.orgName },
	{ id: 'dueOn', header: '完成期限', cell: ({ row }) => row.original.dueOn },
	{ id: 'who', header: '对象', enableSorting: false, cell: ({ row }) => row.original.who },
	{ id: 'members', header: '人数', enableSorting: false, cell: ({ row }) => row.original.members },
	{ id: 'coursesComplete', header: '学完课程', enableSorting: false, cell: ({ row }) => (row.original.courses ? row.original.coursesComplete : '—') },
	{ id: 'examPassed', header: '考试合格', enableSorting: false, cell: ({ row }) => row.original.examPassed ?? '—' },
	{ id: 'complete', header: '全部完成', enableSorting: false, cell: ({ row }) => row.original.complete },
	{
		id: 'overdue',
		header: '逾期',
		enableSorting: false,
		cell: ({ row }) => (row.original.overdue ? <span className="badge warn">{row.original.overdue} 人逾期</span> : 0),
	},
]

export default function PlansList() {
	const { rows, total, query } = useLoaderData<typeof loader>()
	return (
		<>
			<h1>培训计划</h1>
			<div className="actions">
				<Link className="button" to="/plans/new">
					新建培训计划
				</Link>
				<Link className="button secondary" to="/trainings">
					线下培训记录
				</Link>
			</div>
			<p className="muted">
				按工种或人员类别制定的计划，之后新增或调整工种、类别的人员会自动加入（已过期限的计划除外）；按名单制定的计划只包括所选人员。
				“全部完成”指学完计划中全部课程且计划中的考试合格；过了完成期限仍未全部完成的记为逾期。
			</p>
			<DataTable columns={columns} rows={rows} total={total} page={query.page} pageSize={PAGE_SIZE} caption="培训计划" />
		</>
	)
}
