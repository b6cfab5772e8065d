import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { notFound } from '#app/auth/auth.server.ts'
import { formatDateTime } from '#app/components/exam/format.ts'
import { ExamError, startAttempt } from '#app/exams/attempts.server.ts'
import { EXAM_PURPOSES } from '#app/exams/labels.ts'
import { examIntro, isUuid } from '#app/exams/taking.server.ts'
import { requireExamTaker } from '#app/exams/taker.server.ts'
import { db } from '#app/utils/db.server.ts'

// An exam's intro for an assignee: the rules of the paper, the window, their attempts, 开始考试.

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.exam.title ?? '考试'} · 安全生产培训考试平台` }]

export async function loader({ request, params }: LoaderFunctionArgs) {
	const user = await requireExamTaker(request, { examId: params.examId })
	if (!isUuid(params.examId)) throw notFound()
	const intro = await examIntro(db, params.examId, user.id)
	// Not assigned: the exam does not exist for this person.
	if (!intro) throw notFound('没有找到这场考试，或您不在考试名单中')
	return intro
}

// 开始考试: startAttempt checks the assignment, the window and the attempts left itself.
export async function action({ request, params }: ActionFunctionArgs) {
	const user = await requireExamTaker(request, { examId: params.examId })
	if (!isUuid(params.examId)) throw notFound()
	try {
		const attemptId = await startAttempt(db, params.examId, user.id)
		return redirect(`/attempts/${attemptId}`)
	} catch (error) {
		if (!(error instanceof ExamError)) throw error
		if (error.status === 404) throw notFound(error.message)
		return data({ error: error.message }, { status: error.status })
	}
}

export default function ExamIntro() {
	const { exam, template, attempts, openAttemptId, window, attemptsLeft, passed } = useLoaderData<typeof loader>()
	const result = useActionData<typeof action>()
	const busy = useNavigation().state === 'submitting'
	const blocked =
		openAttemptId === null
			? window === 'not_open'
				? `考试尚未开始，开考时间 ${formatDateTime(exam.opensAt)}`
				: window === 'closed'
					? '考试已结束'
					: attemptsLeft === 0
						? `本场考试最多可考 ${template.attemptsAllowed} 次，您的次数已用完`
						: null
			: null
	return (
		<article className="exam-intro">
			<p className="muted">
				<Link to="/me">我的</Link> › 我的考试
			</p>
			<h1>{exam.title}</h1>
			<p>
				<span className="badge">{EXAM_PURPOSES[template.purpose]}</span> {passed ? <span className="badge exam-pass">已通过</span> : null}
			</p>
			<section className="card" aria-labelledby="exam-rules">
				<h2 id="exam-rules">考试说明</h2>
				<dl className="facts">
					<dt>题量</dt>
					<dd>{template.questionCount} 题</dd>
					<dt>总分</dt>
					<dd>{template.totalPoints} 分</dd>
					<dt>及格分</dt>
					<dd>{template.passMark} 分</dd>
					<dt>时限</dt>
					<dd>{template.timeLimitMinutes} 分钟</dd>
					<dt>考试时间</dt>
					<dd>
						{formatDateTime(exam.opensAt)} 至 {formatDateTime(exam.closesAt)}
					</dd>
					<dt>考试次数</dt>
					<dd>
						已考 {attempts.length} 次，共可考 {template.attemptsAllowed} 次
					</dd>
				</dl>
				<ul className="exam-tips">
					<li>开始后计时不会暂停：刷新页面、切换应用或断网都不会停止计时，时间到系统自动交卷。</li>
					<li>每答一题即自动保存；断网时答案先存在手机上，联网后自动补传。</li>
					<li>
						离开考试页面（切屏）会被记录{template.switchLimit !== null ? `，累计 ${template.switchLimit} 次将自动交卷` : ''}。
					</li>
				</ul>
			</section>
			<section className="card" aria-label="开始考试">
				{result?.error ? (
					<p className="form-error" role="alert">
						{result.error}
					</p>
				) : null}
				{blocked ? (
					<p className="form-error" role="alert">
						{blocked}
					</p>
				) : (
					<Form method="post">
						<button type="submit" className="primary exam-start" disabled={busy}>
							{openAttemptId ? '继续考试' : '开始考试'}
						</button>
					</Form>
				)}
			</section>
			{attempts.length ? (
				<section className="card" aria-labelledby="my-attempts">
					<h2 id="my-attempts">我的成绩</h2>
					<ul className="plain">
						{attempts.map((a) => (
							<li key={a.id} className="exam-attempt-row">
								<span>
									第 {a.number} 次 · {formatDateTime(a.startedAt)}
								</span>
								{a.status === 'open' ? (
									<Link to={`/attempts/${a.id}`}>进行中，继续考试</Link>
								) : (
									<Link to={`/attempts/${a.id}/result`}>
										{a.score} / {a.maxScore} 分 · {a.passed ? '通过' : '未通过'}
									</Link>
								)}
							</li>
						))}
					</ul>
				</section>
			) : null}
		</article>
	)
}
