import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import type { ColumnDef } from '@tanstack/react-table'
import { z } from 'zod'
import { DataTable } from '#app/components/data-table.tsx'
import { requireExamScope } from '#app/exams/assign.server.ts'
import { formatChinaTime } from '#app/exams/exam-form.ts'
import { EXAM_PURPOSES } from '#app/exams/labels.ts'
import { listExams } from '#app/exams/results.server.ts'
import { db } from '#app/utils/db.server.ts'

export const meta: MetaFunction = () => [{ title: '考试管理 · 安全生产培训考试平台' }]

const PAGE_SIZE = 20
const querySchema = z.object({
	sort: z.enum(['opensAt', 'closesAt', 'title']).catch('opensAt'),
	desc: z.enum(['1', '0']).catch('1'),
	page: z.coerce.number().int().min(1).max(100_000).catch(1),
})

export async function loader({ request }: LoaderFunctionArgs) {
	const { scope } = await requireExamScope(request)
	const url = new URL(request.url)
	const query = querySchema.parse(Object.fromEntries(url.searchParams))
	// DataTable links toggle desc=1 on and off; a missing desc means ascending, except by default.
	const descending = url.searchParams.has('sort') ? query.desc === '1' : true
	const { rows, total } = await listExams(db, scope, { page: query.page, pageSize: PAGE_SIZE, sort: query.sort, descending })
	const now = Date.now()
	return {
		query,
		total,
		rows: rows.map((e) => ({
			id: e.id,
			title: e.title,
			purpose: EXAM_PURPOSES[e.purpose],
			window: `${formatChinaTime(e.opensAt)} 至 ${formatChinaTime(e.closesAt)}`,
			state: now < e.opensAt.getTime() ? '未开始' : now >= e.closesAt.getTime() ? '已结束' : '进行中',
			owner: e.ownerName ?? '平台',
			assigned: e.assigned,
			taken: e.taken,
			passed: e.passed,
		})),
	}
}

type Row = Awaited<ReturnType<typeof loader>>['rows'][number]
const columns: ColumnDef<Row, any>[] = [
	{ id: 'title', header: '考试名称', cell: ({ row }) => <Link to={`/exams/${row.original.id}/results`} className="stem-cell">{row.original.title}</Link> },
	{ id: 'purpose', header: '类型', enableSorting: false, cell: ({ row }) => row.original.purpose },
	{ id: 'state', header: '状态', enableSorting: false, cell: ({ row }) => <span className={row.original.state === '进行中' ? 'badge' : 'badge warn'}>{row.original.state}</span> },
	{ id: 'opensAt', header: '考试时间', cell: ({ row }) => <span className="stem-cell">{row.original.window}</span> },
	{ id: 'assigned', header: '应考', enableSorting: false, cell: ({ row }) => row.original.assigned },
	{ id: 'taken', header: '已考', enableSorting: false, cell: ({ row }) => row.original.taken },
	{ id: 'passed', header: '合格', enableSorting: false, cell: ({ row }) => row.original.passed },
	{ id: 'owner', header: '发布单位', enableSorting: false, cell: ({ row }) => row.original.owner },
]

export default function ExamsList() {
	const { rows, total, query } = useLoaderData<typeof loader>()
	return (
		<>
			<h1>考试管理</h1>
			<div className="actions">
				<Link className="button" to="/exams/new">
					发布考试
				</Link>
				<Link className="button secondary" to="/exam-templates">
					试卷规则
				</Link>
			</div>
			<p className="muted">人数只统计您管理范围内的考生：应考为考试名单人数，已考为已交卷人数，合格为至少一次考试合格的人数。</p>
			<DataTable columns={columns} rows={rows} total={total} page={query.page} pageSize={PAGE_SIZE} caption="考试" />
		</>
	)
}
