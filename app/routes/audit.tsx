import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { desc, eq } from 'drizzle-orm'
import { auditLog, people } from '#db/schema.ts'
import { requireRole } from '#app/auth/auth.server.ts'
import { db } from '#app/utils/db.server.ts'
import { formatDateTimeSeconds } from '#app/components/exam/format.ts'

export const meta: MetaFunction = () => [{ title: '操作日志 · 安全生产培训考试平台' }]

const ACTIONS: Record<string, string> = {
	'person.create': '新增人员',
	'person.update': '修改人员',
	'password.reset': '重置密码',
	'password.change': '本人修改密码',
	'demo.seed': '载入演示数据',
}

export async function loader({ request }: LoaderFunctionArgs) {
	await requireRole(request, 'system_admin')
	const page = Math.min(100_000, Math.max(1, Number(new URL(request.url).searchParams.get('page')) || 1))
	const rows = await db
		.select({ id: auditLog.id, at: auditLog.at, action: auditLog.action, targetType: auditLog.targetType, targetId: auditLog.targetId, actor: people.name })
		.from(auditLog)
		.leftJoin(people, eq(people.id, auditLog.actorId))
		.orderBy(desc(auditLog.id))
		.limit(50)
		.offset((page - 1) * 50)
	return { rows, page }
}

export default function Audit() {
	const { rows, page } = useLoaderData<typeof loader>()
	return (
		<>
			<h1>操作日志</h1>
			<div className="table-scroll">
				<table className="data">
					<thead>
						<tr>
							<th scope="col">时间</th>
							<th scope="col">操作人</th>
							<th scope="col">操作</th>
							<th scope="col">对象</th>
						</tr>
					</thead>
					<tbody>
						{rows.map((r) => (
							<tr key={r.id}>
								<td>{formatDateTimeSeconds(r.at)}</td>
								<td>{r.actor ?? '系统'}</td>
								<td>{ACTIONS[r.action] ?? r.action}</td>
								<td>{r.targetType === 'person' && r.targetId ? <Link to={`/people/${r.targetId}`}>查看</Link> : r.targetType}</td>
							</tr>
						))}
					</tbody>
				</table>
			</div>
			<nav className="pager" aria-label="分页">
				{page > 1 ? <Link to={`?page=${page - 1}`}>上一页</Link> : null}
				{rows.length === 50 ? <Link to={`?page=${page + 1}`}>下一页</Link> : null}
			</nav>
		</>
	)
}
