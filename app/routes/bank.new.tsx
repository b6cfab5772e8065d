import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { requireContentScope } from '#app/auth/auth.server.ts'
import { questionFormSchema } from '#app/bank/question-form.ts'
import { saveQuestion } from '#app/bank/save-question.server.ts'
import { QuestionForm } from '#app/components/question-form.tsx'
import { listJobTypes } from '#app/people/people.server.ts'
import { db } from '#app/utils/db.server.ts'
import { failure, formValues, parseForm } from '#app/utils/forms.ts'

export const meta: MetaFunction = () => [{ title: '新增试题 · 安全生产培训考试平台' }]

export async function loader({ request }: LoaderFunctionArgs) {
	await requireContentScope(request)
	return { jobTypes: await listJobTypes(db) }
}

export async function action({ request }: ActionFunctionArgs) {
	const scope = await requireContentScope(request)
	const formData = await request.formData()
	const parsed = parseForm(questionFormSchema, formData, { arrays: ['jobTypes'] })
	if (!parsed.ok) return data(parsed, { status: 400 })
	const result = await saveQuestion(scope, parsed.data)
	if (!result.ok) return data(failure(formValues(formData, ['jobTypes']), result.errors), { status: 400 })
	throw redirect(`/bank/${result.questionId}?saved=1`)
}

export default function NewQuestion() {
	const { jobTypes } = useLoaderData<typeof loader>()
	const result = useActionData<typeof action>()
	return (
		<>
			<h1>新增试题</h1>
			<QuestionForm values={result?.values ?? {}} errors={result?.errors ?? {}} jobTypes={jobTypes} submitLabel="保存" />
		</>
	)
}
