import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData, useLocation } from '@remix-run/react'
import type { ColumnDef } from '@tanstack/react-table'
import { requireContentScope } from '#app/auth/auth.server.ts'
import { parseBankQuery } from '#app/bank/bank-query.ts'
import { listQuestions } from '#app/bank/bank.server.ts'
import { QUESTION_TYPES } from '#app/bank/question-file.ts'
import { PART_LABELS } from '#app/bank/question.ts'
import { DataTable } from '#app/components/data-table.tsx'
import { FilterSelect } from '#app/components/forms.tsx'
import { listJobTypes } from '#app/people/people.server.ts'
import { db } from '#app/utils/db.server.ts'
import { formatDate } from '#app/components/exam/format.ts'

export const meta: MetaFunction = () => [{ title: '题库 · 安全生产培训考试平台' }]

const PAGE_SIZE = 20
const DIFFICULTIES: [number, string][] = [1, 2, 3, 4, 5].map((d) => [d, String(d)])

export async function loader({ request }: LoaderFunctionArgs) {
	const scope = await requireContentScope(request)
	const query = parseBankQuery(new URL(request.url))
	const [{ rows, total }, jobs] = await Promise.all([
		listQuestions(db, scope, query, { page: query.page, pageSize: PAGE_SIZE, sort: query.sort, descending: query.desc === '1' }),
		listJobTypes(db),
	])
	const jobNames = Object.fromEntries(jobs.map((j) => [j.code, j.name]))
	return {
		query,
		total,
		jobs,
		rows: rows.map((r) => ({ ...r, jobTypeNames: r.forAllJobTypes ? '全部工种' : r.jobTypes.map((c) => jobNames[c] ?? c).join('、') })),
	}
}

type Row = Awaited<ReturnType<typeof loader>>['rows'][number]
const columns: ColumnDef<Row, any>[] = [
	{ id: 'stem', header: '题干', cell: ({ row }) => <Link to={`/bank/${row.original.id}`} className="stem-cell">{row.original.stem}</Link> },
	{ id: 'type', header: '题型', cell: ({ row }) => QUESTION_TYPES[row.original.type] },
	{ id: 'difficulty', header: '难度', cell: ({ row }) => row.original.difficulty },
	{ id: 'part', header: '类别', enableSorting: false, cell: ({ row }) => PART_LABELS[row.original.part] },
	{ id: 'jobTypes', header: '适用工种', enableSorting: false, cell: ({ row }) => row.original.jobTypeNames },
	{ id: 'topics', header: '知识点', enableSorting: false, cell: ({ row }) => row.original.topics.join('、') },
	{ id: 'updatedAt', header: '更新', cell: ({ row }) => `v${row.original.version} · ${formatDate(row.original.updatedAt)}` },
]

export default function Bank() {
	const { rows, total, query, jobs } = useLoaderData<typeof loader>()
	const location = useLocation()
	return (
		<>
			<h1>题库</h1>
			<div className="actions">
				<Link className="button" to="/bank/new">
					新增试题
				</Link>
				<Link className="button secondary" to="/bank/import">
					Excel 导入
				</Link>
				<a className="button secondary" href={`/bank/export${location.search || '?'}&format=xlsx`} download>
					导出 Excel
				</a>
				<a className="button secondary" href={`/bank/export${location.search || '?'}&format=csv`} download>
					导出 CSV
				</a>
			</div>
			<Form method="get" className="filters bank-filters" role="search" aria-label="筛选试题">
				<div className="field">
					<label htmlFor="q">题干包含</label>
					<input id="q" name="q" type="search" defaultValue={query.q ?? ''} />
				</div>
				<FilterSelect name="type" label="题型" value={query.type} options={Object.entries(QUESTION_TYPES)} />
				<FilterSelect name="jobType" label="工种" value={query.jobType} options={jobs.map((j) => [j.code, j.name])} />
				<FilterSelect name="part" label="类别" value={query.part} options={Object.entries(PART_LABELS)} />
				<div className="field">
					<label htmlFor="topic">知识点</label>
					<input id="topic" name="topic" type="text" defaultValue={query.topic ?? ''} />
				</div>
				<FilterSelect name="minDifficulty" label="难度从" value={query.minDifficulty} options={DIFFICULTIES} anyLabel="不限" />
				<FilterSelect name="maxDifficulty" label="到" value={query.maxDifficulty} options={DIFFICULTIES} anyLabel="不限" />
				<button type="submit" className="primary">
					筛选
				</button>
			</Form>
			<DataTable columns={columns} rows={rows} total={total} page={query.page} pageSize={PAGE_SIZE} caption="试题" />
		</>
	)
}
