import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData, useSearchParams } from '@remix-run/react'
import { requireUser } from '#app/auth/auth.server.ts'
import { Notice } from '#app/components/headcount.tsx'
import { PersonFacts } from '#app/components/person-facts.tsx'
import { personDetail } from '#app/people/people.server.ts'
import { requiredCourses } from '#app/courses/learning.server.ts'
import { PART_LABELS } from '#app/bank/question.ts'
import { ProgressBar } from '#app/components/progress.tsx'
import { db } from '#app/utils/db.server.ts'
import { formatDateTime, MY_EXAM_STATUS } from '#app/components/exam/format.ts'
import { EXAM_PURPOSES } from '#app/exams/labels.ts'
import { myExams } from '#app/exams/taking.server.ts'
import { practiceSummary } from '#app/exams/practice.server.ts'
import { PracticeCard } from '#app/components/practice-card.tsx'
import { MyClearance } from '#app/components/next-steps.tsx'
import { clearanceOfPerson } from '#app/records/clearance.server.ts'
import { plansForPerson } from '#app/records/plans.server.ts'
import { PlanList } from '#app/components/plan-list.tsx'
import { certificatesOfPerson } from '#app/certificates/certificates.server.ts'
import { CERTIFICATE_STATUS } from '#app/certificates/certificate.ts'

export const meta: MetaFunction = () => [{ title: '我的 · 安全生产培训考试平台' }]

export async function loader({ request }: LoaderFunctionArgs) {
	const user = await requireUser(request)
	const person = await personDetail(db, user.id)
	if (!person) throw new Response('没有找到您的人员信息', { status: 404 })
	const [exams, courses, practice, clearance, plans, certificates] = await Promise.all([
		myExams(db, user.id),
		requiredCourses(db, user.id),
		practiceSummary(user.id),
		clearanceOfPerson(user.id),
		plansForPerson(db, user.id),
		certificatesOfPerson(db, user.id),
	])
	return { person, exams, courses, practice, clearance: clearance!, plans, certificates }
}

export default function WorkerHome() {
	const { person, exams, courses, practice, clearance, plans, certificates } = useLoaderData<typeof loader>()
	const [params] = useSearchParams()
	return (
		<>
			<h1>{person.name}，您好</h1>
			<Notice code={params.get('notice')} />
			<MyClearance clearance={clearance} />
			{plans.length ? <PlanList plans={plans} /> : null}
			<section className="card" aria-labelledby="my-jobs">
				<h2 id="my-jobs">我的岗位</h2>
				{person.jobTypes.length ? (
					<ul className="plain">
						{person.jobTypes.map((j) => (
							<li key={j.code}>
								{j.name}
								{j.certificateName ? <span className="badge warn"> 须持{j.certificateName}上岗</span> : null}
							</li>
						))}
					</ul>
				) : (
					<p className="muted">尚未登记工种，请联系本单位安全管理员。</p>
				)}
				<p className="muted">按规定，从业人员须经本岗位安全培训并考试合格后方可上岗。</p>
			</section>
			<section className="card" aria-labelledby="my-exams">
				<h2 id="my-exams">我的考试</h2>
				{exams.length ? (
					<ul className="plain exam-list">
						{exams.map((e) => (
							<li key={e.id}>
								<span>
									<Link to={`/exams/${e.id}`}>{e.title}</Link> <span className="badge">{EXAM_PURPOSES[e.purpose]}</span>{' '}
									<span className={`badge exam-status-${e.status}`}>{MY_EXAM_STATUS[e.status]}</span>
								</span>
								<span className="muted">
									{e.status === 'not_open' ? `${formatDateTime(e.opensAt)} 开考` : `截止 ${formatDateTime(e.closesAt)}`} · 已考 {e.attemptsUsed}/{e.attemptsAllowed} 次
									{e.score !== null ? ` · 最近成绩 ${e.score}/${e.maxScore} 分` : ''}
								</span>
								<span className="actions">
									{e.openAttemptId ? (
										<Link className="button" to={`/attempts/${e.openAttemptId}`}>
											继续考试
										</Link>
									) : e.canStart ? (
										<Link className="button" to={`/exams/${e.id}`}>
											{e.attemptsUsed ? '再考一次' : '开始考试'}
										</Link>
									) : null}
									{e.latestResultId ? <Link to={`/attempts/${e.latestResultId}/result`}>查看成绩</Link> : null}
								</span>
							</li>
						))}
					</ul>
				) : (
					<p className="muted">暂无考试。</p>
				)}
			</section>
			<section className="card" aria-labelledby="my-courses">
				<h2 id="my-courses">我的课程</h2>
				{courses.length ? (
					<ul className="plain course-list">
						{courses.map((c) => (
							<li key={c.id}>
								<span>
									<Link to={`/learn/${c.id}`}>{c.title}</Link> <span className="badge">{PART_LABELS[c.part]}</span>
									{c.complete ? <span className="badge">已完成</span> : null}
								</span>
								<ProgressBar value={c.done} max={c.lessons} label={`${c.title} 已完成课时`} />
								<span className="muted">
									学时 {c.studiedMinutes}/{c.requiredMinutes} 分钟
								</span>
							</li>
						))}
					</ul>
				) : (
					<p className="muted">暂无需要学习的课程。</p>
				)}
			</section>
			{certificates.length ? (
				<section className="card" aria-labelledby="my-certificates">
					<h2 id="my-certificates">我的证书</h2>
					<ul className="plain-list">
						{certificates.map((c) => (
							<li key={c.id}>
								<Link to={`/certificates/${c.id}`}>{c.title}</Link> <span className={`badge certificate-${c.status}`}>{CERTIFICATE_STATUS[c.status]}</span>
								<span className="muted block">
									{c.serial} · {c.issuedOn} 发证{c.expiresOn ? ` · 有效期至 ${c.expiresOn}` : ''}
								</span>
							</li>
						))}
					</ul>
				</section>
			) : null}
			<PracticeCard summary={practice} />
			<section className="card" aria-labelledby="my-info">
				<h2 id="my-info">我的信息</h2>
				<PersonFacts person={person} />
			</section>
		</>
	)
}
