import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import type { ColumnDef } from '@tanstack/react-table'
import { z } from 'zod'
import { asc, and, inArray } from 'drizzle-orm'
import { organizations } from '#db/schema.ts'
import { orgsInScope, requireRole } from '#app/auth/auth.server.ts'
import { dataScopeOf, hasRole } from '#app/auth/scope.ts'
import { ClearanceBadge } from '#app/components/clearance.tsx'
import { CLEARANCE_STATUS_NAMES, type ClearanceStatus } from '#app/records/clearance.ts'
import { DataTable } from '#app/components/data-table.tsx'
import { FilterSelect } from '#app/components/forms.tsx'
import { EMPLOYMENT_TYPES, keysOf, PERSON_CATEGORIES } from '#app/people/labels.ts'
import { listJobTypes, listPeople } from '#app/people/people.server.ts'
import { db } from '#app/utils/db.server.ts'

export const meta: MetaFunction = () => [{ title: '人员名册 · 安全生产培训考试平台' }]

const PAGE_SIZE = 20
const querySchema = z.object({
	q: z.string().trim().max(40).optional().catch(undefined),
	category: z.enum(keysOf(PERSON_CATEGORIES)).optional().catch(undefined),
	employmentType: z.enum(keysOf(EMPLOYMENT_TYPES)).optional().catch(undefined),
	jobType: z.string().max(40).optional().catch(undefined),
	orgId: z.string().uuid().optional().catch(undefined),
	status: z.enum(Object.keys(CLEARANCE_STATUS_NAMES) as [ClearanceStatus, ...ClearanceStatus[]]).optional().catch(undefined),
	sort: z.enum(['name', 'org', 'category', 'employmentType']).catch('org'),
	desc: z.literal('1').optional().catch(undefined),
	page: z.coerce.number().int().min(1).max(100_000).catch(1),
})

export async function loader({ request }: LoaderFunctionArgs) {
	const user = await requireRole(request, 'system_admin', 'regulator', 'enterprise_admin')
	const url = new URL(request.url)
	const query = querySchema.parse(Object.fromEntries([...url.searchParams].filter(([, v]) => v !== '')))
	const scope = dataScopeOf(user)
	const { rows, total } = await listPeople(db, scope, query, {
		page: query.page,
		pageSize: PAGE_SIZE,
		sort: query.sort,
		desc: query.desc === '1',
	})
	const jobs = await listJobTypes(db)
	// Regulators and admins narrow the list to a township or an enterprise of their area.
	const orgs = await db
		.select({ id: organizations.id, name: organizations.name, kind: organizations.kind })
		.from(organizations)
		.where(and(orgsInScope(scope), inArray(organizations.kind, ['township', 'enterprise'])))
		.orderBy(asc(organizations.path))
	return { rows, total, query, jobs, orgs: orgs.length > 1 ? orgs : [], canCreate: hasRole(user, 'system_admin', 'enterprise_admin') }
}

type Row = Awaited<ReturnType<typeof loader>>['rows'][number]
const columns: ColumnDef<Row, any>[] = [
	{ id: 'name', header: '姓名', cell: ({ row }) => <Link to={`/people/${row.original.id}`}>{row.original.name}</Link> },
	{ id: 'org', header: '单位', cell: ({ row }) => row.original.orgName },
	{ id: 'category', header: '人员类别', cell: ({ row }) => PERSON_CATEGORIES[row.original.category] },
	{ id: 'employmentType', header: '用工形式', cell: ({ row }) => EMPLOYMENT_TYPES[row.original.employmentType] },
	{ id: 'jobTypes', header: '工种', enableSorting: false, cell: ({ row }) => row.original.jobTypes.join('、') || '—' },
	{ id: 'phone', header: '手机号', enableSorting: false, cell: ({ row }) => row.original.phoneMasked },
	{
		id: 'clearance',
		header: '上岗资格',
		enableSorting: false,
		cell: ({ row }) => (
			<>
				<ClearanceBadge clearance={row.original.clearance} />
				{row.original.clearance.reasons.length ? <small className="muted block">{row.original.clearance.reasons[0]}{row.original.clearance.reasons.length > 1 ? ` 等 ${row.original.clearance.reasons.length} 项` : ''}</small> : null}
			</>
		),
	},
]

export default function PeopleList() {
	const { rows, total, query, jobs, orgs, canCreate } = useLoaderData<typeof loader>()
	return (
		<>
			<h1>人员名册</h1>
			<Form method="get" className="filters" role="search" aria-label="筛选人员">
				<div className="field">
					<label htmlFor="q">姓名或单位</label>
					<input id="q" name="q" type="search" defaultValue={query.q ?? ''} />
				</div>
				<FilterSelect name="category" label="人员类别" value={query.category} options={Object.entries(PERSON_CATEGORIES)} />
				<FilterSelect name="employmentType" label="用工形式" value={query.employmentType} options={Object.entries(EMPLOYMENT_TYPES)} />
				<FilterSelect name="jobType" label="工种" value={query.jobType} options={jobs.map((j) => [j.code, j.name])} />
				<FilterSelect name="status" label="上岗资格" value={query.status} options={Object.entries(CLEARANCE_STATUS_NAMES)} />
				{orgs.length ? (
					<FilterSelect name="orgId" label="乡镇/企业" value={query.orgId} options={orgs.map((o) => [o.id, o.kind === 'township' ? o.name : `　${o.name}`])} />
				) : query.orgId ? (
					<input type="hidden" name="orgId" value={query.orgId} />
				) : null}
				<button type="submit" className="primary">
					筛选
				</button>
			</Form>
			{canCreate ? (
				<p>
					<Link className="button secondary" to={`/people/new${query.orgId ? `?orgId=${query.orgId}` : ''}`}>
						新增人员
					</Link>{' '}
					<Link className="button secondary" to={`/people/import${query.orgId ? `?orgId=${query.orgId}` : ''}`}>
						批量导入
					</Link>
				</p>
			) : null}
			<p>
				{/* The same people as the table, every page of them, with the reasons in full. */}
				<a className="button secondary" href={`/people/export.xlsx?${new URLSearchParams(Object.entries(query).flatMap(([key, value]) => (key !== 'page' && value ? [[key, String(value)]] : [])))}`}>
					导出名册 Excel
				</a>
			</p>
			<DataTable columns={columns} rows={rows} total={total} page={query.page} pageSize={PAGE_SIZE} caption="人员名册" />
		</>
	)
}
