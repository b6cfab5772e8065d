import { Link } from '@remix-run/react'
import type { PracticeSummary } from '#app/exams/practice.ts'

/** The daily-practice streak, today's answers and the 错题本, with links: for the worker's home. */
export function PracticeCard({ summary, title = '自我评测', showPracticeLink = true }: { summary: PracticeSummary; title?: string; showPracticeLink?: boolean }) {
	const { streakDays, todayAnswered, wrongCount } = summary
	const hint =
		todayAnswered > 0
			? '今天已练习，明天继续保持。'
			: streakDays > 0
				? `今天还没练习，答一道题即可保持连续 ${streakDays} 天。`
				: '每天练几道题，巩固本岗位安全知识。'
	return (
		<section className="card practice-card" aria-labelledby="practice-card-title">
			<h2 id="practice-card-title">{title}</h2>
			<ul className="stats practice-stats">
				<li>
					<span className="num">
						{streakDays}
						<small> 天</small>
					</span>
					连续练习
				</li>
				<li>
					<span className="num">
						{todayAnswered}
						<small> 题</small>
					</span>
					今日已答
				</li>
				<li>
					<span className="num">
						{wrongCount}
						<small> 题</small>
					</span>
					错题本
				</li>
			</ul>
			<p className="muted">{hint}</p>
			<p className="actions">
				{showPracticeLink ? (
					<Link className="button" to="/practice">
						去练习
					</Link>
				) : null}
				<Link className={showPracticeLink ? undefined : 'button secondary'} to="/practice/wrong">
					错题本（{wrongCount} 题）
				</Link>
			</p>
		</section>
	)
}
