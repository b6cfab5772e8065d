import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import type { ColumnDef } from '@tanstack/react-table'
import { z } from 'zod'
import { DataTable } from '#app/components/data-table.tsx'
import { formatChinaTime } from '#app/exams/exam-form.ts'
import { totalOf } from '#app/outreach/competition-form.ts'
import { WINDOW_LABELS, windowOf } from '#app/outreach/competitions.ts'
import { expireOverdueEntries, requireManagedCompetition, standingRow, standings } from '#app/outreach/competitions.server.ts'
import { db } from '#app/utils/db.server.ts'

// GET /competitions/:slug/manage — the organiser's view of one competition: every entry in rank
// order (names in full, phones masked), then those not ranked; the Excel export.

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.competition.title ?? '知识竞赛'} · 参赛情况` }]

const PAGE_SIZE = 50
const querySchema = z.object({ page: z.coerce.number().int().min(1).max(100_000).catch(1) })

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { competition: c, ownerName } = await requireManagedCompetition(request, params.slug)
	const url = new URL(request.url)
	const { page } = querySchema.parse(Object.fromEntries(url.searchParams))
	const now = new Date()
	await expireOverdueEntries(db, c.id, now)
	const all = await standings(db, c.id)
	const paper = totalOf(c.rules)
	return {
		saved: url.searchParams.get('saved') === '1',
		competition: {
			slug: c.slug,
			title: c.title,
			owner: ownerName ?? '平台',
			state: WINDOW_LABELS[windowOf(c, now)],
			editable: now < c.opensAt,
			window: `${formatChinaTime(c.opensAt)} 至 ${formatChinaTime(c.closesAt)}`,
			paper: `${paper.questions} 题，满分 ${paper.points} 分，限时 ${c.timeLimitMinutes} 分钟，${c.fixedPaper ? '固定试卷（所有人同一份）' : '每人随机抽题'}`,
		},
		counts: { entries: all.length, ranked: all.filter((r) => r.rank !== null).length },
		page,
		rows: all.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map(standingRow),
	}
}

type Row = Awaited<ReturnType<typeof loader>>['rows'][number]
const columns: ColumnDef<Row, any>[] = [
	{ id: 'rank', header: '名次', enableSorting: false, cell: ({ row }) => row.original.rank ?? '—' },
	{ id: 'name', header: '姓名', enableSorting: false, cell: ({ row }) => row.original.name },
	{ id: 'phone', header: '手机号', enableSorting: false, cell: ({ row }) => row.original.phone },
	{ id: 'organization', header: '单位', enableSorting: false, cell: ({ row }) => <span className="stem-cell">{row.original.organization}</span> },
	{ id: 'status', header: '状态', enableSorting: false, cell: ({ row }) => row.original.status },
	{ id: 'score', header: '得分', enableSorting: false, cell: ({ row }) => (row.original.score === null ? '—' : `${row.original.score}/${row.original.maxScore}`) },
	{ id: 'used', header: '用时', enableSorting: false, cell: ({ row }) => row.original.used },
	{ id: 'submittedAt', header: '交卷时间', enableSorting: false, cell: ({ row }) => row.original.submittedAt || '—' },
]

export default function CompetitionEntries() {
	const { saved, competition: c, counts, page, rows } = useLoaderData<typeof loader>()
	return (
		<>
			<p className="muted">
				<Link to="/competitions/manage">知识竞赛</Link> › {c.title}
			</p>
			<h1>{c.title}</h1>
			{saved ? (
				<p className="notice" role="status">
					竞赛已保存。
				</p>
			) : null}
			<dl className="facts">
				<dt>状态</dt>
				<dd>{c.state}</dd>
				<dt>竞赛时间</dt>
				<dd>{c.window}</dd>
				<dt>试卷</dt>
				<dd>{c.paper}</dd>
				<dt>主办单位</dt>
				<dd>{c.owner}</dd>
				<dt>参赛</dt>
				<dd>
					报名 {counts.entries} 人，计入排名 {counts.ranked} 人
				</dd>
			</dl>
			<div className="actions">
				<a className="button" href={`/competitions/${c.slug}/results.xlsx`} download>
					导出成绩（Excel）
				</a>
				<Link className="button secondary" to={`/competitions/${c.slug}/edit`}>
					{c.editable ? '修改竞赛' : '修改名称和说明'}
				</Link>
				<Link to={`/competitions/${c.slug}`}>竞赛页面</Link>
				<Link to={`/competitions/${c.slug}/leaderboard`}>排行榜</Link>
			</div>
			<p className="muted">导出的成绩含完整手机号，便于联系获奖者；每次导出都会记入操作日志。超时交卷和超时未交卷的不计入排名。</p>
			<DataTable columns={columns} rows={rows} total={counts.entries} page={page} pageSize={PAGE_SIZE} caption="参赛情况" />
		</>
	)
}
