import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { forbidden, notFound } from '#app/auth/auth.server.ts'
import { ExamTemplateForm } from '#app/components/exam-template-form.tsx'
import { examScopeOf } from '#app/exams/assign.server.ts'
import { EXAM_PURPOSES } from '#app/exams/labels.ts'
import { TEMPLATE_ARRAY_FIELDS, templateFormSchema, templateToValues, totalPoints, totalQuestions } from '#app/exams/template-form.ts'
import { checkFeasibility, examsUsingTemplate, loadTemplate, requireTemplateAccess, saveTemplate } from '#app/exams/templates.server.ts'
import { listJobTypes } from '#app/people/people.server.ts'
import { db } from '#app/utils/db.server.ts'
import { failure, formValues, parseForm } from '#app/utils/forms.ts'

export const meta: MetaFunction = () => [{ title: '试卷规则 · 安全生产培训考试平台' }]

async function requireTemplate(request: Request, templateId: string) {
	const access = await requireTemplateAccess(request)
	const found = await loadTemplate(db, access, templateId)
	if (!found) throw notFound()
	return { access, ...found }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { access, template: t, editable } = await requireTemplate(request, params.templateId!)
	const [feasibility, usedBy, jobTypes] = await Promise.all([checkFeasibility(db, t.rules, t.ownerOrgId), examsUsingTemplate(db, t.id), listJobTypes(db)])
	return {
		template: {
			id: t.id,
			title: t.title,
			purpose: EXAM_PURPOSES[t.purpose],
			questions: totalQuestions(t.rules),
			points: totalPoints(t.rules),
			timeLimitMinutes: t.timeLimitMinutes,
			passMark: t.passMark,
			attemptsAllowed: t.attemptsAllowed,
			platform: t.ownerOrgId === null,
		},
		feasibility: feasibility.map((f) => ({ row: f.row, description: f.description, points: f.rule.points, needed: f.needed, available: f.available, short: f.short, message: f.message })),
		values: templateToValues(t),
		editable,
		usedBy,
		jobTypes,
		canGiveExams: examScopeOf(access.user).manage,
	}
}

export async function action({ request, params }: ActionFunctionArgs) {
	const { access, template, editable } = await requireTemplate(request, params.templateId!)
	if (!editable) throw forbidden('您不能修改这份试卷规则')
	const formData = await request.formData()
	const parsed = parseForm(templateFormSchema, formData, { arrays: TEMPLATE_ARRAY_FIELDS })
	if (!parsed.ok) return data({ ...parsed, shortfalls: [] as string[] }, { status: 400 })
	const result = await saveTemplate(db, access, parsed.data, template)
	if (!result.ok) return data({ ...failure(formValues(formData, TEMPLATE_ARRAY_FIELDS), result.errors), shortfalls: result.shortfalls }, { status: 400 })
	throw redirect(`/exam-templates/${template.id}?saved=1`)
}

export default function ExamTemplatePage() {
	const { template, feasibility, values, editable, usedBy, jobTypes, canGiveExams } = useLoaderData<typeof loader>()
	const result = useActionData<typeof action>()
	const [params] = useSearchParams()
	const short = feasibility.filter((f) => f.short)
	return (
		<>
			<p className="muted">
				<Link to="/exam-templates">试卷规则</Link> › {template.platform ? '平台' : '本单位'}
			</p>
			<h1>{template.title}</h1>
			{params.get('saved') ? (
				<p className="notice" role="status">
					已保存。题库可以满足每条抽题规则。
				</p>
			) : null}
			<dl className="facts card exam-facts">
				<dt>考试类型</dt>
				<dd>{template.purpose}</dd>
				<dt>题量</dt>
				<dd>
					{template.questions} 题，共 {template.points} 分
				</dd>
				<dt>及格分</dt>
				<dd>{template.passMark} 分</dd>
				<dt>考试时长</dt>
				<dd>{template.timeLimitMinutes} 分钟</dd>
				<dt>可考次数</dt>
				<dd>{template.attemptsAllowed} 次</dd>
			</dl>
			{canGiveExams ? (
				<p>
					<Link className="button" to={`/exams/new?templateId=${template.id}`}>
						用此规则发布考试
					</Link>
				</p>
			) : null}

			<section aria-labelledby="feasibility-title">
				<h2 id="feasibility-title">题库检查</h2>
				{short.length ? (
					<div className="form-error" role="alert">
						<p className="tpl-alert-title">题库目前不能满足 {short.length} 条规则，考生将无法开考：</p>
						<ul>
							{short.map((f) => (
								<li key={f.row}>{f.message}</li>
							))}
						</ul>
					</div>
				) : (
					<p className="notice">题库目前可以满足全部抽题规则。</p>
				)}
				<div className="table-scroll">
					<table className="data">
						<caption className="muted tpl-caption">按规则逐条统计，前面规则抽到的题不再计入后面的规则</caption>
						<thead>
							<tr>
								<th scope="col">规则</th>
								<th scope="col">抽题条件</th>
								<th scope="col">需要</th>
								<th scope="col">题库可用</th>
								<th scope="col">每题分值</th>
							</tr>
						</thead>
						<tbody>
							{feasibility.map((f) => (
								<tr key={f.row}>
									<td>第 {f.row} 条</td>
									<td>
										<span className="stem-cell">{f.description}</span>
									</td>
									<td>{f.needed} 道</td>
									<td>{f.short ? <span className="badge warn">只有 {f.available} 道</span> : `${f.available} 道`}</td>
									<td>{f.points} 分</td>
								</tr>
							))}
						</tbody>
					</table>
				</div>
			</section>

			{editable ? (
				<section aria-labelledby="edit-title">
					<h2 id="edit-title">修改试卷规则</h2>
					{usedBy ? <p className="muted">已有 {usedBy} 场考试使用此规则。修改只影响此后开始的答卷，已抽定的试卷不变。</p> : null}
					<ExamTemplateForm values={result?.values ?? values} errors={result?.errors ?? {}} shortfalls={result?.shortfalls} jobTypes={jobTypes} submitLabel="保存修改" />
				</section>
			) : (
				<p className="muted">{template.platform ? '这是平台的试卷规则，您可以用它发布考试，但不能修改。' : '您可以查看这份试卷规则，但不能修改。'}</p>
			)}
		</>
	)
}
