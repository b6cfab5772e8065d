import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData, useSearchParams } from '@remix-run/react'
import type { ColumnDef } from '@tanstack/react-table'
import { z } from 'zod'
import { notFound } from '#app/auth/auth.server.ts'
import { DataTable } from '#app/components/data-table.tsx'
import { FilterSelect } from '#app/components/forms.tsx'
import { requireExamScope } from '#app/exams/assign.server.ts'
import { formatChinaTime } from '#app/exams/exam-form.ts'
import { EXAM_PURPOSES, formatDuration, RESULT_STATUS, SUBMITTED_BY } from '#app/exams/labels.ts'
import { examResults } from '#app/exams/results.server.ts'
import { totalPoints } from '#app/exams/template-form.ts'
import { db } from '#app/utils/db.server.ts'

// Results of one exam for managers and regulators: only the assignees in their scope, filtered,
// sorted and paged (a county-wide 抽考 has thousands of assignees; the Excel export has them all).
// (The file name's `$examId_` keeps this page out of the taker's /exams/:examId layout.)

export const meta: MetaFunction = () => [{ title: '考试成绩 · 安全生产培训考试平台' }]

const PAGE_SIZE = 50
const SHOW = { not_started: '未参加', in_progress: '答题中', submitted: '已交卷', passed: '合格', failed: '不合格' } as const
const querySchema = z.object({
	q: z.string().trim().max(40).optional().catch(undefined),
	show: z.enum(Object.keys(SHOW) as [keyof typeof SHOW]).optional().catch(undefined),
	sort: z.enum(['org', 'name', 'score', 'switchCount', 'submittedAt']).catch('org'),
	desc: z.literal('1').optional().catch(undefined),
	page: z.coerce.number().int().min(1).max(100_000).catch(1),
})
const byName = new Intl.Collator('zh-CN')

type ResultRow = NonNullable<Awaited<ReturnType<typeof examResults>>>['rows'][number]
const SORTS: Record<z.infer<typeof querySchema>['sort'], ((a: ResultRow, b: ResultRow) => number) | null> = {
	// As examResults orders them: by organisation, then name.
	org: null,
	name: (a, b) => byName.compare(a.name, b.name),
	score: (a, b) => (a.score ?? -1) - (b.score ?? -1),
	switchCount: (a, b) => a.switchCount - b.switchCount,
	submittedAt: (a, b) => (a.submittedAt?.getTime() ?? 0) - (b.submittedAt?.getTime() ?? 0),
}
const SHOWN: Record<keyof typeof SHOW, (r: ResultRow) => boolean> = {
	not_started: (r) => r.status === 'not_started',
	in_progress: (r) => r.status === 'in_progress',
	submitted: (r) => r.status === 'submitted',
	passed: (r) => r.passed,
	failed: (r) => r.status === 'submitted' && !r.passed,
}

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { scope } = await requireExamScope(request)
	const found = await examResults(db, scope, params.examId!)
	if (!found) throw notFound()
	const { exam, template, ownerName, summary } = found
	const query = querySchema.parse(Object.fromEntries([...new URL(request.url).searchParams].filter(([, v]) => v !== '')))
	let rows = found.rows
	if (query.q) rows = rows.filter((r) => r.name.includes(query.q!) || r.orgName.includes(query.q!))
	if (query.show) rows = rows.filter(SHOWN[query.show])
	const compare = SORTS[query.sort]
	if (compare) rows = [...rows].sort(compare)
	if (query.desc) rows = [...rows].reverse()
	const total = rows.length
	rows = rows.slice((query.page - 1) * PAGE_SIZE, query.page * PAGE_SIZE)
	return {
		exam: {
			id: exam.id,
			title: exam.title,
			window: `${formatChinaTime(exam.opensAt)} 至 ${formatChinaTime(exam.closesAt)}`,
			owner: ownerName ?? '平台',
			purpose: EXAM_PURPOSES[template.purpose],
			templateId: template.id,
			templateTitle: template.title,
			points: totalPoints(template.rules),
			passMark: template.passMark,
			timeLimitMinutes: template.timeLimitMinutes,
			switchLimit: template.switchLimit,
		},
		summary,
		total,
		query,
		rows: rows.map((r) => ({
			personId: r.personId,
			name: r.name,
			orgName: r.orgName,
			status: RESULT_STATUS[r.status],
			submitted: r.status === 'submitted',
			score: r.score,
			maxScore: r.maxScore,
			passed: r.passed,
			duration: formatDuration(r.seconds),
			switchCount: r.switchCount,
			submittedBy: r.submittedBy ? SUBMITTED_BY[r.submittedBy] : '—',
			attemptsUsed: r.attemptsUsed,
			submittedAt: r.submittedAt ? formatChinaTime(r.submittedAt) : null,
		})),
	}
}

type Row = Awaited<ReturnType<typeof loader>>['rows'][number]
const columns: ColumnDef<Row, any>[] = [
	{ id: 'name', header: '姓名', cell: ({ row }) => <Link to={`/people/${row.original.personId}`}>{row.original.name}</Link> },
	{ id: 'org', header: '单位', cell: ({ row }) => row.original.orgName },
	{ id: 'status', header: '状态', enableSorting: false, cell: ({ row }) => row.original.status },
	{ id: 'score', header: '成绩', cell: ({ row }) => (row.original.score === null ? '—' : `${row.original.score} / ${row.original.maxScore}`) },
	{
		id: 'passed',
		header: '是否合格',
		enableSorting: false,
		cell: ({ row: { original: r } }) => (r.submitted || r.passed ? r.passed ? <span className="badge">合格</span> : <span className="badge warn">不合格</span> : '—'),
	},
	{ id: 'duration', header: '用时', enableSorting: false, cell: ({ row }) => row.original.duration },
	{ id: 'switchCount', header: '切屏次数', cell: ({ row }) => (row.original.switchCount > 0 ? <span className="badge warn">{row.original.switchCount}</span> : 0) },
	{ id: 'submittedBy', header: '交卷方式', enableSorting: false, cell: ({ row }) => row.original.submittedBy },
	{ id: 'attemptsUsed', header: '考试次数', enableSorting: false, cell: ({ row }) => row.original.attemptsUsed },
	{ id: 'submittedAt', header: '交卷时间', cell: ({ row }) => row.original.submittedAt ?? '—' },
]

export default function ExamResults() {
	const { exam, summary, rows, total, query } = useLoaderData<typeof loader>()
	const [params] = useSearchParams()
	const assigned = params.get('assigned')
	return (
		<>
			<p className="muted">
				<Link to="/exams">考试管理</Link> › 成绩
			</p>
			<h1>{exam.title}</h1>
			{assigned ? (
				<p className="notice" role="status">
					考试已发布，已安排 {assigned} 人参加。
				</p>
			) : null}
			<dl className="facts card exam-facts">
				<dt>考试类型</dt>
				<dd>{exam.purpose}</dd>
				<dt>考试时间</dt>
				<dd>{exam.window}</dd>
				<dt>试卷规则</dt>
				<dd>
					<Link to={`/exam-templates/${exam.templateId}`}>{exam.templateTitle}</Link>（{exam.points} 分，{exam.passMark} 分及格，限时 {exam.timeLimitMinutes} 分钟
					{exam.switchLimit ? `，切屏 ${exam.switchLimit} 次自动交卷` : ''}）
				</dd>
				<dt>发布单位</dt>
				<dd>{exam.owner}</dd>
			</dl>
			<ul className="stats" aria-label="考试人数">
				<li>
					<span className="num">{summary.assigned}</span>应考
				</li>
				<li>
					<span className="num">{summary.taken}</span>已交卷
				</li>
				<li>
					<span className="num">{summary.passed}</span>合格
				</li>
				<li>
					<span className="num">{summary.inProgress}</span>答题中
				</li>
			</ul>
			<p>
				<a className="button secondary" href={`/exams/${exam.id}/export`} download>
					导出 Excel
				</a>
			</p>
			<p className="muted">切屏次数记录考生答题时离开考试页面的次数，供复核参考：手机来电、通知也会造成切屏。</p>
			<Form method="get" className="filters" role="search" aria-label="筛选考生">
				<div className="field">
					<label htmlFor="q">姓名或单位</label>
					<input id="q" name="q" type="search" defaultValue={query.q ?? ''} />
				</div>
				<FilterSelect name="show" label="状态" value={query.show} options={Object.entries(SHOW)} />
				<button type="submit" className="primary">
					筛选
				</button>
			</Form>
			<DataTable columns={columns} rows={rows} total={total} page={query.page} pageSize={PAGE_SIZE} caption="考生成绩（多次考试的取最高分）" />
		</>
	)
}
