import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useEffect, useState } from 'react'
import { notFound } from '#app/auth/auth.server.ts'
import { ReviewItem } from '#app/components/exam/review-item.tsx'
import { formatDateTime } from '#app/components/exam/format.ts'
import { selfTestVerdict } from '#app/outreach/self-test.ts'
import { selfTestResult } from '#app/outreach/self-test.server.ts'
import { publicMeta } from '#app/utils/meta.ts'

// GET /self-test/r/:id — a graded 公众自测, public and shareable by its link (kept out of search
// engines): the score, a verdict, and every question with the answer given, the right one and 解析.

export const meta: MetaFunction<typeof loader> = ({ data: result, matches, location }) =>
	result
		? publicMeta(
				{ matches, location },
				{
					title: `安全知识自测得分 ${result.score} 分`,
					description: `我在安全知识自测中得了 ${result.score} 分（满分 ${result.maxScore} 分），评定“${result.verdict.label}”。你也来测一测？`,
					noindex: true,
				},
			)
		: [{ title: '没有找到这份自测成绩' }, { name: 'robots', content: 'noindex' }]

export async function loader({ request, params }: LoaderFunctionArgs) {
	const result = await selfTestResult(params.id ?? '')
	if (!result) throw notFound('没有找到这份自测成绩')
	return {
		...result,
		verdict: selfTestVerdict(result.score, result.maxScore),
		url: `${new URL(request.url).origin}/self-test/r/${result.id}`,
		again: result.setting ? `/self-test?setting=${result.setting}` : '/self-test',
	}
}

/** The page's link as text anyone can select; with JavaScript, a button that copies it too. */
function ShareLink({ url }: { url: string }) {
	const [canCopy, setCanCopy] = useState(false)
	const [status, setStatus] = useState('')
	useEffect(() => setCanCopy(Boolean(navigator.clipboard)), [])
	const copy = () =>
		navigator.clipboard.writeText(url).then(
			() => setStatus('链接已复制，可以粘贴到微信或短信里发给朋友。'),
			() => setStatus('没能自动复制，请长按上面的链接手动复制。'),
		)
	return (
		<section className="card" aria-labelledby="share-title">
			<h2 id="share-title">分享成绩</h2>
			<p>把这个链接发给家人、朋友或同事，他们能看到你的得分和解析，也可以自己测一测。</p>
			<div className="field">
				<label htmlFor="share-url">本页链接</label>
				<div className="self-test-share">
					<input id="share-url" type="text" readOnly value={url} onFocus={(e) => e.currentTarget.select()} />
					{canCopy ? (
						<button type="button" className="button secondary" onClick={copy}>
							复制链接
						</button>
					) : null}
				</div>
			</div>
			<p role="status" className="muted">
				{status}
			</p>
		</section>
	)
}

export default function SelfTestResult() {
	const result = useLoaderData<typeof loader>()
	const wrong = result.questions.filter((q) => q.awarded < q.points).length
	return (
		<article className="exam-result">
			<nav className="muted" aria-label="所在位置">
				<Link to={result.again}>{result.title}</Link> › 成绩
			</nav>
			<h1>自测成绩</h1>
			<section className={`card exam-score ${result.verdict.passed ? 'exam-score-pass' : 'exam-score-fail'}`} aria-labelledby="score-title">
				<h2 id="score-title">{result.title}</h2>
				<p className="exam-score-line">
					<strong data-testid="score">{result.score}</strong> 分<span className="muted"> / 满分 {result.maxScore} 分</span>
				</p>
				<p className="exam-verdict" data-testid="verdict">
					{result.verdict.label}
				</p>
				<p>{result.verdict.advice}</p>
				<p className="muted">
					答对 {result.questions.length - wrong} 题，答错或未答 {wrong} 题 · 交卷于 {formatDateTime(result.submittedAt)}
				</p>
				<p className="actions">
					<Link to={result.again} className="button">
						再测一次
					</Link>
					<Link to="/cases">看看警示案例</Link>
				</p>
			</section>
			<ShareLink url={result.url} />
			<section aria-labelledby="review-title">
				<h2 id="review-title">答题解析</h2>
				<ol className="exam-review">
					{result.questions.map((q) => (
						<ReviewItem key={q.position} q={q} />
					))}
				</ol>
			</section>
			<p className="actions">
				<Link to={result.again} className="button">
					再测一次
				</Link>
			</p>
		</article>
	)
}
