import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import type { ColumnDef } from '@tanstack/react-table'
import { DataTable } from '#app/components/data-table.tsx'
import { examScopeOf } from '#app/exams/assign.server.ts'
import { EXAM_PURPOSES } from '#app/exams/labels.ts'
import { totalPoints, totalQuestions } from '#app/exams/template-form.ts'
import { listTemplates, requireTemplateAccess } from '#app/exams/templates.server.ts'
import { listJobTypes } from '#app/people/people.server.ts'
import { db } from '#app/utils/db.server.ts'

export const meta: MetaFunction = () => [{ title: '试卷规则 · 安全生产培训考试平台' }]

const PAGE_SIZE = 20

export async function loader({ request }: LoaderFunctionArgs) {
	const access = await requireTemplateAccess(request)
	const page = Math.min(100_000, Math.max(1, Number.parseInt(new URL(request.url).searchParams.get('page') ?? '1', 10) || 1))
	const [{ rows, total }, jobs] = await Promise.all([listTemplates(db, access, { page, pageSize: PAGE_SIZE }), listJobTypes(db)])
	const jobNames = Object.fromEntries(jobs.map((j) => [j.code, j.name]))
	return {
		page,
		total,
		canGiveExams: examScopeOf(access.user).manage,
		rows: rows.map(({ template: t, ownerName, editable }) => ({
			id: t.id,
			title: t.title,
			purpose: EXAM_PURPOSES[t.purpose],
			jobTypes: t.jobTypes.map((c) => jobNames[c] ?? c).join('、') || '—',
			size: `${totalQuestions(t.rules)} 题 / ${totalPoints(t.rules)} 分`,
			timeLimitMinutes: t.timeLimitMinutes,
			passMark: t.passMark,
			owner: t.ownerOrgId ? (ownerName ?? '') : '平台',
			editable,
		})),
	}
}

type Row = Awaited<ReturnType<typeof loader>>['rows'][number]

export default function ExamTemplates() {
	const { rows, total, page, canGiveExams } = useLoaderData<typeof loader>()
	const columns: ColumnDef<Row, any>[] = [
		{ id: 'title', header: '试卷名称', enableSorting: false, cell: ({ row }) => <Link to={`/exam-templates/${row.original.id}`} className="stem-cell">{row.original.title}</Link> },
		{ id: 'purpose', header: '考试类型', enableSorting: false, cell: ({ row }) => row.original.purpose },
		{ id: 'jobTypes', header: '适用工种', enableSorting: false, cell: ({ row }) => <span className="stem-cell">{row.original.jobTypes}</span> },
		{ id: 'size', header: '题量', enableSorting: false, cell: ({ row }) => row.original.size },
		{ id: 'time', header: '时长', enableSorting: false, cell: ({ row }) => `${row.original.timeLimitMinutes} 分钟` },
		{ id: 'passMark', header: '及格分', enableSorting: false, cell: ({ row }) => row.original.passMark },
		{ id: 'owner', header: '归属', enableSorting: false, cell: ({ row }) => (row.original.editable ? row.original.owner : `${row.original.owner}（只读）`) },
		...(canGiveExams
			? [{ id: 'give', header: '操作', enableSorting: false, cell: ({ row }: { row: { original: Row } }) => <Link to={`/exams/new?templateId=${row.original.id}`}>发布考试</Link> } satisfies ColumnDef<Row, any>]
			: []),
	]
	return (
		<>
			<h1>试卷规则</h1>
			<p className="muted">试卷规则规定每份试卷从题库抽哪些题、考多久、多少分及格。每位考生开考时按规则随机抽题，试卷抽定后不再随题库修改而改变。</p>
			<div className="actions">
				<Link className="button" to="/exam-templates/new">
					新建试卷规则
				</Link>
				{canGiveExams ? (
					<Link className="button secondary" to="/exams">
						考试管理
					</Link>
				) : null}
			</div>
			<DataTable columns={columns} rows={rows} total={total} page={page} pageSize={PAGE_SIZE} caption="试卷规则" />
		</>
	)
}
