import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { CourseForm } from '#app/components/course-forms.tsx'
import { courseFormSchema } from '#app/courses/course-form.ts'
import { requireCourseForEditor } from '#app/courses/course-guard.server.ts'
import { saveCourse } from '#app/courses/editor.server.ts'
import { listJobTypes, unknownJobTypes } from '#app/people/people.server.ts'
import { db } from '#app/utils/db.server.ts'
import { failure, formValues, parseForm } from '#app/utils/forms.ts'

export const meta: MetaFunction = () => [{ title: '编辑课程 · 安全生产培训考试平台' }]

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { course, jobTypes, lessons, editable } = await requireCourseForEditor(request, params.courseId!)
	const values = {
		title: course.title,
		part: course.part,
		description: course.description,
		forAllJobTypes: course.forAllJobTypes ? '1' : '',
		jobTypes,
		published: course.published ? '1' : '',
	}
	return {
		course: { id: course.id, title: course.title, shipped: course.code !== null },
		values,
		editable,
		lessons: lessons.map((l) => ({ id: l.id, title: l.title, minMinutes: l.minMinutes })),
		jobTypes: await listJobTypes(db),
	}
}

export async function action({ request, params }: ActionFunctionArgs) {
	const { scope, course } = await requireCourseForEditor(request, params.courseId!, { edit: true })
	const formData = await request.formData()
	const parsed = parseForm(courseFormSchema, formData, { arrays: ['jobTypes'] })
	if (!parsed.ok) return data(parsed, { status: 400 })
	const unknown = await unknownJobTypes(db, parsed.data.jobTypes)
	if (unknown.length) return data(failure(formValues(formData, ['jobTypes']), { jobTypes: `工种不存在：${unknown.join('、')}` }), { status: 400 })
	await saveCourse(scope, parsed.data, course.id)
	throw redirect(`/editor/courses/${course.id}`)
}

export default function EditCourse() {
	const { course, values, editable, lessons, jobTypes } = useLoaderData<typeof loader>()
	const result = useActionData<typeof action>()
	return (
		<>
			<p className="muted">
				<Link to="/editor/courses">课程管理</Link>
			</p>
			<h1>{course.title}</h1>
			<h2>课时</h2>
			<ol className="lesson-list">
				{lessons.map((l) => (
					<li key={l.id}>
						<Link to={`lessons/${l.id}`}>{l.title}</Link>
						<span className="muted">最少 {l.minMinutes} 分钟</span>
					</li>
				))}
			</ol>
			{editable ? (
				<>
					<p>
						<Link className="button secondary" to="lessons/new">
							添加课时
						</Link>
					</p>
					<h2>课程信息</h2>
					<CourseForm values={result?.values ?? values} errors={result?.errors ?? {}} jobTypes={jobTypes} submitLabel="保存课程" />
				</>
			) : (
				<p className="muted">{course.shipped ? '平台内置课程随内容文件（content/courses）维护，在此只能查看。' : '您不能修改这门课程。'}</p>
			)}
		</>
	)
}
