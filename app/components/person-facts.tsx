import { EMPLOYMENT_TYPES, PERSON_CATEGORIES, type EmploymentType, type PersonCategory } from '#app/people/labels.ts'

type Person = {
	orgName: string
	position: string
	category: PersonCategory
	employmentType: EmploymentType
	phoneMasked: string
	idNumberMasked: string | null
	hiredOn: string | null
	jobTypes: { code: string; name: string }[]
}

/** A person's identity as shown on screen: phone and 身份证号 always masked. */
export function PersonFacts({ person }: { person: Person }) {
	return (
		<dl className="facts">
			<dt>单位</dt>
			<dd>{person.orgName}</dd>
			<dt>职务/岗位</dt>
			<dd>{person.position || '—'}</dd>
			<dt>人员类别</dt>
			<dd>{PERSON_CATEGORIES[person.category]}</dd>
			<dt>用工形式</dt>
			<dd>{EMPLOYMENT_TYPES[person.employmentType]}</dd>
			<dt>工种</dt>
			<dd>{person.jobTypes.map((j) => j.name).join('、') || '—'}</dd>
			<dt>手机号</dt>
			<dd>{person.phoneMasked || '—'}</dd>
			<dt>身份证号</dt>
			<dd>{person.idNumberMasked ?? '未登记'}</dd>
			<dt>入职日期</dt>
			<dd>{person.hiredOn ?? '—'}</dd>
		</dl>
	)
}
