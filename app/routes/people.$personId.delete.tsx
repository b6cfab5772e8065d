import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { forbidden, requirePersonInScope } from '#app/auth/auth.server.ts'
import { FormError, SubmitButton } from '#app/components/forms.tsx'
import { anonymisePerson, retentionIfDeleted } from '#app/people/anonymise.server.ts'
import { PERSON_CATEGORIES } from '#app/people/labels.ts'
import { personDetail } from '#app/people/people.server.ts'
import { db } from '#app/utils/db.server.ts'
import { parseForm } from '#app/utils/forms.ts'

// 删除人员: the enterprise's admins and system admins, after a confirm step. The person is
// anonymised, never deleted: their training records stay (see app/people/anonymise.server.ts).

export const meta: MetaFunction = () => [{ title: '删除人员 · 安全生产培训考试平台' }]

async function requireDeleter(request: Request, personId: string) {
	const { user, person } = await requirePersonInScope(request, personId, { manage: true })
	if (person.id === user.id) throw forbidden('不能删除自己的账号')
	return { user, person }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { person } = await requireDeleter(request, params.personId!)
	const detail = (await personDetail(db, person.id))!
	return {
		personId: person.id,
		name: detail.name,
		orgName: detail.orgName,
		category: PERSON_CATEGORIES[detail.category],
		retainedUntil: await retentionIfDeleted(db, { id: person.id, category: detail.category }),
	}
}

const confirmSchema = z.object({ confirm: z.literal('yes', { error: '请勾选确认后再删除' }) })

export async function action({ request, params }: ActionFunctionArgs) {
	const { user, person } = await requireDeleter(request, params.personId!)
	const parsed = parseForm(confirmSchema, await request.formData())
	if (!parsed.ok) return data(parsed, { status: 400 })
	await anonymisePerson(db, user, person.id)
	throw redirect(`/people/${person.id}`)
}

export default function DeletePerson() {
	const { personId, name, orgName, category, retainedUntil } = useLoaderData<typeof loader>()
	const result = useActionData<typeof action>()
	return (
		<>
			<h1>删除人员：{name}</h1>
			<section className="card" aria-labelledby="what-title">
				<h2 id="what-title">删除后</h2>
				<ul>
					<li>
						{orgName}的{name}（{category}）从花名册和在岗人数中移除，不能再登录，所有登录和角色随即失效。
					</li>
					<li>姓名、手机号、身份证号和密码被清除，证书和特种作业操作证上的姓名、证号一并隐去。</li>
					<li>
						学时、考试、证书、线下培训、三违等培训记录<strong>保留至 {retainedUntil}</strong>，只读，任何人不能修改或删除；一人一档显示为“已注销”。
					</li>
					<li>删除不能撤销。</li>
				</ul>
				<p className="muted">保存期限：特种作业人员 6 年；主要负责人、安全管理人员 3 年（省三项岗位人员网络培训规定）；其他人员 3 年（本平台规定）。</p>
			</section>
			<Form method="post">
				<FormError error={result?.errors.form} />
				<div className="field">
					<label>
						<input type="checkbox" name="confirm" value="yes" aria-describedby={result?.errors.confirm ? 'confirm-error' : undefined} /> 我已确认删除该人员，并了解以上后果
					</label>
					{result?.errors.confirm ? (
						<p className="field-error" id="confirm-error" role="alert">
							{result.errors.confirm}
						</p>
					) : null}
				</div>
				<div className="actions">
					<SubmitButton pendingText="正在删除…">删除人员</SubmitButton>
					<Link to={`/people/${personId}`}>取消</Link>
				</div>
			</Form>
		</>
	)
}
