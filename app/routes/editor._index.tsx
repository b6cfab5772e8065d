import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData, useSearchParams } from '@remix-run/react'
import { count, eq } from 'drizzle-orm'
import { industries, jobTypes } from '#db/schema.ts'
import { requireRole } from '#app/auth/auth.server.ts'
import { Notice } from '#app/components/headcount.tsx'
import { db } from '#app/utils/db.server.ts'

export const meta: MetaFunction = () => [{ title: '内容管理 · 安全生产培训考试平台' }]

export async function loader({ request }: LoaderFunctionArgs) {
	const user = await requireRole(request, 'content_editor')
	const [ind] = await db.select({ n: count() }).from(industries)
	const [jobs] = await db.select({ n: count() }).from(jobTypes)
	const [special] = await db.select({ n: count() }).from(jobTypes).where(eq(jobTypes.specialOperation, true))
	const platformWide = user.roles.some((r) => r.role === 'content_editor' && r.orgId === null)
	return { industries: ind?.n ?? 0, jobTypes: jobs?.n ?? 0, special: special?.n ?? 0, platformWide }
}

export default function EditorHome() {
	const d = useLoaderData<typeof loader>()
	const [params] = useSearchParams()
	return (
		<>
			<h1>内容管理</h1>
			<Notice code={params.get('notice')} />
			<p>您负责{d.platformWide ? '平台通用' : '本企业'}的培训内容。</p>
			<ul className="stats">
				<li>
					<span className="num">{d.industries}</span>行业
				</li>
				<li>
					<span className="num">{d.jobTypes}</span>工种/岗位
				</li>
				<li>
					<span className="num">{d.special}</span>特种作业工种
				</li>
			</ul>
			<div className="actions">
				<Link className="button" to="/editor/courses">
					课程管理
				</Link>
				<Link className="button" to="/bank">
					题库
				</Link>
				{d.platformWide ? (
					<Link className="button" to="/editor/articles">
						宣传文章
					</Link>
				) : null}
				<Link className="button secondary" to="/job-types">
					工种目录
				</Link>
			</div>
		</>
	)
}
