import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData, useSearchParams } from '@remix-run/react'
import { requirePersonInScope } from '#app/auth/auth.server.ts'
import { canManagePeopleOf, canRecordViolationsOf } from '#app/auth/scope.ts'
import { ClearanceBadge, ClearanceReasons } from '#app/components/clearance.tsx'
import { Notice } from '#app/components/headcount.tsx'
import { PersonFacts } from '#app/components/person-facts.tsx'
import { clearanceOfPerson } from '#app/records/clearance.server.ts'
import { operationCertificatesOf } from '#app/records/operation-certificates.server.ts'
import { ordersOf, violationsOf } from '#app/records/orders.server.ts'
import { VIOLATION_KINDS } from '#app/records/violation-form.ts'
import { ROLE_NAMES } from '#app/people/labels.ts'
import { personDetail } from '#app/people/people.server.ts'
import { db } from '#app/utils/db.server.ts'
import { chinaDay } from '#app/utils/days.ts'

export const meta: MetaFunction = () => [{ title: '人员详情 · 安全生产培训考试平台' }]

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { user, person } = await requirePersonInScope(request, params.personId!)
	const today = chinaDay(new Date())
	// 上岗资格 on a past day, from the records as they stood then (?asOf=2026-06-01).
	const asked = new URL(request.url).searchParams.get('asOf') ?? ''
	const asOf = /^\d{4}-\d{2}-\d{2}$/.test(asked) && asked <= today ? asked : today
	const [detail, clearance, licences, violations, orders] = await Promise.all([
		personDetail(db, person.id),
		clearanceOfPerson(person.id, asOf),
		operationCertificatesOf(db, person.id),
		violationsOf(db, person.id),
		ordersOf(db, person.id),
	])
	return {
		person: detail!,
		asOf,
		today,
		clearance: clearance!,
		licences,
		violations,
		orders,
		canManage: canManagePeopleOf(user, person.orgPath) && !person.anonymisedAt,
		canRecordViolations: canRecordViolationsOf(user, person.orgPath) && !person.anonymisedAt,
		canDelete: canManagePeopleOf(user, person.orgPath) && !person.anonymisedAt && person.id !== user.id,
	}
}

export default function PersonPage() {
	const { person, asOf, today, clearance, licences, violations, orders, canManage, canRecordViolations, canDelete } = useLoaderData<typeof loader>()
	const [params] = useSearchParams()
	const special = person.jobTypes.some((j) => j.specialOperation)
	return (
		<>
			<h1>{person.name}</h1>
			<Notice code={params.get('notice')} />
			{person.anonymisedAt ? (
				<p className="notice" role="status">
					已注销：该人员于 {chinaDay(new Date(person.anonymisedAt))} 删除，身份信息已清除；培训记录保存至 {person.recordsRetainedUntil}，只读。
				</p>
			) : null}
			<section className="card" aria-labelledby="clearance-title">
				<h2 id="clearance-title">
					上岗资格{asOf === today ? '' : `（${asOf}）`} <ClearanceBadge clearance={clearance} />
				</h2>
				<ClearanceReasons clearance={clearance} />
				<Form method="get" className="inline-form">
					<label htmlFor="asOf">查询某日的上岗资格</label>
					<input id="asOf" name="asOf" type="date" max={today} defaultValue={asOf} />
					<button type="submit" className="button secondary">
						查询
					</button>
				</Form>
			</section>
			<section className="card" aria-label="基本信息">
				<PersonFacts person={person} />
				<p className="muted">
					登录账号：{person.hasAccount ? (person.mustChangePassword ? '已开通（待本人修改初始密码）' : '已开通') : '未开通'}
					{person.roles.length ? ` · 角色：${person.roles.map((r) => ROLE_NAMES[r]).join('、')}` : ''}
				</p>
			</section>
			{special || licences.length ? (
				<section aria-labelledby="licences-title">
					<h2 id="licences-title">特种作业操作证</h2>
					{licences.length ? (
						<ul className="plain-list">
							{licences.map((l) => (
								<li key={l.id}>
									{l.certificateName ?? '特种作业操作证'}（{l.jobTypeName}） {l.number} · 有效期至 {l.validUntil}
									{l.validUntil < today ? <span className="badge exam-status-failed">已过期</span> : null}
								</li>
							))}
						</ul>
					) : (
						<p className="muted">尚未登记。</p>
					)}
					{canManage ? <Link to="operation-certificates">登记操作证</Link> : null}
				</section>
			) : null}
			<section aria-labelledby="violations-title">
				<h2 id="violations-title">三违记录与脱产培训</h2>
				{violations.length ? (
					<ul className="plain-list">
						{violations.map((v) => (
							<li key={v.id}>
								{v.occurredOn} {VIOLATION_KINDS[v.kind]} · {v.place}：{v.description}
								{v.recordedBy ? <span className="muted">（{v.recordedBy} 记录）</span> : null}
							</li>
						))}
					</ul>
				) : (
					<p className="muted">无三违记录。</p>
				)}
				{orders.length ? (
					<ul className="plain-list" aria-label="脱产培训责令">
						{orders.map((o) => (
							<li key={o.id}>
								{chinaDay(new Date(o.openedAt))} 因{o.reason}责令脱产培训：{o.courseTitle ? `学习《${o.courseTitle}》，` : ''}
								补考「{o.examTitle}」
								{o.closedAt ? <span className="badge exam-status-passed">已于 {chinaDay(new Date(o.closedAt))} 完成</span> : <span className="badge exam-status-failed">未完成</span>}
							</li>
						))}
					</ul>
				) : null}
				{canRecordViolations ? <Link to="violations">记录三违</Link> : null}
			</section>
			<p>
				<Link to="records">培训档案（登记在册）</Link>
			</p>
			<p className="actions">
				<a className="button secondary" href={`/people/${person.id}/file.pdf`}>
					一人一档 PDF
				</a>
				<a className="button secondary" href={`/people/${person.id}/file.xlsx`}>
					一人一档 Excel
				</a>
			</p>
			{canManage ? (
				<div className="actions">
					<Link className="button" to="edit">
						编辑
					</Link>
					<Form method="post" action="password">
						<button type="submit" className="button secondary">
							{person.hasAccount ? '重置密码' : '开通账号'}
						</button>
					</Form>
					{canDelete ? (
						<Link className="button secondary" to="delete">
							删除人员
						</Link>
					) : null}
				</div>
			) : null}
		</>
	)
}
