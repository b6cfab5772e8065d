import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { notFound, requireUser } from '#app/auth/auth.server.ts'
import { PART_LABELS } from '#app/bank/question.ts'
import { courseForLearner } from '#app/courses/learning.server.ts'
import { db } from '#app/utils/db.server.ts'
import { isUuid } from '#app/utils/ids.ts'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.course.title ?? '课程'} · 安全生产培训考试平台` }]

export async function loader({ request, params }: LoaderFunctionArgs) {
	const user = await requireUser(request)
	if (!isUuid(params.courseId)) throw notFound()
	const found = await courseForLearner(db, user.id, params.courseId!)
	if (!found) throw notFound()
	const { course, lessons } = found
	return {
		course: { id: course.id, title: course.title, part: course.part, description: course.description },
		lessons: lessons.map((l) => ({ id: l.id, title: l.title, minMinutes: l.minMinutes, studiedMinutes: Math.floor((l.studiedSeconds ?? 0) / 60), done: Boolean(l.completedAt) })),
	}
}

export default function CoursePage() {
	const { course, lessons } = useLoaderData<typeof loader>()
	const done = lessons.filter((l) => l.done).length
	return (
		<>
			<p className="muted">
				<Link to="/me">我的学习</Link> › {PART_LABELS[course.part]}
			</p>
			<h1>{course.title}</h1>
			<p>{course.description}</p>
			<p>
				已完成 {done}/{lessons.length} 课时
			</p>
			<ol className="lesson-list">
				{lessons.map((l) => (
					<li key={l.id}>
						<Link to={l.id}>{l.title}</Link>
						<span className={l.done ? 'badge' : 'badge warn'}>{l.done ? '已完成' : `已学 ${l.studiedMinutes}/${l.minMinutes} 分钟`}</span>
					</li>
				))}
			</ol>
		</>
	)
}
