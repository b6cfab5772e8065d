import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { CheckboxGroup, FormError, SelectField, SubmitButton, TextField } from '#app/components/forms.tsx'
import { createExam, headcountsForExams, orgsForExams, peopleForExams, requireExamScope } from '#app/exams/assign.server.ts'
import { EXAM_ARRAY_FIELDS, examFormSchema, toChinaInput } from '#app/exams/exam-form.ts'
import { ASSIGN_BY, EXAM_PURPOSES } from '#app/exams/labels.ts'
import { templateAccess, usableTemplates } from '#app/exams/templates.server.ts'
import { ORG_KINDS, PERSON_CATEGORIES } from '#app/people/labels.ts'
import { db } from '#app/utils/db.server.ts'
import { failure, formValues, parseForm, type FormValues } from '#app/utils/forms.ts'

export const meta: MetaFunction = () => [{ title: '发布考试 · 安全生产培训考试平台' }]

const PEOPLE_LIMIT = 1000

export async function loader({ request }: LoaderFunctionArgs) {
	const { user, scope } = await requireExamScope(request)
	const url = new URL(request.url)
	const [templates, orgs, headcounts] = await Promise.all([usableTemplates(db, templateAccess(user)), orgsForExams(db, scope), headcountsForExams(db, scope)])
	const listOrg = orgs.find((o) => o.id === url.searchParams.get('orgId'))
	const people = await peopleForExams(db, scope, listOrg?.path, PEOPLE_LIMIT + 1)
	const chosen = templates.find((t) => t.id === url.searchParams.get('templateId'))
	const now = new Date()
	now.setSeconds(0, 0)
	const defaults: FormValues = {
		templateId: chosen?.id ?? '',
		title: chosen?.title ?? '',
		opensAt: toChinaInput(now),
		closesAt: toChinaInput(new Date(now.getTime() + 7 * 24 * 3600_000)),
		orgId: listOrg?.id ?? '',
		assignBy: 'jobType',
		// The template's job types, where somebody in scope holds them.
		jobTypes: (chosen?.jobTypes ?? []).filter((code) => headcounts.jobTypes.some((j) => j.code === code)),
		categories: [],
		personIds: [],
	}
	return {
		defaults,
		templates: templates.map((t) => ({ id: t.id, label: `${t.title}（${EXAM_PURPOSES[t.purpose]}${t.ownerOrgId ? '' : '，平台'}）` })),
		orgs: orgs.map((o) => ({ id: o.id, label: `${'　'.repeat(Math.max(0, o.path.split('/').length - 3))}${o.name}（${ORG_KINDS[o.kind]}）` })),
		jobTypes: headcounts.jobTypes.map((j) => ({ code: j.code, label: `${j.name}（${j.n} 人）` })),
		categories: Object.entries(PERSON_CATEGORIES).map(([key, label]) => [key, `${label}（${headcounts.categories[key] ?? 0} 人）`] as [string, string]),
		people: people.slice(0, PEOPLE_LIMIT),
		morePeople: people.length > PEOPLE_LIMIT,
	}
}

export async function action({ request }: ActionFunctionArgs) {
	const { user } = await requireExamScope(request)
	const formData = await request.formData()
	const parsed = parseForm(examFormSchema, formData, { arrays: EXAM_ARRAY_FIELDS })
	if (!parsed.ok) return data(parsed, { status: 400 })
	const result = await createExam(db, user, parsed.data)
	if (!result.ok) return data(failure(formValues(formData, EXAM_ARRAY_FIELDS), result.errors), { status: 400 })
	throw redirect(`/exams/${result.examId}/results?assigned=${result.assigned}`)
}

type Person = Awaited<ReturnType<typeof loader>>['people'][number]

function PeopleChecklist({ people, chosen, error }: { people: Person[]; chosen: string[]; error?: string }) {
	const byOrg = new Map<string, Person[]>()
	for (const p of people) byOrg.set(p.orgName, [...(byOrg.get(p.orgName) ?? []), p])
	return (
		<fieldset className="field exam-people" aria-describedby={error ? 'personIds-error' : undefined}>
			<legend>考试人员</legend>
			{[...byOrg].map(([org, list]) => (
				<details key={org} open={byOrg.size === 1 || list.some((p) => chosen.includes(p.id))}>
					<summary>
						{org}（{list.length} 人）
					</summary>
					<div className="checks">
						{list.map((p) => (
							<label key={p.id}>
								<input type="checkbox" name="personIds" value={p.id} defaultChecked={chosen.includes(p.id)} />
								<span>
									{p.name}
									<span className="muted"> · {p.position || PERSON_CATEGORIES[p.category]}</span>
								</span>
							</label>
						))}
					</div>
				</details>
			))}
			{people.length === 0 ? <p className="muted">没有可选的人员</p> : null}
			{error ? (
				<p className="field-error" id="personIds-error" role="alert">
					{error}
				</p>
			) : null}
		</fieldset>
	)
}

export default function NewExam() {
	const { defaults, templates, orgs, jobTypes, categories, people, morePeople } = useLoaderData<typeof loader>()
	const result = useActionData<typeof action>()
	const values = result?.values ?? defaults
	const errors = result?.errors ?? {}
	const v = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : '')
	const arr = (k: string) => (Array.isArray(values[k]) ? (values[k] as string[]) : [])
	return (
		<>
			<p className="muted">
				<Link to="/exams">考试管理</Link> › 发布考试
			</p>
			<h1>发布考试</h1>
			{templates.length === 0 ? (
				<p className="form-error">
					还没有可用的试卷规则，请先<Link to="/exam-templates/new">新建试卷规则</Link>。
				</p>
			) : null}
			<details className="exam-list-filter">
				<summary>按名单发布时，可先按单位筛选名单</summary>
				<Form method="get" className="actions">
					<input type="hidden" name="templateId" value={v('templateId')} />
					<div className="field">
						<label htmlFor="listOrgId">名单只列出此单位的人员</label>
						<select id="listOrgId" name="orgId" defaultValue={v('orgId')}>
							<option value="">全部单位</option>
							{orgs.map((o) => (
								<option key={o.id} value={o.id}>
									{o.label}
								</option>
							))}
						</select>
					</div>
					<button type="submit" className="button secondary">
						筛选名单
					</button>
				</Form>
			</details>
			<Form method="post" className="stack exam-form" noValidate>
				<FormError error={errors.form} />
				<SelectField name="templateId" label="试卷规则" options={templates.map((t) => [t.id, t.label])} placeholder="请选择" defaultValue={v('templateId')} error={errors.templateId} />
				<TextField name="title" label="考试名称" defaultValue={v('title')} error={errors.title} hint="考生在“我的考试”中看到的名称" />
				<div className="tpl-grid">
					<TextField name="opensAt" label="开始时间" type="datetime-local" defaultValue={v('opensAt')} error={errors.opensAt} />
					<TextField name="closesAt" label="结束时间" type="datetime-local" defaultValue={v('closesAt')} error={errors.closesAt} hint="北京时间。结束时仍在答题的，按已保存的答案交卷。" />
				</div>
				<SelectField name="orgId" label="单位范围" options={orgs.map((o) => [o.id, o.label])} placeholder="我管理的全部单位" defaultValue={v('orgId')} error={errors.orgId} />
				<fieldset className="field exam-assign-by">
					<legend>考试对象</legend>
					<div className="checks">
						{Object.entries(ASSIGN_BY).map(([key, label]) => (
							<label key={key}>
								<input type="radio" name="assignBy" value={key} defaultChecked={v('assignBy') === key} />
								{label}
							</label>
						))}
					</div>
					{errors.assignBy ? <p className="field-error" role="alert">{errors.assignBy}</p> : null}
				</fieldset>
				<div className="exam-target exam-target-jobType">
					<CheckboxGroup name="jobTypes" label="按工种：单位范围内从事这些工种的人员" options={jobTypes.map((j) => [j.code, j.label])} defaultValue={arr('jobTypes')} error={errors.jobTypes} hint="括号内为您管理的全部单位中的人数" />
				</div>
				<div className="exam-target exam-target-category">
					<CheckboxGroup name="categories" label="按人员类别：单位范围内这些类别的人员" options={categories} defaultValue={arr('categories')} error={errors.categories} />
				</div>
				<div className="exam-target exam-target-people">
					<PeopleChecklist people={people} chosen={arr('personIds')} error={errors.personIds} />
					{morePeople ? <p className="hint">人员较多，只列出前 {people.length} 人；请先按单位筛选名单。</p> : null}
				</div>
				<div className="actions">
					<SubmitButton pendingText="正在发布…">发布考试</SubmitButton>
				</div>
			</Form>
		</>
	)
}
