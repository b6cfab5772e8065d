import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { forbidden, requirePersonInScope } from '#app/auth/auth.server.ts'
import { canRecordViolationsOf } from '#app/auth/scope.ts'
import { FormError, SelectField, SubmitButton, TextAreaField, TextField } from '#app/components/forms.tsx'
import { recordViolation, retrainingChoices } from '#app/records/orders.server.ts'
import { VIOLATION_KINDS, violationInput, violationSchema } from '#app/records/violation-form.ts'
import { personDetail } from '#app/people/people.server.ts'
import { db } from '#app/utils/db.server.ts'
import { failure, formValues, parseForm } from '#app/utils/forms.ts'
import { chinaDay } from '#app/utils/days.ts'

export const meta: MetaFunction = () => [{ title: '记录三违 · 安全生产培训考试平台' }]

async function requireRecorder(request: Request, personId: string) {
	const { user, person } = await requirePersonInScope(request, personId)
	if (!canRecordViolationsOf(user, person.orgPath) || person.anonymisedAt) throw forbidden()
	return { user, person }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { person } = await requireRecorder(request, params.personId!)
	const [detail, choices] = await Promise.all([personDetail(db, person.id), retrainingChoices(db, person.id)])
	return { name: detail!.name, personId: person.id, choices, today: chinaDay(new Date()) }
}

export async function action({ request, params }: ActionFunctionArgs) {
	const { user, person } = await requireRecorder(request, params.personId!)
	const formData = await request.formData()
	const parsed = parseForm(violationSchema, formData)
	if (!parsed.ok) return data(parsed, { status: 400 })
	const now = new Date()
	const result = await recordViolation(db, user, person.id, violationInput(parsed.data, now), now)
	if (!result.ok) return data(failure(formValues(formData), result.errors), { status: 400 })
	return redirect(`/people/${person.id}?notice=violation-recorded`)
}

export default function RecordViolation() {
	const { name, personId, choices, today } = useLoaderData<typeof loader>()
	const result = useActionData<typeof action>()
	const values = result?.values ?? {}
	const errors = result?.errors ?? {}
	const value = (key: string, fallback = '') => (typeof values[key] === 'string' ? (values[key] as string) : fallback)
	return (
		<>
			<h1>记录三违：{name}</h1>
			<p className="muted">记录后即责令脱产培训：此人须学完所选课程并通过补考，期间不得上岗。记录不可修改或删除。</p>
			<Form method="post" className="card" noValidate>
				<FormError error={errors.form} />
				<SelectField name="kind" label="三违类别" options={Object.entries(VIOLATION_KINDS)} placeholder="请选择" defaultValue={value('kind')} error={errors.kind} required />
				<TextField name="occurredOn" label="发生日期" type="date" defaultValue={value('occurredOn', today)} max={today} error={errors.occurredOn} required />
				<TextField name="place" label="地点" defaultValue={value('place')} error={errors.place} required maxLength={100} />
				<TextAreaField name="description" label="违章情况" defaultValue={value('description')} error={errors.description} required rows={4} />
				<fieldset>
					<legend>脱产培训要求</legend>
					<SelectField name="courseId" label="须学习的课程" options={choices.courses.map((c) => [c.id, c.title])} placeholder="（不指定课程）" defaultValue={value('courseId')} error={errors.courseId} />
					<SelectField
						name="templateId"
						label="补考试卷"
						options={choices.templates.map((t) => [t.id, t.title])}
						placeholder="请选择"
						defaultValue={value('templateId', choices.templates[0]?.id ?? '')}
						error={errors.templateId}
						required
					/>
					<TextField name="dueDays" label="完成期限（天）" type="number" inputMode="numeric" min={1} max={180} defaultValue={value('dueDays', '30')} error={errors.dueDays} required />
				</fieldset>
				<div className="actions">
					<SubmitButton>记录并责令脱产培训</SubmitButton>
					<Link className="button secondary" to={`/people/${personId}`}>
						取消
					</Link>
				</div>
			</Form>
		</>
	)
}
