import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { requireRole } from '#app/auth/auth.server.ts'
import { CheckboxGroup, FormError, SubmitButton, TextField } from '#app/components/forms.tsx'
import { PERSON_CATEGORIES } from '#app/people/labels.ts'
import { rotationRuleSchema } from '#app/records/rules-form.ts'
import { addRotationRule, jobTypesWithRules, listIndustries, listRotationRules, removeRotationRule } from '#app/records/rules.server.ts'
import { db } from '#app/utils/db.server.ts'
import { failure, formValues, parseForm } from '#app/utils/forms.ts'
import { isUuid } from '#app/utils/ids.ts'

export const meta: MetaFunction = () => [{ title: '上岗规则 · 安全生产培训考试平台' }]

export async function loader({ request }: LoaderFunctionArgs) {
	await requireRole(request, 'system_admin')
	const [jobs, rotation, industries] = await Promise.all([jobTypesWithRules(db), listRotationRules(db), listIndustries(db)])
	return { jobs, rotation, industries }
}

export async function action({ request }: ActionFunctionArgs) {
	const user = await requireRole(request, 'system_admin')
	const formData = await request.formData()
	if (formData.get('intent') === 'remove') {
		const id = String(formData.get('id') ?? '')
		if (isUuid(id)) await removeRotationRule(db, user, id)
		return redirect('/rules')
	}
	const parsed = parseForm(rotationRuleSchema, formData, { arrays: ['categories', 'industryCodes'] })
	if (!parsed.ok) return data(parsed, { status: 400 })
	const result = await addRotationRule(db, user, parsed.data)
	if (!result.ok) return data(failure(formValues(formData, ['categories', 'industryCodes']), result.errors), { status: 400 })
	return redirect('/rules')
}

export default function ClearanceRules() {
	const { jobs, rotation, industries } = useLoaderData<typeof loader>()
	const result = useActionData<typeof action>()
	const values = result?.values ?? {}
	const errors = result?.errors ?? {}
	const industryName = (code: string) => industries.find((i) => i.code === code)?.name ?? code
	return (
		<>
			<h1>上岗规则</h1>
			<p className="muted">从业人员须学完本工种的课程、持有有效的考试合格记录（特种作业还须持有效操作证），且无未完成的脱产培训，方可上岗。未单独设置的工种按默认规则：本工种全部课程，本工种岗前或年度考试合格，有效期 12 个月。</p>
			<section aria-labelledby="job-rules">
				<h2 id="job-rules">各工种规则</h2>
				<div className="table-scroll">
					<table className="data">
						<thead>
							<tr>
								<th scope="col">工种</th>
								<th scope="col">课程</th>
								<th scope="col">考试</th>
								<th scope="col">合格有效期</th>
							</tr>
						</thead>
						<tbody>
							{jobs.map((j) => (
								<tr key={j.code}>
									<td>
										<Link to={j.code}>{j.name}</Link>
										{j.specialOperation ? <span className="badge warn">特种作业</span> : null}
									</td>
									<td>{j.rule?.courseIds ? `指定 ${j.rule.courseIds.length} 门` : '默认'}</td>
									<td>{j.rule?.templateIds ? `指定 ${j.rule.templateIds.length} 份` : '默认'}</td>
									<td>{j.rule?.passValidMonths ?? 12} 个月</td>
								</tr>
							))}
						</tbody>
					</table>
				</div>
			</section>
			<section aria-labelledby="rotation-rules">
				<h2 id="rotation-rules">轮训学时规则</h2>
				{rotation.length ? (
					<ul className="plain-list">
						{rotation.map((r) => (
							<li key={r.id}>
								<strong>{r.title}</strong>：{r.categories.map((c) => PERSON_CATEGORIES[c]).join('、')}
								{r.industryCodes.length ? `（${r.industryCodes.map(industryName).join('、')}）` : '（各行业）'}每 {r.periodMonths} 个月不少于 {r.minHours} 学时
								<Form method="post" className="inline-form">
									<input type="hidden" name="intent" value="remove" />
									<input type="hidden" name="id" value={r.id} />
									<button type="submit" className="button secondary">
										删除
									</button>
								</Form>
							</li>
						))}
					</ul>
				) : (
					<p className="muted">尚无轮训规则。</p>
				)}
				<Form method="post" className="card" noValidate>
					<h3>新增轮训规则</h3>
					<FormError error={errors.form} />
					<TextField name="title" label="名称" defaultValue={typeof values.title === 'string' ? values.title : ''} error={errors.title} required maxLength={60} />
					<CheckboxGroup name="categories" label="人员类别" options={Object.entries(PERSON_CATEGORIES)} defaultValue={Array.isArray(values.categories) ? values.categories : ['principal', 'safety_manager']} error={errors.categories} />
					<CheckboxGroup name="industryCodes" label="行业（不选为各行业）" options={industries.map((i) => [i.code, i.name])} defaultValue={Array.isArray(values.industryCodes) ? values.industryCodes : []} error={errors.industryCodes} />
					<TextField name="minHours" label="最少学时" type="number" inputMode="numeric" min={1} defaultValue={typeof values.minHours === 'string' ? values.minHours : '24'} error={errors.minHours} required />
					<TextField name="periodMonths" label="周期（月）" type="number" inputMode="numeric" min={1} defaultValue={typeof values.periodMonths === 'string' ? values.periodMonths : '12'} error={errors.periodMonths} required />
					<SubmitButton>新增</SubmitButton>
				</Form>
			</section>
		</>
	)
}
