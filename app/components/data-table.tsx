import { Link, useSearchParams } from '@remix-run/react'
import { flexRender, getCoreRowModel, useReactTable, type ColumnDef } from '@tanstack/react-table'

// The one admin table: rows come sorted, filtered and paged from the server; headers are links
// that change the sort in the URL, so it all works without JavaScript.

export function DataTable<Row>({
	columns,
	rows,
	total,
	page,
	pageSize,
	caption,
}: {
	columns: ColumnDef<Row, any>[]
	rows: Row[]
	total: number
	page: number
	pageSize: number
	caption: string
}) {
	const [params] = useSearchParams()
	const table = useReactTable({ data: rows, columns, getCoreRowModel: getCoreRowModel(), manualSorting: true, manualPagination: true })
	const sort = params.get('sort')
	const desc = params.get('desc') === '1'
	const withParams = (changes: Record<string, string | null>) => {
		const next = new URLSearchParams(params)
		for (const [k, v] of Object.entries(changes)) (v === null ? next.delete(k) : next.set(k, v))
		return `?${next.toString()}`
	}
	const pages = Math.max(1, Math.ceil(total / pageSize))
	return (
		<>
			{/* A region that can take focus: a wide table scrolls sideways by keyboard too. */}
			<div className="table-scroll" role="region" aria-label={caption} tabIndex={0}>
				<table className="data">
					<caption className="muted" style={{ textAlign: 'left', padding: '0.5rem' }}>
						{caption}（共 {total} 条）
					</caption>
					<thead>
						{table.getHeaderGroups().map((group) => (
							<tr key={group.id}>
								{group.headers.map((header) => {
									const id = header.column.id
									const sortable = header.column.columnDef.enableSorting !== false
									const active = sort === id
									const label = flexRender(header.column.columnDef.header, header.getContext())
									return (
										<th key={header.id} scope="col" aria-sort={active ? (desc ? 'descending' : 'ascending') : undefined}>
											{sortable ? (
												<Link to={withParams({ sort: id, desc: active && !desc ? '1' : null, page: null })}>
													{label}
													{active ? (desc ? ' ▼' : ' ▲') : ''}
												</Link>
											) : (
												label
											)}
										</th>
									)
								})}
							</tr>
						))}
					</thead>
					<tbody>
						{table.getRowModel().rows.map((row) => (
							<tr key={row.id}>
								{row.getVisibleCells().map((cell) => (
									<td key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</td>
								))}
							</tr>
						))}
						{rows.length === 0 ? (
							<tr>
								<td colSpan={columns.length} className="muted">
									没有符合条件的记录
								</td>
							</tr>
						) : null}
					</tbody>
				</table>
			</div>
			<nav className="pager" aria-label="分页">
				{page > 1 ? <Link to={withParams({ page: String(page - 1) })}>上一页</Link> : null}
				<span>
					第 {page} / {pages} 页
				</span>
				{page < pages ? <Link to={withParams({ page: String(page + 1) })}>下一页</Link> : null}
			</nav>
		</>
	)
}
