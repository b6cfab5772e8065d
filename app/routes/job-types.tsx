import type { MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { asc, eq } from 'drizzle-orm'
import { industries, jobTypes } from '#db/schema.ts'
import { db } from '#app/utils/db.server.ts'

export const meta: MetaFunction = () => [
	{ title: '工种目录 · 安全生产培训考试平台' },
	{ name: 'description', content: '各行业工种/岗位及其持证上岗要求。' },
]

// Public: the catalogue holds no personal data.
export async function loader() {
	const rows = await db
		.select({ code: jobTypes.code, name: jobTypes.name, industry: industries.name, specialOperation: jobTypes.specialOperation, certificateName: jobTypes.certificateName, description: jobTypes.description })
		.from(jobTypes)
		.innerJoin(industries, eq(industries.code, jobTypes.industryCode))
		.orderBy(asc(industries.sortOrder), asc(jobTypes.sortOrder))
	return { rows }
}

export default function JobTypes() {
	const { rows } = useLoaderData<typeof loader>()
	const byIndustry = new Map<string, typeof rows>()
	for (const row of rows) byIndustry.set(row.industry, [...(byIndustry.get(row.industry) ?? []), row])
	return (
		<>
			<h1>工种目录</h1>
			<p className="muted">共 {rows.length} 个工种/岗位。标注“特种作业”的须取得特种作业操作证后方可上岗。</p>
			{[...byIndustry].map(([industry, jobs]) => (
				<section key={industry} aria-labelledby={`ind-${industry}`}>
					<h2 id={`ind-${industry}`}>{industry}</h2>
					<ul className="plain">
						{jobs.map((j) => (
							<li key={j.code}>
								<strong>{j.name}</strong>
								{j.specialOperation ? <span className="badge warn"> 特种作业</span> : null}
								{j.certificateName ? <span className="muted">（须持{j.certificateName}）</span> : null}
								<br />
								<span className="muted">{j.description}</span>
							</li>
						))}
					</ul>
				</section>
			))}
		</>
	)
}
