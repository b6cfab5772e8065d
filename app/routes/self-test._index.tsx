import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { notFound } from '#app/auth/auth.server.ts'
import { KIND_LABELS, LETTERS } from '#app/components/exam/format.ts'
import { SubmitButton } from '#app/components/forms.tsx'
import { OUTREACH_SETTINGS } from '#app/outreach/labels.ts'
import { isOutreachSetting } from '#app/outreach/self-test.ts'
import { drawSelfTest, submitSelfTest } from '#app/outreach/self-test.server.ts'
import { publicMeta } from '#app/utils/meta.ts'

// GET /self-test — 公众自测, no sign-in: 10 questions of the 通用 bank on one page (5 from a 五进
// page's topics with ?setting=). The drawn paper rides in a signed hidden field; nothing is stored
// until 交卷, which grades it and redirects to the shareable result.

export const meta: MetaFunction<typeof loader> = ({ data: page, matches, location }) =>
	publicMeta(
		{ matches, location },
		{
			title: page?.title ?? '安全知识自测',
			description: `${page?.questions.length ?? 10} 道安全生产常识题（单选、多选、判断），不用登录，交卷后马上看到得分和每道题的解析，还能把成绩分享给朋友。`,
		},
	)

// Every visit draws its own paper: a shared cache must never hand one signed paper to two people.
const NO_STORE = { 'Cache-Control': 'private, no-store' }

export const headers: HeadersFunction = ({ actionHeaders, loaderHeaders }) => (actionHeaders.has('Cache-Control') ? actionHeaders : loaderHeaders)

function settingOf(request: Request) {
	const setting = new URL(request.url).searchParams.get('setting')
	if (!setting) return null
	if (!isOutreachSetting(setting)) throw notFound('没有这个“五进”自测')
	return setting
}

async function freshPaper(request: Request) {
	const paper = await drawSelfTest(settingOf(request))
	if (!paper) throw notFound('没有这个“五进”自测')
	return paper
}

export async function loader({ request }: LoaderFunctionArgs) {
	return data({ ...(await freshPaper(request)), error: null as string | null }, { headers: NO_STORE })
}

export async function action({ request }: ActionFunctionArgs) {
	const submitted = await submitSelfTest(await request.formData())
	if (submitted.ok) return redirect(`/self-test/r/${submitted.id}`, 303)
	return data({ ...(await freshPaper(request)), error: submitted.message as string | null }, { status: 400, headers: NO_STORE })
}

const JUDGE_CHOICES = [
	{ value: 'true', text: '正确' },
	{ value: 'false', text: '错误' },
]

export default function SelfTest() {
	const loaded = useLoaderData<typeof loader>()
	// A refused paper comes back with a fresh one and the reason.
	const page = useActionData<typeof action>() ?? loaded
	return (
		<article className="self-test">
			<nav className="muted" aria-label="所在位置">
				{page.setting ? (
					<>
						<Link to="/wujin">安全宣传“五进”</Link> › <Link to={`/wujin/${page.setting}`}>进{OUTREACH_SETTINGS[page.setting]}</Link>
					</>
				) : (
					<Link to="/">首页</Link>
				)}
			</nav>
			<h1>{page.title}</h1>
			<p className="lead">
				共 {page.questions.length} 题，满分 {page.maxScore} 分。不用登录，选好答案后点“交卷”，马上看到得分、正确答案和解析。
			</p>
			{page.error ? (
				<p className="form-error" role="alert">
					{page.error}
				</p>
			) : null}
			{/* Keyed by the paper: a fresh paper after a refusal starts with nothing ticked. */}
			<Form method="post" key={page.token} className="practice-form">
				<input type="hidden" name="paper" value={page.token} />
				<ol className="case-question-list">
					{page.questions.map((q) => (
						<li key={q.position}>
							<fieldset className="practice-question">
								<legend className="practice-stem">
									{q.position}. {q.stem}
									<span className="muted">
										（{KIND_LABELS[q.type]}，{q.points} 分）
									</span>
								</legend>
								<div className="practice-options">
									{(q.type === 'judge' ? JUDGE_CHOICES : q.options.map((text, i) => ({ value: LETTERS[i]!, text }))).map(({ value, text }) => (
										<label key={value} className="exam-option">
											<input type={q.type === 'multiple' ? 'checkbox' : 'radio'} name={`q${q.position}`} value={value} />
											{q.type === 'judge' ? null : <span className="exam-letter">{value}.</span>}
											<span>{text}</span>
										</label>
									))}
								</div>
							</fieldset>
						</li>
					))}
				</ol>
				<p className="muted">没有作答的题目按答错计分。</p>
				<div className="actions">
					<SubmitButton pendingText="正在交卷…">交卷</SubmitButton>
				</div>
			</Form>
		</article>
	)
}
