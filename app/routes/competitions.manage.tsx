import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import type { ColumnDef } from '@tanstack/react-table'
import { z } from 'zod'
import { DataTable } from '#app/components/data-table.tsx'
import { formatChinaTime } from '#app/exams/exam-form.ts'
import { totalOf } from '#app/outreach/competition-form.ts'
import { WINDOW_LABELS, windowOf } from '#app/outreach/competitions.ts'
import { listManagedCompetitions, requireCompetitionScope } from '#app/outreach/competitions.server.ts'
import { db } from '#app/utils/db.server.ts'

// GET /competitions/manage — the organiser's 知识竞赛: those they may manage, newest first.

export const meta: MetaFunction = () => [{ title: '知识竞赛管理 · 安全生产培训考试平台' }]

const PAGE_SIZE = 20
const querySchema = z.object({ page: z.coerce.number().int().min(1).max(100_000).catch(1) })

export async function loader({ request }: LoaderFunctionArgs) {
	const scope = await requireCompetitionScope(request)
	const { page } = querySchema.parse(Object.fromEntries(new URL(request.url).searchParams))
	const { rows, total } = await listManagedCompetitions(db, scope, { page, pageSize: PAGE_SIZE })
	const now = new Date()
	return {
		page,
		total,
		rows: rows.map(({ competition: c, ownerName, total: entries, submitted }) => ({
			slug: c.slug,
			title: c.title,
			state: WINDOW_LABELS[windowOf(c, now)],
			window: `${formatChinaTime(c.opensAt)} 至 ${formatChinaTime(c.closesAt)}`,
			paper: `${totalOf(c.rules).questions} 题 ${c.timeLimitMinutes} 分钟${c.fixedPaper ? '，固定试卷' : ''}`,
			entries: entries ?? 0,
			submitted: submitted ?? 0,
			owner: ownerName ?? '平台',
		})),
	}
}

type Row = Awaited<ReturnType<typeof loader>>['rows'][number]
const columns: ColumnDef<Row, any>[] = [
	{ id: 'title', header: '竞赛名称', enableSorting: false, cell: ({ row }) => <Link to={`/competitions/${row.original.slug}/manage`} className="stem-cell">{row.original.title}</Link> },
	{ id: 'state', header: '状态', enableSorting: false, cell: ({ row }) => <span className={row.original.state === '进行中' ? 'badge' : 'badge warn'}>{row.original.state}</span> },
	{ id: 'window', header: '竞赛时间', enableSorting: false, cell: ({ row }) => <span className="stem-cell">{row.original.window}</span> },
	{ id: 'paper', header: '试卷', enableSorting: false, cell: ({ row }) => row.original.paper },
	{ id: 'entries', header: '报名', enableSorting: false, cell: ({ row }) => row.original.entries },
	{ id: 'submitted', header: '计入排名', enableSorting: false, cell: ({ row }) => row.original.submitted },
	{ id: 'owner', header: '主办单位', enableSorting: false, cell: ({ row }) => row.original.owner },
]

export default function ManageCompetitions() {
	const { rows, total, page } = useLoaderData<typeof loader>()
	return (
		<>
			<h1>知识竞赛</h1>
			<div className="actions">
				<Link className="button" to="/competitions/new">
					新建竞赛
				</Link>
				<Link className="button secondary" to="/competitions">
					公众看到的竞赛页面
				</Link>
			</div>
			<p className="muted">公众不用登录即可报名参赛，每个手机号只有一次答题机会；按得分、再按用时排名。</p>
			<DataTable columns={columns} rows={rows} total={total} page={page} pageSize={PAGE_SIZE} caption="知识竞赛" />
		</>
	)
}
