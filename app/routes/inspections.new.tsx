import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { FormError, SelectField, SubmitButton, TextAreaField, TextField } from '#app/components/forms.tsx'
import { HAZARD_FIELDS, HAZARD_ROWS, inspectionSchema, readHazardRows } from '#app/oversight/inspections-form.ts'
import { createInspection, enterprisesToInspect, requireInspector } from '#app/oversight/inspections.server.ts'
import { chinaDay } from '#app/utils/days.ts'
import { db } from '#app/utils/db.server.ts'
import { failure, formValues, parseForm, type FormValues } from '#app/utils/forms.ts'

// 记录检查: the enterprise, date, inspectors, findings and up to HAZARD_ROWS hazards at once
// (more on the inspection's page). Works without JavaScript.

export const meta: MetaFunction = () => [{ title: '记录检查 · 安全生产培训考试平台' }]

export async function loader({ request }: LoaderFunctionArgs) {
	const { scope } = await requireInspector(request)
	const enterprises = await enterprisesToInspect(db, scope)
	const orgId = new URL(request.url).searchParams.get('orgId') ?? ''
	return {
		enterprises: enterprises.map((e) => [e.id, e.name] as [string, string]),
		defaults: { orgId: enterprises.some((e) => e.id === orgId) ? orgId : '', inspectedOn: chinaDay(new Date()), inspectors: '', findings: '' } as FormValues,
	}
}

export async function action({ request }: ActionFunctionArgs) {
	const { user, scope } = await requireInspector(request)
	const form = await request.formData()
	const parsed = parseForm(inspectionSchema, form, { arrays: HAZARD_FIELDS })
	const values = formValues(form, HAZARD_FIELDS)
	if (!parsed.ok) {
		// Hazard rows are checked too, so every problem shows at once.
		const inspectedOn = typeof values.inspectedOn === 'string' ? values.inspectedOn : ''
		const rows = readHazardRows(values.hazardDescription as string[], values.hazardRectifyBy as string[], inspectedOn)
		return data(failure(values, { ...(rows.ok ? {} : rows.errors), ...parsed.errors }), { status: 400 })
	}
	const rows = readHazardRows(parsed.data.hazardDescription, parsed.data.hazardRectifyBy, parsed.data.inspectedOn)
	if (!rows.ok) return data(failure(values, rows.errors), { status: 400 })
	if (parsed.data.inspectedOn > chinaDay(new Date())) return data(failure(values, { inspectedOn: '检查日期不能晚于今天' }), { status: 400 })
	const { orgId, inspectedOn, inspectors, findings } = parsed.data
	const result = await createInspection(db, user, scope, { orgId, inspectedOn, inspectors, findings, hazards: rows.hazards })
	if (!result.ok) return data(failure(values, result.errors), { status: 400 })
	throw redirect(`/inspections/${result.id}`)
}

export default function NewInspection() {
	const { enterprises, defaults } = useLoaderData<typeof loader>()
	const result = useActionData<typeof action>()
	const values = result?.values ?? defaults
	const errors: Record<string, string> = result?.errors ?? {}
	const v = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : '')
	const row = (k: string, i: number) => (Array.isArray(values[k]) ? ((values[k] as string[])[i] ?? '') : '')
	return (
		<>
			<p className="muted">
				<Link to="/inspections">执法检查</Link> › 记录检查
			</p>
			<h1>记录检查</h1>
			{enterprises.length ? (
				<Form method="post" className="stack" noValidate>
					<FormError error={errors.form} />
					<SelectField name="orgId" label="被检查企业" options={enterprises} placeholder="请选择" defaultValue={v('orgId')} error={errors.orgId} />
					<TextField name="inspectedOn" label="检查日期" type="date" defaultValue={v('inspectedOn')} error={errors.inspectedOn} />
					<TextField name="inspectors" label="检查人员" defaultValue={v('inspectors')} error={errors.inspectors} hint="例如：陈海涛、王磊" />
					<TextAreaField name="findings" label="检查情况" defaultValue={v('findings')} error={errors.findings} rows={4} />
					<fieldset>
						<legend>发现的隐患（没有可不填；更多隐患可保存后在检查记录中添加）</legend>
						{Array.from({ length: HAZARD_ROWS }, (_, i) => (
							<div key={i} className="field">
								<label htmlFor={`hazardDescription-${i}`}>隐患 {i + 1}</label>
								<input id={`hazardDescription-${i}`} name="hazardDescription" type="text" defaultValue={row('hazardDescription', i)} aria-invalid={errors[`hazard-${i}`] ? true : undefined} aria-describedby={errors[`hazard-${i}`] ? `hazard-${i}-error` : undefined} />
								<label htmlFor={`hazardRectifyBy-${i}`}>隐患 {i + 1} 整改期限</label>
								<input id={`hazardRectifyBy-${i}`} name="hazardRectifyBy" type="date" defaultValue={row('hazardRectifyBy', i)} />
								{errors[`hazard-${i}`] ? (
									<p className="field-error" id={`hazard-${i}-error`} role="alert">
										{errors[`hazard-${i}`]}
									</p>
								) : null}
							</div>
						))}
					</fieldset>
					<div className="actions">
						<SubmitButton pendingText="正在保存…">保存检查记录</SubmitButton>
					</div>
				</Form>
			) : (
				<p className="muted">您的辖区内没有企业。</p>
			)}
		</>
	)
}
