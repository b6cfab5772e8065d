import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { notFound, requirePersonInScope, requireUser } from '#app/auth/auth.server.ts'
import { hasRole } from '#app/auth/scope.ts'
import { ClearanceBadge, ClearanceReasons } from '#app/components/clearance.tsx'
import { EMPLOYMENT_TYPES, PERSON_CATEGORIES } from '#app/people/labels.ts'
import { personDetail } from '#app/people/people.server.ts'
import { clearanceOfPerson } from '#app/records/clearance.server.ts'
import { checkPersonCode } from '#app/records/person-code.server.ts'
import { db } from '#app/utils/db.server.ts'
import { formatDateTimeSeconds } from '#app/components/exam/format.ts'

export const meta: MetaFunction = () => [{ title: '扫码查验 · 安全生产培训考试平台' }]

// An inspector or the enterprise's gate scans a worker's 一人一码: after signing in, and only
// for people within their scope, they see the person's clearance at this moment.

export async function loader({ request, params }: LoaderFunctionArgs) {
	const user = await requireUser(request)
	if (!hasRole(user, 'system_admin', 'regulator', 'enterprise_admin')) throw notFound()
	const code = checkPersonCode(params.token ?? '')
	if (!code.ok) return { ok: false as const, problem: code.problem }
	const { person } = await requirePersonInScope(request, code.personId)
	const [detail, clearance] = await Promise.all([personDetail(db, person.id), clearanceOfPerson(person.id)])
	const { name, orgName, category, employmentType, idNumberMasked, jobTypes } = detail!
	return { ok: true as const, checkedAt: new Date().toISOString(), person: { id: person.id, name, orgName, category, employmentType, idNumberMasked, jobTypes: jobTypes.map((j) => j.name) }, clearance: clearance! }
}

export default function CheckPersonCode() {
	const result = useLoaderData<typeof loader>()
	if (!result.ok) {
		return (
			<>
				<h1>扫码查验</h1>
				<p className="notice" role="alert">
					{result.problem === 'expired' ? '二维码已过期，请本人在手机上重新打开「一人一码」后再扫。' : '二维码无效，请确认扫描的是本平台的一人一码。'}
				</p>
			</>
		)
	}
	const { person, clearance, checkedAt } = result
	return (
		<>
			<h1>扫码查验</h1>
			<section className="card" aria-labelledby="checked-person">
				<h2 id="checked-person">
					{person.name} <ClearanceBadge clearance={clearance} />
				</h2>
				<ClearanceReasons clearance={clearance} />
				<dl className="facts">
					<dt>单位</dt>
					<dd>{person.orgName}</dd>
					<dt>工种</dt>
					<dd>{person.jobTypes.join('、') || '—'}</dd>
					<dt>人员类别</dt>
					<dd>{PERSON_CATEGORIES[person.category]}</dd>
					<dt>用工形式</dt>
					<dd>{EMPLOYMENT_TYPES[person.employmentType]}</dd>
					<dt>身份证号</dt>
					<dd>{person.idNumberMasked ?? '未登记'}</dd>
				</dl>
				<p className="muted">查验时间：{formatDateTimeSeconds(checkedAt)}</p>
				<Link to={`/people/${person.id}`}>查看人员详情</Link>
			</section>
		</>
	)
}
