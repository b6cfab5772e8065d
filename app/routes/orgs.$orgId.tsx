import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { eq } from 'drizzle-orm'
import { industries } from '#db/schema.ts'
import { requireOrgInScope } from '#app/auth/auth.server.ts'
import { Headcount } from '#app/components/headcount.tsx'
import { ORG_KINDS } from '#app/people/labels.ts'
import { childrenWithCounts, headcount } from '#app/people/stats.server.ts'
import { db } from '#app/utils/db.server.ts'

export const meta: MetaFunction = () => [{ title: '单位详情 · 安全生产培训考试平台' }]

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { org } = await requireOrgInScope(request, params.orgId!)
	const [industry] = org.industryCode ? await db.select().from(industries).where(eq(industries.code, org.industryCode)) : []
	return {
		org: { id: org.id, name: org.name, kind: org.kind, industry: industry?.name ?? null },
		counts: await headcount(db, org.path),
		children: await childrenWithCounts(db, org.id),
	}
}

export default function OrgPage() {
	const { org, counts, children } = useLoaderData<typeof loader>()
	return (
		<>
			<h1>{org.name}</h1>
			<p>
				<span className="badge">{ORG_KINDS[org.kind]}</span>
				{org.industry ? <span className="muted"> 行业：{org.industry}</span> : null}
			</p>
			<p>
				<Link to={`/people?orgId=${org.id}`}>本单位人员</Link>
			</p>
			<Headcount counts={counts} />
			{children.length ? (
				<>
					<h2>下级单位</h2>
					<ul className="plain">
						{children.map((c) => (
							<li key={c.id}>
								<Link to={`/orgs/${c.id}`}>{c.name}</Link>（{ORG_KINDS[c.kind]}，{c.people} 人）
							</li>
						))}
					</ul>
				</>
			) : null}
		</>
	)
}
