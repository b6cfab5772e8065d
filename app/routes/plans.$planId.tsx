import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData, useSearchParams } from '@remix-run/react'
import { notFound } from '#app/auth/auth.server.ts'
import { PART_LABELS } from '#app/bank/question.ts'
import { formatChinaTime } from '#app/exams/exam-form.ts'
import { PERSON_CATEGORIES } from '#app/people/labels.ts'
import { planDetail } from '#app/records/plans.server.ts'
import { requireTrainingManager } from '#app/records/plans-scope.server.ts'
import { db } from '#app/utils/db.server.ts'

export const meta: MetaFunction = () => [{ title: '培训计划 · 安全生产培训考试平台' }]

const STATUS_FILTERS = { all: '全部', overdue: '逾期', open: '未完成', complete: '已完成' } as const
type StatusFilter = keyof typeof STATUS_FILTERS

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { scope } = await requireTrainingManager(request)
	const detail = await planDetail(db, scope, params.planId!)
	if (!detail) throw notFound()
	const { plan, jobTypeNames, courses, exam, members } = detail
	const status = new URL(request.url).searchParams.get('status')
	const filter: StatusFilter = status && status in STATUS_FILTERS ? (status as StatusFilter) : 'all'
	const shown = members.filter((m) => (filter === 'overdue' ? m.overdue : filter === 'open' ? !m.complete : filter === 'complete' ? m.complete : true))
	return {
		plan: {
			id: plan.id,
			title: plan.title,
			orgName: plan.orgName,
			dueOn: plan.dueOn,
			createdAt: formatChinaTime(plan.createdAt),
			createdByName: plan.createdByName,
			who: plan.jobTypes.length || plan.categories.length
				? [jobTypeNames.length ? `工种：${jobTypeNames.join('、')}` : null, plan.categories.length ? `人员类别：${plan.categories.map((c) => PERSON_CATEGORIES[c]).join('、')}` : null].filter(Boolean).join('；')
				: '按名单',
		},
		courses,
		exam: exam ? { id: exam.id, title: exam.title, window: `${formatChinaTime(exam.opensAt)} 至 ${formatChinaTime(exam.closesAt)}`, passMark: exam.passMark } : null,
		counts: {
			members: members.length,
			complete: members.filter((m) => m.complete).length,
			overdue: members.filter((m) => m.overdue).length,
			examPassed: exam ? members.filter((m) => m.exam?.passed).length : null,
		},
		filter,
		members: shown.map((m) => ({
			personId: m.personId,
			name: m.name,
			position: m.position || PERSON_CATEGORIES[m.category],
			courses: `${m.coursesDone}/${m.courseCount}`,
			exam: m.exam ? (m.exam.attempts ? `${m.exam.passed ? '合格' : '未合格'} · 最高 ${m.exam.bestScore ?? 0}/${m.exam.maxScore} 分` : '未参加') : '—',
			complete: m.complete,
			overdue: m.overdue,
		})),
	}
}

export default function PlanPage() {
	const { plan, courses, exam, counts, filter, members } = useLoaderData<typeof loader>()
	const [params] = useSearchParams()
	const added = params.get('members')
	return (
		<>
			<p className="muted">
				<Link to="/plans">培训计划</Link> › {plan.title}
			</p>
			<h1>{plan.title}</h1>
			{added !== null ? (
				<p className="badge" role="status">
					计划已保存，{added} 人加入
				</p>
			) : null}
			<section className="card" aria-label="计划内容">
				<dl className="facts">
					<dt>单位</dt>
					<dd>{plan.orgName}</dd>
					<dt>完成期限</dt>
					<dd>{plan.dueOn}</dd>
					<dt>培训对象</dt>
					<dd>{plan.who}</dd>
					<dt>课程</dt>
					<dd>
						{courses.length ? (
							<ul className="plain-list">
								{courses.map((c) => (
									<li key={c.id}>
										{c.title} <span className="badge">{PART_LABELS[c.part]}</span> <span className="muted">{c.lessons} 课时</span>
									</li>
								))}
							</ul>
						) : (
							'—'
						)}
					</dd>
					<dt>考试</dt>
					<dd>
						{exam ? (
							<>
								<Link to={`/exams/${exam.id}/results`}>{exam.title}</Link>
								<span className="muted">
									{' '}
									· {exam.window} · {exam.passMark} 分及格
								</span>
							</>
						) : (
							'—'
						)}
					</dd>
					<dt>制定人</dt>
					<dd>
						{plan.createdByName ?? '—'} · {plan.createdAt}
					</dd>
				</dl>
			</section>
			<p>
				共 {counts.members} 人，全部完成 {counts.complete} 人{counts.examPassed !== null ? `，考试合格 ${counts.examPassed} 人` : ''}，逾期{' '}
				{counts.overdue ? <span className="badge warn">{counts.overdue} 人</span> : '0 人'}。
			</p>
			<nav className="actions" aria-label="按完成情况筛选">
				{Object.entries(STATUS_FILTERS).map(([key, label]) =>
					key === filter ? (
						<strong key={key}>{label}</strong>
					) : (
						<Link key={key} to={key === 'all' ? '?' : `?status=${key}`}>
							{label}
						</Link>
					),
				)}
			</nav>
			<div className="table-scroll">
				<table className="data">
					<caption className="muted" style={{ textAlign: 'left', padding: '0.5rem' }}>
						参加人员（{members.length} 人）
					</caption>
					<thead>
						<tr>
							<th scope="col">姓名</th>
							<th scope="col">岗位</th>
							<th scope="col">课程完成</th>
							<th scope="col">考试</th>
							<th scope="col">状态</th>
						</tr>
					</thead>
					<tbody>
						{members.map((m) => (
							<tr key={m.personId}>
								<td>
									<Link to={`/people/${m.personId}/records`}>{m.name}</Link>
								</td>
								<td>{m.position}</td>
								<td>{m.courses}</td>
								<td>{m.exam}</td>
								<td>{m.complete ? <span className="badge exam-pass">已完成</span> : m.overdue ? <span className="badge warn">逾期</span> : '进行中'}</td>
							</tr>
						))}
						{members.length === 0 ? (
							<tr>
								<td colSpan={5} className="muted">
									没有符合条件的人员
								</td>
							</tr>
						) : null}
					</tbody>
				</table>
			</div>
		</>
	)
}
