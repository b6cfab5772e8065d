import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { requireContentScope } from '#app/auth/auth.server.ts'
import { CourseForm } from '#app/components/course-forms.tsx'
import { courseFormSchema } from '#app/courses/course-form.ts'
import { saveCourse } from '#app/courses/editor.server.ts'
import { listJobTypes, unknownJobTypes } from '#app/people/people.server.ts'
import { db } from '#app/utils/db.server.ts'
import { failure, formValues, parseForm } from '#app/utils/forms.ts'

export const meta: MetaFunction = () => [{ title: '新建课程 · 安全生产培训考试平台' }]

export async function loader({ request }: LoaderFunctionArgs) {
	await requireContentScope(request)
	return { jobTypes: await listJobTypes(db) }
}

export async function action({ request }: ActionFunctionArgs) {
	const scope = await requireContentScope(request)
	const formData = await request.formData()
	const parsed = parseForm(courseFormSchema, formData, { arrays: ['jobTypes'] })
	if (!parsed.ok) return data(parsed, { status: 400 })
	const unknown = await unknownJobTypes(db, parsed.data.jobTypes)
	if (unknown.length) return data(failure(formValues(formData, ['jobTypes']), { jobTypes: `工种不存在：${unknown.join('、')}` }), { status: 400 })
	const id = await saveCourse(scope, parsed.data)
	throw redirect(`/editor/courses/${id}`)
}

export default function NewCourse() {
	const { jobTypes } = useLoaderData<typeof loader>()
	const result = useActionData<typeof action>()
	return (
		<>
			<h1>新建课程</h1>
			<CourseForm values={result?.values ?? { published: '1' }} errors={result?.errors ?? {}} jobTypes={jobTypes} submitLabel="创建课程" />
		</>
	)
}
