import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { requirePersonInScope } from '#app/auth/auth.server.ts'
import { FormError, SelectField, SubmitButton, TextField } from '#app/components/forms.tsx'
import { operationCertificateSchema } from '#app/records/operation-certificate-form.ts'
import { recordOperationCertificate, specialJobsOf } from '#app/records/operation-certificates.server.ts'
import { personDetail } from '#app/people/people.server.ts'
import { db } from '#app/utils/db.server.ts'
import { failure, formValues, parseForm } from '#app/utils/forms.ts'

export const meta: MetaFunction = () => [{ title: '登记特种作业操作证 · 安全生产培训考试平台' }]

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { person } = await requirePersonInScope(request, params.personId!, { manage: true })
	const [detail, jobs] = await Promise.all([personDetail(db, person.id), specialJobsOf(db, person.id)])
	return { name: detail!.name, personId: person.id, jobs }
}

export async function action({ request, params }: ActionFunctionArgs) {
	const { user, person } = await requirePersonInScope(request, params.personId!, { manage: true })
	const formData = await request.formData()
	const parsed = parseForm(operationCertificateSchema, formData)
	if (!parsed.ok) return data(parsed, { status: 400 })
	const result = await recordOperationCertificate(db, user, person.id, parsed.data)
	if (!result.ok) return data(failure(formValues(formData), result.errors), { status: 400 })
	return redirect(`/people/${person.id}?notice=certificate-recorded`)
}

export default function RecordOperationCertificate() {
	const { name, personId, jobs } = useLoaderData<typeof loader>()
	const result = useActionData<typeof action>()
	const values = result?.values ?? {}
	const errors = result?.errors ?? {}
	const value = (key: string, fallback = '') => (typeof values[key] === 'string' ? (values[key] as string) : fallback)
	if (!jobs.length) {
		return (
			<>
				<h1>登记特种作业操作证：{name}</h1>
				<p className="notice">此人没有特种作业工种，无需登记操作证。</p>
				<Link to={`/people/${personId}`}>返回</Link>
			</>
		)
	}
	return (
		<>
			<h1>登记特种作业操作证：{name}</h1>
			<Form method="post" className="card" noValidate>
				<FormError error={errors.form} />
				<SelectField name="jobTypeCode" label="作业类别" options={jobs.map((j) => [j.code, j.certificateName ? `${j.name}（${j.certificateName}）` : j.name])} defaultValue={value('jobTypeCode', jobs[0]!.code)} error={errors.jobTypeCode} required />
				<TextField name="number" label="证书编号" hint="T 加持证人 18 位身份证号" autoComplete="off" defaultValue={value('number')} error={errors.number} required maxLength={19} />
				<TextField name="issuer" label="发证机关" defaultValue={value('issuer')} error={errors.issuer} maxLength={60} />
				<TextField name="issuedOn" label="发证日期" type="date" defaultValue={value('issuedOn')} error={errors.issuedOn} required />
				<TextField name="validUntil" label="有效期至" type="date" defaultValue={value('validUntil')} error={errors.validUntil} required />
				<div className="actions">
					<SubmitButton>登记</SubmitButton>
					<Link className="button secondary" to={`/people/${personId}`}>
						取消
					</Link>
				</div>
			</Form>
		</>
	)
}
