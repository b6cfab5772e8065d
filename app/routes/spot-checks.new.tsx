import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { CheckboxGroup, FormError, SelectField, SubmitButton, TextField } from '#app/components/forms.tsx'
import { toChinaInput } from '#app/exams/exam-form.ts'
import { EXAM_PURPOSES } from '#app/exams/labels.ts'
import { templateAccess, usableTemplates } from '#app/exams/templates.server.ts'
import { KEY_CATEGORIES, SIZE_UNITS, SPOT_CHECK_ARRAY_FIELDS, spotCheckFormSchema } from '#app/oversight/spot-checks-form.ts'
import { createSpotCheck, listIndustries, orgsForSpotChecks, requireSpotCheckScope } from '#app/oversight/spot-checks.server.ts'
import { EMPLOYMENT_TYPES, ORG_KINDS, PERSON_CATEGORIES } from '#app/people/labels.ts'
import { listJobTypes } from '#app/people/people.server.ts'
import { db } from '#app/utils/db.server.ts'
import { failure, formValues, parseForm, type FormValues } from '#app/utils/forms.ts'

// 发起随机抽考: the population filters, the size, the template and the window. Posts without JavaScript.

export const meta: MetaFunction = () => [{ title: '发起随机抽考 · 安全生产培训考试平台' }]

export async function loader({ request }: LoaderFunctionArgs) {
	const { user, scope } = await requireSpotCheckScope(request)
	const [orgs, templates, industries, jobTypes] = await Promise.all([orgsForSpotChecks(db, scope), usableTemplates(db, templateAccess(user)), listIndustries(db), listJobTypes(db)])
	const now = new Date()
	now.setSeconds(0, 0)
	// 抽考 templates first: they are made for this.
	const ordered = [...templates].sort((a, b) => Number(b.purpose === 'spot_check') - Number(a.purpose === 'spot_check'))
	const defaults: FormValues = {
		title: `${now.getFullYear()} 年度安全生产知识随机抽考`,
		orgId: scope.all ? '' : scope.roots[0]!.orgId,
		categories: KEY_CATEGORIES,
		industryCodes: [],
		jobTypes: [],
		employmentTypes: [],
		sizeUnit: 'people',
		size: '10',
		minPerEnterprise: '0',
		templateId: ordered.find((t) => t.purpose === 'spot_check')?.id ?? '',
		opensAt: toChinaInput(now),
		closesAt: toChinaInput(new Date(now.getTime() + 14 * 24 * 3600_000)),
	}
	return {
		defaults,
		all: scope.all,
		orgs: orgs.map((o) => [o.id, `${'　'.repeat(Math.max(0, o.path.split('/').length - 3))}${o.name}（${ORG_KINDS[o.kind]}）`] as [string, string]),
		templates: ordered.map((t) => [t.id, `${t.title}（${EXAM_PURPOSES[t.purpose]}${t.ownerOrgId ? '' : '，平台'}）`] as [string, string]),
		industries: industries.map((i) => [i.code, i.name] as [string, string]),
		jobTypes: jobTypes.map((j) => [j.code, j.name] as [string, string]),
	}
}

export async function action({ request }: ActionFunctionArgs) {
	const { user } = await requireSpotCheckScope(request)
	const formData = await request.formData()
	const parsed = parseForm(spotCheckFormSchema, formData, { arrays: SPOT_CHECK_ARRAY_FIELDS })
	if (!parsed.ok) return data(parsed, { status: 400 })
	const result = await createSpotCheck(db, user, parsed.data)
	if (!result.ok) return data(failure(formValues(formData, SPOT_CHECK_ARRAY_FIELDS), result.errors), { status: 400 })
	throw redirect(`/spot-checks/${result.spotCheckId}?drawn=${result.drawn}`)
}

export default function NewSpotCheck() {
	const { defaults, all, orgs, templates, industries, jobTypes } = useLoaderData<typeof loader>()
	const result = useActionData<typeof action>()
	const values = result?.values ?? defaults
	const errors = result?.errors ?? {}
	const v = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : '')
	const arr = (k: string) => (Array.isArray(values[k]) ? (values[k] as string[]) : [])
	return (
		<>
			<p className="muted">
				<Link to="/spot-checks">随机抽考</Link> › 发起抽考
			</p>
			<h1>发起随机抽考</h1>
			<p className="muted">提交后系统立即生成随机种子，冻结符合条件的人员名单（总体），并按种子抽取考试人员。种子和总体名单随抽考保存，任何有权查看的人都可以“复核抽取”。</p>
			{templates.length === 0 ? (
				<p className="form-error">
					还没有可用的试卷规则，请先<Link to="/exam-templates/new">新建试卷规则</Link>（考试类型选“抽考”）。
				</p>
			) : null}
			<Form method="post" className="stack spot-check-form" noValidate>
				<FormError error={errors.form} />
				<TextField name="title" label="抽考名称" defaultValue={v('title')} error={errors.title} hint="被抽中的人员在“我的考试”中看到的名称" />
				<fieldset className="field">
					<legend>抽取范围（总体）</legend>
					<SelectField name="orgId" label="单位" options={orgs} placeholder={all ? '请选择' : '我管理的全部单位'} defaultValue={v('orgId')} error={errors.orgId} hint="包括其下级单位的全部人员" />
					<CheckboxGroup name="categories" label="人员类别（不选为不限）" options={Object.entries(PERSON_CATEGORIES)} defaultValue={arr('categories')} error={errors.categories} />
					<details open={arr('industryCodes').length > 0 || Boolean(errors.industryCodes)}>
						<summary>按行业（所在企业的行业）</summary>
						<CheckboxGroup name="industryCodes" label="行业（不选为不限）" options={industries} defaultValue={arr('industryCodes')} error={errors.industryCodes} />
					</details>
					<details open={arr('jobTypes').length > 0 || Boolean(errors.jobTypes)}>
						<summary>按工种</summary>
						<CheckboxGroup name="jobTypes" label="工种（不选为不限）" options={jobTypes} defaultValue={arr('jobTypes')} error={errors.jobTypes} />
					</details>
					<CheckboxGroup name="employmentTypes" label="用工形式（不选为不限）" options={Object.entries(EMPLOYMENT_TYPES)} defaultValue={arr('employmentTypes')} error={errors.employmentTypes} />
					{errors.population ? (
						<p className="field-error" role="alert">
							{errors.population}
						</p>
					) : null}
				</fieldset>
				<fieldset className="field">
					<legend>抽取数量</legend>
					<div className="checks">
						{Object.entries(SIZE_UNITS).map(([key, label]) => (
							<label key={key}>
								<input type="radio" name="sizeUnit" value={key} defaultChecked={v('sizeUnit') === key} />
								{label}
							</label>
						))}
					</div>
					{errors.sizeUnit ? (
						<p className="field-error" role="alert">
							{errors.sizeUnit}
						</p>
					) : null}
					<TextField name="size" label="人数或百分比" inputMode="numeric" defaultValue={v('size')} error={errors.size} hint="按比例时向上取整；超过总体人数时抽取全部" />
					<TextField name="minPerEnterprise" label="每家单位至少抽取（人）" inputMode="numeric" defaultValue={v('minPerEnterprise')} error={errors.minPerEnterprise} hint="0 为不限。先从每家单位抽取该人数（不足的全部抽取），其余从剩下的人员中随机抽取" />
				</fieldset>
				<SelectField name="templateId" label="试卷规则" options={templates} placeholder="请选择" defaultValue={v('templateId')} error={errors.templateId} />
				<div className="tpl-grid">
					<TextField name="opensAt" label="开始时间" type="datetime-local" defaultValue={v('opensAt')} error={errors.opensAt} />
					<TextField name="closesAt" label="截止时间" type="datetime-local" defaultValue={v('closesAt')} error={errors.closesAt} hint="北京时间" />
				</div>
				<div className="actions">
					<SubmitButton pendingText="正在抽取…">抽取并发布考试</SubmitButton>
				</div>
			</Form>
		</>
	)
}
