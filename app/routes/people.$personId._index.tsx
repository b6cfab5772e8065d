import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { requirePersonInScope } from '#app/auth/auth.server.ts'
import { canManagePeopleOf } from '#app/auth/scope.ts'
import { PersonFacts } from '#app/components/person-facts.tsx'
import { ROLE_NAMES } from '#app/people/labels.ts'
import { personDetail } from '#app/people/people.server.ts'
import { db } from '#app/utils/db.server.ts'

export const meta: MetaFunction = () => [{ title: '人员详情 · 安全生产培训考试平台' }]

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { user, person } = await requirePersonInScope(request, params.personId!)
	const detail = await personDetail(db, person.id)
	return { person: detail!, canManage: canManagePeopleOf(user, person.orgPath) }
}

export default function PersonPage() {
	const { person, canManage } = useLoaderData<typeof loader>()
	return (
		<>
			<h1>{person.name}</h1>
			<section className="card" aria-label="基本信息">
				<PersonFacts person={person} />
				<p className="muted">
					登录账号：{person.hasAccount ? (person.mustChangePassword ? '已开通（待本人修改初始密码）' : '已开通') : '未开通'}
					{person.roles.length ? ` · 角色：${person.roles.map((r) => ROLE_NAMES[r]).join('、')}` : ''}
				</p>
			</section>
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
				</div>
			) : null}
		</>
	)
}
