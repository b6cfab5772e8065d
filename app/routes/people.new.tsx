import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { requireRole } from '#app/auth/auth.server.ts'
import { PersonForm } from '#app/components/person-form.tsx'
import { personFormSchema } from '#app/people/person-form.ts'
import { personFormOptions } from '#app/people/person-form.server.ts'
import { savePerson } from '#app/people/save-person.server.ts'
import { failure, formValues, parseForm } from '#app/utils/forms.ts'

export const meta: MetaFunction = () => [{ title: '新增人员 · 安全生产培训考试平台' }]

export async function loader({ request }: LoaderFunctionArgs) {
	const user = await requireRole(request, 'system_admin', 'enterprise_admin')
	const orgId = new URL(request.url).searchParams.get('orgId') ?? ''
	return { options: await personFormOptions(user), orgId }
}

export async function action({ request }: ActionFunctionArgs) {
	const user = await requireRole(request, 'system_admin', 'enterprise_admin')
	const formData = await request.formData()
	const parsed = parseForm(personFormSchema, formData, { arrays: ['jobTypes'] })
	if (!parsed.ok) return data(parsed, { status: 400 })
	const result = await savePerson(user, parsed.data, { createAccount: formData.get('createAccount') === '1' })
	if (!result.ok) return data(failure(formValues(formData, ['jobTypes']), result.errors), { status: 400 })
	return { ok: true as const, personId: result.personId, name: parsed.data.name, initialPassword: result.initialPassword }
}

export default function NewPerson() {
	const { options, orgId } = useLoaderData<typeof loader>()
	const result = useActionData<typeof action>()
	if (result?.ok) {
		return (
			<section className="card" aria-labelledby="done-title">
				<h1 id="done-title">已新增：{result.name}</h1>
				{result.initialPassword ? (
					<p className="notice" role="status">
						初始密码：<strong data-testid="initial-password">{result.initialPassword}</strong>
						（只显示这一次，请当面告知本人；首次登录须修改密码）
					</p>
				) : null}
				<div className="actions">
					<Link className="button" to={`/people/${result.personId}`}>
						查看人员
					</Link>
					<Link className="button secondary" to="/people/new">
						继续新增
					</Link>
				</div>
			</section>
		)
	}
	return (
		<>
			<h1>新增人员</h1>
			<PersonForm
				values={result?.values ?? { orgId }}
				errors={result?.errors ?? {}}
				orgs={options.orgs}
				jobTypes={options.jobTypes}
				submitLabel="保存"
				offerAccount
			/>
		</>
	)
}
