import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { requirePersonInScope } from '#app/auth/auth.server.ts'
import { PersonForm } from '#app/components/person-form.tsx'
import { personDetail } from '#app/people/people.server.ts'
import { personFormSchema } from '#app/people/person-form.ts'
import { personFormOptions } from '#app/people/person-form.server.ts'
import { savePerson } from '#app/people/save-person.server.ts'
import { db } from '#app/utils/db.server.ts'
import { failure, formValues, parseForm } from '#app/utils/forms.ts'

export const meta: MetaFunction = () => [{ title: '编辑人员 · 安全生产培训考试平台' }]

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { user, person } = await requirePersonInScope(request, params.personId!, { manage: true })
	const detail = (await personDetail(db, person.id, { reveal: true }))!
	const values = {
		name: detail.name,
		phone: detail.phone ?? '',
		idNumber: detail.idNumber ?? '',
		orgId: detail.orgId,
		category: detail.category,
		employmentType: detail.employmentType,
		position: detail.position,
		hiredOn: detail.hiredOn ?? '',
		jobTypes: detail.jobTypes.map((j) => j.code),
	}
	return { name: detail.name, values, options: await personFormOptions(user) }
}

export async function action({ request, params }: ActionFunctionArgs) {
	const { user, person } = await requirePersonInScope(request, params.personId!, { manage: true })
	const formData = await request.formData()
	const parsed = parseForm(personFormSchema, formData, { arrays: ['jobTypes'] })
	if (!parsed.ok) return data(parsed, { status: 400 })
	const result = await savePerson(user, parsed.data, { personId: person.id })
	if (!result.ok) return data(failure(formValues(formData, ['jobTypes']), result.errors), { status: 400 })
	throw redirect(`/people/${person.id}`)
}

export default function EditPerson() {
	const { name, values, options } = useLoaderData<typeof loader>()
	const result = useActionData<typeof action>()
	return (
		<>
			<h1>编辑人员：{name}</h1>
			<PersonForm
				values={result?.values ?? values}
				errors={result?.errors ?? {}}
				orgs={options.orgs}
				jobTypes={options.jobTypes}
				submitLabel="保存修改"
				offerAccount={false}
			/>
		</>
	)
}
