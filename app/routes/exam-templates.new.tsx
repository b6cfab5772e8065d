import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { hasRole } from '#app/auth/scope.ts'
import { ExamTemplateForm } from '#app/components/exam-template-form.tsx'
import { NEW_TEMPLATE_VALUES, TEMPLATE_ARRAY_FIELDS, templateFormSchema } from '#app/exams/template-form.ts'
import { requireTemplateAccess, saveTemplate } from '#app/exams/templates.server.ts'
import { listJobTypes } from '#app/people/people.server.ts'
import { db } from '#app/utils/db.server.ts'
import { failure, formValues, parseForm } from '#app/utils/forms.ts'

export const meta: MetaFunction = () => [{ title: '新建试卷规则 · 安全生产培训考试平台' }]

export async function loader({ request }: LoaderFunctionArgs) {
	const access = await requireTemplateAccess(request)
	// Regulators make templates for 抽考.
	const regulatorOnly = hasRole(access.user, 'regulator') && !hasRole(access.user, 'system_admin', 'enterprise_admin', 'content_editor')
	return { jobTypes: await listJobTypes(db), defaults: { ...NEW_TEMPLATE_VALUES, purpose: regulatorOnly ? 'spot_check' : '' }, platform: access.ownerOrgId === null }
}

export async function action({ request }: ActionFunctionArgs) {
	const access = await requireTemplateAccess(request)
	const formData = await request.formData()
	const parsed = parseForm(templateFormSchema, formData, { arrays: TEMPLATE_ARRAY_FIELDS })
	if (!parsed.ok) return data({ ...parsed, shortfalls: [] as string[] }, { status: 400 })
	const result = await saveTemplate(db, access, parsed.data)
	if (!result.ok) return data({ ...failure(formValues(formData, TEMPLATE_ARRAY_FIELDS), result.errors), shortfalls: result.shortfalls }, { status: 400 })
	throw redirect(`/exam-templates/${result.templateId}?saved=1`)
}

export default function NewExamTemplate() {
	const { jobTypes, defaults, platform } = useLoaderData<typeof loader>()
	const result = useActionData<typeof action>()
	return (
		<>
			<p className="muted">
				<Link to="/exam-templates">试卷规则</Link> › 新建
			</p>
			<h1>新建试卷规则</h1>
			<p className="muted">{platform ? '保存为平台试卷规则，各单位都可以用它发布考试。' : '保存为本单位的试卷规则。'}保存时会检查题库能否满足每条抽题规则。</p>
			<ExamTemplateForm values={result?.values ?? defaults} errors={result?.errors ?? {}} shortfalls={result?.shortfalls} jobTypes={jobTypes} submitLabel="保存试卷规则" />
		</>
	)
}
