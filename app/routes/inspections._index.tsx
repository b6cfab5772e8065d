import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { listInspections, requireInspector } from '#app/oversight/inspections.server.ts'
import { db } from '#app/utils/db.server.ts'

// 执法检查 in the inspector's jurisdiction, newest first.

export const meta: MetaFunction = () => [{ title: '执法检查 · 安全生产培训考试平台' }]

export async function loader({ request }: LoaderFunctionArgs) {
	const { scope } = await requireInspector(request)
	return { rows: await listInspections(db, scope) }
}

export default function InspectionsList() {
	const { rows } = useLoaderData<typeof loader>()
	return (
		<>
			<h1>执法检查</h1>
			<div className="actions">
				<Link className="button" to="/inspections/new">
					记录检查
				</Link>
			</div>
			<p className="muted">记录对企业的检查和发现的隐患；检查时可开始「逢查必考」现场考试，工人扫码即考。</p>
			{rows.length ? (
				<div className="table-scroll">
					<table className="data" aria-label="检查记录">
						<thead>
							<tr>
								<th scope="col">检查日期</th>
								<th scope="col">企业</th>
								<th scope="col">检查人员</th>
								<th scope="col">隐患（未整改）</th>
								<th scope="col">现场考试</th>
							</tr>
						</thead>
						<tbody>
							{rows.map((r) => (
								<tr key={r.id}>
									<td>
										<Link to={`/inspections/${r.id}`}>{r.inspectedOn}</Link>
									</td>
									<td>{r.orgName}</td>
									<td>{r.inspectors}</td>
									<td>
										{r.hazards}（{r.openHazards}）
									</td>
									<td>{r.quizzes ? `${r.quizzes} 场` : '—'}</td>
								</tr>
							))}
						</tbody>
					</table>
				</div>
			) : (
				<p className="muted">还没有检查记录。</p>
			)}
		</>
	)
}
