import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { asc } from 'drizzle-orm'
import { organizations } from '#db/schema.ts'
import { orgsInScope, requireRole } from '#app/auth/auth.server.ts'
import { dataScopeOf } from '#app/auth/scope.ts'
import { ORG_KINDS } from '#app/people/labels.ts'
import { db } from '#app/utils/db.server.ts'

export const meta: MetaFunction = () => [{ title: '单位 · 安全生产培训考试平台' }]

export async function loader({ request }: LoaderFunctionArgs) {
	const user = await requireRole(request, 'system_admin', 'regulator', 'enterprise_admin')
	const rows = await db
		.select({ id: organizations.id, name: organizations.name, kind: organizations.kind, path: organizations.path })
		.from(organizations)
		.where(orgsInScope(dataScopeOf(user)))
		.orderBy(asc(organizations.path))
	// Indent by depth below the shallowest visible organisation.
	const minDepth = Math.min(...rows.map((r) => r.path.split('/').length))
	return { rows: rows.map(({ path, ...r }) => ({ ...r, depth: path.split('/').length - minDepth })) }
}

export default function Orgs() {
	const { rows } = useLoaderData<typeof loader>()
	return (
		<>
			<h1>单位与辖区</h1>
			<ul className="plain">
				{rows.map((r) => (
					<li key={r.id} style={{ paddingLeft: `${r.depth * 1.25}rem` }}>
						<Link to={`/orgs/${r.id}`}>{r.name}</Link> <span className="badge">{ORG_KINDS[r.kind]}</span>
					</li>
				))}
			</ul>
		</>
	)
}
