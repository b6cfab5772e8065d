import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { notFound, requireRole } from '#app/auth/auth.server.ts'
import { CheckboxGroup, FormError, SubmitButton, TextField } from '#app/components/forms.tsx'
import { jobRuleSchema } from '#app/records/rules-form.ts'
import { jobRuleChoices, saveJobRule } from '#app/records/rules.server.ts'
import { db } from '#app/utils/db.server.ts'
import { failure, formValues, parseForm } from '#app/utils/forms.ts'

export const meta: MetaFunction = () => [{ title: '工种上岗规则 · 安全生产培训考试平台' }]

export async function loader({ request, params }: LoaderFunctionArgs) {
	await requireRole(request, 'system_admin')
	const choices = await jobRuleChoices(db, params.jobType ?? '')
	if (!choices) throw notFound()
	return choices
}

export async function action({ request, params }: ActionFunctionArgs) {
	const user = await requireRole(request, 'system_admin')
	const formData = await request.formData()
	const parsed = parseForm(jobRuleSchema, formData, { arrays: ['courseIds', 'templateIds'] })
	if (!parsed.ok) return data(parsed, { status: 400 })
	const result = await saveJobRule(db, user, params.jobType ?? '', parsed.data)
	if (!result.ok) return data(failure(formValues(formData, ['courseIds', 'templateIds']), result.errors), { status: 400 })
	return redirect('/rules')
}

export default function JobRule() {
	const { job, rule, courses, templates } = useLoaderData<typeof loader>()
	const result = useActionData<typeof action>()
	const values = result?.values ?? {}
	const errors = result?.errors ?? {}
	const chosen = (key: string, saved: string[] | null | undefined) => (Array.isArray(values[key]) ? (values[key] as string[]) : (saved ?? []))
	const mode = (key: string, saved: unknown) => (typeof values[key] === 'string' ? values[key] : saved ? 'chosen' : 'default')
	return (
		<>
			<h1>上岗规则：{job.name}</h1>
			<Form method="post" className="card" noValidate>
				<FormError error={errors.form} />
				<fieldset>
					<legend>须完成的课程</legend>
					<label>
						<input type="radio" name="courseMode" value="default" defaultChecked={mode('courseMode', rule?.courseIds) === 'default'} /> 默认：本工种课程及全员通用课程
					</label>
					<label>
						<input type="radio" name="courseMode" value="chosen" defaultChecked={mode('courseMode', rule?.courseIds) === 'chosen'} /> 指定以下课程
					</label>
					<CheckboxGroup name="courseIds" label="课程" options={courses.map((c) => [c.id, c.title])} defaultValue={chosen('courseIds', rule?.courseIds)} error={errors.courseIds} />
				</fieldset>
				<fieldset>
					<legend>须合格的考试</legend>
					<label>
						<input type="radio" name="templateMode" value="default" defaultChecked={mode('templateMode', rule?.templateIds) === 'default'} /> 默认：本工种的岗前或年度考试
					</label>
					<label>
						<input type="radio" name="templateMode" value="chosen" defaultChecked={mode('templateMode', rule?.templateIds) === 'chosen'} /> 指定以下试卷规则之一
					</label>
					<CheckboxGroup name="templateIds" label="试卷规则" options={templates.map((t) => [t.id, t.title])} defaultValue={chosen('templateIds', rule?.templateIds)} error={errors.templateIds} />
				</fieldset>
				<TextField name="passValidMonths" label="考试合格有效期（月）" type="number" inputMode="numeric" min={1} max={120} defaultValue={typeof values.passValidMonths === 'string' ? values.passValidMonths : String(rule?.passValidMonths ?? 12)} error={errors.passValidMonths} required />
				<div className="actions">
					<SubmitButton>保存</SubmitButton>
					<Link className="button secondary" to="/rules">
						取消
					</Link>
				</div>
			</Form>
		</>
	)
}
