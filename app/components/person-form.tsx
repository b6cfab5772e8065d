import { Form } from '@remix-run/react'
import { CheckboxGroup, FormError, SelectField, SubmitButton, TextField } from './forms.tsx'
import { EMPLOYMENT_TYPES, PERSON_CATEGORIES } from '#app/people/labels.ts'
import type { FormErrors, FormValues } from '#app/utils/forms.ts'

export function PersonForm({
	values,
	errors,
	orgs,
	jobTypes,
	submitLabel,
	offerAccount,
}: {
	values: FormValues
	errors: FormErrors
	orgs: { id: string; name: string }[]
	jobTypes: { code: string; name: string }[]
	submitLabel: string
	offerAccount: boolean
}) {
	const v = (key: string) => (typeof values[key] === 'string' ? (values[key] as string) : '')
	const selectedJobs = Array.isArray(values.jobTypes) ? values.jobTypes : []
	return (
		<Form method="post" className="stack" noValidate>
			<FormError error={errors.form} />
			<TextField name="name" label="姓名" defaultValue={v('name')} error={errors.name} autoComplete="off" />
			<TextField name="phone" label="手机号" type="tel" inputMode="numeric" defaultValue={v('phone')} error={errors.phone} hint="手机号也是登录账号" />
			<TextField name="idNumber" label="身份证号" defaultValue={v('idNumber')} error={errors.idNumber} hint="18 位，加密保存，页面上只显示前 4 位和后 4 位" autoComplete="off" />
			<SelectField name="orgId" label="所属单位" options={orgs.map((o) => [o.id, o.name])} placeholder="请选择" defaultValue={v('orgId')} error={errors.orgId} />
			<SelectField name="category" label="人员类别" options={Object.entries(PERSON_CATEGORIES)} placeholder="请选择" defaultValue={v('category')} error={errors.category} />
			<SelectField name="employmentType" label="用工形式" options={Object.entries(EMPLOYMENT_TYPES)} placeholder="请选择" defaultValue={v('employmentType')} error={errors.employmentType} />
			<TextField name="position" label="职务/岗位" defaultValue={v('position')} error={errors.position} />
			<TextField name="hiredOn" label="入职日期" type="date" defaultValue={v('hiredOn')} error={errors.hiredOn} />
			<CheckboxGroup name="jobTypes" label="工种" options={jobTypes.map((j) => [j.code, j.name])} defaultValue={selectedJobs} error={errors.jobTypes} />
			{offerAccount ? (
				<div className="field">
					<label>
						<input type="checkbox" name="createAccount" value="1" defaultChecked={values.createAccount === '1'} /> 开通登录账号（生成一次性初始密码，首次登录须修改）
					</label>
				</div>
			) : null}
			<div className="actions">
				<SubmitButton pendingText="正在保存…">{submitLabel}</SubmitButton>
			</div>
		</Form>
	)
}
