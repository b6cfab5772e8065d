import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { notFound } from '#app/auth/auth.server.ts'
import { formatDateTime } from '#app/components/exam/format.ts'
import { FormError, SelectField, SubmitButton, TextField } from '#app/components/forms.tsx'
import { hazardProblem, quizSettingsSchema, rectifySchema } from '#app/oversight/inspections-form.ts'
import { addHazard, inspectionDetail, inspectionInScope, rectifyHazard, requireInspector } from '#app/oversight/inspections.server.ts'
import { QUIZ_MINUTES, QUIZ_QUESTIONS } from '#app/oversight/onsite-quiz.ts'
import { startOnsiteQuiz } from '#app/oversight/onsite-quiz.server.ts'
import { chinaDay } from '#app/utils/days.ts'
import { db } from '#app/utils/db.server.ts'
import { failure, formValues, parseForm } from '#app/utils/forms.ts'

// One inspection: what was found, the hazards (mark one rectified, add one), and its on-site
// quizzes (逢查必考) with their results; 开始现场考试 starts a new one.

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.org.name ?? ''} 检查记录 · 安全生产培训考试平台` }]

async function requireInspection(request: Request, inspectionId: string | undefined) {
	const { user, scope } = await requireInspector(request)
	// Outside the inspector's jurisdiction, as for an unknown id: 404.
	const found = await inspectionInScope(db, scope, inspectionId)
	if (!found) throw notFound('没有找到这条检查记录')
	return { user, scope, found }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { found } = await requireInspection(request, params.inspectionId)
	const detail = await inspectionDetail(db, found.inspection.id)
	return {
		inspection: found.inspection,
		org: { id: found.org.id, name: found.org.name },
		hazards: detail.hazards,
		quizzes: detail.quizzes.map((q) => ({ ...q, createdAt: q.createdAt.toISOString(), closedAt: q.closedAt?.toISOString() ?? null })),
		today: chinaDay(new Date()),
	}
}

export async function action({ request, params }: ActionFunctionArgs) {
	const { user, scope, found } = await requireInspection(request, params.inspectionId)
	const form = await request.formData()
	const intent = form.get('intent')
	const values = formValues(form)
	if (intent === 'rectify') {
		const parsed = parseForm(rectifySchema, form)
		if (!parsed.ok) return data({ ...parsed, intent }, { status: 400 })
		if (parsed.data.rectifiedOn < found.inspection.inspectedOn) return data({ ...failure(values, { rectifiedOn: '整改完成日期不能早于检查日期' }), intent }, { status: 400 })
		if (!(await rectifyHazard(db, user, found, parsed.data.hazardId, parsed.data.rectifiedOn))) return data({ ...failure(values, { form: '这条隐患已标记为整改完成，或不属于本次检查' }), intent }, { status: 409 })
		throw redirect(`/inspections/${found.inspection.id}`)
	}
	if (intent === 'addHazard') {
		const description = String(values.description ?? '').trim()
		const rectifyBy = String(values.rectifyBy ?? '').trim()
		const problem = hazardProblem(description, rectifyBy, found.inspection.inspectedOn)
		if (problem) return data({ ...failure(values, { description: problem }), intent }, { status: 400 })
		await addHazard(db, user, found, { description, rectifyBy })
		throw redirect(`/inspections/${found.inspection.id}`)
	}
	if (intent === 'startQuiz') {
		const parsed = parseForm(quizSettingsSchema, form)
		if (!parsed.ok) return data({ ...parsed, intent }, { status: 400 })
		const result = await startOnsiteQuiz(db, user, scope, found, parsed.data)
		if (!result.ok) return data({ ...failure(values, result.errors), intent }, { status: 409 })
		throw redirect(`/inspections/${found.inspection.id}/quizzes/${result.quizId}`)
	}
	return data({ ...failure(values, { form: '请求不完整，请重试' }), intent: null }, { status: 400 })
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String(from + i)).map((n) => [n, n] as [string, string])

export default function InspectionPage() {
	const { inspection, org, hazards, quizzes, today } = useLoaderData<typeof loader>()
	const result = useActionData<typeof action>()
	const errorsFor = (intent: string): Record<string, string> => (result && result.intent === intent ? result.errors : {})
	const quizErrors = errorsFor('startQuiz')
	const hazardErrors = errorsFor('addHazard')
	const rectifyErrors = errorsFor('rectify')
	return (
		<>
			<p className="muted">
				<Link to="/inspections">执法检查</Link> › 检查记录
			</p>
			<h1>{org.name}</h1>
			{result && !result.intent ? <FormError error={result.errors.form} /> : null}
			<section className="card" aria-labelledby="facts">
				<h2 id="facts">检查情况</h2>
				<dl className="facts">
					<dt>检查日期</dt>
					<dd>{inspection.inspectedOn}</dd>
					<dt>检查人员</dt>
					<dd>{inspection.inspectors}</dd>
					<dt>检查情况</dt>
					<dd style={{ whiteSpace: 'pre-wrap' }}>{inspection.findings || '—'}</dd>
				</dl>
			</section>

			<section className="card" aria-labelledby="quizzes">
				<h2 id="quizzes">逢查必考 · 现场考试</h2>
				{quizzes.length ? (
					<ul className="plain">
						{quizzes.map((q) => (
							<li key={q.id}>
								<Link to={`/inspections/${inspection.id}/quizzes/${q.id}`}>
									{formatDateTime(q.createdAt)} · 考试码 {q.joinCode}
								</Link>{' '}
								{q.closedAt ? <span className="badge">已结束</span> : <span className="badge warn">进行中</span>}
								<br />
								<span className="muted">
									加入 {q.joined} 人 · 交卷 {q.finished} 人 · 通过 {q.passed} 人 · 未通过 {q.finished - q.passed} 人
								</span>
							</li>
						))}
					</ul>
				) : (
					<p className="muted">本次检查还没有现场考试。</p>
				)}
				<Form method="post" className="stack" noValidate>
					<input type="hidden" name="intent" value="startQuiz" />
					<FormError error={quizErrors.form} />
					<SelectField name="questionCount" label="题量" options={range(QUIZ_QUESTIONS.min, QUIZ_QUESTIONS.max)} defaultValue={String(QUIZ_QUESTIONS.fallback)} error={quizErrors.questionCount} hint="按企业人员的工种出题（单选和判断），题目不足时用通用安全知识题。" />
					<SelectField name="minutes" label="考试时长（分钟）" options={range(QUIZ_MINUTES.min, QUIZ_MINUTES.max)} defaultValue={String(QUIZ_MINUTES.fallback)} error={quizErrors.minutes} />
					<div className="actions">
						<SubmitButton pendingText="正在组卷…">开始现场考试</SubmitButton>
					</div>
				</Form>
			</section>

			<section className="card" aria-labelledby="hazards">
				<h2 id="hazards">发现的隐患</h2>
				<FormError error={rectifyErrors.form ?? rectifyErrors.rectifiedOn ?? rectifyErrors.hazardId} />
				{hazards.length ? (
					<ul className="plain">
						{hazards.map((h) => (
							<li key={h.id}>
								<p style={{ margin: 0 }}>{h.description}</p>
								<p className="muted" style={{ margin: 0 }}>
									整改期限 {h.rectifyBy} ·{' '}
									{h.status === 'rectified' ? (
										<span className="badge exam-pass">已整改（{h.rectifiedOn}）</span>
									) : (
										<span className={h.rectifyBy < today ? 'badge exam-status-failed' : 'badge warn'}>{h.rectifyBy < today ? '已逾期' : '待整改'}</span>
									)}
								</p>
								{h.status === 'open' ? (
									<Form method="post" className="actions">
										<input type="hidden" name="intent" value="rectify" />
										<input type="hidden" name="hazardId" value={h.id} />
										<label>
											整改完成日期 <input type="date" name="rectifiedOn" defaultValue={today} />
										</label>
										<button type="submit" className="button secondary">
											标记已整改
										</button>
									</Form>
								) : null}
							</li>
						))}
					</ul>
				) : (
					<p className="muted">本次检查没有记录隐患。</p>
				)}
				<Form method="post" className="stack" noValidate>
					<input type="hidden" name="intent" value="addHazard" />
					<TextField name="description" label="添加隐患" defaultValue={result?.intent === 'addHazard' ? String(result.values.description ?? '') : ''} error={hazardErrors.description} />
					<TextField name="rectifyBy" label="整改期限" type="date" defaultValue={result?.intent === 'addHazard' ? String(result.values.rectifyBy ?? '') : ''} />
					<div className="actions">
						<button type="submit" className="button secondary">
							添加隐患
						</button>
					</div>
				</Form>
			</section>
		</>
	)
}
