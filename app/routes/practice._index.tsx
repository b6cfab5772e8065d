import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { requireUser } from '#app/auth/auth.server.ts'
import { PracticeCard } from '#app/components/practice-card.tsx'
import { practiceUrl } from '#app/exams/practice.ts'
import { practiceChoices, practiceSummary } from '#app/exams/practice.server.ts'
import { db } from '#app/utils/db.server.ts'

export const meta: MetaFunction = () => [{ title: '自我评测 · 安全生产培训考试平台' }]

// 自我评测: choose 通用知识 or the 专业知识 of one of one's own job types, in order or at random.

export async function loader({ request }: LoaderFunctionArgs) {
	const user = await requireUser(request)
	const [choices, summary] = await Promise.all([practiceChoices(db, user.id), practiceSummary(user.id)])
	return {
		summary,
		choices: choices.map((c) => ({
			...c,
			key: c.job ?? c.part,
			seq: practiceUrl({ set: 'bank', part: c.part, job: c.job, order: 'seq' }),
			random: practiceUrl({ set: 'bank', part: c.part, job: c.job, order: 'random' }),
		})),
		noJobs: choices.length === 1,
	}
}

export default function PracticeHome() {
	const { summary, choices, noJobs } = useLoaderData<typeof loader>()
	return (
		<>
			<h1>自我评测</h1>
			<p className="muted">按本人工种练习，答完一题立即看到对错和解析，不限时间。答错的题目会进入错题本。</p>
			<section className="card" aria-labelledby="practice-choose">
				<h2 id="practice-choose">选择练习内容</h2>
				<ul className="plain practice-choices">
					{choices.map((c) => (
						<li key={c.key}>
							<span className="practice-choice-title" id={`choice-${c.key}`}>
								{c.label} <span className="muted">共 {c.count} 题</span>
							</span>
							{c.count > 0 ? (
								<span className="actions">
									<Link className="button" to={c.seq} aria-describedby={`choice-${c.key}`}>
										顺序练习
									</Link>
									<Link className="button secondary" to={c.random} aria-describedby={`choice-${c.key}`}>
										随机练习
									</Link>
								</span>
							) : (
								<span className="muted">暂无题目</span>
							)}
						</li>
					))}
				</ul>
				{noJobs ? <p className="muted">您尚未登记工种，只能练习通用知识。请联系本单位安全管理员登记工种。</p> : null}
			</section>
			<PracticeCard summary={summary} title="我的练习" showPracticeLink={false} />
		</>
	)
}
