import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { LETTERS } from '#app/components/exam/format.ts'
import { gradeCase, publicCase } from '#app/outreach/cases.server.ts'
import { publicMeta } from '#app/utils/meta.ts'

// GET /cases/:slug — public, no sign-in: one case study, its text linked to the glossary, then a
// small self-check. The page carries no answer key; posting the answers grades them on the server
// and shows each one right or wrong with its explanation. Nothing is stored.

export const meta: MetaFunction<typeof loader> = ({ data: page, ...args }) =>
	page ? publicMeta(args, { title: page.title, description: page.summary, type: 'article' }) : [{ title: '没有这个案例 · 安全生产培训考试与宣教平台' }]

const notFound = () => new Response('没有这个案例', { status: 404 })

export async function loader({ params }: LoaderFunctionArgs) {
	const page = await publicCase(params.slug ?? '')
	if (!page) throw notFound()
	return page
}

export async function action({ request, params }: ActionFunctionArgs) {
	const graded = await gradeCase(params.slug ?? '', await request.formData())
	if (!graded) throw notFound()
	return data(graded)
}

const JUDGE_VALUES = ['true', 'false']

export default function CaseStudy() {
	const page = useLoaderData<typeof loader>()
	const graded = useActionData<typeof action>()
	const resultOf = (id: string) => graded?.results.find((r) => r.id === id)
	return (
		<article className="case-study">
			<nav aria-label="面包屑" className="muted">
				<Link to="/cases">警示教育案例库</Link>
			</nav>
			<h1>{page.title}</h1>
			<p className="case-meta muted">
				<Link to={`/cases?industry=${encodeURIComponent(page.industry)}`}>{page.industryName}</Link> · {page.year} 年
			</p>
			<p className="case-summary">{page.summary}</p>
			<div className="lesson-body case-body" dangerouslySetInnerHTML={{ __html: page.html }} />
			<p className="muted case-source">资料来源：{page.source}</p>

			<section className="card case-check" aria-labelledby="case-check-title">
				<h2 id="case-check-title">学完自测</h2>
				{graded ? (
					<p role="status" className={graded.right === graded.total ? 'notice' : 'case-score'}>
						答对 {graded.right} / {graded.total} 题{graded.right === graded.total ? '，全部正确！' : '。对照下面的解析再看一遍案例。'}
					</p>
				) : (
					<p className="muted">选好答案后提交，马上看到对错和解析。不需要登录，也不会记录成绩。</p>
				)}
				<Form method="post" className="case-questions" preventScrollReset>
					<ol className="case-question-list">
						{page.questions.map((q, index) => {
							const result = resultOf(q.id)
							const given = result?.given ?? null
							return (
								<li key={q.id}>
									<fieldset className="practice-question">
										<legend className="practice-stem">
											{index + 1}. {q.stem}
											<span className="muted">（{q.type === 'single' ? '单选' : q.type === 'multiple' ? '多选' : '判断'}）</span>
										</legend>
										<div className="practice-options">
											{q.options.map((text, i) => {
												const value = q.type === 'judge' ? JUDGE_VALUES[i]! : LETTERS[i]!
												const checked = given !== null && (q.type === 'judge' ? given === value : given.includes(value))
												return (
													<label key={value} className="exam-option">
														<input
															type={q.type === 'multiple' ? 'checkbox' : 'radio'}
															name={`q-${q.id}`}
															value={value}
															defaultChecked={checked}
														/>
														{q.type === 'judge' ? null : <span className="exam-letter">{value}.</span>}
														<span>{text}</span>
													</label>
												)
											})}
										</div>
									</fieldset>
									{result ? (
										<div className="case-result" data-testid={`result-${q.id}`}>
											<p className={result.correct ? 'practice-right' : 'practice-wrong'}>
												{result.correct ? '✓ 回答正确' : `✗ 回答错误（你的答案：${result.givenText}；正确答案：${result.keyText}）`}
											</p>
											<p className="exam-explanation">解析：{result.explanation}</p>
										</div>
									) : null}
								</li>
							)
						})}
					</ol>
					<div className="actions">
						<button type="submit" className="primary">
							{graded ? '重新提交' : '提交答案'}
						</button>
					</div>
				</Form>
			</section>
		</article>
	)
}
