import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { requireContentScope } from '#app/auth/auth.server.ts'
import { PART_LABELS } from '#app/bank/question.ts'
import { listCoursesForEditor } from '#app/courses/editor.server.ts'

export const meta: MetaFunction = () => [{ title: '课程管理 · 安全生产培训考试平台' }]

export async function loader({ request }: LoaderFunctionArgs) {
	const scope = await requireContentScope(request)
	return { courses: await listCoursesForEditor(scope) }
}

export default function EditorCourses() {
	const { courses } = useLoaderData<typeof loader>()
	return (
		<>
			<h1>课程管理</h1>
			<p>
				<Link className="button" to="/editor/courses/new">
					新建课程
				</Link>
			</p>
			<div className="table-scroll">
				<table className="data">
					<thead>
						<tr>
							<th scope="col">课程</th>
							<th scope="col">类别</th>
							<th scope="col">课时</th>
							<th scope="col">来源</th>
						</tr>
					</thead>
					<tbody>
						{courses.map((c) => (
							<tr key={c.id}>
								<td>
									<Link to={`/editor/courses/${c.id}`}>{c.title}</Link>
									{c.published ? null : <span className="badge warn"> 未发布</span>}
								</td>
								<td>{PART_LABELS[c.part]}</td>
								<td>{c.lessons}</td>
								<td>{c.code ? '平台内置' : c.ownerOrgId ? '本企业' : '平台'}</td>
							</tr>
						))}
					</tbody>
				</table>
			</div>
		</>
	)
}
