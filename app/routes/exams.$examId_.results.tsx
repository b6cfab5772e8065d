import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData, useSearchParams } from '@remix-run/react'
import { notFound } from '#app/auth/auth.server.ts'
import { requireExamScope } from '#app/exams/assign.server.ts'
import { formatChinaTime } from '#app/exams/exam-form.ts'
import { EXAM_PURPOSES, formatDuration, RESULT_STATUS, SUBMITTED_BY } from '#app/exams/labels.ts'
import { examResults } from '#app/exams/results.server.ts'
import { totalPoints } from '#app/exams/template-form.ts'
import { db } from '#app/utils/db.server.ts'

// Results of one exam for managers and regulators: only the assignees in their scope.
// (The file name's `$examId_` keeps this page out of the taker's /exams/:examId layout.)

export const meta: MetaFunction = () => [{ title: '考试成绩 · 安全生产培训考试平台' }]

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { scope } = await requireExamScope(request)
	const found = await examResults(db, scope, params.examId!)
	if (!found) throw notFound()
	const { exam, template, ownerName, rows, summary } = found
	return {
		exam: {
			id: exam.id,
			title: exam.title,
			window: `${formatChinaTime(exam.opensAt)} 至 ${formatChinaTime(exam.closesAt)}`,
			owner: ownerName ?? '平台',
			purpose: EXAM_PURPOSES[template.purpose],
			templateId: template.id,
			templateTitle: template.title,
			points: totalPoints(template.rules),
			passMark: template.passMark,
			timeLimitMinutes: template.timeLimitMinutes,
			switchLimit: template.switchLimit,
		},
		summary,
		rows: rows.map((r) => ({
			personId: r.personId,
			name: r.name,
			orgName: r.orgName,
			status: RESULT_STATUS[r.status],
			submitted: r.status === 'submitted',
			score: r.score,
			maxScore: r.maxScore,
			passed: r.passed,
			duration: formatDuration(r.seconds),
			switchCount: r.switchCount,
			submittedBy: r.submittedBy ? SUBMITTED_BY[r.submittedBy] : '—',
			attemptsUsed: r.attemptsUsed,
			submittedAt: r.submittedAt ? formatChinaTime(r.submittedAt) : null,
		})),
	}
}

export default function ExamResults() {
	const { exam, summary, rows } = useLoaderData<typeof loader>()
	const [params] = useSearchParams()
	const assigned = params.get('assigned')
	return (
		<>
			<p className="muted">
				<Link to="/exams">考试管理</Link> › 成绩
			</p>
			<h1>{exam.title}</h1>
			{assigned ? (
				<p className="notice" role="status">
					考试已发布，已安排 {assigned} 人参加。
				</p>
			) : null}
			<dl className="facts card exam-facts">
				<dt>考试类型</dt>
				<dd>{exam.purpose}</dd>
				<dt>考试时间</dt>
				<dd>{exam.window}</dd>
				<dt>试卷规则</dt>
				<dd>
					<Link to={`/exam-templates/${exam.templateId}`}>{exam.templateTitle}</Link>（{exam.points} 分，{exam.passMark} 分及格，限时 {exam.timeLimitMinutes} 分钟
					{exam.switchLimit ? `，切屏 ${exam.switchLimit} 次自动交卷` : ''}）
				</dd>
				<dt>发布单位</dt>
				<dd>{exam.owner}</dd>
			</dl>
			<ul className="stats" aria-label="考试人数">
				<li>
					<span className="num">{summary.assigned}</span>应考
				</li>
				<li>
					<span className="num">{summary.taken}</span>已交卷
				</li>
				<li>
					<span className="num">{summary.passed}</span>合格
				</li>
				<li>
					<span className="num">{summary.inProgress}</span>答题中
				</li>
			</ul>
			<p>
				<a className="button secondary" href={`/exams/${exam.id}/export`} download>
					导出 Excel
				</a>
			</p>
			<p className="muted">切屏次数记录考生答题时离开考试页面的次数，供复核参考：手机来电、通知也会造成切屏。</p>
			<div className="table-scroll">
				<table className="data exam-results">
					<caption className="muted tpl-caption">考生成绩（共 {rows.length} 人；多次考试的取最高分）</caption>
					<thead>
						<tr>
							<th scope="col">姓名</th>
							<th scope="col">单位</th>
							<th scope="col">状态</th>
							<th scope="col">成绩</th>
							<th scope="col">是否合格</th>
							<th scope="col">用时</th>
							<th scope="col">切屏次数</th>
							<th scope="col">交卷方式</th>
							<th scope="col">考试次数</th>
							<th scope="col">交卷时间</th>
						</tr>
					</thead>
					<tbody>
						{rows.map((r) => (
							<tr key={r.personId}>
								<td>
									<Link to={`/people/${r.personId}`}>{r.name}</Link>
								</td>
								<td>{r.orgName}</td>
								<td>{r.status}</td>
								<td>{r.score === null ? '—' : `${r.score} / ${r.maxScore}`}</td>
								<td>{r.submitted || r.passed ? r.passed ? <span className="badge">合格</span> : <span className="badge warn">不合格</span> : '—'}</td>
								<td>{r.duration}</td>
								<td>{r.switchCount > 0 ? <span className="badge warn">{r.switchCount}</span> : r.switchCount}</td>
								<td>{r.submittedBy}</td>
								<td>{r.attemptsUsed}</td>
								<td>{r.submittedAt ?? '—'}</td>
							</tr>
						))}
						{rows.length === 0 ? (
							<tr>
								<td colSpan={10} className="muted">
									您管理范围内没有考生
								</td>
							</tr>
						) : null}
					</tbody>
				</table>
			</div>
		</>
	)
}
