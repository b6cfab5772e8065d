import { Link } from '@remix-run/react'
import type { Clearance } from '#app/records/clearance.ts'
import { ClearanceBadge, ClearanceReasons } from './clearance.tsx'

// The worker's own 上岗资格 and, for each reason, what they can do about it.

const HINTS: Record<string, string> = {
	exam: '请在下方「我的考试」中参加考试；没有考试时请联系本单位安全管理员安排。',
	exam_expired: '请参加年度复训考试；没有考试时请联系本单位安全管理员安排。',
	certificate: '请将特种作业操作证交本单位安全管理员登记。',
	certificate_expired: '请及时复审或换领操作证，并交安全管理员重新登记。',
	order: '请学完指定课程并参加补考，合格后恢复上岗资格。',
	rotation: '请参加本单位组织的轮训。',
	no_job: '请联系本单位安全管理员登记您的工种。',
}

export function MyClearance({ clearance }: { clearance: Clearance }) {
	const courses = clearance.reasons.filter((r) => r.kind === 'course' && r.courseId)
	const hints = [...new Set(clearance.reasons.map((r) => HINTS[r.kind]).filter(Boolean))]
	return (
		<section className="card" aria-labelledby="my-clearance">
			<h2 id="my-clearance">
				上岗资格 <ClearanceBadge clearance={clearance} />
			</h2>
			<ClearanceReasons clearance={clearance} />
			{courses.length || hints.length ? (
				<>
					<h3>下一步</h3>
					<ul className="plain">
						{courses.map((r) => (
							<li key={r.courseId}>
								<Link to={`/learn/${r.courseId}`}>继续学习{r.text.slice(0, r.text.indexOf('》') + 1)}</Link>
							</li>
						))}
						{hints.map((h) => (
							<li key={h}>{h}</li>
						))}
					</ul>
				</>
			) : null}
			<p>
				<Link to="/me/code">出示一人一码</Link>
			</p>
		</section>
	)
}
