import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { forbidden, notFound, requireContentScope } from '#app/auth/auth.server.ts'
import { OPTION_FIELDS, questionFormSchema } from '#app/bank/question-form.ts'
import { OPTION_LETTERS, QUESTION_TYPES } from '#app/bank/question-file.ts'
import { answerLabel, PART_LABELS } from '#app/bank/question.ts'
import { questionForEditor, saveQuestion } from '#app/bank/save-question.server.ts'
import { QuestionForm } from '#app/components/question-form.tsx'
import { listJobTypes } from '#app/people/people.server.ts'
import { db } from '#app/utils/db.server.ts'
import { failure, formValues, parseForm } from '#app/utils/forms.ts'
import { isUuid } from '#app/utils/ids.ts'

export const meta: MetaFunction = () => [{ title: '试题 · 安全生产培训考试平台' }]

async function requireQuestion(request: Request, questionId: string) {
	const scope = await requireContentScope(request)
	if (!isUuid(questionId)) throw notFound()
	const found = await questionForEditor(scope, questionId)
	if (!found) throw notFound()
	return { scope, ...found }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { question: q, editable, shipped } = await requireQuestion(request, params.questionId!)
	const values = {
		type: q.type,
		stem: q.stem,
		answer: q.type === 'judge' ? answerLabel(q.type, q.answer) : String(q.answer),
		explanation: q.explanation,
		difficulty: String(q.difficulty),
		part: q.part,
		forAllJobTypes: q.forAllJobTypes ? '1' : '',
		jobTypes: q.jobTypes,
		topics: q.topics.join('、'),
		...Object.fromEntries(OPTION_FIELDS.map((f, i) => [f, q.options[i] ?? ''])),
	}
	return { question: { id: q.id, type: q.type, stem: q.stem, options: q.options, answer: answerLabel(q.type, q.answer), explanation: q.explanation, part: q.part, version: q.version, owner: q.ownerOrgId ? '本企业' : '平台' }, values, editable, shipped, jobTypes: await listJobTypes(db) }
}

export async function action({ request, params }: ActionFunctionArgs) {
	const { scope, question, editable } = await requireQuestion(request, params.questionId!)
	if (!editable) throw forbidden('您不能修改这道试题')
	const formData = await request.formData()
	const parsed = parseForm(questionFormSchema, formData, { arrays: ['jobTypes'] })
	if (!parsed.ok) return data(parsed, { status: 400 })
	const result = await saveQuestion(scope, parsed.data, question.id)
	if (!result.ok) return data(failure(formValues(formData, ['jobTypes']), result.errors), { status: 400 })
	throw redirect(`/bank/${question.id}?saved=1`)
}

export default function QuestionPage() {
	const { question, values, editable, shipped, jobTypes } = useLoaderData<typeof loader>()
	const result = useActionData<typeof action>()
	const [params] = useSearchParams()
	return (
		<>
			<p className="muted">
				<Link to="/bank">题库</Link> › {QUESTION_TYPES[question.type]} · {PART_LABELS[question.part]} · 第 {question.version} 版 · {question.owner}
			</p>
			<h1>试题</h1>
			{params.get('saved') ? (
				<p className="notice" role="status">
					已保存。已用于考试的试卷仍按原版本评分。
				</p>
			) : null}
			<section className="card" aria-label="试题内容">
				<p>{question.stem}</p>
				{question.options.length ? (
					<ol className="options" type="A">
						{question.options.map((o, i) => (
							<li key={OPTION_LETTERS[i]}>{o}</li>
						))}
					</ol>
				) : null}
				<p>
					<strong>答案：</strong>
					{question.answer}
				</p>
				<p>
					<strong>解析：</strong>
					{question.explanation}
				</p>
			</section>
			{editable ? (
				<>
					<h2>修改试题</h2>
					<QuestionForm values={result?.values ?? values} errors={result?.errors ?? {}} jobTypes={jobTypes} submitLabel="保存修改" />
				</>
			) : (
				<p className="muted">
					{shipped ? '这是平台内置题库的试题，随平台内容文件（content/questions）维护，在此只能查看。' : '这是平台题库的试题，您可以在考试中使用，但不能修改。'}
				</p>
			)}
		</>
	)
}
