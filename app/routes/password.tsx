import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { requireUser } from '#app/auth/auth.server.ts'
import { PASSWORD_MIN_LENGTH } from '#app/auth/password-policy.ts'
import { homePathOf } from '#app/auth/scope.ts'
import { sessionCookie } from '#app/auth/session.server.ts'
import { changeOwnPassword } from '#app/auth/sign-in.server.ts'
import { FormError, SubmitButton, TextField } from '#app/components/forms.tsx'
import { failure, parseForm } from '#app/utils/forms.ts'

export const meta: MetaFunction = () => [{ title: '修改密码 · 安全生产培训考试平台' }]

const schema = z
	.object({
		currentPassword: z.string({ error: '请填写当前密码' }).min(1, '请填写当前密码'),
		newPassword: z.string({ error: '请填写新密码' }).min(1, '请填写新密码'),
		confirmPassword: z.string({ error: '请再次填写新密码' }).min(1, '请再次填写新密码'),
	})
	.refine((v) => v.newPassword === v.confirmPassword, { path: ['confirmPassword'], message: '两次填写的新密码不一致' })

export async function loader({ request }: LoaderFunctionArgs) {
	const user = await requireUser(request, { allowPasswordChange: true })
	return { mustChange: user.mustChangePassword }
}

export async function action({ request }: ActionFunctionArgs) {
	const user = await requireUser(request, { allowPasswordChange: true })
	const parsed = parseForm(schema, await request.formData())
	if (!parsed.ok) return data(parsed, { status: 400 })
	const result = await changeOwnPassword(user.id, parsed.data.currentPassword, parsed.data.newPassword)
	if (!result.ok) return data(failure({}, result.errors), { status: 400 })
	throw redirect(`${homePathOf(user)}?notice=password-changed`, { headers: { 'Set-Cookie': sessionCookie(result.token, result.expiresAt) } })
}

export default function ChangePassword() {
	const { mustChange } = useLoaderData<typeof loader>()
	const result = useActionData<typeof action>()
	const errors = result && !result.ok ? result.errors : {}
	return (
		<section className="card" aria-labelledby="password-title">
			<h1 id="password-title">修改密码</h1>
			{mustChange ? <p className="form-error">您的密码由管理员设置，请先修改密码再继续使用。</p> : null}
			<Form method="post" className="stack" noValidate>
				<FormError error={errors.form} />
				<TextField name="currentPassword" label="当前密码" type="password" autoComplete="current-password" error={errors.currentPassword} />
				<TextField
					name="newPassword"
					label="新密码"
					type="password"
					autoComplete="new-password"
					error={errors.newPassword}
					hint={`至少 ${PASSWORD_MIN_LENGTH} 位，须同时包含字母和数字`}
				/>
				<TextField name="confirmPassword" label="再次输入新密码" type="password" autoComplete="new-password" error={errors.confirmPassword} />
				<div className="actions">
					<SubmitButton>保存新密码</SubmitButton>
				</div>
				<p className="muted">修改后，您在其他设备上的登录将全部失效。</p>
			</Form>
		</section>
	)
}
