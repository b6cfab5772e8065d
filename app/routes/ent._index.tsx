import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData, useSearchParams } from '@remix-run/react'
import { eq } from 'drizzle-orm'
import { organizations } from '#db/schema.ts'
import { requireRole } from '#app/auth/auth.server.ts'
import { Headcount, Notice } from '#app/components/headcount.tsx'
import { EMPLOYMENT_TYPES, type EmploymentType } from '#app/people/labels.ts'
import { headcount } from '#app/people/stats.server.ts'
import { clearanceSummary } from '#app/records/summary.server.ts'
import { db } from '#app/utils/db.server.ts'

export const meta: MetaFunction = () => [{ title: '企业工作台 · 安全生产培训考试平台' }]

// How many of the not-cleared are listed on the home page; the roster filter shows them all.
const LISTED = 20

export async function loader({ request }: LoaderFunctionArgs) {
	const user = await requireRole(request, 'enterprise_admin')
	const enterprises = await Promise.all(
		user.roles
			.filter((r) => r.role === 'enterprise_admin' && r.orgId)
			.map(async (r) => {
				const [org] = await db.select().from(organizations).where(eq(organizations.id, r.orgId!))
				const [counts, clearance] = await Promise.all([headcount(db, org!.path), clearanceSummary(org!.path)])
				return { org: org!, counts, clearance: { ...clearance, notCleared: clearance.notCleared.slice(0, LISTED), expiring: clearance.expiring.slice(0, LISTED) } }
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
			{enterprises.map(({ org, counts, clearance }) => {
				const roster = (status: string) => `/people?orgId=${org.id}&status=${status}`
				return (
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
						<section className="card" aria-labelledby={`c-${org.id}`}>
							<h3 id={`c-${org.id}`}>上岗资格（{clearance.asOf}）</h3>
							<ul className="stats" aria-label="上岗资格人数">
								<li>
									<Link to={roster('cleared')}>
										<span className="num">{clearance.counts.cleared}</span>可以上岗
									</Link>
								</li>
								<li>
									<Link to={roster('expiring')}>
										<span className="num">{clearance.counts.expiring}</span>30 天内到期
									</Link>
								</li>
								<li>
									<Link to={roster('not_cleared')}>
										<span className="num">{clearance.counts.not_cleared}</span>不得上岗
									</Link>
								</li>
							</ul>
							{clearance.counts.not_cleared ? (
								<p className="muted">
									不得上岗中：
									{(Object.keys(EMPLOYMENT_TYPES) as EmploymentType[])
										.filter((k) => clearance.notClearedByEmployment[k])
										.map((k) => `${EMPLOYMENT_TYPES[k]} ${clearance.notClearedByEmployment[k]} 人`)
										.join('，')}
								</p>
							) : null}
							{clearance.notCleared.length ? (
								<>
									<h4>不得上岗的人员及原因</h4>
									<ul className="plain-list" aria-label="不得上岗的人员">
										{clearance.notCleared.map((p) => (
											<li key={p.id}>
												<Link to={`/people/${p.id}`}>{p.name}</Link>
												{p.employmentType !== 'formal' ? <span className="badge">{EMPLOYMENT_TYPES[p.employmentType]}</span> : null}
												<ul className="reasons">
													{p.reasons.map((r) => (
														<li key={r}>{r}</li>
													))}
												</ul>
											</li>
										))}
									</ul>
									{clearance.counts.not_cleared > clearance.notCleared.length ? <Link to={roster('not_cleared')}>查看全部 {clearance.counts.not_cleared} 人</Link> : null}
								</>
							) : null}
							{clearance.expiring.length ? (
								<>
									<h4>30 天内到期</h4>
									<ul className="plain-list" aria-label="上岗资格即将到期的人员">
										{clearance.expiring.map((p) => (
											<li key={p.id}>
												<Link to={`/people/${p.id}`}>{p.name}</Link> 有效至 {p.lastDay}
											</li>
										))}
									</ul>
								</>
							) : null}
						</section>
						<Headcount counts={counts} />
					</section>
				)
			})}
		</>
	)
}
