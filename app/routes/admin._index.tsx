import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData, useSearchParams } from '@remix-run/react'
import { requireRole } from '#app/auth/auth.server.ts'
import { Headcount, Notice } from '#app/components/headcount.tsx'
import { headcount } from '#app/people/stats.server.ts'
import { db } from '#app/utils/db.server.ts'

export const meta: MetaFunction = () => [{ title: '系统管理 · 安全生产培训考试平台' }]

export async function loader({ request }: LoaderFunctionArgs) {
	await requireRole(request, 'system_admin')
	return { counts: await headcount(db, '/') }
}

export default function AdminHome() {
	const { counts } = useLoaderData<typeof loader>()
	const [params] = useSearchParams()
	return (
		<>
			<h1>系统管理</h1>
			<Notice code={params.get('notice')} />
			<Headcount counts={counts} />
			<h2>管理</h2>
			<ul className="plain">
				<li>
					<Link to="/orgs">单位与辖区</Link>
				</li>
				<li>
					<Link to="/people">全部人员</Link>
				</li>
				<li>
					<Link to="/audit">操作日志</Link>
				</li>
			</ul>
		</>
	)
}
