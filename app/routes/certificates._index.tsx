import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import type { ColumnDef } from '@tanstack/react-table'
import { z } from 'zod'
import { requireUser } from '#app/auth/auth.server.ts'
import { dataScopeOf } from '#app/auth/scope.ts'
import { CERTIFICATE_STATUS, formatChineseDate } from '#app/certificates/certificate.ts'
import { listCertificates } from '#app/certificates/certificates.server.ts'
import { DataTable } from '#app/components/data-table.tsx'
import { FilterSelect } from '#app/components/forms.tsx'
import { keysOf } from '#app/people/labels.ts'
import { db } from '#app/utils/db.server.ts'

// GET /certificates: the certificates of the people in the caller's scope (a worker sees their
// own), searchable by serial or name, filterable by status, sorted and paged on the server.

export const meta: MetaFunction = () => [{ title: '培训合格证 · 安全生产培训考试平台' }]

const PAGE_SIZE = 20
const querySchema = z.object({
	q: z.string().trim().max(40).optional().catch(undefined),
	status: z.enum(keysOf(CERTIFICATE_STATUS)).optional().catch(undefined),
	sort: z.enum(['issuedAt', 'holder', 'expiresOn', 'score']).catch('issuedAt'),
	desc: z.literal('1').optional().catch(undefined),
	page: z.coerce.number().int().min(1).max(100_000).catch(1),
})

export async function loader({ request }: LoaderFunctionArgs) {
	const user = await requireUser(request)
	const url = new URL(request.url)
	// Newest first unless the reader picks another order.
	const raw = Object.fromEntries([...url.searchParams].filter(([, v]) => v !== ''))
	const query = querySchema.parse(raw)
	const descending = raw.sort === undefined ? true : query.desc === '1'
	const { rows, total } = await listCertificates(db, dataScopeOf(user), query, { page: query.page, pageSize: PAGE_SIZE, sort: query.sort, desc: descending })
	return { rows, total, query }
}

type Row = Awaited<ReturnType<typeof loader>>['rows'][number]
const columns: ColumnDef<Row, any>[] = [
	{ id: 'holder', header: '持证人', cell: ({ row }) => <Link to={`/certificates/${row.original.id}`}>{row.original.holderName}</Link> },
	{ id: 'org', header: '单位', enableSorting: false, cell: ({ row }) => row.original.orgName },
	{ id: 'title', header: '证书', enableSorting: false, cell: ({ row }) => row.original.title },
	{ id: 'jobTypes', header: '工种', enableSorting: false, cell: ({ row }) => row.original.jobTypeNames.join('、') || '—' },
	{ id: 'score', header: '成绩', cell: ({ row }) => `${row.original.score}/${row.original.maxScore}` },
	{ id: 'issuedAt', header: '发证日期', cell: ({ row }) => formatChineseDate(row.original.issuedOn) },
	{ id: 'expiresOn', header: '有效期至', cell: ({ row }) => (row.original.expiresOn ? formatChineseDate(row.original.expiresOn) : '长期有效') },
	{ id: 'status', header: '状态', enableSorting: false, cell: ({ row }) => CERTIFICATE_STATUS[row.original.status] },
	{ id: 'serial', header: '证书编号', enableSorting: false, cell: ({ row }) => row.original.serial },
]

export default function CertificateList() {
	const { rows, total, query } = useLoaderData<typeof loader>()
	return (
		<>
			<h1>培训合格证</h1>
			<Form method="get" className="filters" role="search" aria-label="筛选证书">
				<div className="field">
					<label htmlFor="q">证书编号或姓名</label>
					<input id="q" name="q" type="search" defaultValue={query.q ?? ''} />
				</div>
				<FilterSelect name="status" label="状态" value={query.status} options={Object.entries(CERTIFICATE_STATUS)} />
				<button type="submit" className="primary">
					筛选
				</button>
			</Form>
			<p>
				<Link to="/verify">按编号核验证书</Link>
			</p>
			<DataTable columns={columns} rows={rows} total={total} page={query.page} pageSize={PAGE_SIZE} caption="培训合格证" />
		</>
	)
}
