import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData, useSearchParams } from '@remix-run/react'
import { eq } from 'drizzle-orm'
import { organizations } from '#db/schema.ts'
import { requireRole } from '#app/auth/auth.server.ts'
import { Headcount, Notice } from '#app/components/headcount.tsx'
import { headcount } from '#app/people/stats.server.ts'
import { db } from '#app/utils/db.server.ts'

export const meta: MetaFunction = () => [{ title: '企业工作台 · 安全生产培训考试平台' }]

export async function loader({ request }: LoaderFunctionArgs) {
	const user = await requireRole(request, 'enterprise_admin')
	const enterprises = await Promise.all(
		user.roles
			.filter((r) => r.role === 'enterprise_admin' && r.orgId)
			.map(async (r) => {
				const [org] = await db.select().from(organizations).where(eq(organizations.id, r.orgId!))
				return { org: org!, counts: await headcount(db, org!.path) }
			}),
	)
	return { enterprises }
}

export default function EnterpriseHome() {
	const { enterprises } = useLoaderData<typeof loader>()
	const [params] = useSearchParams()
	return (
		<>
			<h1>企业工作台</h1>
			<Notice code={params.get('notice')} />
			{enterprises.map(({ org, counts }) => (
				<section key={org.id} aria-labelledby={`e-${org.id}`}>
					<h2 id={`e-${org.id}`}>{org.name}</h2>
					<div className="actions">
						<Link className="button" to={`/people?orgId=${org.id}`}>
							人员名册
						</Link>
						<Link className="button secondary" to={`/people/new?orgId=${org.id}`}>
							新增人员
						</Link>
						<Link className="button secondary" to="/exams">
							考试管理
						</Link>
					</div>
					<Headcount counts={counts} />
				</section>
			))}
		</>
	)
}
