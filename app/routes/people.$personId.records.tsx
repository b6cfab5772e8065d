import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { requirePersonInScope } from '#app/auth/auth.server.ts'
import { canManagePeopleOf } from '#app/auth/scope.ts'
import { PART_LABELS } from '#app/bank/question.ts'
import { TextField } from '#app/components/forms.tsx'
import { EXAM_PURPOSES } from '#app/exams/labels.ts'
import { personDetail } from '#app/people/people.server.ts'
import { OFFLINE_KINDS } from '#app/records/offline.ts'
import { isCalendarDay } from '#app/records/plans-form.ts'
import { hoursByYear, RECORD_TYPES } from '#app/records/register.ts'
import { trainingRecordsOf } from '#app/records/register.server.ts'
import { db } from '#app/utils/db.server.ts'
import { addDays } from '#app/utils/days.ts'

export const meta: MetaFunction = () => [{ title: '培训档案 · 安全生产培训考试平台' }]

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { user, person } = await requirePersonInScope(request, params.personId!)
	const untilDay = new URL(request.url).searchParams.get('until') ?? ''
	const validUntil = isCalendarDay(untilDay) ? untilDay : null
	// "As of a day": everything up to the end of that day in China.
	const until = validUntil ? new Date(new Date(`${addDays(validUntil, 1)}T00:00:00+08:00`).getTime() - 1) : undefined
	const [detail, records] = await Promise.all([personDetail(db, person.id), trainingRecordsOf(db, person.id, { until })])
	return {
		person: { id: person.id, name: detail!.name, orgName: detail!.orgName },
		until: validUntil,
		untilError: untilDay && !validUntil ? '日期格式应为 2026-06-01' : undefined,
		canOpenTrainings: canManagePeopleOf(user, person.orgPath),
		years: hoursByYear(records),
		records: records.map((r) => {
			const base = { key: `${r.type}-${r.type === 'course' ? r.courseId : r.type === 'exam' ? r.attemptId : r.trainingId}`, day: r.day, type: RECORD_TYPES[r.type] }
			if (r.type === 'course')
				return { ...base, what: `${r.title}（${PART_LABELS[r.part]}，${r.lessons} 课时）`, hours: r.hours.toFixed(1), result: '已学完', by: r.planTitle ? `${r.assignedBy ?? '—'}（培训计划：${r.planTitle}）` : '—', trainingId: null }
			if (r.type === 'exam')
				return { ...base, what: `${r.title}（${EXAM_PURPOSES[r.purpose]}）`, hours: '—', result: `${r.score}/${r.maxScore} 分 · ${r.passed ? '合格' : '不合格'}`, by: r.assignedBy ?? '—', trainingId: null }
			return { ...base, type: `${base.type} · ${OFFLINE_KINDS[r.kind]}`, what: `${r.topic}${r.trainer ? `（授课：${r.trainer}）` : ''}`, hours: r.hours.toFixed(1), result: '已参加', by: r.recordedBy ?? '—', trainingId: r.trainingId }
		}),
	}
}

export default function PersonRecords() {
	const { person, until, untilError, canOpenTrainings, years, records } = useLoaderData<typeof loader>()
	return (
		<>
			<p className="muted">
				<Link to={`/people/${person.id}`}>{person.name}</Link> › 培训档案
			</p>
			<h1>{person.name} 的培训档案</h1>
			<p className="muted">
				{person.orgName} · 登记在册的课程学习、考试和线下培训{until ? `，截至 ${until}` : ''}，最新的在前。
			</p>
			<Form method="get" className="actions">
				<TextField name="until" label="截至日期（查看某天为止的记录）" type="date" defaultValue={until ?? ''} error={untilError} />
				<button type="submit" className="button secondary">
					查看
				</button>
				{until ? <Link to=".">全部记录</Link> : null}
			</Form>
			{years.length ? (
				<ul className="plain" aria-label="各年学时">
					{years.map((y) => (
						<li key={y.year}>
							{y.year} 年：{y.hours.toFixed(1)} 学时
						</li>
					))}
				</ul>
			) : null}
			<div className="table-scroll">
				<table className="data">
					<caption className="muted" style={{ textAlign: 'left', padding: '0.5rem' }}>
						培训记录（共 {records.length} 条）
					</caption>
					<thead>
						<tr>
							<th scope="col">日期</th>
							<th scope="col">类别</th>
							<th scope="col">内容</th>
							<th scope="col">学时</th>
							<th scope="col">结果</th>
							<th scope="col">安排/记录人</th>
						</tr>
					</thead>
					<tbody>
						{records.map((r) => (
							<tr key={r.key}>
								<td>{r.day}</td>
								<td>{r.type}</td>
								<td className="stem-cell">{r.trainingId && canOpenTrainings ? <Link to={`/trainings/${r.trainingId}`}>{r.what}</Link> : r.what}</td>
								<td>{r.hours}</td>
								<td>{r.result}</td>
								<td>{r.by}</td>
							</tr>
						))}
						{records.length === 0 ? (
							<tr>
								<td colSpan={6} className="muted">
									暂无培训记录
								</td>
							</tr>
						) : null}
					</tbody>
				</table>
			</div>
		</>
	)
}
