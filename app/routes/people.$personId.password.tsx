import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData } from '@remix-run/react'
import { requirePersonInScope } from '#app/auth/auth.server.ts'
import { generateInitialPassword } from '#app/auth/password.server.ts'
import { setInitialPassword } from '#app/auth/sign-in.server.ts'

export const meta: MetaFunction = () => [{ title: '重置密码 · 安全生产培训考试平台' }]

export async function loader({ params }: LoaderFunctionArgs) {
	return redirect(`/people/${encodeURIComponent(params.personId ?? '')}`)
}

/** Sets a one-time password, shown once; the person must change it at next sign-in. */
export async function action({ request, params }: ActionFunctionArgs) {
	const { user, person } = await requirePersonInScope(request, params.personId!, { manage: true })
	const initialPassword = generateInitialPassword()
	await setInitialPassword(user.id, person, initialPassword)
	return { personId: person.id, initialPassword }
}

export default function ResetPassword() {
	const result = useActionData<typeof action>()
	if (!result) return null
	return (
		<section className="card" aria-labelledby="reset-title">
			<h1 id="reset-title">已设置初始密码</h1>
			<p className="notice" role="status">
				初始密码：<strong data-testid="initial-password">{result.initialPassword}</strong>（只显示这一次，请当面告知本人；首次登录须修改密码）
			</p>
			<Link to={`/people/${result.personId}`}>返回人员详情</Link>
		</section>
	)
}
