import { EMPLOYMENT_TYPES, PERSON_CATEGORIES, type EmploymentType, type PersonCategory } from '#app/people/labels.ts'

type Counts = {
	total: number
	byCategory: Partial<Record<PersonCategory, number>>
	byEmployment: Partial<Record<EmploymentType, number>>
}

/** Head counts with contractors, dispatched and flexible workers shown on their own. */
export function Headcount({ counts }: { counts: Counts }) {
	return (
		<>
			<ul className="stats" aria-label="人数">
				<li>
					<span className="num">{counts.total}</span>在册人员
				</li>
				{(Object.keys(EMPLOYMENT_TYPES) as EmploymentType[]).map((key) => (
					<li key={key}>
						<span className="num">{counts.byEmployment[key] ?? 0}</span>
						{EMPLOYMENT_TYPES[key]}
					</li>
				))}
			</ul>
			<h2>按人员类别</h2>
			<ul className="plain">
				{(Object.keys(PERSON_CATEGORIES) as PersonCategory[]).map((key) => (
					<li key={key}>
						{PERSON_CATEGORIES[key]}：{counts.byCategory[key] ?? 0} 人
					</li>
				))}
			</ul>
		</>
	)
}

// One-line confirmations after a redirect (?notice=<code>).
const NOTICES: Record<string, string> = {
	'password-changed': '密码已修改，其他设备上的登录已退出。',
	'violation-recorded': '已记录三违，并责令脱产培训；完成课程并补考合格后恢复上岗资格。',
	'certificate-recorded': '已登记特种作业操作证。',
}

export function Notice({ code }: { code: string | null }) {
	const text = code ? (NOTICES[code] ?? null) : null
	return text ? (
		<p className="notice" role="status">
			{text}
		</p>
	) : null
}
