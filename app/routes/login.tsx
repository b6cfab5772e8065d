import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useSearchParams } from '@remix-run/react'
import { z } from 'zod'
import { loadSessionUser, requireAnonymous } from '#app/auth/auth.server.ts'
import { homePathOf, safeRedirectPath } from '#app/auth/scope.ts'
import { sessionCookie } from '#app/auth/session.server.ts'
import { signIn } from '#app/auth/sign-in.server.ts'
import { FormError, SubmitButton, TextField } from '#app/components/forms.tsx'
import { isValidPhone, normalizePhone } from '#app/people/identity.ts'
import { failure, parseForm } from '#app/utils/forms.ts'
import { publicMeta } from '#app/utils/meta.ts'

export const meta: MetaFunction = (args) =>
	publicMeta(args, { title: '登录', description: '从业人员、企业安全管理员、监管人员和内容编辑用手机号和密码登录，学习、考试和管理培训。' })

const schema = z.object({
	phone: z.string({ error: '请填写手机号' }).transform(normalizePhone).refine(isValidPhone, '请填写 11 位手机号'),
	password: z.string({ error: '请填写密码' }).min(1, '请填写密码').max(128, '密码太长'),
	redirectTo: z.string().optional(),
})

export async function loader({ request }: LoaderFunctionArgs) {
	await requireAnonymous(request, homePathOf)
	return null
}

export async function action({ request, context }: ActionFunctionArgs) {
	const parsed = parseForm(schema, await request.formData())
	if (!parsed.ok) return data(parsed, { status: 400 })
	const { phone, password, redirectTo } = parsed.data
	const result = await signIn(phone, password, context.clientIp)
	if (!result.ok) return data(failure({ phone, redirectTo: redirectTo ?? '' }, { form: result.error }), { status: 400 })
	const headers = { 'Set-Cookie': sessionCookie(result.token, result.expiresAt) }
	if (result.mustChangePassword) throw redirect('/password', { headers })
	const user = await loadSessionUser(result.personId)
	throw redirect(safeRedirectPath(redirectTo, user ? homePathOf(user) : '/me'), { headers })
}

export default function Login() {
	const result = useActionData<typeof action>()
	const [params] = useSearchParams()
	const errors = result && !result.ok ? result.errors : {}
	const values = result && !result.ok ? result.values : {}
	return (
		<section className="card" aria-labelledby="login-title">
			<h1 id="login-title">登录</h1>
			<Form method="post" className="stack" noValidate>
				<FormError error={errors.form} />
				<input type="hidden" name="redirectTo" value={params.get('redirectTo') ?? String(values.redirectTo ?? '')} />
				<TextField
					name="phone"
					label="手机号"
					type="tel"
					inputMode="numeric"
					autoComplete="username"
					maxLength={13}
					defaultValue={String(values.phone ?? '')}
					error={errors.phone}
					required
				/>
				<TextField name="password" label="密码" type="password" autoComplete="current-password" error={errors.password} required />
				<div className="actions">
					<SubmitButton pendingText="正在登录…">登录</SubmitButton>
				</div>
				<p className="muted">忘记密码请联系本单位安全管理员重置。</p>
			</Form>
		</section>
	)
}
