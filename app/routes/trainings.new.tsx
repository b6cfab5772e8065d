import { data, MaxPartSizeExceededError, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { notFound } from '#app/auth/auth.server.ts'
import { CheckboxGroup, FilterSelect, FormError, SelectField, SubmitButton, TextField } from '#app/components/forms.tsx'
import { PERSON_CATEGORIES } from '#app/people/labels.ts'
import { OFFLINE_KINDS } from '#app/records/offline.ts'
import { MAX_HOURS, OFFLINE_ARRAY_FIELDS, offlineTrainingSchema } from '#app/records/offline-form.ts'
import { checkAttachment, readTrainingForm, recordOfflineTraining } from '#app/records/offline.server.ts'
import { enterpriseForForm, enterpriseHeadcounts, enterprisePeople, managedEnterprise, requireTrainingManager } from '#app/records/plans-scope.server.ts'
import { db } from '#app/utils/db.server.ts'
import { failure, formValues, parseForm, type FormErrors, type FormValues } from '#app/utils/forms.ts'
import { chinaDay } from '#app/utils/days.ts'
import { ChooseEnterprise } from '#app/components/choose-enterprise.tsx'

export const meta: MetaFunction = () => [{ title: '记录线下培训 · 安全生产培训考试平台' }]

const PEOPLE_LIMIT = 2000

export async function loader({ request }: LoaderFunctionArgs) {
	const { scope } = await requireTrainingManager(request)
	const url = new URL(request.url)
	const { enterprises, enterprise } = await enterpriseForForm(db, scope, url.searchParams.get('orgId'))
	const choices = enterprises.map((e) => [e.id, e.name] as [string, string])
	if (!enterprise) return { enterprises: choices, form: null }
	const headcounts = await enterpriseHeadcounts(db, enterprise)
	const jobType = headcounts.jobTypes.find((j) => j.code === url.searchParams.get('jobType'))?.code
	const people = await enterprisePeople(db, enterprise, { jobType, limit: PEOPLE_LIMIT + 1 })
	const defaults: FormValues = { orgId: enterprise.id, kind: '', topic: '', heldOn: chinaDay(new Date()), hours: '', trainer: '', personIds: [] }
	return {
		enterprises: choices,
		form: {
			enterprise: { id: enterprise.id, name: enterprise.name },
			defaults,
			jobType: jobType ?? '',
			jobTypes: headcounts.jobTypes.map((j) => [j.code, `${j.name}（${j.n} 人）`] as [string, string]),
			people: people.slice(0, PEOPLE_LIMIT).map((p) => [p.id, `${p.name} · ${p.position || PERSON_CATEGORIES[p.category]}`] as [string, string]),
			morePeople: people.length > PEOPLE_LIMIT,
		},
	}
}

export async function action({ request }: ActionFunctionArgs) {
	const { user, scope } = await requireTrainingManager(request)
	let posted: Awaited<ReturnType<typeof readTrainingForm>>
	try {
		posted = await readTrainingForm(request)
	} catch (error) {
		if (error instanceof MaxPartSizeExceededError) return data(failure({}, { form: '填写的内容过长，请检查后重新提交' }), { status: 413 })
		return data(failure({}, { form: '没有收到表单内容，请重新提交' }), { status: 400 })
	}
	// Outside the manager's enterprises the answer is the same as for an unknown id.
	const enterprise = await managedEnterprise(db, scope, String(posted.form.get('orgId') ?? ''))
	if (!enterprise) throw notFound()
	const parsed = parseForm(offlineTrainingSchema, posted.form, { arrays: OFFLINE_ARRAY_FIELDS })
	const checked = checkAttachment(posted)
	if (!parsed.ok || 'error' in checked) {
		const errors: FormErrors = { ...(parsed.ok ? {} : parsed.errors), ...('error' in checked ? { attachment: checked.error } : {}) }
		return data(failure(formValues(posted.form, OFFLINE_ARRAY_FIELDS), errors), { status: 400 })
	}
	const result = await recordOfflineTraining(db, user, enterprise, parsed.data, checked.attachment)
	if (!result.ok) return data(failure(formValues(posted.form, OFFLINE_ARRAY_FIELDS), result.errors), { status: 400 })
	throw redirect(`/trainings/${result.trainingId}?saved=1`)
}

export default function NewTraining() {
	const { enterprises, form } = useLoaderData<typeof loader>()
	const result = useActionData<typeof action>()
	return (
		<>
			<p className="muted">
				<Link to="/trainings">线下培训记录</Link> › 记录线下培训
			</p>
			<h1>记录线下培训</h1>
			{form ? <TrainingForm form={form} values={result?.values} errors={result?.errors ?? {}} /> : <ChooseEnterprise enterprises={enterprises} label="哪个单位的培训" />}
		</>
	)
}

type TrainingFormData = NonNullable<Awaited<ReturnType<typeof loader>>['form']>

function TrainingForm({ form, values: posted, errors }: { form: TrainingFormData; values?: FormValues; errors: Record<string, string> }) {
	const values = posted ?? form.defaults
	const v = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : '')
	const arr = (k: string) => (Array.isArray(values[k]) ? (values[k] as string[]) : [])
	return (
		<>
			<p className="form-error" role="note">
				记录保存后不能修改或删除，请核对后再保存。
			</p>
			<details className="exam-list-filter" open={Boolean(form.jobType)}>
				<summary>人员较多时，可先按工种筛选名单（请在填写前筛选）</summary>
				<Form method="get" className="actions">
					<input type="hidden" name="orgId" value={form.enterprise.id} />
					<FilterSelect name="jobType" label="只列出此工种的人员" value={form.jobType} options={form.jobTypes} anyLabel="全部人员" />
					<button type="submit" className="button secondary">
						筛选名单
					</button>
				</Form>
			</details>
			<Form method="post" encType="multipart/form-data" className="stack" noValidate>
				<FormError error={errors.form} />
				<p>
					单位：<strong>{form.enterprise.name}</strong>
				</p>
				<input type="hidden" name="orgId" value={form.enterprise.id} />
				<SelectField name="kind" label="培训形式" options={Object.entries(OFFLINE_KINDS)} placeholder="请选择" defaultValue={v('kind')} error={errors.kind} />
				<TextField name="topic" label="培训主题" defaultValue={v('topic')} error={errors.topic} hint="例如：雨季“三防”安全知识、透水事故应急演练" />
				<TextField name="heldOn" label="培训日期" type="date" defaultValue={v('heldOn')} error={errors.heldOn} />
				<TextField name="hours" label="学时" inputMode="decimal" defaultValue={v('hours')} error={errors.hours} hint={`每人计入的学时，最多一位小数（0.1–${MAX_HOURS}），例如班前会 0.5、轮训 24`} />
				<TextField name="trainer" label="授课人/组织人" defaultValue={v('trainer')} error={errors.trainer} />
				<TextField
					name="attachment"
					label="签到表（选填）"
					type="file"
					accept="image/jpeg,image/png,application/pdf"
					error={errors.attachment}
					hint={errors.attachment || posted ? '附件须重新选择。JPG、PNG 照片或 PDF，不超过 5 MB。' : 'JPG、PNG 照片或 PDF，不超过 5 MB。'}
				/>
				<CheckboxGroup
					name="personIds"
					label={form.jobType ? '参加人员（已按工种筛选）' : '参加人员'}
					options={form.people}
					defaultValue={arr('personIds')}
					error={errors.personIds}
					hint={form.morePeople ? `人员较多，只列出前 ${form.people.length} 人；请先按工种筛选。` : undefined}
				/>
				<div className="actions">
					<SubmitButton pendingText="正在保存…">保存记录</SubmitButton>
				</div>
			</Form>
		</>
	)
}
