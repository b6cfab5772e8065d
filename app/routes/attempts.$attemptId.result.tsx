import { redirect, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useEffect } from 'react'
import { notFound } from '#app/auth/auth.server.ts'
import { ReviewItem } from '#app/components/exam/review-item.tsx'
import { formatDateTime, formatDuration } from '#app/components/exam/format.ts'
import { storageKey } from '#app/components/exam/use-answer-sync.ts'
import { resultFor } from '#app/exams/attempts.server.ts'
import { SUBMITTED_BY } from '#app/exams/labels.ts'
import { isUuid } from '#app/exams/taking.server.ts'
import { requireExamTaker } from '#app/exams/taker.server.ts'
import { db } from '#app/utils/db.server.ts'

// An attempt's result: score, pass/fail, time used, 切屏; then, if the template allows, every
// question with the taker's answer, the right one (in the order shown) and the explanation.

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.exam.title ?? '考试'} · 成绩` }]

export async function loader({ request, params }: LoaderFunctionArgs) {
	const user = await requireExamTaker(request, { attemptId: params.attemptId })
	if (!isUuid(params.attemptId)) throw notFound()
	const found = await resultFor(db, params.attemptId, user.id)
	if (!found) throw notFound('没有找到这次考试')
	const { attempt } = found
	// Still running: the answer key stays on the server; back to the paper.
	if (attempt.status === 'open' || !('exam' in found) || !found.exam || !found.template) throw redirect(`/attempts/${attempt.id}`)
	const { exam, template } = found
	const end = Math.min((attempt.submittedAt ?? attempt.deadlineAt).getTime(), attempt.deadlineAt.getTime())
	return {
		late: new URL(request.url).searchParams.get('late') === '1',
		exam: { id: exam.id, title: exam.title },
		passMark: template.passMark,
		attempt: {
			id: attempt.id,
			score: attempt.score ?? 0,
			maxScore: attempt.maxScore,
			passed: Boolean(attempt.passed),
			startedAt: attempt.startedAt.toISOString(),
			submittedAt: attempt.submittedAt?.toISOString() ?? null,
			submittedBy: attempt.submittedBy as keyof typeof SUBMITTED_BY | null,
			usedSeconds: Math.max(0, Math.round((end - attempt.startedAt.getTime()) / 1000)),
			switchCount: attempt.switchCount,
		},
		review: found.review,
	}
}

export default function AttemptResult() {
	const { late, exam, passMark, attempt, review } = useLoaderData<typeof loader>()
	useEffect(() => {
		// Submitted: nothing on this device needs keeping for it any more.
		try {
			window.localStorage.removeItem(storageKey(attempt.id))
		} catch {
			// storage disabled
		}
	}, [attempt.id])
	const wrong = review?.filter((r) => r.awarded < r.points).length ?? 0
	return (
		<article className="exam-result">
			<p className="muted">
				<Link to="/me">我的</Link> › <Link to={`/exams/${exam.id}`}>{exam.title}</Link>
			</p>
			<h1>成绩</h1>
			{late ? (
				<p className="form-error" role="alert">
					考试时间已到（已超过截止时间），最后提交的答案未能保存；系统已按服务器上已保存的答案交卷并评分。
				</p>
			) : null}
			<section className={`card exam-score ${attempt.passed ? 'exam-score-pass' : 'exam-score-fail'}`} aria-labelledby="exam-score-title">
				<h2 id="exam-score-title">{exam.title}</h2>
				<p className="exam-score-line">
					<strong data-testid="score">{attempt.score}</strong> 分<span className="muted"> / 满分 {attempt.maxScore} 分</span>
				</p>
				<p className="exam-verdict" data-testid="verdict">
					{attempt.passed ? '考试合格（已通过）' : '考试不合格（未通过）'}
					<span className="muted">，及格分 {passMark} 分</span>
				</p>
				<dl className="facts">
					<dt>用时</dt>
					<dd>{formatDuration(attempt.usedSeconds)}</dd>
					<dt>切屏次数</dt>
					<dd data-testid="switches">{attempt.switchCount} 次</dd>
					<dt>交卷</dt>
					<dd>
						{attempt.submittedAt ? formatDateTime(attempt.submittedAt) : ''}
						{attempt.submittedBy ? ` · ${SUBMITTED_BY[attempt.submittedBy] ?? ''}` : ''}
					</dd>
					{review ? (
						<>
							<dt>错题</dt>
							<dd>{wrong} 题（已加入错题本）</dd>
						</>
					) : null}
				</dl>
				<p className="actions">
					<Link to="/me" className="button secondary">
						返回我的
					</Link>
				</p>
			</section>
			{review ? (
				<section aria-labelledby="exam-review-title">
					<h2 id="exam-review-title">答题解析</h2>
					<ol className="exam-review">
						{review.map((r) => (
							<ReviewItem key={r.position} q={r} />
						))}
					</ol>
				</section>
			) : (
				<p className="muted">本场考试不公布答案解析。</p>
			)}
		</article>
	)
}
