import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { notFound } from '#app/auth/auth.server.ts'
import { LessonForm } from '#app/components/course-forms.tsx'
import { lessonFormSchema } from '#app/courses/course-form.ts'
import { requireCourseForEditor } from '#app/courses/course-guard.server.ts'
import { saveLesson } from '#app/courses/editor.server.ts'
import { formValues, parseForm } from '#app/utils/forms.ts'
import { renderMarkdown } from '#app/utils/markdown.server.ts'

// One route for "添加课时" (lessonId = new) and editing a lesson.

export const meta: MetaFunction = () => [{ title: '编辑课时 · 安全生产培训考试平台' }]

async function requireLesson(request: Request, params: LoaderFunctionArgs['params'], edit: boolean) {
	const found = await requireCourseForEditor(request, params.courseId!, { edit })
	const lesson = params.lessonId === 'new' ? null : found.lessons.find((l) => l.id === params.lessonId)
	if (lesson === undefined) throw notFound()
	return { ...found, lesson }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { course, lesson, editable } = await requireLesson(request, params, false)
	const values: Record<string, string> = lesson ? { title: lesson.title, minMinutes: String(lesson.minMinutes), body: lesson.body } : { minMinutes: '10' }
	return { course: { id: course.id, title: course.title }, isNew: !lesson, values, editable, previewHtml: lesson ? renderMarkdown(lesson.body) : null }
}

export async function action({ request, params }: ActionFunctionArgs) {
	const { scope, course, lesson } = await requireLesson(request, params, true)
	const formData = await request.formData()
	if (formData.get('intent') === 'preview') {
		return { ok: false as const, errors: {}, values: formValues(formData), previewHtml: renderMarkdown(String(formData.get('body') ?? '')) }
	}
	const parsed = parseForm(lessonFormSchema, formData)
	if (!parsed.ok) return data({ ...parsed, previewHtml: null }, { status: 400 })
	await saveLesson(scope, course.id, parsed.data, lesson?.id)
	throw redirect(`/editor/courses/${course.id}`)
}

export default function EditLesson() {
	const { course, isNew, values, editable, previewHtml } = useLoaderData<typeof loader>()
	const result = useActionData<typeof action>()
	return (
		<>
			<p className="muted">
				<Link to={`/editor/courses/${course.id}`}>{course.title}</Link>
			</p>
			<h1>{isNew ? '添加课时' : '编辑课时'}</h1>
			{editable ? (
				<LessonForm values={result?.values ?? values} errors={result?.errors ?? {}} previewHtml={result?.previewHtml ?? previewHtml} submitLabel="保存课时" />
			) : (
				<div className="lesson-body" dangerouslySetInnerHTML={{ __html: previewHtml ?? '' }} />
			)}
		</>
	)
}
