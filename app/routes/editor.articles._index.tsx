import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import type { ColumnDef } from '@tanstack/react-table'
import { z } from 'zod'
import { DataTable } from '#app/components/data-table.tsx'
import { ARTICLE_STATUS, settingLabel } from '#app/outreach/articles.ts'
import { listArticlesForEditor, requireArticleEditor } from '#app/outreach/articles.server.ts'
import { chinaDay } from '#app/utils/days.ts'

// 宣传文章: the articles platform editors write for the public site, drafts and published alike.

export const meta: MetaFunction = () => [{ title: '宣传文章 · 安全生产培训考试平台' }]

const PAGE_SIZE = 20
const querySchema = z.object({
	sort: z.enum(['updatedAt', 'title', 'status']).catch('updatedAt'),
	desc: z.enum(['1', '0']).catch('1'),
	page: z.coerce.number().int().min(1).max(100_000).catch(1),
})

export async function loader({ request }: LoaderFunctionArgs) {
	await requireArticleEditor(request)
	const url = new URL(request.url)
	const query = querySchema.parse(Object.fromEntries(url.searchParams))
	// DataTable links toggle desc=1 on and off; without a sort the newest edits come first.
	const descending = url.searchParams.has('sort') ? query.desc === '1' : true
	const { rows, total } = await listArticlesForEditor({ sort: query.sort, descending, page: query.page, pageSize: PAGE_SIZE })
	return {
		page: query.page,
		total,
		rows: rows.map((a) => ({
			id: a.id,
			title: a.title,
			slug: a.slug,
			setting: settingLabel(a.setting) ?? '—',
			status: a.status,
			updated: chinaDay(a.updatedAt),
		})),
	}
}

type Row = Awaited<ReturnType<typeof loader>>['rows'][number]
const columns: ColumnDef<Row, any>[] = [
	{ id: 'title', header: '标题', cell: ({ row }) => <Link to={`/editor/articles/${row.original.id}`}>{row.original.title}</Link> },
	{ id: 'setting', header: '“五进”场景', enableSorting: false, cell: ({ row }) => row.original.setting },
	{
		id: 'status',
		header: '状态',
		cell: ({ row }) =>
			row.original.status === 'published' ? (
				<Link to={`/articles/${row.original.slug}`}>{ARTICLE_STATUS.published}</Link>
			) : (
				<span className="badge">{ARTICLE_STATUS.draft}</span>
			),
	},
	{ id: 'updatedAt', header: '更新于', cell: ({ row }) => row.original.updated },
]

export default function EditorArticles() {
	const { rows, total, page } = useLoaderData<typeof loader>()
	return (
		<>
			<h1>宣传文章</h1>
			<p className="muted">发布后的文章出现在 <Link to="/articles">宣传文章</Link> 栏目和首页；选了“五进”场景的，也列在该场景页面的“相关文章”中。</p>
			<div className="actions">
				<Link className="button" to="/editor/articles/new">
					写新文章
				</Link>
			</div>
			<DataTable columns={columns} rows={rows} total={total} page={page} pageSize={PAGE_SIZE} caption="宣传文章" />
		</>
	)
}
