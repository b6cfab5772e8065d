import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import type { ColumnDef } from '@tanstack/react-table'
import { z } from 'zod'
import { DataTable } from '#app/components/data-table.tsx'
import { FilterSelect } from '#app/components/forms.tsx'
import { keysOf } from '#app/people/labels.ts'
import { OFFLINE_KINDS } from '#app/records/offline.ts'
import { listOfflineTrainings } from '#app/records/offline.server.ts'
import { requireTrainingManager } from '#app/records/plans-scope.server.ts'
import { db } from '#app/utils/db.server.ts'

export const meta: MetaFunction = () => [{ title: '线下培训 · 安全生产培训考试平台' }]

const PAGE_SIZE = 20
const querySchema = z.object({
	sort: z.enum(['heldOn', 'topic', 'hours']).catch('heldOn'),
	desc: z.enum(['1', '0']).catch('1'),
	page: z.coerce.number().int().min(1).max(100_000).catch(1),
	kind: z.enum(keysOf(OFFLINE_KINDS)).optional().catch(undefined),
})

export async function loader({ request }: LoaderFunctionArgs) {
	const { scope } = await requireTrainingManager(request)
	const url = new URL(request.url)
	const query = querySchema.parse(Object.fromEntries(url.searchParams))
	// DataTable links toggle desc=1 on and off; a missing desc means ascending, except by default.
	const descending = url.searchParams.has('sort') ? query.desc === '1' : true
	const { rows, total } = await listOfflineTrainings(db, scope, { page: query.page, pageSize: PAGE_SIZE, sort: query.sort, descending, kind: query.kind })
	return { query, total, rows: rows.map((r) => ({ ...r, kind: OFFLINE_KINDS[r.kind] })) }
}

type Row = Awaited<ReturnType<typeof loader>>['rows'][number]
const columns: ColumnDef<Row, any>[] = [
	{ id: 'heldOn', header: '日期', cell: ({ row }) => row.original.heldOn },
	{ id: 'kind', header: '形式', enableSorting: false, cell: ({ row }) => <span className="badge">{row.original.kind}</span> },
	{ id: 'topic', header: '主题', cell: ({ row }) => <Link to={`/trainings/${row.original.id}`} className="stem-cell">{row.original.topic}</Link> },
	{ id: 'hours', header: '学时', cell: ({ row }) => row.original.hours.toFixed(1) },
	{ id: 'attendees', header: '人数', enableSorting: false, cell: ({ row }) => row.original.attendees },
	{ id: 'orgName', header: '单位', enableSorting: false, cell: ({ row }) => row.original.orgName },
	{ id: 'attachment', header: '签到表', enableSorting: false, cell: ({ row }) => (row.original.hasAttachment ? '有' : '—') },
]

export default function TrainingsList() {
	const { rows, total, query } = useLoaderData<typeof loader>()
	return (
		<>
			<h1>线下培训记录</h1>
			<div className="actions">
				<Link className="button" to="/trainings/new">
					记录线下培训
				</Link>
				<Link className="button secondary" to="/plans">
					培训计划
				</Link>
			</div>
			<p className="muted">集中授课、班前会、应急演练、开工第一课、轮训和脱产培训，记入参加人员的培训档案（登记在册）。记录保存后不能修改或删除。</p>
			<Form method="get" className="actions">
				<FilterSelect name="kind" label="培训形式" value={query.kind} options={Object.entries(OFFLINE_KINDS)} />
				<button type="submit" className="button secondary">
					筛选
				</button>
			</Form>
			<DataTable columns={columns} rows={rows} total={total} page={query.page} pageSize={PAGE_SIZE} caption="线下培训" />
		</>
	)
}
