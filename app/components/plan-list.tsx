import { Link } from '@remix-run/react'
import { ProgressBar } from './progress.tsx'

// A worker's training plans (培训计划) and what is left in each. Render it with what
// plansForPerson (app/records/plans.server.ts) returns:
//   <PlanList plans={plans} />

export type PlanListItem = {
	id: string
	title: string
	dueOn: string
	complete: boolean
	overdue: boolean
	courses: { id: string; title: string; done: number; lessons: number; complete: boolean }[]
	exam: { id: string; title: string; passed: boolean; attempts: number } | null
}

export function PlanList({ plans, title = '我的培训计划' }: { plans: PlanListItem[]; title?: string }) {
	return (
		<section className="card" aria-labelledby="my-plans">
			<h2 id="my-plans">{title}</h2>
			{plans.length ? (
				<ul className="plain exam-list">
					{plans.map((plan) => (
						<li key={plan.id}>
							<span>
								<strong>{plan.title}</strong>{' '}
								{plan.complete ? <span className="badge exam-pass">已完成</span> : plan.overdue ? <span className="badge warn">逾期</span> : null}
							</span>
							<span className="muted">完成期限 {plan.dueOn}</span>
							{plan.complete ? null : <PlanLeft plan={plan} />}
						</li>
					))}
				</ul>
			) : (
				<p className="muted">暂无培训计划。</p>
			)}
		</section>
	)
}

function PlanLeft({ plan }: { plan: PlanListItem }) {
	const courses = plan.courses.filter((c) => !c.complete)
	const exam = plan.exam && !plan.exam.passed ? plan.exam : null
	return (
		<ul className="plain-list" aria-label={`${plan.title} 还需完成`}>
			{courses.map((c) => (
				<li key={c.id}>
					学完课程 <Link to={`/learn/${c.id}`}>{c.title}</Link>
					<ProgressBar value={c.done} max={c.lessons} label={`${c.title} 已完成课时`} />
				</li>
			))}
			{exam ? (
				<li>
					考试合格：<Link to={`/exams/${exam.id}`}>{exam.title}</Link>
					{exam.attempts ? <span className="muted">（已考 {exam.attempts} 次，未合格）</span> : null}
				</li>
			) : null}
		</ul>
	)
}
