import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData, useSearchParams } from '@remix-run/react'
import { eq } from 'drizzle-orm'
import { organizations } from '#db/schema.ts'
import { requireRole } from '#app/auth/auth.server.ts'
import { Headcount, Notice } from '#app/components/headcount.tsx'
import { ORG_KINDS } from '#app/people/labels.ts'
import { childrenWithCounts, headcount } from '#app/people/stats.server.ts'
import { db } from '#app/utils/db.server.ts'

export const meta: MetaFunction = () => [{ title: '监管工作台 · 安全生产培训考试平台' }]

export async function loader({ request }: LoaderFunctionArgs) {
	const user = await requireRole(request, 'regulator')
	const jurisdictions = await Promise.all(
		user.roles
			.filter((r) => r.role === 'regulator' && r.orgId)
			.map(async (r) => {
				const [org] = await db.select().from(organizations).where(eq(organizations.id, r.orgId!))
				return { org: org!, counts: await headcount(db, org!.path), children: await childrenWithCounts(db, org!.id) }
			}),
	)
	return { jurisdictions }
}

export default function RegulatorHome() {
	const { jurisdictions } = useLoaderData<typeof loader>()
	const [params] = useSearchParams()
	return (
		<>
			<h1>监管工作台</h1>
			<p className="actions">
				<Link className="button" to="/inspections/new">
					记录检查 · 逢查必考
				</Link>
				<Link to="/inspections">执法检查记录</Link>
				<Link to="/spot-checks">随机抽考</Link>
				<Link to="/registers/leaders">领导干部登记</Link>
			</p>
			<Notice code={params.get('notice')} />
			{jurisdictions.map(({ org, counts, children }) => (
				<section key={org.id} aria-labelledby={`j-${org.id}`}>
					<h2 id={`j-${org.id}`}>辖区：{org.name}</h2>
					<Headcount counts={counts} />
					<p>
						<Link to={`/gov/dashboard?orgId=${org.id}`}>查看数据看板（参训率、合格率、上岗率、三违，可逐级查看）</Link>
					</p>
					<h2>下级单位</h2>
					<div className="table-scroll">
						<table className="data">
							<thead>
								<tr>
									<th scope="col">单位</th>
									<th scope="col">类型</th>
									<th scope="col">企业数</th>
									<th scope="col">人数</th>
								</tr>
							</thead>
							<tbody>
								{children.map((c) => (
									<tr key={c.id}>
										<td>
											<Link to={`/orgs/${c.id}`}>{c.name}</Link>
										</td>
										<td>{ORG_KINDS[c.kind]}</td>
										<td>{c.enterprises}</td>
										<td>{c.people}</td>
									</tr>
								))}
							</tbody>
						</table>
					</div>
				</section>
			))}
		</>
	)
}
