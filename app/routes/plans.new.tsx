import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { notFound } from '#app/auth/auth.server.ts'
import { PART_LABELS } from '#app/bank/question.ts'
import { CheckboxGroup, FormError, SelectField, SubmitButton, TextField } from '#app/components/forms.tsx'
import { formatChinaTime } from '#app/exams/exam-form.ts'
import { PERSON_CATEGORIES } from '#app/people/labels.ts'
import { PLAN_WHO } from '#app/records/plans.ts'
import { PLAN_ARRAY_FIELDS, planFormSchema } from '#app/records/plans-form.ts'
import { coursesForEnterprise, createPlan, examsForEnterprise } from '#app/records/plans.server.ts'
import { enterpriseForForm, enterpriseHeadcounts, enterprisePeople, managedEnterprise, requireTrainingManager } from '#app/records/plans-scope.server.ts'
import { db } from '#app/utils/db.server.ts'
import { failure, formValues, parseForm, type FormValues } from '#app/utils/forms.ts'
import { addDays, chinaDay } from '#app/utils/days.ts'
import { ChooseEnterprise } from '#app/components/choose-enterprise.tsx'

export const meta: MetaFunction = () => [{ title: '新建培训计划 · 安全生产培训考试平台' }]

const PEOPLE_LIMIT = 2000

export async function loader({ request }: LoaderFunctionArgs) {
	const { scope } = await requireTrainingManager(request)
	const url = new URL(request.url)
	const { enterprises, enterprise } = await enterpriseForForm(db, scope, url.searchParams.get('orgId'))
	const choices = enterprises.map((e) => [e.id, e.name] as [string, string])
	if (!enterprise) return { enterprises: choices, form: null }
	const [courseRows, examRows, headcounts, people] = await Promise.all([
		coursesForEnterprise(db, enterprise),
		examsForEnterprise(db, enterprise),
		enterpriseHeadcounts(db, enterprise),
		enterprisePeople(db, enterprise, { limit: PEOPLE_LIMIT + 1 }),
	])
	const defaults: FormValues = {
		orgId: enterprise.id,
		title: '',
		dueOn: addDays(chinaDay(new Date()), 30),
		courseIds: [],
		examId: '',
		who: 'match',
		jobTypes: [],
		categories: [],
		personIds: [],
	}
	return {
		enterprises: choices,
		form: {
			enterprise: { id: enterprise.id, name: enterprise.name },
			defaults,
			courses: courseRows.map((c) => ({
				id: c.id,
				part: c.part,
				label: `${c.title}${c.categories?.length ? `（限${c.categories.map((k) => PERSON_CATEGORIES[k]).join('、')}）` : ''}`,
			})),
			exams: examRows.map((e) => [e.id, `${e.title}（${formatChinaTime(e.opensAt)} 至 ${formatChinaTime(e.closesAt)}）`] as [string, string]),
			jobTypes: headcounts.jobTypes.map((j) => [j.code, `${j.name}（${j.n} 人）`] as [string, string]),
			categories: Object.entries(PERSON_CATEGORIES).map(([key, label]) => [key, `${label}（${headcounts.categories[key] ?? 0} 人）`] as [string, string]),
			people: people.slice(0, PEOPLE_LIMIT).map((p) => [p.id, `${p.name} · ${p.position || PERSON_CATEGORIES[p.category]}${p.jobTypeNames.length ? ` · ${p.jobTypeNames.join('、')}` : ''}`] as [string, string]),
			morePeople: people.length > PEOPLE_LIMIT,
		},
	}
}

export async function action({ request }: ActionFunctionArgs) {
	const { user, scope } = await requireTrainingManager(request)
	const formData = await request.formData()
	// Outside the manager's enterprises the answer is the same as for an unknown id.
	const enterprise = await managedEnterprise(db, scope, String(formData.get('orgId') ?? ''))
	if (!enterprise) throw notFound()
	const parsed = parseForm(planFormSchema, formData, { arrays: PLAN_ARRAY_FIELDS })
	if (!parsed.ok) return data(parsed, { status: 400 })
	const result = await createPlan(db, user, enterprise, parsed.data)
	if (!result.ok) return data(failure(formValues(formData, PLAN_ARRAY_FIELDS), result.errors), { status: 400 })
	throw redirect(`/plans/${result.planId}?members=${result.members}`)
}

export default function NewPlan() {
	const { enterprises, form } = useLoaderData<typeof loader>()
	const result = useActionData<typeof action>()
	return (
		<>
			<p className="muted">
				<Link to="/plans">培训计划</Link> › 新建
			</p>
			<h1>新建培训计划</h1>
			{form ? <PlanForm form={form} values={result?.values} errors={result?.errors ?? {}} /> : <ChooseEnterprise enterprises={enterprises} label="为哪个单位制定计划" />}
		</>
	)
}

type PlanFormData = NonNullable<Awaited<ReturnType<typeof loader>>['form']>

function PlanForm({ form, values: posted, errors }: { form: PlanFormData; values?: FormValues; errors: Record<string, string> }) {
	const values = posted ?? form.defaults
	const v = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : '')
	const arr = (k: string) => (Array.isArray(values[k]) ? (values[k] as string[]) : [])
	const parts = (['general', 'professional'] as const).map((part) => ({ part, courses: form.courses.filter((c) => c.part === part) }))
	return (
		<Form method="post" className="stack" noValidate>
			<FormError error={errors.form} />
			<p>
				单位：<strong>{form.enterprise.name}</strong>
			</p>
			<input type="hidden" name="orgId" value={form.enterprise.id} />
			<TextField name="title" label="计划名称" defaultValue={v('title')} error={errors.title} hint="例如：2026 年井下作业人员岗前培训" />
			<TextField name="dueOn" label="完成期限" type="date" defaultValue={v('dueOn')} error={errors.dueOn} hint="到期仍未学完课程、考试未合格的人员记为逾期" />
			{parts.map(({ part, courses }) =>
				courses.length ? (
					<CheckboxGroup
						key={part}
						name="courseIds"
						label={`课程 · ${PART_LABELS[part]}`}
						options={courses.map((c) => [c.id, c.label])}
						defaultValue={arr('courseIds')}
					/>
				) : null,
			)}
			{errors.courseIds ? (
				<p className="field-error" role="alert">
					{errors.courseIds}
				</p>
			) : null}
			<SelectField
				name="examId"
				label="考试"
				options={form.exams}
				placeholder="不安排考试"
				defaultValue={v('examId')}
				error={errors.examId}
				hint={
					<>
						只能选择本单位已发布、尚未结束的考试；参加计划的人员会加入这场考试的名单。需要新的考试请先<Link to="/exams/new">发布考试</Link>。
					</>
				}
			/>
			<fieldset className="field">
				<legend>培训对象</legend>
				<div className="checks">
					{Object.entries(PLAN_WHO).map(([key, label]) => (
						<label key={key}>
							<input type="radio" name="who" value={key} defaultChecked={v('who') === key} />
							{label}
						</label>
					))}
				</div>
				{errors.who ? (
					<p className="field-error" role="alert">
						{errors.who}
					</p>
				) : null}
			</fieldset>
			<CheckboxGroup
				name="jobTypes"
				label="按工种（选“按工种和人员类别”时有效）"
				options={form.jobTypes}
				defaultValue={arr('jobTypes')}
				error={errors.jobTypes}
				hint="同时选了工种和人员类别时，两项都符合的人员参加；以后新增或调整为这些工种、类别的人员会自动加入本计划。"
			/>
			<CheckboxGroup name="categories" label="按人员类别（选“按工种和人员类别”时有效）" options={form.categories} defaultValue={arr('categories')} error={errors.categories} />
			<CheckboxGroup
				name="personIds"
				label="按名单（选“按名单”时有效）"
				options={form.people}
				defaultValue={arr('personIds')}
				error={errors.personIds}
				hint={form.morePeople ? `人员较多，只列出前 ${form.people.length} 人。` : '按名单制定的计划不会自动加入新人员。'}
			/>
			<div className="actions">
				<SubmitButton pendingText="正在保存…">保存计划</SubmitButton>
			</div>
		</Form>
	)
}
