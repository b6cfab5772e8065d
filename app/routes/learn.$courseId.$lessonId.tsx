import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, type ShouldRevalidateFunction } from '@remix-run/react'
import { notFound, requireUser } from '#app/auth/auth.server.ts'
import { useStudyHeartbeat } from '#app/components/study-heartbeat.tsx'
import { lessonForLearner, recordHeartbeat, recordLessonOpened, recordMarkDone } from '#app/courses/learning.server.ts'
import { remainingMessage } from '#app/courses/study-time.ts'
import { renderWithGlossary } from '#app/outreach/cases.server.ts'
import { db } from '#app/utils/db.server.ts'
import { isUuid } from '#app/utils/ids.ts'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.lesson.title ?? '课时'} · 安全生产培训考试平台` }]

// A heartbeat must not reload the lesson (that would count as opening it again).
export const shouldRevalidate: ShouldRevalidateFunction = ({ formData, defaultShouldRevalidate }) =>
	formData?.get('intent') === 'heartbeat' ? false : defaultShouldRevalidate

async function requireLesson(request: Request, params: LoaderFunctionArgs['params']) {
	const user = await requireUser(request)
	const ids = [params.courseId!, params.lessonId!]
	if (!ids.every(isUuid)) throw notFound()
	const found = await lessonForLearner(db, user.id, params.courseId!, params.lessonId!)
	if (!found) throw notFound()
	return { user, ...found }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { user, course, lesson, previous, next, position, count } = await requireLesson(request, params)
	const progress = await recordLessonOpened(db, user.id, lesson)
	return {
		course: { id: course.id, title: course.title },
		lesson: { id: lesson.id, title: lesson.title, minMinutes: lesson.minMinutes, html: await renderWithGlossary(lesson.body) },
		progress: { studiedSeconds: progress.studiedSeconds, done: Boolean(progress.completedAt) },
		previous: previous && { id: previous.id, title: previous.title },
		next: next && { id: next.id, title: next.title },
		position,
		count,
	}
}

export async function action({ request, params }: ActionFunctionArgs) {
	const { user, lesson } = await requireLesson(request, params)
	const form = await request.formData()
	const intent = form.get('intent')
	if (intent === 'heartbeat') {
		const p = await recordHeartbeat(db, user.id, lesson, form.get('reachedEnd') === '1')
		return { studiedSeconds: p.studiedSeconds, done: Boolean(p.completedAt), message: null }
	}
	if (intent === 'done') {
		const p = await recordMarkDone(db, user.id, lesson)
		const message = p.completedAt ? null : remainingMessage(p, lesson.minMinutes)
		return data({ studiedSeconds: p.studiedSeconds, done: Boolean(p.completedAt), message }, { status: p.completedAt ? 200 : 400 })
	}
	return data({ studiedSeconds: 0, done: false, message: '无法识别的操作' }, { status: 400 })
}

export default function LessonPage() {
	const { course, lesson, progress, previous, next, position, count } = useLoaderData<typeof loader>()
	const result = useActionData<typeof action>()
	const live = useStudyHeartbeat(lesson.id, progress)
	const studiedSeconds = Math.max(result?.studiedSeconds ?? 0, live.studiedSeconds)
	const done = progress.done || live.done || Boolean(result?.done)
	return (
		<article className="lesson">
			<p className="muted">
				<Link to={`/learn/${course.id}`}>{course.title}</Link> › 第 {position}/{count} 课时
			</p>
			<h1>{lesson.title}</h1>
			<p className="muted" role="status" aria-live="polite">
				{done ? '本课时已完成' : `已学 ${Math.floor(studiedSeconds / 60)} 分 ${studiedSeconds % 60} 秒，最少需学 ${lesson.minMinutes} 分钟`}
			</p>
			<div className="lesson-body" dangerouslySetInnerHTML={{ __html: lesson.html }} />
			<div ref={live.endRef} aria-hidden="true" />
			<section className="card lesson-end" aria-label="学习进度">
				{result?.message ? (
					<p className="form-error" role="alert">
						{result.message}
					</p>
				) : null}
				{done ? (
					<p className="notice">本课时已完成。</p>
				) : (
					<Form method="post">
						<input type="hidden" name="intent" value="done" />
						<button type="submit" className="primary">
							我已学完本课时
						</button>
					</Form>
				)}
				<nav className="actions" aria-label="课时导航">
					{previous ? <Link to={`/learn/${course.id}/${previous.id}`}>上一课时</Link> : null}
					{next ? (
						<Link className="button secondary" to={`/learn/${course.id}/${next.id}`}>
							下一课时：{next.title}
						</Link>
					) : (
						<Link to={`/learn/${course.id}`}>返回课程</Link>
					)}
				</nav>
			</section>
		</article>
	)
}
