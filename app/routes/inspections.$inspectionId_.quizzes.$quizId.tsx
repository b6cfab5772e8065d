import { redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData, useRevalidator } from '@remix-run/react'
import { useEffect } from 'react'
import QRCode from 'qrcode'
import { notFound } from '#app/auth/auth.server.ts'
import { formatDateTime } from '#app/components/exam/format.ts'
import { SubmitButton } from '#app/components/forms.tsx'
import { inspectionInScope, requireInspector } from '#app/oversight/inspections.server.ts'
import { joinableUntil, joinPath } from '#app/oversight/onsite-quiz.ts'
import { closeOnsiteQuiz, isJoinable, quizBoard, quizOfInspection } from '#app/oversight/onsite-quiz.server.ts'
import { db } from '#app/utils/db.server.ts'

// The inspector's screen during a 逢查必考 quiz: the join code, its QR code and the join URL in
// words (for people who cannot scan), and who joined, finished, scored and passed — refreshed
// every few seconds with JavaScript, by the 刷新 link without. 结束考试 ends it.

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `现场考试 ${data?.quiz.joinCode ?? ''} · 安全生产培训考试平台` }]

export const headers: HeadersFunction = () => ({ 'Cache-Control': 'no-store' })

const POLL_MS = 5000

async function requireQuiz(request: Request, params: LoaderFunctionArgs['params']) {
	const { user, scope } = await requireInspector(request)
	const found = await inspectionInScope(db, scope, params.inspectionId)
	if (!found) throw notFound('没有找到这条检查记录')
	const quiz = await quizOfInspection(db, found.inspection.id, params.quizId)
	if (!quiz) throw notFound('没有找到这场现场考试')
	return { user, found, quiz }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { found, quiz } = await requireQuiz(request, params)
	const now = new Date()
	const joinUrl = `${new URL(request.url).origin}${joinPath(quiz.quiz.joinCode)}`
	const board = await quizBoard(db, quiz.exam.id, now)
	const open = isJoinable(quiz, now)
	return {
		inspection: { id: found.inspection.id, inspectedOn: found.inspection.inspectedOn },
		org: { name: found.org.name },
		quiz: {
			id: quiz.quiz.id,
			joinCode: quiz.quiz.joinCode,
			closedAt: quiz.quiz.closedAt?.toISOString() ?? null,
			joinableUntil: joinableUntil(quiz.exam.closesAt, quiz.template.timeLimitMinutes).toISOString(),
			examClosesAt: quiz.exam.closesAt.toISOString(),
			open,
			// Still running: joinable, or somebody's paper is still open.
			live: open || board.some((r) => r.status === 'open'),
		},
		exam: { id: quiz.exam.id, questionCount: quiz.template.rules.reduce((n, r) => n + r.count, 0), minutes: quiz.template.timeLimitMinutes, passMark: quiz.template.passMark },
		joinUrl,
		// Our own SVG, made by the qrcode library from our own URL.
		qrSvg: open ? await QRCode.toString(joinUrl, { type: 'svg', errorCorrectionLevel: 'M', margin: 2, width: 280 }) : null,
		rows: board.map((r) => ({ ...r, joinedAt: r.joinedAt.toISOString(), submittedAt: r.submittedAt?.toISOString() ?? null })),
		now: now.toISOString(),
	}
}

export async function action({ request, params }: ActionFunctionArgs) {
	const { user, found, quiz } = await requireQuiz(request, params)
	const form = await request.formData()
	if (form.get('intent') === 'close') await closeOnsiteQuiz(db, user, found, quiz)
	throw redirect(`/inspections/${found.inspection.id}/quizzes/${quiz.quiz.id}`)
}

/** Reloads the page's data every few seconds while the quiz runs and the page is on screen. */
function usePolling(live: boolean) {
	const revalidator = useRevalidator()
	useEffect(() => {
		if (!live) return
		const timer = window.setInterval(() => {
			if (document.visibilityState === 'visible' && revalidator.state === 'idle') revalidator.revalidate()
		}, POLL_MS)
		return () => window.clearInterval(timer)
	}, [live, revalidator])
}

export default function OnsiteQuizPage() {
	const { inspection, org, quiz, exam, joinUrl, qrSvg, rows } = useLoaderData<typeof loader>()
	usePolling(quiz.live)
	const finished = rows.filter((r) => r.status === 'submitted')
	const passed = finished.filter((r) => r.passed)
	return (
		<>
			<p className="muted">
				<Link to="/inspections">执法检查</Link> › <Link to={`/inspections/${inspection.id}`}>{org.name}</Link> › 现场考试
			</p>
			<h1>逢查必考 · 现场考试</h1>
			<section className="card" aria-labelledby="join">
				<h2 id="join">{quiz.open ? '扫码或输入考试码参加' : '本场考试已停止加入'}</h2>
				<p>
					考试码{' '}
					<strong data-testid="join-code" style={{ fontSize: '2.5rem', letterSpacing: '0.3rem', fontVariantNumeric: 'tabular-nums' }}>
						{quiz.joinCode}
					</strong>
				</p>
				{qrSvg ? <div className="qr" data-testid="join-qr" role="img" aria-label="参加考试的二维码" style={{ maxWidth: 280, background: '#fff' }} dangerouslySetInnerHTML={{ __html: qrSvg }} /> : null}
				<p>
					不能扫码时，在手机浏览器打开 <a href={joinUrl} data-testid="join-url">{joinUrl}</a>，或打开“参加现场考试”页输入考试码。
				</p>
				<p className="muted">
					{exam.questionCount} 题，{exam.minutes} 分钟，{exam.passMark} 分及格；
					{quiz.closedAt ? `已于 ${formatDateTime(quiz.closedAt)} 结束。` : quiz.open ? `${formatDateTime(quiz.joinableUntil)} 前可加入。` : '加入时间已过。'}
				</p>
				{quiz.closedAt ? null : (
					<Form method="post">
						<input type="hidden" name="intent" value="close" />
						<SubmitButton pendingText="正在结束…">结束考试</SubmitButton>
					</Form>
				)}
			</section>
			<section className="card" aria-labelledby="board">
				<h2 id="board">考试情况</h2>
				<p>
					加入 <strong data-testid="joined-count">{rows.length}</strong> 人 · 交卷 <strong data-testid="finished-count">{finished.length}</strong> 人 · 通过 {passed.length} 人 · 未通过 {finished.length - passed.length} 人{' '}
					<Link to=".">刷新</Link>
				</p>
				{quiz.live ? <p className="muted">考试进行中，本页每 5 秒自动刷新。</p> : null}
				{rows.length ? (
					<div className="table-scroll">
						<table className="data" aria-label="考试情况">
							<thead>
								<tr>
									<th scope="col">姓名</th>
									<th scope="col">岗位</th>
									<th scope="col">加入时间</th>
									<th scope="col">状态</th>
									<th scope="col">成绩</th>
								</tr>
							</thead>
							<tbody>
								{rows.map((r) => (
									<tr key={r.personId}>
										<td>{r.name}</td>
										<td>{r.position || '—'}</td>
										<td>{formatDateTime(r.joinedAt)}</td>
										<td>{r.status === 'submitted' ? (r.passed ? <span className="badge exam-pass">通过</span> : <span className="badge exam-status-failed">未通过</span>) : r.status === 'open' ? <span className="badge warn">答题中</span> : '未开始'}</td>
										<td>{r.status === 'submitted' ? `${r.score} / ${r.maxScore}` : '—'}</td>
									</tr>
								))}
							</tbody>
						</table>
					</div>
				) : (
					<p className="muted">还没有人加入。</p>
				)}
				<p className="muted">未通过的人员自动下达脱产培训通知（30 天内复考）。</p>
			</section>
		</>
	)
}
